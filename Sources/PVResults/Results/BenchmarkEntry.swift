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
    /// just before the repetition (in files from before 2026-12-06, before
    /// its round): the host's placement of the vCPUs.
    public var placementProbeNanoseconds: Double?
    /// The same probe just after the repetition (the next repetition's
    /// `c2c_probe_ns`): when the two fall in different placement classes the
    /// host moved the vCPUs while it ran. Nil in files from before it.
    public var placementProbeAfterNanoseconds: Double?

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
    static let standardKeys = Set(fields.flatMap(\.keys))
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
        self.init(name: "", iterations: 0, realTime: 0, cpuTime: 0)
        for field in Self.fields { try field.read(&self, c) }
        for k in c.allKeys where !Self.standardKeys.contains(k.stringValue) {
            // Counters are numbers; other extra keys (strings some tools add)
            // are not counters and are skipped.
            if let v = try? c.decode(Double.self, forKey: k) { counters[k.stringValue] = v }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: DynamicCodingKey.self)
        for field in Self.fields { try field.write(self, &c) }
        for (k, v) in counters {
            guard !Self.standardKeys.contains(k) else {
                throw EncodingError.invalidValue(v, .init(codingPath: encoder.codingPath,
                                                          debugDescription: "counter '\(k)' clashes with a standard key"))
            }
            try c.encode(v, forKey: DynamicCodingKey(k), finiteIn: self)
        }
    }

    /// Every standard key, once: what it holds and what its absence means.
    /// Decoding starts from `init(name: "", iterations: 0, realTime: 0, cpuTime: 0)`
    /// and reads the fields in this order, so `run_name` can fall back on `name`.
    static let fields: [JSONField<BenchmarkEntry>] = [
        .required("name", \.name),
        .optional("family_index", \.familyIndex),
        .optional("per_family_instance_index", \.perFamilyInstanceIndex),
        .defaulted("run_name", \.runName, otherwise: { $0.name }),
        .defaulted("run_type", \.runType),
        .optional("aggregate_name", \.aggregateName),
        .optional("aggregate_unit", \.aggregateUnit),
        .defaulted("repetitions", \.repetitions),
        .optional("repetition_index", \.repetitionIndex),
        .defaulted("threads", \.threads),
        .required("iterations", \.iterations),
        .finite("real_time", \.realTime),
        .finite("cpu_time", \.cpuTime),
        .defaulted("time_unit", \.timeUnit),
        .optional("label", \.label),
        .optional("error_occurred", \.errorOccurred),
        .optional("error_message", \.errorMessage),
        .optional("scenario", \.scenario),
        .optional("strategy", \.strategy),
        .optional("layout", \.layout),
        .disturbance,
        .optional("excluded", \.excluded),
        .optional("run_id", \.runID),
        .finiteIfAny("c2c_probe_ns", \.placementProbeNanoseconds),
        .finiteIfAny("c2c_probe_after_ns", \.placementProbeAfterNanoseconds),
    ]

    /// The disturbance's keys, written flat beside the entry's; present when
    /// `disturbed` is. Counts written by another tool may be floats: whole,
    /// non-negative, finite ones are accepted.
    static let disturbanceFields: [JSONField<Disturbance>] = [
        .required("disturbed", \.disturbed),
        .count("window_ns", \.windowNanoseconds),
        .count("off_cpu_ns", \.offCPUNanoseconds),
        .count("run_delay_ns", \.runDelayNanoseconds),
        .count("involuntary_switches", \.involuntarySwitches),
        .count("voluntary_switches", \.voluntarySwitches),
        .count("migrations", \.migrations),
        .count("interrupts", \.interrupts),
        .count("steal_ticks", \.stealTicks),
    ]
}

/// A JSON object's keys and the property of `Root` they hold: how the
/// property is read from the object and written to it.
struct JSONField<Root>: Sendable {
    typealias Reading = KeyedDecodingContainer<DynamicCodingKey>
    typealias Writing = KeyedEncodingContainer<DynamicCodingKey>
    let keys: [String]
    let read: @Sendable (inout Root, Reading) throws -> Void
    let write: @Sendable (Root, inout Writing) throws -> Void

    /// A key every object has.
    static func required<T: Codable & Sendable>(_ key: String, _ path: WritableKeyPath<Root, T> & Sendable) -> Self {
        Self(keys: [key], read: { $0[keyPath: path] = try $1.decode(T.self, forKey: DynamicCodingKey(key)) },
             write: { try $1.encode($0[keyPath: path], forKey: DynamicCodingKey(key)) })
    }

    /// A key that may be absent: then the property keeps its value, or takes `otherwise`'s.
    static func defaulted<T: Codable & Sendable>(_ key: String, _ path: WritableKeyPath<Root, T> & Sendable,
                                                 otherwise: (@Sendable (Root) -> T)? = nil) -> Self {
        Self(keys: [key], read: { root, c in
            if let v = try c.decodeIfPresent(T.self, forKey: DynamicCodingKey(key)) { root[keyPath: path] = v }
            else if let otherwise { root[keyPath: path] = otherwise(root) }
        }, write: { try $1.encode($0[keyPath: path], forKey: DynamicCodingKey(key)) })
    }

    /// A key written only when the property has a value.
    static func optional<T: Codable & Sendable>(_ key: String, _ path: WritableKeyPath<Root, T?> & Sendable) -> Self {
        Self(keys: [key], read: { $0[keyPath: path] = try $1.decodeIfPresent(T.self, forKey: DynamicCodingKey(key)) },
             write: { try $1.encodeIfPresent($0[keyPath: path], forKey: DynamicCodingKey(key)) })
    }

    /// A whole, non-negative count, also read from a float that is one.
    static func count(_ key: String, _ path: WritableKeyPath<Root, UInt64> & Sendable) -> Self {
        Self(keys: [key], read: { root, c in if let n = try c.decodeCount(key) { root[keyPath: path] = n } },
             write: { try $1.encode($0[keyPath: path], forKey: DynamicCodingKey(key)) })
    }

    /// A count that may be absent (the machine could not read it): never written as 0.
    static func count(_ key: String, _ path: WritableKeyPath<Root, UInt64?> & Sendable) -> Self {
        Self(keys: [key], read: { $0[keyPath: path] = try $1.decodeCount(key) },
             write: { try $1.encodeIfPresent($0[keyPath: path], forKey: DynamicCodingKey(key)) })
    }
}

extension JSONField where Root == BenchmarkEntry {
    /// A required figure that cannot be written unless finite (JSON has no NaN).
    static func finite(_ key: String, _ path: WritableKeyPath<Root, Double> & Sendable) -> Self {
        Self(keys: [key], read: { $0[keyPath: path] = try $1.decode(Double.self, forKey: DynamicCodingKey(key)) },
             write: { try $1.encode($0[keyPath: path], forKey: DynamicCodingKey(key), finiteIn: $0) })
    }

    /// A figure left out, read or written, unless finite.
    static func finiteIfAny(_ key: String, _ path: WritableKeyPath<Root, Double?> & Sendable) -> Self {
        Self(keys: [key],
             read: { $0[keyPath: path] = try $1.decodeIfPresent(Double.self, forKey: DynamicCodingKey(key)).flatMap { $0.isFinite ? $0 : nil } },
             write: { try $1.encodeIfPresent($0[keyPath: path].flatMap { $0.isFinite ? $0 : nil }, forKey: DynamicCodingKey(key)) })
    }

    /// ``BenchmarkEntry/disturbanceFields``, flat in the entry's object.
    static var disturbance: Self {
        let fields = BenchmarkEntry.disturbanceFields
        return Self(keys: fields.flatMap(\.keys), read: { entry, c in
            guard try c.decodeIfPresent(Bool.self, forKey: DynamicCodingKey("disturbed")) != nil else {
                entry.disturbance = nil
                return
            }
            var d = Disturbance(windowNanoseconds: 0, offCPUNanoseconds: 0, runDelayNanoseconds: 0, involuntarySwitches: 0,
                                voluntarySwitches: 0, migrations: nil, interrupts: nil, stealTicks: nil, disturbed: false)
            for field in fields { try field.read(&d, c) }
            entry.disturbance = d
        }, write: { entry, c in
            guard let d = entry.disturbance else { return }
            for field in fields { try field.write(d, &c) }
        })
    }
}

extension KeyedDecodingContainer<DynamicCodingKey> {
    /// A whole number of at least 0, where present; a float is accepted when whole.
    func decodeCount(_ key: String) throws -> UInt64? {
        let k = DynamicCodingKey(key)
        guard let v = try decodeIfPresent(Double.self, forKey: k) else { return nil }
        guard v.isFinite, v >= 0, v < 18_446_744_073_709_551_616, v.rounded() == v else {
            throw DecodingError.dataCorruptedError(forKey: k, in: self,
                                                   debugDescription: "\(key) must be a whole number of at least 0, got \(v)")
        }
        return UInt64(v)
    }
}

extension KeyedEncodingContainer<DynamicCodingKey> {
    /// Writes `v`, or fails naming the entry when it is not finite.
    mutating func encode(_ v: Double, forKey key: DynamicCodingKey, finiteIn entry: BenchmarkEntry) throws {
        guard v.isFinite else {
            throw EncodingError.invalidValue(v, .init(codingPath: codingPath,
                                                      debugDescription: "\(entry.name): \(key.stringValue) is \(v), not a finite number"))
        }
        try encode(v, forKey: key)
    }
}
