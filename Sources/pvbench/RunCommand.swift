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
            neither, the default suite: with no --runs or --repetitions either, as 10 fresh runs of 1 repetition, \
            what scripts/bench runs). --runs K repeats the whole run in K fresh processes. Each case \
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

    @OptionGroup var c: CStrategyOptions

    @Option(help: ArgumentHelp("Record layout: \(VCPULayout.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var layout: VCPULayout = .cacheline

    @Option(help: ArgumentHelp("Guest kernel implementation: swift or c (CPVReference).", valueName: "impl"))
    var impl: Implementation = .swift

    @Option(help: "vCPUs emulated (records in the region).")
    var vcpus: Int = 1

    @OptionGroup var placement: PlacementOptions
    @OptionGroup var rounds: RoundOptions
    @OptionGroup var timing: TimingOptions

    @Option(help: ArgumentHelp("Inject a fault (repeatable): \(InjectedFault.spellings).", valueName: "fault"),
            transform: InjectedFault.argument)
    var inject: [InjectedFault] = []

    @Flag(help: "Run each case with the Swift and the C reference kernel, interleaved, and print Swift/C ratios (no --scenario: every read loop with a C kernel).")
    var compareImpl = false

    @Flag(help: "Read hardware and software counters per thread (perf_event_open) and report them per operation.")
    var perfCounters = false

    @Flag(help: "Hold the threads once pinned, print pid and thread ids for perf, start on Enter or SIGUSR1.")
    var pauseBeforeStart = false

    @OptionGroup var output: ResultOptions

    /// The scenarios' own options (``ScenarioOption``), listed in the discussion.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var scenarioOptions: [String] = []


    func validate() throws {
        if let runs = output.runs, !(1 ... 100).contains(runs) { throw ValidationError("--runs must be 1 to 100, got \(runs)") }
        if runCount > 1, suite == .soak || pauseBeforeStart { throw ValidationError("--runs goes with neither --suite soak nor --pause-before-start") }
        if suite != nil, scenario != nil { throw ValidationError("--suite and --scenario exclude each other") }
        if suite != nil, strategy.count > 1 { throw ValidationError("several --strategy options go with --scenario, not --suite") }
        if Set(strategy).count != strategy.count { throw ValidationError("--strategy names a strategy twice") }
        if let duration = rounds.duration, !(duration > 0) { throw ValidationError("--duration must be above 0, got \(duration) s") }
        guard rounds.warmup <= 3600 else { throw ValidationError("--warmup must be at most an hour, got \(rounds.warmup) s") }
        _ = try scenarioParameters()
        if compareImpl, !inject.isEmpty || !c.files.isEmpty { throw ValidationError("--compare-impl measures the built-ins' clean kernels: leave out --inject and --c") }
        _ = try output.baselineAction()
        if chosenSuite == nil, let f = inject.first(where: { !$0.scenarios.contains(scenario ?? .default) }) {
            throw ValidationError("--inject \(f.name) does nothing in \(scenario ?? .default); it applies to "
                + f.scenarios.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() throws {
        // Everything that can be refused is refused before anything is measured.
        try output.checkFiles()
        if let (action, baseline) = try output.baselineAction(), action == .compare {
            _ = try CompareCommand.load(baseline.path(), baselineName: baseline.name)
        }
        let files = try loadCStrategies()
        defer { if !c.keepCBuild { files?.removeBuildDirectories() } }
        let cases = try settings(files)
        if runCount > 1 { return try runRepeated() }
        // From here a signal is noted, not fatal: one that lands while the
        // clock calibrates still ends in a result file marked interrupted.
        let monitor: InterruptMonitor
        do { monitor = try InterruptMonitor.install { _ in } } catch { throw RuntimeError("\(error)") }
        defer { monitor.uninstall() }
        let report: RunReport
        do {
            var request = request(cases)
            if let files, !c.keepCBuild { request.beforeHangExit = files.removeBuildDirectories }
            report = try RunSession(request: request, host: try RunHost.open())
                .run(signal: { monitor.received }, note: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
        } catch { throw Self.commandLineError(error) }
        try finish(report)
    }
}
