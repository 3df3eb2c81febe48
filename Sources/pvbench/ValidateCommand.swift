import ArgumentParser
import Foundation
import PVModel
import PVRuntime
import PVResults
import PVExperiments

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Race a hypervisor writer against guest readers and report torn or backwards values per strategy.",
        discussion: """
            Each case is a strategy on one shared target (record, stolen-time, preempted) in one detector mode: \
            spec (values as KVM writes them; a value the writer never wrote is torn) or stress (values whose byte \
            mixes are invalid) or monotonic (only never-backwards). The writer and each reader are pinned to CPUs of \
            their own (default: as far apart as this machine allows). A value counts as torn only when the detector \
            names the two writes whose bytes make it up; what it cannot decide (a never-written value it cannot \
            decode as such a mix, a stress index too far away to order) makes the case "inconclusive: <reason>", \
            never a violation or a pass. Exit status 0 when every strategy that claims safety saw no violation \
            (inconclusive cases give a warning; with --strict they give exit status 2), 1 when one did; \
            split-halves and straddle are deliberately unsafe and never fail the run: they report "torn as expected" \
            or "inconclusive".
            """)

    @Option(name: .customLong("strategy"), help: ArgumentHelp(
        "Strategy to validate (repeatable; default all): \(StrategyKind.spellings).", valueName: "name"))
    var strategies: [StrategyKind] = []

    @Option(name: .customLong("record"), help: ArgumentHelp(
        "Shared target (repeatable; default all): \(SharedRecordKind.spellings).", valueName: "name"))
    var records: [SharedRecordKind] = []

    @Option(name: .customLong("mode"), help: ArgumentHelp(
        "Detector mode (repeatable; default spec and stress): \(DetectorMode.spellings).", valueName: "name"))
    var modes: [DetectorMode] = []

    @Option(help: ArgumentHelp("Seconds per case (default 1).", valueName: "seconds"))
    var duration: Double?

    @Option(help: ArgumentHelp("Reads per reader per case, instead of --duration.", valueName: "n"))
    var reads: UInt64?

    @Option(help: "Guest reader threads, each on a CPU of its own.")
    var readers: Int = 1

    /// Default: as far apart as this machine allows.
    @OptionGroup var relation: RelationOption
    @OptionGroup var memory: MemoryOption
    @OptionGroup var emitLitmus: EmitLitmusOption

    @Flag(help: "Print JSON with every count, violation and thread instead of the table.")
    var json = false

    @Flag(help: "Exit with status 2 when any case is inconclusive (and none failed).")
    var strict = false

    @Option(name: .customLong("model"), help: ArgumentHelp(
        "Memory model for the verdicts beside the race (repeatable): armv8, x86-tso, sc, lkmm (default: these four), "
            + "compiled (each program as LKMM C, and the CPVReference C kernels with the package flags, compiled by gcc/clang for arm64 and x86-64, lifted, checked: docs/compiled.md), all.",
        valueName: "model"))
    var modelNames: [String] = []

    @Flag(name: .customLong("model-only"), help: "Only the model verdicts: no race (runs on one CPU, in a few seconds).")
    var modelOnly = false

    @Flag(help: "Also print, per strategy × record, each access as C11 ordering → AArch64 → x86-64 instruction, and the verdicts.")
    var explain = false

    @Option(name: .customLong("hardware"), help: ArgumentHelp(
        "Another machine's `pvbench validate --json` output: its hardware column beside the models.", valueName: "file.json"))
    var hardwareFile: String?

    @OptionGroup var c: ValidateCOptions

    func validate() throws {
        if let duration, !(duration > 0 && duration <= 86_400) {
            throw ValidationError("--duration must be a positive number of seconds (at most a day), got \(duration)")
        }
        if duration != nil, reads != nil { throw ValidationError("give --duration or --reads, not both") }
        if let reads, reads == 0 || reads > 1_000_000_000_000 {
            throw ValidationError("--reads must be 1 ... 1000000000000, got \(reads)")
        }
        guard readers >= 1, readers <= 4096 else { throw ValidationError("--readers must be 1 ... 4096, got \(readers)") }
        for m in modelNames where m != "all" && m != "compiled" && ModelKind(rawValue: m) == nil {
            throw ValidationError("unknown model '\(m)'; valid: armv8, x86-tso, sc, lkmm, compiled, all")
        }
        if explain, json { throw ValidationError("--explain prints text: give it without --json") }
        if hardwareFile != nil, json { throw ValidationError("--hardware adds a column to the table: give it without --json") }
        if modelOnly { return }
        try relation.requireParallel("cannot tear: tearing needs true parallelism, the writer and reader on different CPUs")
    }

    func run() throws {
        if let file = c.file {
            try runCStrategy(file)
            if strategies.isEmpty { return }
        }
        let other = try hardwareFile.map(Self.hardwareColumn(path:))
        let r = request
        try emitLitmus.emit(strategies: r.strategiesOrAll, records: r.recordsOrAll, say: say)
        let progress = ProgressLine()
        let report: ValidateReport
        do throws(ValidateError) {
            defer { progress.finish() }
            report = try .run(r, modelOnly: modelOnly, started: { r.warnings.forEach(Self.warn) }, progress: progress.update)
        } catch { throw Self.commandLineError(error) }
        if json { try printJSON(report) } else {
            print(ValidateText.render(report, models: models, other: other, explain: explain ? (r.strategiesOrAll, r.recordsOrAll) : nil),
                  terminator: "")
            report.warningsFoundRunning.forEach(Self.warn)
        }
        try Self.exit(ValidateExit(report, strict: strict))
    }
}
