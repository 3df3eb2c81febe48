/// One run of a result file (all repetitions of one `run_name`), reduced to
/// what the summary tables and plots show.
public struct ReportRow: Sendable, Equatable {
    /// The result file the run came from.
    public var file: String
    public var runName: String
    public var scenario: String
    public var strategy: String
    public var layout: String
    /// `key:value` parts of the name (`vcpus` → "4", `readers` → "1", …).
    public var parameters: [String: String]
    public var repetitions: Int
    /// The run's rate counter (`reads_per_second`, …) and its figure; for a
    /// file without one, operations per second derived from `real_time`.
    public var throughputKey: String
    public var throughput: ReportFigure?
    /// Cost of one operation (`p50_ns`/`p99_ns`, `read_cost_p50_ns`, …), medians.
    public var costP50: Double?
    public var costP99: Double?
    /// Which latency the row reports: "visibility", "breakout", "one way"; nil when none.
    public var latencyKind: String?
    /// Visibility or breakout latency (`visibility_p50_ns`, …), medians.
    public var latencyP50: Double?
    public var latencyP99: Double?
    /// (latency ns, cumulative fraction) points from the latency percentile counters.
    public var latencyCDF: [(nanoseconds: Double, fraction: Double)]
    public var tornReads: Double?
    public var backwardsReads: Double?
    /// For a CPU pair's row (`cpu:A->cpu:B` in its name): the CPUs and the
    /// one-way latency (its declared latency's p50).
    public var cpuPair: (from: Int, to: Int)?
    public var oneWayNanoseconds: Double?
    public var errorMessage: String?
    /// The 95 % CI of the throughput median: the file's `_ci_low`/`_ci_high`,
    /// else the order-statistic interval of the undisturbed repetitions (nil
    /// below 6 of them).
    public var throughputCI: (low: Double, high: Double)?
    /// Repetitions the run flagged as disturbed.
    public var disturbedRepetitions = 0
    /// Each repetition's throughput in file order, with its disturbed flag.
    public var repetitionValues: [(value: Double, disturbed: Bool)] = []
    /// Counters a scenario's own plots need beyond the headline figures
    /// (``ReportDataset/plottedCounters``), by counter name; only those the run has.
    public var counterFigures: [String: ReportFigure] = [:]

    /// vCPU count from the name (`vcpus:N`), nil when absent.
    public var vcpus: Int? { parameters["vcpus"].flatMap { Int($0) } }

    public static func == (a: ReportRow, b: ReportRow) -> Bool {
        a.file == b.file && a.runName == b.runName && a.throughput == b.throughput
            && a.latencyCDF.elementsEqual(b.latencyCDF) { $0.nanoseconds == $1.nanoseconds && $0.fraction == $1.fraction }
            && a.cpuPair?.from == b.cpuPair?.from && a.cpuPair?.to == b.cpuPair?.to
            && a.oneWayNanoseconds == b.oneWayNanoseconds && a.tornReads == b.tornReads
    }
}
