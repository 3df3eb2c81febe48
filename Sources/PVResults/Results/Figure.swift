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
/// operation, and the latency it reports (p50, p99), if any.
public struct HeadlineFigures: Sendable, Hashable {
    public let rate: Figure
    public let cost: Figure?
    public let latencyP50: Figure?
    public let latencyP99: Figure?

    public init(rate: Figure, cost: Figure? = nil, latencyP50: Figure? = nil, latencyP99: Figure? = nil) {
        self.rate = rate
        self.cost = cost
        self.latencyP50 = latencyP50
        self.latencyP99 = latencyP99
    }

    /// `<prefix>p50_ns` and `<prefix>p99_ns` as the latency pair.
    public init(rate: Figure, cost: Figure? = nil, latencyPrefix: String) {
        self.init(rate: rate, cost: cost, latencyP50: .nanoseconds("\(latencyPrefix)p50_ns"),
                  latencyP99: .nanoseconds("\(latencyPrefix)p99_ns"))
    }

    /// The figures a reader quotes: a large spread in one deserves a warning.
    public var quoted: [Figure] { [rate] + [latencyP50].compactMap { $0 } }
}
