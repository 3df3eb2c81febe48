import ArgumentParser
import Foundation
import PVModel
import PVRuntime
import PVHost
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
        "Strategy to validate (repeatable; default all): \(StrategyKind.allCases.map(\.rawValue).joined(separator: ", ")).",
        valueName: "name"))
    var strategies: [StrategyKind] = []

    @Option(name: .customLong("record"), help: ArgumentHelp(
        "Shared target (repeatable; default all): \(SharedRecordKind.allCases.map(\.rawValue).joined(separator: ", ")).",
        valueName: "name"))
    var records: [SharedRecordKind] = []

    @Option(name: .customLong("mode"), help: ArgumentHelp(
        "Detector mode (repeatable; default spec and stress): \(DetectorMode.allCases.map(\.rawValue).joined(separator: ", ")).",
        valueName: "name"))
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
        "Memory model for the verdicts beside the race (repeatable; default all): armv8, x86-tso, sc, all.", valueName: "model"))
    var modelNames: [String] = []

    @Flag(name: .customLong("model-only"), help: "Only the model verdicts: no race (runs on one CPU, in well under a second).")
    var modelOnly = false

    @Flag(help: "Also print, per strategy × record, each access as C11 ordering → AArch64 → x86-64 instruction, and the verdicts.")
    var explain = false

    @Option(name: .customLong("hardware"), help: ArgumentHelp(
        "Another machine's `pvbench validate --json` output: its hardware column beside the models.", valueName: "file.json"))
    var hardwareFile: String?

    var models: [ModelKind] {
        if modelNames.isEmpty || modelNames.contains("all") { return StrategyModel.models }
        return StrategyModel.models.filter { modelNames.contains($0.rawValue) }
    }

    func validate() throws {
        if let duration, !(duration > 0 && duration <= 86_400) {
            throw ValidationError("--duration must be a positive number of seconds (at most a day), got \(duration)")
        }
        if duration != nil, reads != nil { throw ValidationError("give --duration or --reads, not both") }
        if let reads, reads == 0 || reads > 1_000_000_000_000 {
            throw ValidationError("--reads must be 1 ... 1000000000000, got \(reads)")
        }
        guard readers >= 1, readers <= 4096 else { throw ValidationError("--readers must be 1 ... 4096, got \(readers)") }
        for m in modelNames where m != "all" && ModelKind(rawValue: m) == nil {
            throw ValidationError("unknown model '\(m)'; valid: armv8, x86-tso, sc, all")
        }
        if explain, json { throw ValidationError("--explain prints text: give it without --json") }
        if hardwareFile != nil, json { throw ValidationError("--hardware adds a column to the table: give it without --json") }
        if modelOnly { return }
        try relation.requireParallel("cannot tear: tearing needs true parallelism, the writer and reader on different CPUs")
    }

    var cases: [ValidationCase] {
        let s = strategies.isEmpty ? StrategyKind.allCases : strategies
        let t = records.isEmpty ? SharedRecordKind.allCases : records
        let m = modes.isEmpty ? [DetectorMode.spec, .stress] : modes
        // Unasked-for cases that cannot show a tear by construction are left
        // out; asked for by name, they run and say why they are inconclusive.
        return ValidationCase.all(strategies: s, targets: t, modes: m, onlyVisible: strategies.isEmpty || modes.isEmpty)
    }

    struct Report: Encodable {
        let placement: Placement
        let budget: String
        let clock: String
        let cases: [ValidationCaseResult]
        let models: [StrategyVerdict]
        let machine: ValidationMachine
        let lostUpdates: [LostUpdateCaseResult]
        let failed: [String]
        let warnings: [ValidationWarning]
    }

    /// `--model-only --json`: the full report's model fields, without a race.
    struct ModelOnlyReport: Encodable {
        let models: [StrategyVerdict]
        let machine: ValidationMachine
        let lostUpdates: [LostUpdateCaseResult]
    }

    /// Every strategy × record asked for, under the selected models.
    var modelVerdicts: [StrategyVerdict] {
        let s = strategies.isEmpty ? StrategyKind.allCases : strategies
        let t = records.isEmpty ? SharedRecordKind.allCases : records
        return s.flatMap { k in t.filter(k.applies(to:)).flatMap { StrategyModel.check(k, $0, models: models) } }
    }

    func run() throws {
        let other = try hardwareFile.map(HardwareColumn.load(path:))
        try emitLitmus.emit(strategies: strategies.isEmpty ? StrategyKind.allCases : strategies,
                            records: records.isEmpty ? SharedRecordKind.allCases : records,
                            say: { json ? writeStandardError(Data("pvbench: \($0)\n".utf8)) : print($0) })
        if modelOnly {
            let verdicts = modelVerdicts
            guard !verdicts.isEmpty else {
                throw ValidationError("no strategy given applies to the records given; see `pvbench validate --help` for which apply to which")
            }
            let lost = try lostUpdates(placement: nil)
            if json { try printJSON(ModelOnlyReport(models: verdicts, machine: .current, lostUpdates: lost)) } else {
                printModels(verdicts, hardware: other.map { [$0] } ?? [HardwareColumn(title: "hardware here", results: [])])
                if explain { printExplanation(verdicts) }
                printLostUpdates(lost)
            }
            try exitForLostUpdates(lost)
            try exitForModels(verdicts)
            return
        }
        let cases = self.cases
        guard !cases.isEmpty else {
            throw ValidationError("no strategy given applies to the records given; see `pvbench validate --help` for which apply to which")
        }
        let budget: ValidationBudget = reads.map { .reads($0) } ?? .duration(seconds: duration ?? 1)
        var warnings: [ValidationWarning] = []
        if let reads, reads < ValidationBudget.meaningfulReads { warnings.append(.fewReadsAsked(reads)) }
        let request = PlacementRequest(writers: 1, readers: readers, relation: relation.relation ?? .farthest,
                                       memory: memory.memory)
        let runner: ValidationRunner
        let clock: CycleClock
        do {
            let plan = try PlacementPlanner.plan(request, on: try Topology.live())
            clock = try CycleClock.calibrate(windows: 3)
            runner = try ValidationRunner(placement: plan, budget: budget, clock: clock.conversion)
        } catch let error as ValidationSetupError {
            throw ValidationError(error.description)
        } catch {
            throw RuntimeError(commandLineMessage(error))
        }
        for w in warnings { writeStandardError(Data("pvbench: warning: \(w)\n".utf8)) }

        let progress = ProgressLine()
        var results: [ValidationCaseResult] = []
        for (i, c) in cases.enumerated() {
            let label = "validate \(i + 1)/\(cases.count) \(c)"
            let result: ValidationCaseResult
            do {
                result = try runner.run(c) { reads, seconds in
                    progress.update("\(label): \(reads) reads, \(String(format: "%.1f", seconds)) s")
                }
            } catch {
                progress.finish()
                throw RuntimeError("\(c): \(error)")
            }
            results.append(result)
            let perReader = result.readers.map(\.counts.reads).min() ?? 0
            if case .duration = budget, perReader < ValidationBudget.meaningfulReads {
                warnings.append(.fewReadsMade(c, perReader: perReader))
            }
        }
        progress.finish()
        let failed = results.filter { $0.verdict == .fail }
        let verdicts = modelVerdicts
        let lost = try lostUpdates(placement: runner.placement)

        if json {
            try printJSON(Report(placement: runner.placement, budget: budget.description, clock: clock.name,
                                 cases: results, models: verdicts, machine: .current, lostUpdates: lost,
                                 failed: failed.map(\.validationCase.description), warnings: warnings))
        } else {
            printText(results, placement: runner.placement, budget: budget)
            print()
            printModels(verdicts, hardware: [HardwareColumn(title: "hardware here", results: results)] + (other.map { [$0] } ?? []))
            if explain { printExplanation(verdicts) }
            printLostUpdates(lost)
            for w in warnings where !w.isKnownBeforeRunning { writeStandardError(Data("pvbench: warning: \(w)\n".utf8)) }
        }
        let inconclusive = results.filter { $0.verdict == .inconclusive }
        if !inconclusive.isEmpty {
            let names = inconclusive.map(\.validationCase.description)
            writeStandardError(Data(
                "pvbench: warning: \(inconclusive.count) case(s) inconclusive (see their reasons): \(names.joined(separator: ", "))\n".utf8))
        }
        if !failed.isEmpty {
            let what = failed.map { r in
                "\(r.validationCase) (\(r.firstViolation.map { "\($0.kind) value \($0.observed.hexBytes)" } ?? "violation"))"
            }
            throw RuntimeError("a strategy that claims safety showed violations: \(what.joined(separator: "; "))")
        }
        try exitForLostUpdates(lost)
        try exitForModels(verdicts)
        if strict, !inconclusive.isEmpty {
            writeStandardError(Data("pvbench: error: --strict: \(inconclusive.count) case(s) inconclusive\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Exit status 1 when a model a strategy claims allows it to fail;
    /// `not modelled` is a warning (with --strict, exit status 2), never a pass.
    func exitForModels(_ verdicts: [StrategyVerdict]) throws {
        let violated = verdicts.filter(\.violatesClaim)
        if !violated.isEmpty {
            throw RuntimeError("a model a strategy claims allows it to fail: "
                + violated.map { "\($0.strategy)/\($0.record) \($0.question) under \($0.model)" }.joined(separator: "; "))
        }
        let undecided = Set(verdicts.filter { $0.verdict == .notModelled }.map { "\($0.strategy)/\($0.record)" }).sorted()
        if !undecided.isEmpty {
            writeStandardError(Data("pvbench: warning: not modelled (no model verdict): \(undecided.joined(separator: ", "))\n".utf8))
            if strict { throw ExitCode(2) }
        }
    }

    /// The model table: per strategy × record × question, each model's verdict
    /// (an allowed failure the strategy claims is marked), the hardware beside.
    func printModels(_ verdicts: [StrategyVerdict], hardware: [HardwareColumn]) {
        let models = self.models
        var rows: [[String]] = []
        var keys: [String] = []
        var byKey: [String: [StrategyVerdict]] = [:]
        for v in verdicts {
            let key = "\(v.strategy)/\(v.record)/\(v.question.rawValue)"
            if byKey[key] == nil { keys.append(key) }
            byKey[key, default: []].append(v)
        }
        for key in keys {
            let vs = byKey[key]!
            let first = vs[0]
            let cells = models.map { m -> String in
                guard let v = vs.first(where: { $0.model == m }) else { return "-" }
                return v.cell
            }
            let hw = hardware.map { first.question == .torn ? $0.rows["\(first.strategy)/\(first.record)"] ?? "-" : "-" }
            rows.append(["\(first.strategy)/\(first.record)", first.question.rawValue] + cells + hw)
        }
        print(formatTable(["strategy/record", "can the reader see"] + models.map(\.title) + hardware.map(\.title), rows))
        for v in verdicts where v.witness != nil && v.model == models.first(where: { m in verdicts.contains { $0.strategy == v.strategy && $0.record == v.record && $0.question == v.question && $0.model == m && $0.witness != nil } }) {
            print()
            print("witness: \(v.strategy)/\(v.record) \(v.question.rawValue), allowed under \(v.model):")
            print(v.witness!, terminator: "")
        }
        let reasons = Set(verdicts.compactMap(\.remark)).sorted()
        if !reasons.isEmpty { print() }
        for r in reasons { print(r) }
    }

    func printText(_ results: [ValidationCaseResult], placement: Placement, budget: ValidationBudget) {
        print("writer on CPU \(placement.writerCPUs.map(String.init).joined(separator: ",")), "
            + "reader(s) on CPU \(placement.readerCPUs.map(String.init).joined(separator: ",")) (\(placement.relation)); "
            + "memory on node \(placement.memoryNodes.map(String.init).joined(separator: ",")); \(budget)")
        print()
        let rows = results.map { r -> [String] in
            let t = r.total
            let ttf = r.timeToFirstViolationNanoseconds.map { formatNanoseconds($0) } ?? "-"
            return [r.validationCase.description, "\(t.reads)", "\(t.torn)", "\(t.backwards)", "\(t.retries)", "\(r.writes)", ttf,
                    r.verdict.rawValue]
        }
        print(formatTable(["case", "reads", "torn", "backwards", "retries", "writes", "first violation", "verdict"], rows))
        print()
        for r in results { print(r.observation) }
        let undecided = results.filter { $0.inconclusiveReason != nil }
        if !undecided.isEmpty { print() }
        for r in undecided { print("\(r.validationCase): \(r.verdictText)") }
        let explained = results.filter { $0.firstViolation != nil }
        if !explained.isEmpty { print() }
        for r in explained {
            guard let v = r.firstViolation else { continue }
            var line = "\(r.validationCase): first \(v.kind) value at read \(v.readNumber): \(v.observed.hexBytes)"
            if let m = v.mixed {
                line += m.explainsEveryByte ? " = bytes of writes \(m.first) [\(m.firstBytes.hexBytes)] and \(m.second) [\(m.secondBytes.hexBytes)]"
                    : " (nearest writes \(m.first) [\(m.firstBytes.hexBytes)] and \(m.second) [\(m.secondBytes.hexBytes)])"
            } else {
                line += "; previous \(v.previous.hexBytes)"
            }
            print(line)
        }
    }
}


/// "850 ns", "12.3 µs", "4.56 ms", "1.23 s".
func formatNanoseconds(_ ns: UInt64) -> String {
    switch ns {
    case ..<1_000: "\(ns) ns"
    case ..<1_000_000: String(format: "%.1f µs", Double(ns) / 1e3)
    case ..<1_000_000_000: String(format: "%.2f ms", Double(ns) / 1e6)
    default: String(format: "%.2f s", Double(ns) / 1e9)
    }
}

/// Writes one diagnostic line to stderr after whatever stdout holds, so the
/// two never interleave mid-line on a terminal or in a shared log.
func writeStandardError(_ data: Data) {
    fflush(nil)  // every output stream, stdout among them
    FileHandle.standardError.write(data)
}
