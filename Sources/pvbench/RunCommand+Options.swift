import ArgumentParser
import PVExperiments
import PVHost

/// How `pvbench run` measures and judges repetitions.
struct RoundOptions: ParsableArguments {
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
}

/// How the emulated hypervisor paces its updates and preemptions.
struct TimingOptions: ParsableArguments {
    /// The scenarios that read an option, for its help.
    static func scenarios(_ reads: (any Scenario.Type) -> Bool) -> String {
        ScenarioKind.allCases.filter { reads($0.type) }.map(\.rawValue).joined(separator: ", ")
    }

    @Option(help: ArgumentHelp("\(scenarios { $0.usesUpdateInterval }): time between hypervisor updates; 0 = back to back.", valueName: "time"),
            transform: { try DurationParser.nanoseconds($0, option: "--update-interval") })
    var updateInterval: UInt64 = 0

    @Option(help: ArgumentHelp("\(scenarios { $0.usesFlipDurations }): time a vCPU runs between preemptions (default 20us).", valueName: "time"),
            transform: { try DurationParser.nanoseconds($0, option: "--run-duration") })
    var runDuration: UInt64 = 20_000

    @Option(help: ArgumentHelp("\(scenarios { $0.usesFlipDurations }): time a vCPU stays preempted (default 20us).", valueName: "time"),
            transform: { try DurationParser.nanoseconds($0, option: "--preempted-duration") })
    var preemptedDuration: UInt64 = 20_000
}

/// What `pvbench run` writes and compares.
struct ResultOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write results as google-benchmark JSON to FILE.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write results as CSV to FILE.", valueName: "file"))
    var csv: String?

    @Flag(help: "Overwrite existing --json/--csv files.")
    var force = false

    @Option(help: ArgumentHelp("Repeat the whole run K times, each in a fresh process, into one result file that records each run (run_id, context.runs): `compare` then tests across runs (default 1; `pvbench run` with no suite, scenario, --runs or --repetitions: the default suite as 10 runs of 1 repetition).", valueName: "K"))
    var runs: Int?

    @Flag(help: "Full case names in the table (default: without the segments every default case has, within 120 columns).")
    var wide = false

    @Option(parsing: .upToNextOption, help: ArgumentHelp("save NAME: keep the results as baseline NAME (.pvbench-baselines/NAME.json); compare NAME: compare them with it (exit 1 when a case got slower).", valueName: "save|compare> <name"))
    var baseline: [String] = []
}

extension InjectedFault {
    /// For `--inject`: the fault, or a message listing the spellings.
    static func argument(_ text: String) throws -> InjectedFault {
        guard let fault = parse(text) else {
            throw ValidationError("--inject '\(text)' is not a fault; valid: \(spellings)")
        }
        return fault
    }
}
