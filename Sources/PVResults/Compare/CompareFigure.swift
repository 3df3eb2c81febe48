/// Which figure of each case `compare` judges, and where its direction
/// (higher or lower is better) comes from. The direction is never guessed
/// from a name: it is the figure's type as the file records it
/// (`context.figures`), the scenario types of this pvbench for its own
/// files that predate that map, or google-benchmark's schema for the keys
/// it defines.
public enum CompareFigureChoice: Sendable, Equatable, CustomStringConvertible {
    /// A role of the scenario's headline figures.
    case role(Role)
    /// A counter or time key (`reads_per_second`, `real_time`).
    case key(String)

    public enum Role: String, Sendable, CaseIterable, Codable {
        /// The scenario's own (``HeadlineFigures/headline``): its rate, or
        /// the figure it names (c2c: its one-way latency p50).
        case headline
        case rate, cost
        case costP99 = "cost-p99"
        case latencyP50 = "latency-p50"
        case latencyP99 = "latency-p99"
        /// The latency p50 spread over the counter's step
        /// (`<prefix>p50_interpolated_ns`): spin-on-owner's figure.
        case latencyP50Interpolated = "latency-p50-interpolated"

        func pick(_ f: HeadlineFigures) -> Figure? {
            switch self {
            case .headline: f.headline
            case .rate: f.rate
            case .cost: f.cost
            case .costP99: f.costP99
            case .latencyP50: f.latencyP50
            case .latencyP99: f.latencyP99
            case .latencyP50Interpolated: f.latencyP50Interpolated
            }
        }
    }

    /// The default: each scenario's headline figure (its rate, or the
    /// latency p50 it names), `real_time` for google-benchmark files.
    public static let headline = CompareFigureChoice.role(.headline)

    /// `headline`, `rate`, `cost`, `cost-p99`, `latency-p50`, `latency-p99`,
    /// `latency-p50-interpolated` or a key.
    public init(argument: String) {
        self = Role(rawValue: argument).map(CompareFigureChoice.role) ?? .key(argument)
    }

    public var description: String {
        switch self {
        case let .role(r): r.rawValue
        case let .key(k): k
        }
    }
}

/// Where a figure's direction came from.
public enum FigureSource: String, Sendable, Codable {
    /// The result file's `context.figures`.
    case file
    /// This pvbench's scenario types (a pvbench file written before the map).
    case scenarioTypes = "scenario types"
    /// google-benchmark's schema: times lower, `items_per_second`/`bytes_per_second` higher.
    case googleBenchmark = "google-benchmark schema"
}

/// The figure a case is judged by, with where its direction came from.
public struct ResolvedFigure: Sendable, Equatable {
    public var figure: Figure
    public var source: FigureSource
}

/// The lookup: a file's map, then the scenario catalogue, then the schema.
public struct FigureResolver: Sendable {
    /// Per scenario, this pvbench's typed figures (the CLI fills it from its
    /// scenario registry; PVResults does not know the scenarios).
    public var catalogue: [String: HeadlineFigures]

    public init(catalogue: [String: HeadlineFigures] = [:]) { self.catalogue = catalogue }

    /// google-benchmark's own keys and their direction.
    public static let schema: [String: Figure] = [
        "real_time": Figure(key: "real_time", unit: .nanoseconds, better: .lower),
        "cpu_time": Figure(key: "cpu_time", unit: .nanoseconds, better: .lower),
        "items_per_second": .rate("items"),
        "bytes_per_second": .rate("bytes"),
    ]

    /// The figure one case is compared by: OLD's map, else NEW's. Under
    /// `headline`, a figure that no row of one side carries gives way to the
    /// rate, so that a file written before its scenario named that figure
    /// (spin-on-owner's interpolated p50) is still compared, like with like.
    public func resolve(_ choice: CompareFigureChoice, scenario: String?, old: (figures: [String: HeadlineFigures]?, entries: [BenchmarkEntry]),
                        new: (figures: [String: HeadlineFigures]?, entries: [BenchmarkEntry])) -> ResolvedFigure?
    {
        func resolved(_ c: CompareFigureChoice) -> ResolvedFigure? {
            resolve(c, scenario: scenario, fileFigures: old.figures) ?? resolve(c, scenario: scenario, fileFigures: new.figures)
        }
        guard let r = resolved(choice) else { return nil }
        let carried = [old.entries, new.entries].allSatisfy { side in side.contains { CaseSample.value(of: r.figure, in: $0) != nil } }
        return choice == .headline && !carried ? resolved(.role(.rate)) ?? r : r
    }

    /// The figure of a case of `scenario` (nil for foreign rows) in a file
    /// whose map is `fileFigures`; nil when no source says which way `choice` is better.
    public func resolve(_ choice: CompareFigureChoice, scenario: String?,
                        fileFigures: [String: HeadlineFigures]?) -> ResolvedFigure?
    {
        switch choice {
        case .role(.headline):
            // The file's own choice; a file written before `compared_by`
            // existed takes this pvbench's, so old and new files agree. A
            // file without the named figure is judged by its rate.
            let role = scenario.flatMap { fileFigures?[$0]?.comparedBy ?? catalogue[$0]?.comparedBy } ?? .rate
            return resolve(.role(role), scenario: scenario, fileFigures: fileFigures)
                ?? resolve(.role(.rate), scenario: scenario, fileFigures: fileFigures)
        case let .role(role):
            if let scenario, let f = fileFigures?[scenario] {
                return role.pick(f).map { ResolvedFigure(figure: $0, source: .file) }
            }
            if let scenario, let f = catalogue[scenario] {
                return role.pick(f).map { ResolvedFigure(figure: $0, source: .scenarioTypes) }
            }
            // A foreign row: google-benchmark's time is its headline figure.
            return role == .rate || role == .headline ? ResolvedFigure(figure: Self.schema["real_time"]!, source: .googleBenchmark) : nil
        case let .key(key):
            if let scenario, let f = fileFigures?[scenario]?.all.first(where: { $0.key == key }) {
                return ResolvedFigure(figure: f, source: .file)
            }
            if let f = fileFigures?.values.flatMap(\.all).first(where: { $0.key == key }) {
                return ResolvedFigure(figure: f, source: .file)
            }
            if let f = catalogue.values.flatMap(\.all).first(where: { $0.key == key }) {
                return ResolvedFigure(figure: f, source: .scenarioTypes)
            }
            return Self.schema[key].map { ResolvedFigure(figure: $0, source: .googleBenchmark) }
        }
    }
}
