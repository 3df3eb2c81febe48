import ArgumentParser
import Foundation
import PVRuntime
import PVHost
import PVResults
import PVExperiments
import PVRecords

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run hypervisor/guest scenarios on pinned threads and measure the guest's hot paths.",
        discussion: """
            One case (--scenario, --strategy, --layout, …) or a named suite (--suite smoke|default|full|soak; with \
            neither, the default suite). --runs K repeats the whole run in K fresh processes. Each case \
            warms up, then runs --repetitions measured repetitions of --duration and reports the median with its \
            spread. Every read also goes through the torn-read detector (counts only): a strategy that claims \
            safety and shows a torn or backwards value makes the exit status 1. Ctrl-C stops the threads, writes \
            what was measured marked "interrupted": true, and exits 130 (143 for SIGTERM). `pvbench list` shows \
            the scenarios, strategies, layouts and suites.

            Options a scenario owns (ignored by the others):
            """ + "\n" + ScenarioOption.helpText)

    @Option(help: ArgumentHelp("A named set of cases: \(Suite.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var suite: Suite?

    @Option(help: ArgumentHelp("Scenario: \(ScenarioKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var scenario: ScenarioKind?

    @Option(help: ArgumentHelp("Ordering strategy (see `pvbench list`); repeat it to run several side by side in interleaved rounds, with per-round ratios to the first.", valueName: "name"))
    var strategy: [StrategyKind] = []

    @Option(help: ArgumentHelp("Record layout: \(VCPULayout.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var layout: VCPULayout = .cacheline

    @Option(help: ArgumentHelp("Guest kernel implementation: swift or c (CPVReference).", valueName: "impl"))
    var impl: Implementation = .swift

    @Option(help: "vCPUs emulated (records in the region).")
    var vcpus: Int = 1

    @Option(help: "Guest reader threads.")
    var readers: Int = 1

    @Option(help: "Hypervisor writer threads.")
    var writers: Int = 1

    @OptionGroup var relation: RelationOption
    @OptionGroup var memory: MemoryOption
    @OptionGroup var cpus: CPUChoiceOptions

    @Option(help: ArgumentHelp("Measured time per repetition, e.g. 2s, 500ms (default 300ms; a suite's own otherwise).", valueName: "time"),
            transform: { try DurationParser.seconds($0, option: "--duration") })
    var duration: Double?

    @Option(help: ArgumentHelp("Warm-up before each repetition (default 50ms).", valueName: "time"),
            transform: { try DurationParser.seconds($0, option: "--warmup") })
    var warmup: Double = 0.05

    @Option(help: "Measured repetitions per case, one per round (default 9; a suite's own otherwise).")
    var repetitions: Int?

    @Option(help: ArgumentHelp("A repetition whose measured threads were disturbed: retry (run again, up to as many extra as --repetitions), keep, or drop (left out of the aggregates; the JSON keeps it, flagged).", valueName: "policy"))
    var disturbed: DisturbedPolicy = .retry

    @Option(help: ArgumentHelp("Off-CPU time of a measured thread, as a share of the measured window, above the idle floor, beyond which a repetition is disturbed (default 1%).", valueName: "percent"),
            transform: { try PercentParser.fraction($0, option: "--disturbance-limit") })
    var disturbanceLimit: Double = 0.01

    @Option(help: ArgumentHelp("The off-CPU share a pinned thread has here at rest, above which --disturbance-limit is judged: auto (measured before the run as a repetition is: a thread spinning on each CPU the run uses, 5 windows as long as the cases'), or a percentage (0: judged from zero).", valueName: "auto|percent"),
            transform: { try IdleFloorChoice.parse($0) })
    var idleFloor: IdleFloorChoice = .auto

    @Option(help: ArgumentHelp("Seed of the per-round case order (default: from the clock; recorded in the results).", valueName: "n"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("steal-clock, idle-scan: time between hypervisor updates; 0 = back to back.", valueName: "time"),
            transform: { try DurationParser.nanoseconds($0, option: "--update-interval") })
    var updateInterval: UInt64 = 0

    @Option(help: ArgumentHelp("preempt-poll, spin-on-owner: time a vCPU runs between preemptions (default 20us).", valueName: "time"),
            transform: { try DurationParser.nanoseconds($0, option: "--run-duration") })
    var runDuration: UInt64 = 20_000

    @Option(help: ArgumentHelp("preempt-poll, spin-on-owner: time a vCPU stays preempted (default 20us).", valueName: "time"),
            transform: { try DurationParser.nanoseconds($0, option: "--preempted-duration") })
    var preemptedDuration: UInt64 = 20_000

    @Option(help: ArgumentHelp("Inject a fault (repeatable): \(InjectedFault.spellings).", valueName: "fault"),
            transform: InjectedFault.argument)
    var inject: [InjectedFault] = []

    @Flag(help: "Run each case with the Swift and the C reference kernel, interleaved, and print Swift/C ratios (no --scenario: every read loop with a C kernel).")
    var compareImpl = false

    @Flag(help: "Read hardware and software counters per thread (perf_event_open) and report them per operation.")
    var perfCounters = false

    @Flag(help: "Hold the threads once pinned, print pid and thread ids for perf, start on Enter or SIGUSR1.")
    var pauseBeforeStart = false

    @Option(help: ArgumentHelp("Write results as google-benchmark JSON to FILE.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write results as CSV to FILE.", valueName: "file"))
    var csv: String?

    @Flag(help: "Overwrite existing --json/--csv files.")
    var force = false

    @Option(help: ArgumentHelp("Repeat the whole run K times, each in a fresh process, into one result file that records each run (run_id, context.runs): `compare` then tests across runs (default 1).", valueName: "K"))
    var runs: Int = 1

    @Flag(help: "Full case names in the table (default: without the segments every default case has, within 120 columns).")
    var wide = false

    /// The scenarios' own options (``ScenarioOption``), listed in the discussion.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var scenarioOptions: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("save NAME: keep the results as baseline NAME (.pvbench-baselines/NAME.json); compare NAME: compare them with it (exit 1 when a case got slower).", valueName: "save|compare> <name"))
    var baseline: [String] = []

    func validate() throws {
        guard (1 ... 100).contains(runs) else { throw ValidationError("--runs must be 1 to 100, got \(runs)") }
        if runs > 1, suite == .soak || pauseBeforeStart { throw ValidationError("--runs goes with neither --suite soak nor --pause-before-start") }
        if suite != nil, scenario != nil { throw ValidationError("--suite and --scenario exclude each other") }
        if suite != nil, strategy.count > 1 { throw ValidationError("several --strategy options go with --scenario, not --suite") }
        if Set(strategy).count != strategy.count { throw ValidationError("--strategy names a strategy twice") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be above 0, got \(duration) s") }
        guard warmup <= 3600 else { throw ValidationError("--warmup must be at most an hour, got \(warmup) s") }
        _ = try scenarioParameters()
        if compareImpl, !inject.isEmpty { throw ValidationError("--compare-impl measures clean kernels: leave out --inject") }
        _ = try baselineAction()
        if chosenSuite == nil, let f = inject.first(where: { !$0.scenarios.contains(scenario ?? .stealClock) }) {
            throw ValidationError("--inject \(f.name) does nothing in \(scenario ?? .stealClock); it applies to "
                + f.scenarios.map(\.rawValue).joined(separator: ", "))
        }
    }

    /// The suite to run: the one named, else the default suite when no
    /// scenario is named (`pvbench run` alone runs what `scripts/bench` runs).
    var chosenSuite: Suite? { suite ?? (scenario == nil && !compareImpl ? .default : nil) }

    /// The one case the options describe (a suite's base).
    var base: RunSettings {
        var request = PlacementRequest(relation: relation.relation ?? .auto, memory: memory.memory, oversubscribe: cpus.oversubscribe)
        request.writerCPUs = cpus.writerCPUs
        request.readerCPUs = cpus.readerCPUs
        var base = RunSettings(
            scenario: scenario ?? .stealClock, strategy: strategy.first ?? .relaxed, layout: layout, implementation: impl, vcpus: vcpus,
            readers: readers, writers: writers, placement: request, duration: duration ?? 0.3, warmup: warmup,
            repetitions: repetitions ?? 9, updateInterval: updateInterval, runDuration: runDuration,
            preemptedDuration: preemptedDuration)
        base.warmup = min(base.warmup, max(base.duration, 0.01))
        base.faults = inject
        base.parameters = (try? scenarioParameters()) ?? ScenarioParameterSet()
        return base
    }

    /// The scenarios' own options, read.
    func scenarioParameters() throws -> ScenarioParameterSet {
        var parameters = ScenarioParameterSet()
        do { try ScenarioOption.parse(scenarioOptions, chosen: scenario, into: &parameters) } catch { throw ValidationError(error.description) }
        return parameters
    }

    /// The case(s) this invocation asks for, each validated.
    func settings() throws -> [RunSettings] {
        var cases: [RunSettings]
        if let suite = chosenSuite {
            cases = suite.cases(base: base, duration: duration, repetitions: repetitions)
        } else if compareImpl, scenario == nil {
            cases = ImplementationComparison.defaultCases(base: base)
        } else {
            cases = strategy.count > 1 ? strategy.map { var s = base; s.strategy = $0; return s } : [base]
        }
        if compareImpl {
            cases = cases.filter { $0.scenario.implementations(for: $0.strategy).contains(.c) }
            guard !cases.isEmpty else {
                let withC = ScenarioKind.allCases.filter { !$0.type.cKernelStrategies.isEmpty }.map {
                    "\($0) (\($0.type.cKernelStrategies.map(\.rawValue).joined(separator: ", ")))"
                }
                throw ValidationError("--compare-impl: no C kernel for these cases; C kernels exist for "
                    + withC.joined(separator: ", "))
            }
        }
        for c in cases {
            do { try c.validate() } catch { throw ValidationError(error.commandLineMessage) }
        }
        return cases
    }

    func run() throws {
        // Everything that can be refused is refused before anything is measured.
        var cases = try settings()
        try checkOutputFiles()
        if let (action, baseline) = try baselineAction(), action == .compare {
            _ = try CompareCommand.load(baseline.path(), baselineName: baseline.name)
        }
        if runs > 1 { return try runRepeated() }
        // From here a signal is noted, not fatal: one that lands while the
        // clock calibrates still ends in a result file marked interrupted.
        let monitor: InterruptMonitor
        do { monitor = try InterruptMonitor.install { _ in } } catch { throw RuntimeError("\(error)") }
        defer { monitor.uninstall() }
        let host = try RunHost.open()
        let requested = cases
        do { cases = try cases.flatMap { try $0.scenario.type.expand($0, on: host.topology) } } catch { throw RuntimeError("\(error)") }
        var usedCPUs = Set<Int>()
        for settings in cases {
            var request = settings.placement
            request.writers = settings.writers
            request.readers = settings.readers
            do {
                let plan = try PlacementPlanner.plan(request, on: host.topology)
                usedCPUs.formUnion(plan.writerCPUs + plan.readerCPUs)
            } catch {
                throw ValidationError("\(settings.name): \(commandLineMessage(error))")
            }
            do { _ = try settings.scenario.type.preflight(settings, topology: host.topology) } catch {
                throw ValidationError("\(settings.name): \(error)")
            }
        }
        var runner = ScenarioRunner(topology: host.topology, clock: host.clock, isInterrupted: { monitor.received != nil })
        runner.pauseBeforeStart = pauseBeforeStart
        let floor = try measuredIdleFloor(cpus: usedCPUs, cases: cases, runner: runner)
        runner.disturbanceRule = DisturbanceRule(offCPUFraction: disturbanceLimit, floor: floor?.fraction ?? idleFloorGiven)
        runner.disturbedPolicy = disturbed
        if perfCounters {
            runner.perfEvents = PerfEvent.allCases
            FileHandle.standardError.write(Data((PerfCounters.probe().summaryLines.joined(separator: "\n") + "\n").utf8))
        }
        let overhead = HarnessOverheadProbe.measure(clock: host.clock)
        let outcome = try measure(cases, requested: requested, on: runner, probeCPUs: usedCPUs.sorted(), stopped: { monitor.received != nil })
        let context = resultContext(outcome, host: host, overhead: overhead, signal: monitor.received,
                                    rule: runner.disturbanceRule, floor: floor)
        var file = ResultFile(context: context, benchmarks: outcome.results.flatMap(\.entries))
        file.context.placementClasses = PlacementSummary(file)
        try write(file)
        printSummary(outcome, context: file.context, host: host, overhead: overhead)
        let baselineStatus = monitor.received == nil ? try baselineStep(file) : 0
        try exitStatus(outcome, signal: monitor.received)
        if baselineStatus != 0 { Foundation.exit(baselineStatus) }
    }
}

extension RunCommand {
    enum BaselineAction: String { case save, compare }

    /// `--baseline save|compare NAME`, checked; nil without it.
    func baselineAction() throws -> (BaselineAction, Baseline)? {
        guard !baseline.isEmpty else { return nil }
        guard baseline.count == 2, let action = BaselineAction(rawValue: baseline[0]) else {
            throw ValidationError("--baseline takes two values, save NAME or compare NAME; got '\(baseline.joined(separator: " "))'")
        }
        do { return (action, try Baseline(name: baseline[1])) } catch { throw ValidationError("--baseline: \(error)") }
    }

    /// Saves the run as the baseline, or compares it with the baseline and
    /// prints the comparison; the comparison's exit status (1: something got slower).
    func baselineStep(_ file: ResultFile) throws -> Int32 {
        guard let (action, baseline) = try baselineAction() else { return 0 }
        let path = baseline.path()
        if action == .save {
            do {
                try ReportGenerator.makeDirectory(Baseline.directory)
                try ResultFileWriter().write(try file.jsonData(), to: path, overwrite: true)
            } catch { throw RuntimeError("baseline \(baseline.name): \(error)") }
            print("saved baseline \(baseline.name) (\(path))")
            return 0
        }
        print()
        let old = try CompareCommand.load(path, baselineName: baseline.name)
        let this: ReportInput
        do { this = try ReportInput.parse(Array(try file.jsonData()), path: "this run") } catch { throw RuntimeError("\(error)") }
        if RunComparison.holdsSeveralRuns([old, this]) {
            return try CompareCommand.compareRuns(old: [old], new: [this], options: RunComparison.Options(), format: .text, wide: wide)
        }
        return try CompareCommand.compare(old: old, new: this, options: Comparison.Options(), format: .text)
    }
}

extension RunSettings.Field {
    /// The `pvbench run` option that sets this field.
    var flag: String { "--" + rawValue.replacingOccurrences(of: " ", with: "-") }
}

extension RunSettingsError {
    /// The message with the settings named by their `pvbench run` options.
    var commandLineMessage: String {
        switch self {
        case .noCKernel: "--impl c: " + message { $0.flag }
        case .faultsNeedSwiftKernels: "--inject works with the Swift kernels (--impl swift): the C reference kernels have no fault hooks"
        default: message { $0.flag }
        }
    }
}

#if DEBUG
let buildFlags = ["-Onone"]
#else
let buildFlags = ["-O", "-enforce-exclusivity=unchecked"]
#endif
