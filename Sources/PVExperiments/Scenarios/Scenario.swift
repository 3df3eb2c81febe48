import PVABI
import PVHost
import PVResults
import PVRuntime

/// One hypervisor/guest shape `pvbench run` emulates, described in full in
/// one place: the record its guest reads (and so the strategies and layouts
/// it accepts), which strategies have a C kernel, its option checks, the
/// figures it is judged by, its cases in each suite, the faults it reacts
/// to, how one case runs; and what it alone has: its parameters and their
/// command-line options, a check before anything runs, how one requested
/// case becomes the cases run, what it concludes after the run, and its
/// plots. Adding a scenario is one file with a conforming type and one
/// line in ``ScenarioRegistry``.
public protocol Scenario: Sendable {
    /// What only this scenario reads from a case (``RunSettings/parameters``).
    associatedtype Parameters: ScenarioParameters = NoParameters
    /// The name on the command line and at the head of result names.
    static var kind: ScenarioKind { get }
    /// One line for `pvbench list`.
    static var summary: String { get }
    /// The records a strategy may run on, in order of preference (the
    /// stolen_time field before the whole record); empty: no strategy.
    static var records: [SharedRecordKind] { get }
    static var figures: HeadlineFigures { get }
    /// Faults that do something here (`unpinnable` applies everywhere).
    static var faults: Set<InjectedFault.Kind> { get }
    /// Whether CPVReference has a C kernel for this strategy here.
    static func hasCKernel(_ strategy: StrategyKind) -> Bool
    /// vCPUs of the one case a smoke or soak suite runs.
    static var representativeVCPUs: Int { get }
    /// vCPU counts the full suite sweeps.
    static var vcpuSweep: [Int] { get }
    /// Whether the hypervisor side paces its updates by `updateInterval`
    /// (and so whether the result name says the interval).
    static var usesUpdateInterval: Bool { get }
    /// Whether the hypervisor side flips `preempted` by `runDuration` and
    /// `preemptedDuration` (and so needs both above 0).
    static var usesFlipDurations: Bool { get }
    /// Whether its threads are off their CPUs by design (overcommitted
    /// vCPUs), so off-CPU time does not make a repetition disturbed.
    static var descheduledByDesign: Bool { get }
    /// This scenario's cases in a suite (strategy, layout, vCPUs, timing).
    static func cases(in suite: Suite) -> [SuiteCase]
    /// Checks what only this scenario cares about; the general checks of
    /// ``RunSettings/validate()`` have passed.
    static func validate(_ settings: RunSettings) throws(RunSettingsError)
    /// The result name of a case.
    static func name(of settings: RunSettings) -> String
    /// Runs one validated case on a planned placement.
    static func run(_ settings: RunSettings, placement: Placement, on runner: ScenarioRunner) throws -> CaseResult

    /// The command-line options that set ``Parameters``.
    static var options: [ScenarioOption] { get }
    /// Checks on the host before anything is measured (a refusal is a
    /// usage error); notes for the placement.
    static func preflight(_ settings: RunSettings, topology: Topology) throws -> [String]
    /// The cases one requested case runs as (c2c's matrix: every CPU pair;
    /// overcommit's PV sched both: on and off); itself by default.
    static func expand(_ settings: RunSettings, on topology: Topology) throws -> [RunSettings]
    /// After the rounds: what the requested cases' results add up to (lines
    /// for the terminal), with any counters it adds put into `results`.
    static func conclude(_ requested: [RunSettings], results: inout [CaseResult]) -> [String]
    /// Its plots in `pvbench report`, as data the report module draws.
    static var plots: [PlotSpec] { get }
}

/// One case of a suite, before the suite's base settings are applied.
public struct SuiteCase: Sendable, Equatable {
    public var strategy: StrategyKind = .relaxed
    public var layout: VCPULayout = .cacheline
    public var vcpus = 1
    public var seconds: Double
    public var repetitions: Int
    public var warmup: Double = 0.2
    /// ns between hypervisor updates; 0 = back to back.
    public var updateInterval: UInt64 = 0
    /// The scenario's own parameters for this case (those not set: the base's).
    public var parameters = ScenarioParameterSet()
}

extension Scenario {
    public static var options: [ScenarioOption] { [] }
    public static func preflight(_: RunSettings, topology _: Topology) throws -> [String] { [] }
    public static func expand(_ settings: RunSettings, on _: Topology) throws -> [RunSettings] { [settings] }
    public static func conclude(_: [RunSettings], results _: inout [CaseResult]) -> [String] { [] }
    public static var plots: [PlotSpec] { [] }

    /// This scenario's parameters in `settings`.
    public static func parameters(_ settings: RunSettings) -> Parameters { settings.parameters[Parameters.self] }

    public static var faults: Set<InjectedFault.Kind> { [] }
    public static func hasCKernel(_: StrategyKind) -> Bool { false }
    public static var representativeVCPUs: Int { 1 }
    public static var vcpuSweep: [Int] { [1, 4] }
    public static var usesUpdateInterval: Bool { false }
    public static var usesFlipDurations: Bool { false }
    public static var descheduledByDesign: Bool { false }

    /// The main record the guest reads, nil when there is none (c2c).
    public static var record: SharedRecordKind? { records.first }

    /// The record `strategy` runs on here, nil when it has no pair for any.
    public static func target(for strategy: StrategyKind) -> SharedRecordKind? { target(for: .builtIn(strategy)) }

    /// The record a built-in or a C file runs on here, nil when it has no pair for any.
    public static func target(for strategy: StrategyChoice) -> SharedRecordKind? {
        records.first { strategy.applies(to: $0) }
    }

    /// Strategies that have a writer/reader pair for one of the records.
    public static var strategies: [StrategyKind] { StrategyKind.allCases.filter { target(for: $0) != nil } }

    /// Strategies with a C kernel here.
    public static var cKernelStrategies: [StrategyKind] { strategies.filter(hasCKernel) }

    /// Whether the strategy's footprint fits one record slot of the layout
    /// and the slots keep its alignment (the seqlocks need 20 bytes;
    /// `packed` gives stolen-time records 16; a C file needs 64, 64-byte
    /// aligned): what ``CaseBuilder`` checks again on the addresses.
    public static func accepts(_ layout: VCPULayout, for strategy: StrategyKind) -> Bool { accepts(layout, for: .builtIn(strategy)) }

    public static func accepts(_ layout: VCPULayout, for strategy: StrategyChoice) -> Bool {
        guard let target = target(for: strategy), let type = strategy.strategyType(for: target) else { return false }
        let stride = layout.stride(for: target)
        return type.footprint <= stride && stride % type.requiredAlignment == 0
    }

    /// Smoke: the representative case briefly; full: every strategy x
    /// accepted layout x ``vcpuSweep``; default and soak: none (a scenario
    /// in the default suite says which; soak rotates ``representativeVCPUs``).
    public static func cases(in suite: Suite) -> [SuiteCase] { defaultCases(in: suite) }

    public static func defaultCases(in suite: Suite) -> [SuiteCase] {
        switch suite {
        case .smoke:
            [SuiteCase(vcpus: representativeVCPUs, seconds: 0.2, repetitions: 2, warmup: 0.05)]
        case .full:
            strategies.flatMap { strategy in
                VCPULayout.allCases.filter { accepts($0, for: strategy) }.flatMap { layout in
                    vcpuSweep.map { SuiteCase(strategy: strategy, layout: layout, vcpus: $0, seconds: 1, repetitions: 9) }
                }
            }
        case .default, .soak:
            []
        }
    }

    public static func validate(_ settings: RunSettings) throws(RunSettingsError) {
        try validateStrategyCase(settings)
    }

    /// The checks every scenario with a record makes: writers per vCPU, the
    /// strategy applies, a C kernel exists when asked for, faults only with
    /// Swift kernels, flip durations above 0 where it flips.
    public static func validateStrategyCase(_ s: RunSettings) throws(RunSettingsError) {
        guard s.writers <= s.vcpus else { throw .writersExceedVCPUs(writers: s.writers, vcpus: s.vcpus) }
        guard target(for: s.strategy) != nil else {
            guard let kind = s.strategy.builtIn else { throw cFileDoesNotApply(s.strategy.cFile!) }
            throw .strategyDoesNotApply(strategy: kind, scenario: Self.kind, record: record, valid: strategies)
        }
        if let file = s.strategy.cFile, let target = target(for: s.strategy), !accepts(s.layout, for: s.strategy) {
            throw cFileLayoutTooSmall(file, layout: s.layout, gives: s.layout.stride(for: target))
        }
        if s.implementation == .c, !(s.strategy.builtIn.map(hasCKernel) ?? false) {
            throw .noCKernel(scenario: kind, strategy: s.strategy, withC: cKernelStrategies)
        }
        if !s.faults.isEmpty, s.implementation == .c, s.faults != [.unpinnable] { throw .faultsNeedSwiftKernels }
        if usesFlipDurations, s.runDuration == 0 || s.preemptedDuration == 0 {
            throw .needsNonZero([.runDuration, .preemptedDuration], kind)
        }
    }

    /// A C file without a pair for any record this scenario's guest reads.
    static func cFileDoesNotApply(_ file: LoadedCStrategy) -> RunSettingsError {
        let pairs = records.filter { $0 != .record }.map { r in
            r == .preempted ? "pv_preempted_read/pv_preempted_write" : "pv_steal_read/pv_steal_write"
        }
        return .cFileDoesNotApply(file: file, scenario: kind, why: "it defines no \(pairs.joined(separator: " or ")) pair "
            + "(it has \(file.targets.map(\.rawValue).joined(separator: ", ")) only)")
    }

    /// A C file in a layout whose record slots are narrower than the
    /// kernel's 64-byte struct, which the file may use all of.
    static func cFileLayoutTooSmall(_ file: LoadedCStrategy, layout: VCPULayout, gives stride: Int) -> RunSettingsError {
        .cFileDoesNotApply(file: file, scenario: kind, why: "the \(layout) layout gives \(stride) bytes per record and a C file "
            + "may use all 64 of the kernel's struct (its padding, 64-byte aligned): use --layout cacheline or page")
    }

    /// `scenario/strategy/layout/vcpus:N/readers:R/writers:W[/update:T][/impl:c]`.
    public static func name(of s: RunSettings) -> String {
        var n = "\(kind)/\(s.strategy)/\(s.layout)/vcpus:\(s.vcpus)/readers:\(s.readers)/writers:\(s.writers)"
        if usesUpdateInterval, s.updateInterval > 0 { n += "/update:\(RunSettings.intervalText(s.updateInterval))" }
        if s.implementation == .c { n += "/impl:c" }
        return n
    }
}

/// A scenario whose guest reads a shared record through an ordering
/// strategy: ``run(_:placement:on:)`` builds the emulated machine and hands
/// ``runCase(_:in:)`` the concrete strategy type, so its workload and the
/// kernels it calls are specialised for it (see ``StrategyVisitor``).
protocol RecordScenario: Scenario {
    static func runCase<S: RecordStrategy>(_ strategy: S.Type, in context: CaseContext) throws -> CaseResult
}

extension RecordScenario {
    public static func run(_ settings: RunSettings, placement: Placement, on runner: ScenarioRunner) throws -> CaseResult {
        let machine = try EmulatedMachine(layout: settings.layout, vcpus: settings.vcpus,
                                          backing: NUMAMemoryBacking(nodes: placement.memoryNodes))
        let builder = CaseBuilder<Self>(runner: runner, settings: settings, placement: placement, machine: machine)
        guard let target = target(for: settings.strategy), let result = try settings.strategy.dispatch(target, to: builder) else {
            throw ScenarioError.invalidSettings("strategy \(settings.strategy) does not apply to \(kind)")
        }
        return result
    }
}
