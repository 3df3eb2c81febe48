import PVRuntime
import PVHost
import PVResults

/// Everything one `pvbench run` case needs: what to emulate, how, where and
/// for how long. Built by the CLI or a suite, checked by ``validate()``.
public struct RunSettings: Sendable, Equatable {
    public var scenario: ScenarioKind
    /// A built-in ordering or a loaded C strategy file.
    public var strategy: StrategyChoice
    public var layout: VCPULayout
    public var implementation: Implementation
    /// vCPUs emulated (records in the region).
    public var vcpus: Int
    /// Guest reader threads.
    public var readers: Int
    /// Hypervisor writer threads (vCPU v is written by writer v % writers).
    public var writers: Int
    public var placement: PlacementRequest
    /// Measured seconds per repetition, after `warmup`.
    public var duration: Double
    public var warmup: Double
    public var repetitions: Int
    /// For scenarios whose hypervisor paces its updates: ns between two
    /// updates; 0 = back to back.
    public var updateInterval: UInt64
    /// For scenarios that preempt vCPUs on a fixed cycle: ns a vCPU runs
    /// between preemptions.
    public var runDuration: UInt64
    /// For the same: ns a vCPU stays preempted.
    public var preemptedDuration: UInt64
    /// Faults injected into the emulation (`--inject`); empty for a clean run.
    public var faults: [InjectedFault] = []
    /// Attempts after which a protocol read (seqlock, ck-sequence) gives up.
    /// How long that takes depends on the machine: each attempt on an odd
    /// sequence includes a `cpu_relax`, and under KVM a spinning PAUSE can
    /// exit to the host (pause-loop exiting), making an attempt ~1 µs.
    public var readGiveUpAttempts: UInt64 = pvReadGiveUpAttempts
    /// Guest operations per kernel call (one clock read per call) in the
    /// scenarios that batch their reads. A smaller batch ends closer
    /// to the window's end where reads are slow (a sanitizer build, a
    /// loaded machine); the figures are per operation either way.
    public var readBatch: Int = ScenarioRunner.readBatch
    /// What only one scenario reads (its ``Scenario/Parameters``).
    public var parameters = ScenarioParameterSet()

    public init(scenario: ScenarioKind, strategy: StrategyKind = .relaxed, layout: VCPULayout = .cacheline,
                implementation: Implementation = .swift, vcpus: Int = 1, readers: Int = 1, writers: Int = 1,
                placement: PlacementRequest = PlacementRequest(), duration: Double = 1, warmup: Double = 0.2,
                repetitions: Int = 3, updateInterval: UInt64 = 0, runDuration: UInt64 = 20_000,
                preemptedDuration: UInt64 = 20_000)
    {
        self.scenario = scenario
        self.strategy = .builtIn(strategy)
        self.layout = layout
        self.implementation = implementation
        self.vcpus = vcpus
        self.readers = readers
        self.writers = writers
        self.placement = placement
        self.duration = duration
        self.warmup = warmup
        self.repetitions = repetitions
        self.updateInterval = updateInterval
        self.runDuration = runDuration
        self.preemptedDuration = preemptedDuration
    }

    /// The record the strategy runs on in this scenario.
    public var target: SharedRecordKind? { scenario.type.target(for: strategy) }

    /// The benchmark name: `scenario/strategy/layout/vcpus:N/readers:R/writers:W[/impl:c]`
    /// (or the scenario's own, ``Scenario/name(of:)``).
    public var name: String { scenario.type.name(of: self) }

    /// `1ms`, `250us`, `1500ns`: an interval in the largest unit that divides it.
    static func intervalText(_ ns: UInt64) -> String { CaseName.intervalText(ns) }

    /// Checks the combination; the error says what is valid.
    public func validate() throws(RunSettingsError) {
        guard duration > 0, duration.isFinite, duration <= 86_400 else {
            throw .outOfRange(.duration, got: "\(duration)", valid: "a positive number of seconds (at most a day)")
        }
        guard warmup >= 0, warmup.isFinite, warmup <= 3_600 else {
            throw .outOfRange(.warmup, got: "\(warmup)", valid: "0 ... 3600 seconds")
        }
        guard (1 ... 1000).contains(repetitions) else { throw .outOfRange(.repetitions, got: "\(repetitions)", valid: "1 ... 1000") }
        guard (1 ... 4096).contains(readers) else { throw .outOfRange(.readers, got: "\(readers)", valid: "1 ... 4096") }
        guard (1 ... 4096).contains(writers) else { throw .outOfRange(.writers, got: "\(writers)", valid: "1 ... 4096") }
        let maxVCPUs = min(layout.capacity(pvPages: 16384), 16384)
        guard vcpus >= 1, vcpus <= maxVCPUs else {
            throw .outOfRange(.vcpus, got: "\(vcpus)", valid: "1 ... \(maxVCPUs) for the \(layout) layout")
        }
        guard updateInterval <= 100_000_000 else {
            throw .outOfRange(.updateInterval, got: Self.intervalText(updateInterval),
                              valid: "0 ... 100ms (a hypervisor thread waits it out between updates)")
        }
        if let file = strategy.cFile, scenario.type.record == nil {
            throw .cFileDoesNotApply(file: file, scenario: scenario, why: "its threads read no shared record, so no strategy runs in it")
        }
        try scenario.type.validate(self)
    }

    /// The settings a ``RunSettingsError`` can name; the CLI maps each to
    /// its flag. A scenario adds its own parameters' fields.
    public struct Field: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let duration = Field(rawValue: "duration"), warmup = Field(rawValue: "warmup")
        public static let repetitions = Field(rawValue: "repetitions"), readers = Field(rawValue: "readers")
        public static let writers = Field(rawValue: "writers"), vcpus = Field(rawValue: "vcpus")
        public static let updateInterval = Field(rawValue: "update interval")
        public static let runDuration = Field(rawValue: "run duration")
        public static let preemptedDuration = Field(rawValue: "preempted duration")
    }
}

/// An invalid run request. The cases name settings, not command-line flags:
/// ``message(naming:)`` lets the CLI put its own spellings in.
public enum RunSettingsError: Error, Equatable, CustomStringConvertible {
    case outOfRange(RunSettings.Field, got: String, valid: String)
    case writersExceedVCPUs(writers: Int, vcpus: Int)
    case strategyDoesNotApply(strategy: StrategyKind, scenario: ScenarioKind, record: SharedRecordKind?, valid: [StrategyKind])
    /// A C strategy file without a pair for the scenario's record(s), or in a scenario that cannot call one.
    case cFileDoesNotApply(file: LoadedCStrategy, scenario: ScenarioKind, why: String)
    case noCKernel(scenario: ScenarioKind, strategy: StrategyChoice, withC: [StrategyKind])
    case faultsNeedSwiftKernels
    case onePairOfThreads(ScenarioKind)
    case needsNonZero([RunSettings.Field], ScenarioKind)

    public var description: String { message { $0.rawValue } }

    /// The message with each setting named by `name` (e.g. its flag).
    public func message(naming name: (RunSettings.Field) -> String) -> String {
        switch self {
        case let .outOfRange(field, got, valid):
            return "\(name(field)) must be \(valid), got \(got)"
        case let .writersExceedVCPUs(writers, vcpus):
            return "\(name(.writers)) \(writers) exceeds \(name(.vcpus)) \(vcpus): each writer emulates at least one vCPU's thread"
        case let .strategyDoesNotApply(strategy, scenario, record, valid):
            return "strategy '\(strategy)' does not apply to \(scenario) (its record is \(record.map(\.rawValue) ?? "none")); "
                + "valid: \(valid.map(\.rawValue).joined(separator: ", "))"
        case let .cFileDoesNotApply(file, scenario, why):
            return "C strategy \(file.name) (\(file.source)) does not apply to \(scenario): \(why)"
        case let .noCKernel(scenario, strategy, withC):
            return "no C kernel for \(scenario) with \(strategy); C kernels exist for "
                + (withC.isEmpty ? "none of its strategies" : withC.map(\.rawValue).joined(separator: ", "))
        case .faultsNeedSwiftKernels:
            return "injected faults work with the Swift kernels: the C reference kernels have no fault hooks"
        case let .onePairOfThreads(scenario):
            return "\(scenario) runs exactly one pair of threads: \(name(.readers)) 1, \(name(.writers)) 1"
        case let .needsNonZero(fields, scenario):
            return "\(scenario) needs \(fields.map(name).joined(separator: " and ")) above 0"
        }
    }
}
