import PVRecords

/// One row of `benchmarks[]` in google-benchmark's JSON shape: either one
/// repetition (`run_type` "iteration") or an aggregate over repetitions
/// (`run_type` "aggregate", with `aggregate_name`).
///
/// Counters (`reads_per_second`, `p50_ns`, `p99_ns`, `torn_reads`, …) are
/// flat numeric keys beside the standard ones, as google-benchmark writes
/// user counters, so its `compare.py` and other tooling read them.
/// `real_time`/`cpu_time` are per iteration (one operation), in `time_unit`.
public struct BenchmarkEntry: Sendable, Equatable {
    public enum RunType: String, Sendable, Codable { case iteration, aggregate }

    /// `run_name` plus, for aggregates, `_median` etc.
    public var name: String
    /// Shared by a run's repetitions and its aggregates:
    /// "preempt-poll/relaxed/cacheline/vcpus:4/readers:1/writers:1".
    public var runName: String
    public var runType: RunType
    /// median, min, max, cv (nil for iterations).
    public var aggregateName: String?
    /// "time" or "percentage" (cv), as google-benchmark marks aggregates.
    public var aggregateUnit: String?
    public var repetitions: Int
    /// 0-based repetition (nil for aggregates).
    public var repetitionIndex: Int?
    public var threads: Int
    public var iterations: Int64
    public var realTime: Double
    public var cpuTime: Double
    public var timeUnit: TimeUnit
    public var familyIndex: Int?
    public var perFamilyInstanceIndex: Int?
    public var label: String?
    public var errorOccurred: Bool?
    public var errorMessage: String?
    /// pvbench: what was run, for grouping in reports.
    public var scenario: String?
    public var strategy: String?
    public var layout: String?
    /// Flat numeric counters.
    public var counters: [String: Double]
    /// Repetitions: what disturbed the measured threads over the window
    /// (written flat: `disturbed`, `off_cpu_ns`, `run_delay_ns`, …; a field
    /// the machine could not read is absent, never 0).
    public var disturbance: Disturbance?
    /// Repetitions: whether the aggregates left it out (disturbed, with
    /// `--disturbed retry` or `drop`).
    public var excluded: Bool?
    /// `pvbench run --runs K`: which of the K runs (fresh processes) the
    /// repetition belongs to, 0-based; nil in a file of one run.
    public var runID: Int?
    /// The c2c probe's one-way latency (ns) between the run's CPUs, measured
    /// just before the repetition's round: the host's placement of the vCPUs.
    public var placementProbeNanoseconds: Double?

    public init(name: String, runName: String? = nil, runType: RunType = .iteration, aggregateName: String? = nil,
                aggregateUnit: String? = nil, repetitions: Int = 1, repetitionIndex: Int? = 0, threads: Int = 1,
                iterations: Int64, realTime: Double, cpuTime: Double, timeUnit: TimeUnit = .nanoseconds,
                familyIndex: Int? = nil, perFamilyInstanceIndex: Int? = nil, label: String? = nil,
                errorOccurred: Bool? = nil, errorMessage: String? = nil, scenario: String? = nil,
                strategy: String? = nil, layout: String? = nil, counters: [String: Double] = [:])
    {
        self.name = name
        self.runName = runName ?? name
        self.runType = runType
        self.aggregateName = aggregateName
        self.aggregateUnit = aggregateUnit
        self.repetitions = repetitions
        self.repetitionIndex = runType == .iteration ? repetitionIndex : nil
        self.threads = threads
        self.iterations = iterations
        self.realTime = realTime
        self.cpuTime = cpuTime
        self.timeUnit = timeUnit
        self.familyIndex = familyIndex
        self.perFamilyInstanceIndex = perFamilyInstanceIndex
        self.label = label
        self.errorOccurred = errorOccurred
        self.errorMessage = errorMessage
        self.scenario = scenario
        self.strategy = strategy
        self.layout = layout
        self.counters = counters
    }

    /// The keys google-benchmark and pvbench define; any other key is a counter.
    static let standardKeys: Set<String> = [
        "name", "run_name", "run_type", "aggregate_name", "aggregate_unit", "repetitions", "repetition_index",
        "threads", "iterations", "real_time", "cpu_time", "time_unit", "family_index", "per_family_instance_index",
        "label", "error_occurred", "error_message", "scenario", "strategy", "layout",
        "disturbed", "excluded", "window_ns", "off_cpu_ns", "run_delay_ns", "involuntary_switches", "voluntary_switches",
        "migrations", "interrupts", "steal_ticks", "run_id", "c2c_probe_ns",
    ]
}

/// A JSON object key made at run time (the flat counters).
struct DynamicCodingKey: CodingKey, Hashable {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension BenchmarkEntry: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DynamicCodingKey.self)
        func key(_ s: String) -> DynamicCodingKey { DynamicCodingKey(s) }
        name = try c.decode(String.self, forKey: key("name"))
        runName = try c.decodeIfPresent(String.self, forKey: key("run_name")) ?? name
        runType = try c.decodeIfPresent(RunType.self, forKey: key("run_type")) ?? .iteration
        aggregateName = try c.decodeIfPresent(String.self, forKey: key("aggregate_name"))
        aggregateUnit = try c.decodeIfPresent(String.self, forKey: key("aggregate_unit"))
        repetitions = try c.decodeIfPresent(Int.self, forKey: key("repetitions")) ?? 1
        repetitionIndex = try c.decodeIfPresent(Int.self, forKey: key("repetition_index"))
        threads = try c.decodeIfPresent(Int.self, forKey: key("threads")) ?? 1
        iterations = try c.decode(Int64.self, forKey: key("iterations"))
        realTime = try c.decode(Double.self, forKey: key("real_time"))
        cpuTime = try c.decode(Double.self, forKey: key("cpu_time"))
        timeUnit = try c.decodeIfPresent(TimeUnit.self, forKey: key("time_unit")) ?? .nanoseconds
        familyIndex = try c.decodeIfPresent(Int.self, forKey: key("family_index"))
        perFamilyInstanceIndex = try c.decodeIfPresent(Int.self, forKey: key("per_family_instance_index"))
        label = try c.decodeIfPresent(String.self, forKey: key("label"))
        errorOccurred = try c.decodeIfPresent(Bool.self, forKey: key("error_occurred"))
        errorMessage = try c.decodeIfPresent(String.self, forKey: key("error_message"))
        scenario = try c.decodeIfPresent(String.self, forKey: key("scenario"))
        strategy = try c.decodeIfPresent(String.self, forKey: key("strategy"))
        layout = try c.decodeIfPresent(String.self, forKey: key("layout"))
        var counters: [String: Double] = [:]
        for k in c.allKeys where !Self.standardKeys.contains(k.stringValue) {
            // Counters are numbers; other extra keys (strings some tools add)
            // are not counters and are skipped.
            if let v = try? c.decode(Double.self, forKey: k) { counters[k.stringValue] = v }
        }
        if let disturbed = try c.decodeIfPresent(Bool.self, forKey: key("disturbed")) {
            // Counts written by another tool may be floats: whole, non-negative, finite ones are accepted.
            func n(_ k: String) throws -> UInt64? {
                guard let v = try c.decodeIfPresent(Double.self, forKey: key(k)) else { return nil }
                guard v.isFinite, v >= 0, v < 18_446_744_073_709_551_616, v.rounded() == v else {
                    throw DecodingError.dataCorruptedError(forKey: key(k), in: c,
                                                           debugDescription: "\(k) must be a whole number of at least 0, got \(v)")
                }
                return UInt64(v)
            }
            disturbance = Disturbance(
                windowNanoseconds: try n("window_ns") ?? 0, offCPUNanoseconds: try n("off_cpu_ns") ?? 0,
                runDelayNanoseconds: try n("run_delay_ns") ?? 0, involuntarySwitches: try n("involuntary_switches") ?? 0,
                voluntarySwitches: try n("voluntary_switches") ?? 0, migrations: try n("migrations"),
                interrupts: try n("interrupts"), stealTicks: try n("steal_ticks"), disturbed: disturbed)
        }
        excluded = try c.decodeIfPresent(Bool.self, forKey: key("excluded"))
        runID = try c.decodeIfPresent(Int.self, forKey: key("run_id"))
        placementProbeNanoseconds = try c.decodeIfPresent(Double.self, forKey: key("c2c_probe_ns")).flatMap { $0.isFinite ? $0 : nil }
        self.counters = counters
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: DynamicCodingKey.self)
        func key(_ s: String) -> DynamicCodingKey { DynamicCodingKey(s) }
        try c.encode(name, forKey: key("name"))
        try c.encodeIfPresent(familyIndex, forKey: key("family_index"))
        try c.encodeIfPresent(perFamilyInstanceIndex, forKey: key("per_family_instance_index"))
        try c.encode(runName, forKey: key("run_name"))
        try c.encode(runType, forKey: key("run_type"))
        try c.encodeIfPresent(aggregateName, forKey: key("aggregate_name"))
        try c.encodeIfPresent(aggregateUnit, forKey: key("aggregate_unit"))
        try c.encode(repetitions, forKey: key("repetitions"))
        try c.encodeIfPresent(repetitionIndex, forKey: key("repetition_index"))
        try c.encode(threads, forKey: key("threads"))
        try c.encode(iterations, forKey: key("iterations"))
        try c.encode(try finite(realTime, "real_time"), forKey: key("real_time"))
        try c.encode(try finite(cpuTime, "cpu_time"), forKey: key("cpu_time"))
        try c.encode(timeUnit, forKey: key("time_unit"))
        try c.encodeIfPresent(label, forKey: key("label"))
        try c.encodeIfPresent(errorOccurred, forKey: key("error_occurred"))
        try c.encodeIfPresent(errorMessage, forKey: key("error_message"))
        try c.encodeIfPresent(scenario, forKey: key("scenario"))
        try c.encodeIfPresent(strategy, forKey: key("strategy"))
        try c.encodeIfPresent(layout, forKey: key("layout"))
        if let d = disturbance {
            try c.encode(d.disturbed, forKey: key("disturbed"))
            try c.encode(d.windowNanoseconds, forKey: key("window_ns"))
            try c.encode(d.offCPUNanoseconds, forKey: key("off_cpu_ns"))
            try c.encode(d.runDelayNanoseconds, forKey: key("run_delay_ns"))
            try c.encode(d.involuntarySwitches, forKey: key("involuntary_switches"))
            try c.encode(d.voluntarySwitches, forKey: key("voluntary_switches"))
            try c.encodeIfPresent(d.migrations, forKey: key("migrations"))
            try c.encodeIfPresent(d.interrupts, forKey: key("interrupts"))
            try c.encodeIfPresent(d.stealTicks, forKey: key("steal_ticks"))
        }
        try c.encodeIfPresent(excluded, forKey: key("excluded"))
        try c.encodeIfPresent(runID, forKey: key("run_id"))
        try c.encodeIfPresent(placementProbeNanoseconds.flatMap { $0.isFinite ? $0 : nil }, forKey: key("c2c_probe_ns"))
        for (k, v) in counters {
            guard !Self.standardKeys.contains(k) else {
                throw EncodingError.invalidValue(v, .init(codingPath: encoder.codingPath,
                                                          debugDescription: "counter '\(k)' clashes with a standard key"))
            }
            try c.encode(try finite(v, k), forKey: key(k))
        }

        func finite(_ v: Double, _ what: String) throws -> Double {
            guard v.isFinite else {
                throw EncodingError.invalidValue(v, .init(codingPath: encoder.codingPath,
                                                          debugDescription: "\(name): \(what) is \(v), not a finite number"))
            }
            return v
        }
    }
}
