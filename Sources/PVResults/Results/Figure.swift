/// A figure a result row carries: the counter it is stored under, its unit,
/// and which way is better. Scenarios declare theirs once (see
/// `HeadlineFigures`); the run table, the spread warnings, the soak drift
/// table and the Swift/C comparison read them instead of spelling keys.
public struct Figure: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable {
        /// Operations per second; `operation` names them ("reads").
        case perSecond = "/s"
        case nanoseconds = "ns"
    }

    public enum Better: String, Sendable {
        case higher
        case lower
    }

    /// The counter key in the result file (`reads_per_second`).
    public let key: String
    public let unit: Unit
    public let better: Better
    /// For rates, what is counted ("reads" → "reads/s").
    public let operation: String?

    public init(key: String, unit: Unit, better: Better, operation: String? = nil) {
        self.key = key
        self.unit = unit
        self.better = better
        self.operation = operation
    }

    /// `<operation>_per_second`, higher is better.
    public static func rate(_ operation: String, key: String? = nil) -> Figure {
        Figure(key: key ?? "\(operation)_per_second", unit: .perSecond, better: .higher, operation: operation)
    }

    /// A time in ns, lower is better.
    public static func nanoseconds(_ key: String) -> Figure { Figure(key: key, unit: .nanoseconds, better: .lower) }

    /// The unit as a table shows it: "reads/s", "ns".
    public var unitLabel: String {
        switch unit {
        case .perSecond: "\(operation ?? "ops")/s"
        case .nanoseconds: "ns"
        }
    }

    public var description: String { key }
}

/// The figures a scenario is judged by: its rate, the cost of one
/// operation (p50, and p99 where it has one), and the latency it reports
/// (p50, p99; percentile counters `<latencyPrefix>p…_ns`), if any, and
/// which of them `compare` judges by. In a result file's `context.figures`:
/// `{"rate": …, "cost": …, "cost_p99": …, "latency_prefix": "one_way_", "compared_by": "latency-p50"}`.
public struct HeadlineFigures: Sendable, Hashable, Codable {
    public let rate: Figure
    public let cost: Figure?
    public let costP99: Figure?
    public let latencyPrefix: String?
    /// The role `compare` judges the scenario's cases by when not told
    /// (`--figure headline`, the default); nil for the rate. c2c names its
    /// latency p50: its rate needs both threads on their CPUs at once, so
    /// when the guest's CPUs are shared it counts the scheduler's slices
    /// as much as the line, and the median of many short samples does not.
    /// spin-on-owner names its interpolated break-out p50: its rate is the
    /// owners' schedule.
    public let comparedBy: CompareFigureChoice.Role?

    enum CodingKeys: String, CodingKey {
        case rate, cost, costP99 = "cost_p99", latencyPrefix = "latency_prefix", comparedBy = "compared_by"
    }

    /// A `compared_by` this pvbench does not know (a newer one wrote it) is
    /// read as none: the file is still read, and judged by its rate.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(rate: try c.decode(Figure.self, forKey: .rate), cost: try c.decodeIfPresent(Figure.self, forKey: .cost),
                  costP99: try c.decodeIfPresent(Figure.self, forKey: .costP99),
                  latencyPrefix: try c.decodeIfPresent(String.self, forKey: .latencyPrefix),
                  comparedBy: (try? c.decodeIfPresent(String.self, forKey: .comparedBy))
                      .flatMap(CompareFigureChoice.Role.init(rawValue:)))
    }

    public init(rate: Figure, cost: Figure? = nil, costP99: Figure? = nil, latencyPrefix: String? = nil,
                comparedBy: CompareFigureChoice.Role? = nil) {
        self.rate = rate
        self.cost = cost
        self.costP99 = costP99
        self.latencyPrefix = latencyPrefix
        self.comparedBy = comparedBy == .headline ? nil : comparedBy
    }

    /// `<prefix>p50_ns` and `<prefix>p99_ns` as the cost pair.
    public init(rate: Figure, costPrefix: String, latencyPrefix: String? = nil, comparedBy: CompareFigureChoice.Role? = nil) {
        self.init(rate: rate, cost: .nanoseconds("\(costPrefix)p50_ns"), costP99: .nanoseconds("\(costPrefix)p99_ns"),
                  latencyPrefix: latencyPrefix, comparedBy: comparedBy)
    }

    /// The figure `compare` judges by when not told: ``comparedBy``'s, else
    /// the rate. (``comparedBy`` is never `.headline`: every init, the
    /// decoder's too, clears it.)
    public var headline: Figure { comparedBy?.pick(self) ?? rate }

    /// Every figure with a role: rate, cost p50 and p99, latency p50 and p99,
    /// and the headline when it is none of those (spin-on-owner's
    /// interpolated p50).
    public var all: [Figure] {
        let roles = [rate] + [cost, costP99, latencyP50, latencyP99].compactMap { $0 }
        return roles.contains(headline) ? roles : roles + [headline]
    }

    public var latencyP50: Figure? { latencyPrefix.map { .nanoseconds("\($0)p50_ns") } }
    public var latencyP99: Figure? { latencyPrefix.map { .nanoseconds("\($0)p99_ns") } }
    /// `<prefix>p50_interpolated_ns`: the p50 of samples timed one event at
    /// a time, spread over the counter's step (`LatencyDistribution.interpolatedPercentile`).
    public var latencyP50Interpolated: Figure? { latencyPrefix.map { .nanoseconds("\($0)p50_interpolated_ns") } }
    /// What the latency is of, for labels: "visibility", "one way".
    public var latencyKind: String? { latencyPrefix.map { $0.dropLast().replacingOccurrences(of: "_", with: " ") } }

    /// The figures a reader quotes: a large spread in one deserves a warning.
    public var quoted: [Figure] { [rate] + [latencyP50].compactMap { $0 } }
}
