/// One case's figure in one result file: every repetition's value with its
/// disturbed flag, and what the file's aggregates say.
public struct CaseSample: Sendable, Equatable {
    public var name: String
    public var scenario: String?
    /// Values of the repetitions that have the figure, in file order.
    public var values: [Double]
    /// Per value, whether the run flagged that repetition as disturbed.
    public var disturbed: [Bool]
    /// Repetitions without a finite value for the figure.
    public var missing: Int
    /// The `_median` aggregate's value, for files with aggregates only.
    public var fileMedian: Double?
    /// The file's own CI of the median (`_ci_low`/`_ci_high`), when it has one.
    public var fileInterval: (low: Double, high: Double)?
    /// The error a repetition reported (google-benchmark `error_occurred`).
    public var error: String?

    public static func == (a: CaseSample, b: CaseSample) -> Bool {
        a.name == b.name && a.values == b.values && a.disturbed == b.disturbed && a.fileMedian == b.fileMedian
            && a.fileInterval?.low == b.fileInterval?.low && a.fileInterval?.high == b.fileInterval?.high
    }

    /// The values the verdict uses: the undisturbed repetitions.
    public var undisturbed: [Double] { zip(values, disturbed).filter { !$0.1 }.map(\.0) }
    public var disturbedCount: Int { disturbed.filter { $0 }.count }

    /// A figure's value in one entry: counters by key, `real_time`/`cpu_time`
    /// in ns whatever the file's `time_unit`; nil when absent or not finite.
    public static func value(of figure: Figure, in entry: BenchmarkEntry) -> Double? {
        let v: Double? = switch figure.key {
        case "real_time": entry.realTime * entry.timeUnit.nanoseconds
        case "cpu_time": entry.cpuTime * entry.timeUnit.nanoseconds
        default: entry.counters[figure.key]
        }
        return v.flatMap { $0.isFinite ? $0 : nil }
    }

    /// The sample of `figure` from one run's entries.
    public init(name: String, figure: Figure, entries: [(entry: BenchmarkEntry, disturbed: Bool)]) {
        self.name = name
        scenario = entries.lazy.compactMap(\.entry.scenario).first
        values = []
        disturbed = []
        missing = 0
        for (e, flag) in entries where e.runType == .iteration {
            if e.errorOccurred == true { error = error ?? e.errorMessage ?? "error_occurred"; continue }
            if let v = Self.value(of: figure, in: e) { values.append(v); disturbed.append(flag) } else { missing += 1 }
        }
        func aggregate(_ name: String) -> Double? {
            entries.first { $0.entry.runType == .aggregate && $0.entry.aggregateName == name }.flatMap { Self.value(of: figure, in: $0.entry) }
        }
        fileMedian = aggregate("median")
        // `_ci_low`/`_ci_high` as aggregates beside `_median`, or as
        // `<key>_ci_low` counters of the median aggregate.
        let median = entries.first { $0.entry.runType == .aggregate && $0.entry.aggregateName == "median" }?.entry
        if let lo = aggregate("ci_low") ?? median?.counters["\(figure.key)_ci_low"],
           let hi = aggregate("ci_high") ?? median?.counters["\(figure.key)_ci_high"], lo.isFinite, hi.isFinite, lo <= hi
        {
            fileInterval = (lo, hi)
        }
    }
}
