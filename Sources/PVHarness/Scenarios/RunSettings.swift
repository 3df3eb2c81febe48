import PVRuntime

/// Everything one `pvbench run` case needs: what to emulate, how, where and
/// for how long. Built by the CLI or a suite, checked by ``validate()``.
public struct RunSettings: Sendable, Equatable {
    public var scenario: ScenarioKind
    public var strategy: StrategyKind
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
    /// steal-clock, idle-scan: ns between two hypervisor updates; 0 = back to back.
    public var updateInterval: UInt64
    /// preempt-poll, spin-on-owner: ns a vCPU runs between preemptions.
    public var runDuration: UInt64
    /// preempt-poll, spin-on-owner: ns a vCPU stays preempted.
    public var preemptedDuration: UInt64
    /// Faults injected into the emulation (`--inject`); empty for a clean run.
    public var faults: [InjectedFault] = []

    public init(scenario: ScenarioKind, strategy: StrategyKind = .relaxed, layout: VCPULayout = .cacheline,
                implementation: Implementation = .swift, vcpus: Int = 1, readers: Int = 1, writers: Int = 1,
                placement: PlacementRequest = PlacementRequest(), duration: Double = 1, warmup: Double = 0.2,
                repetitions: Int = 3, updateInterval: UInt64 = 0, runDuration: UInt64 = 20_000,
                preemptedDuration: UInt64 = 20_000)
    {
        self.scenario = scenario
        self.strategy = strategy
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
    public var target: SharedRecordKind? { scenario.target(for: strategy) }

    /// The benchmark name: `scenario/strategy/layout/vcpus:N/readers:R/writers:W[/impl:c]`.
    public var name: String {
        if scenario == .c2c {
            let cpus = (placement.writerCPUs ?? []) + (placement.readerCPUs ?? [])
            return cpus.count == 2 ? "c2c/cpu:\(cpus[0])->cpu:\(cpus[1])" : "c2c/\(placement.relation.rawValue)"
        }
        var n = "\(scenario)/\(strategy)/\(layout)/vcpus:\(vcpus)/readers:\(readers)/writers:\(writers)"
        if updateInterval > 0, scenario == .stealClock || scenario == .idleScan { n += "/update:\(Self.intervalText(updateInterval))" }
        if implementation == .c { n += "/impl:c" }
        return n
    }

    /// `1ms`, `250us`, `1500ns`: an interval in the largest unit that divides it.
    static func intervalText(_ ns: UInt64) -> String {
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        if ns % 1_000 == 0 { return "\(ns / 1_000)us" }
        return "\(ns)ns"
    }

    /// Checks the combination; the error says what is valid.
    public func validate() throws(RunSettingsError) {
        guard duration > 0, duration.isFinite, duration <= 86_400 else {
            throw .invalid("--duration must be a positive number of seconds (at most a day), got \(duration)")
        }
        guard warmup >= 0, warmup.isFinite, warmup <= 3_600 else {
            throw .invalid("--warmup must be 0 ... 3600 seconds, got \(warmup)")
        }
        guard (1 ... 1000).contains(repetitions) else {
            throw .invalid("--repetitions must be 1 ... 1000, got \(repetitions)")
        }
        guard (1 ... 4096).contains(readers) else { throw .invalid("--readers must be 1 ... 4096, got \(readers)") }
        guard (1 ... 4096).contains(writers) else { throw .invalid("--writers must be 1 ... 4096, got \(writers)") }
        let maxVCPUs = layout.capacity(pvPages: 16384)
        guard vcpus >= 1, vcpus <= min(maxVCPUs, 16384) else {
            throw .invalid("--vcpus must be 1 ... \(min(maxVCPUs, 16384)) for the \(layout) layout, got \(vcpus)")
        }
        if scenario == .c2c {
            guard readers == 1, writers == 1 else {
                throw .invalid("c2c runs exactly one pair of threads: --readers 1 --writers 1")
            }
            return
        }
        guard writers <= vcpus else {
            throw .invalid("--writers \(writers) exceeds --vcpus \(vcpus): each writer emulates at least one vCPU's thread")
        }
        guard target != nil else {
            let valid = scenario.strategies.map(\.rawValue).joined(separator: ", ")
            throw .invalid("strategy '\(strategy)' does not apply to \(scenario) (its record is "
                + "\(scenario.target!)); valid: \(valid)")
        }
        guard scenario.implementations(for: strategy).contains(implementation) else {
            let withC = scenario.strategies.filter { scenario.implementations(for: $0).contains(.c) }
            throw .invalid("--impl c has no C kernel for \(scenario) with \(strategy); C kernels exist for "
                + (withC.isEmpty ? "none of its strategies" : withC.map(\.rawValue).joined(separator: ", ")))
        }
        if !faults.isEmpty, implementation == .c, faults != [.unpinnable] {
            throw .invalid("--inject works with the Swift kernels (--impl swift): the C reference kernels have no fault hooks")
        }
        if scenario == .spinOnOwner, runDuration == 0 || preemptedDuration == 0 {
            throw .invalid("spin-on-owner needs --run-duration and --preempted-duration above 0")
        }
        if scenario == .preemptPoll, runDuration == 0 || preemptedDuration == 0 {
            throw .invalid("preempt-poll needs --run-duration and --preempted-duration above 0")
        }
    }
}

/// An invalid run request; the message lists what is valid.
public enum RunSettingsError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self { case let .invalid(why): why }
    }
}
