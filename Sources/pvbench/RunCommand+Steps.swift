import ArgumentParser
import Foundation
import PVExperiments
import PVHost
import PVResults
import PVRecords

/// The machine a run measures on: its topology and calibrated clock.
struct RunHost {
    let topology: Topology
    let clock: CycleClock

    static func open() throws -> RunHost {
        do { return RunHost(topology: try Topology.live(), clock: try CycleClock.calibrate()) } catch {
            throw RuntimeError("\(error)")
        }
    }
}

/// What the cases measured.
struct RunOutcome {
    var results: [CaseResult] = []
    var comparisons: [ImplementationComparison] = []
    var pvSchedComparisons: [OvercommitComparison] = []
    var soakTable: String?
    /// The per-round case order and its seed (nil for a soak).
    var rounds: [[Int]] = []
    var probes: [Double?] = []
    var seed: UInt64 = 0

    /// perf counters asked for but not read, each reason once.
    var perfUnavailable: [String] {
        results.flatMap(\.perfUnavailable).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    /// Cases whose strategy claims safety yet showed a torn or backwards value.
    var unsafe: [CaseResult] {
        results.filter { $0.settings.target != nil && $0.settings.strategy.claimsSafety && $0.violations.violations > 0 }
    }
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

extension RunCommand {
    /// Refuses an existing --json/--csv file (without --force) or an
    /// unwritable directory before anything runs.
    func checkOutputFiles() throws {
        for path in [json, csv].compactMap({ $0 }) {
            if !force, FileManager.default.fileExists(atPath: path) {
                throw ValidationError("'\(path)' already exists; pass --force to replace it")
            }
            let dir = (path as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir.isEmpty ? "." : dir, isDirectory: &isDirectory),
                  isDirectory.boolValue, access(dir.isEmpty ? "." : dir, W_OK) == 0
            else { throw RuntimeError("cannot write \(path): \(dir.isEmpty ? "." : dir) is not a writable directory") }
        }
    }

    /// `--matrix`: the c2c case on every ordered pair of usable CPUs.
    func c2cMatrix(_ c2c: RunSettings, on topology: Topology) throws -> [RunSettings] {
        let cpus = topology.usableCPUs
        let cases = cpus.flatMap { a in cpus.filter { $0 != a }.map { b in
            var c = c2c
            c.placement.writerCPUs = [a]
            c.placement.readerCPUs = [b]
            return c
        } }
        guard !cases.isEmpty else { throw RuntimeError("--matrix needs at least two usable CPUs; usable here: \(cpus)") }
        return cases
    }

    /// Runs the cases (or the soak rotation), with a progress line, until
    /// done or `stopped`.
    func measure(_ cases: [RunSettings], on runner: ScenarioRunner, probeCPUs: [Int] = [], stopped: () -> Bool) throws -> RunOutcome {
        let progress = ProgressLine()
        defer { progress.finish() }
        var outcome = RunOutcome()
        if suite == .soak {
            do { outcome.results = try SoakRun(base: base, total: duration ?? 600).run(on: runner) { progress.update($0) } } catch {
                throw RuntimeError("soak: \(error)")
            }
            outcome.soakTable = SoakRun.driftTable(outcome.results)
            return outcome
        }
        // One repetition of every case per round, in a seeded order; with
        // --compare-impl each case runs as a Swift and a C case in the rounds.
        let seed = self.seed ?? UInt64(truncatingIfNeeded: DispatchTime.now().uptimeNanoseconds) ^ 0x5EED
        let runs = compareImpl ? cases.flatMap { c -> [RunSettings] in
            var swift = c, ck = c
            swift.implementation = .swift
            ck.implementation = .c
            return [swift, ck]
        } : cases.flatMap(OvercommitComparison.expand)
        var rounds = RoundRunner(runner: runner, seed: seed, policy: disturbed)
        if probeCPUs.count > 1 { rounds.placementProbe = { runner.placementProbe(cpus: probeCPUs) } }
        let done: RoundRunner.Outcome
        do {
            done = try rounds.run(runs, progress: { progress.update($0) }, stopped: stopped)
        } catch let error as PlacementError {
            throw ValidationError(commandLineMessage(error))
        } catch {
            throw RuntimeError("\(error)")
        }
        outcome.results = done.results
        outcome.rounds = done.rounds
        outcome.probes = done.probes
        outcome.seed = seed
        outcome.pvSchedComparisons = OvercommitComparison.pairs(cases, in: done.results)
        for c in outcome.pvSchedComparisons {
            // The `on` rows carry the ratio into the result file.
            if let i = outcome.results.firstIndex(where: { $0.settings.name == c.on.settings.name }) { outcome.results[i] = c.on }
        }
        if compareImpl {
            let byName = Dictionary(done.results.map { ($0.settings.name, $0) }, uniquingKeysWith: { a, _ in a })
            for pair in stride(from: 0, to: runs.count - 1, by: 2) {
                guard let s = byName[runs[pair].name], let c = byName[runs[pair + 1].name] else { continue }
                outcome.comparisons.append(ImplementationComparison(swift: s, c: c))
            }
        }
        return outcome
    }

    /// The `--idle-floor` given (0 when auto).
    var idleFloorGiven: Double {
        if case let .given(f) = idleFloor { f } else { 0 }
    }

    /// With `--idle-floor auto`, the floor measured on `cpus` (those the
    /// run's placements use) by `runner`, in windows as long as the cases'
    /// (the median of their durations and warm-ups); nil when a floor was given.
    func measuredIdleFloor(cpus: Set<Int>, cases: [RunSettings], runner: ScenarioRunner) throws -> IdleFloor? {
        guard idleFloor == .auto, !cpus.isEmpty, !cases.isEmpty else { return nil }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        do {
            return try runner.measureIdleFloor(cpus: cpus.sorted(), duration: median(cases.map(\.duration)),
                                               warmup: median(cases.map(\.warmup)))
        } catch {
            throw RuntimeError("idle floor: \(error) (give --idle-floor 0 to judge off-CPU time from zero)")
        }
    }

    /// The result file's context: host, topology, placement, clock, faults, warnings.
    func resultContext(_ outcome: RunOutcome, host: RunHost, overhead: HarnessOverhead, signal: InterruptSignal?,
                       rule: DisturbanceRule, floor: IdleFloor?) -> ResultContext {
        var context = HostDescription.collect().context(pvbenchVersion: pvbenchVersion, build: .current(flags: buildFlags))
        context.topology = TopologyRecord(host.topology)
        context.command = CommandLine.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        if let first = outcome.results.first { context.placement = PlacementRecord(first.placement, threads: first.threads) }
        context.clock = host.clock.clockDescription
        context.numaNote = host.topology.numaNote
        context.harnessOverhead = overhead
        if !outcome.rounds.isEmpty {
            context.rounds = RoundsRecord(seed: outcome.seed, rounds: outcome.rounds.count, disturbedPolicy: disturbed.rawValue,
                                          offCPUFraction: rule.offCPUFraction, rule: rule.description, idleFloor: floor)
            if outcome.probes.contains(where: { $0 != nil }) { context.rounds?.placementProbes = outcome.probes }
        }
        context.injectedFaults = inject.map(\.record)
        context.figures = Dictionary(outcome.results.map { ($0.settings.scenario.rawValue, $0.settings.scenario.figures) }) { a, _ in a }
        context.warnings = warnings(outcome, host: host, overhead: overhead, floor: floor).map(\.text)
        if let signal {
            context.interrupted = true
            context.interruptSignal = signal.name
        }
        return context
    }

    /// Every warning of the run, with its category (the context keeps the text).
    func warnings(_ outcome: RunOutcome, host: RunHost, overhead: HarnessOverhead, floor: IdleFloor?) -> [RunWarning] {
        var all = host.clock.warnings.map { RunWarning(.host, $0) } + outcome.results.flatMap(\.warnings)
            + outcome.perfUnavailable.map { RunWarning(.perfCounter, $0) }
        if overhead.exceedsLimit { all.append(RunWarning(.host, overhead.summary, brief: overhead.brief)) }
        if let floor, floor.isBusy {
            let shared = "figures are of CPUs shared with other work"
            all.append(RunWarning(.host, "the machine is busy: \(floor); \(shared)",
                                  brief: String(format: "the machine is busy: idle floor %.2f%%; ", 100 * floor.fraction) + shared))
        }
        return all
    }

    func write(_ file: ResultFile) throws {
        let writer = ResultFileWriter()
        do {
            if let json { try writer.write(try file.jsonData(), to: json, overwrite: force) }
            if let csv { try writer.write(text: ResultCSV.render(file.benchmarks), to: csv, overwrite: force) }
        } catch { throw RuntimeError("\(error)") }
    }

    /// The tables on stdout, then one summary of the warnings on stderr
    /// (each in full in the JSON's context); stdout is flushed first, so the
    /// two never interleave mid-line.
    func printSummary(_ outcome: RunOutcome, context: ResultContext, host: RunHost, overhead: HarnessOverhead) {
        print(RunSummaryTable.render(outcome.results, wide: wide))
        if let legend = RunSummaryTable.legend(outcome.results) { print(RunFootnotes.fit(legend, wide: wide)) }
        print()
        if let classes = context.placementClasses { print(classes.render(wide: wide)) }
        for table in [outcome.soakTable, outcome.comparisons.isEmpty ? nil : ComparisonTable.render(outcome.comparisons),
                      ratioTable(outcome)] {
            guard let table else { continue }
            print(table)
            print()
        }
        for c in outcome.pvSchedComparisons { print(c.summary) }
        if !outcome.pvSchedComparisons.isEmpty { print() }
        for line in outcome.perfUnavailable { print(RunFootnotes.fit(line, wide: wide)) }
        let clock = "clock: \(host.clock.name), \(String(format: "%.3f", host.clock.frequencyHz / 1e9)) GHz; "
        print(RunFootnotes.fit(clock + (wide ? overhead.summary : overhead.brief), wide: wide))
        if let first = outcome.results.first { print(RunFootnotes.fit("placement: \(ScenarioRunner.label(first.placement))", wide: wide)) }
        if !outcome.rounds.isEmpty {
            let disturbedCount = outcome.results.map(\.disturbedRepetitions).reduce(0, +)
            let total = outcome.results.map(\.iterations.count).reduce(0, +)
            // Narrow: without the words a 14-digit seed pushes past 120 columns.
            print(RunFootnotes.fit("rounds: \(outcome.rounds.count) (seed \(outcome.seed), --disturbed \(disturbed)); "
                + "\(disturbedCount) of \(total) \(wide ? "repetitions " : "")disturbed (off CPU > \(disturbanceLimit * 100)%"
                + (wide ? " of the window" : "")
                + (context.rounds?.idleFloor.map { String(format: " above an idle floor of %.2f%%", 100 * $0.fraction) } ?? "") + ")",
                wide: wide))
        }
        fflush(nil)  // stdout before stderr
        let all = warnings(outcome, host: host, overhead: overhead, floor: context.rounds?.idleFloor)
        let spread = all.filter { $0.category == .spread }
        // perf counter lines are printed under the table already.
        for line in RunFootnotes.warningLines(all.filter { $0.category != .spread && $0.category != .perfCounter }, wide: wide) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        if !spread.isEmpty {
            let cases = Set(spread.compactMap(\.caseName)).count
            FileHandle.standardError.write(Data((RunFootnotes.fit("warning: \(spread.count) figures in \(cases) cases vary by more than "
                + "\(Int(RepetitionSummary.defaultLargeSpreadThreshold * 100))% (CV) over their repetitions"
                + (json == nil ? "; --json FILE keeps each in context.warnings" : "; each is in \(json!) (context.warnings)"), wide: wide) + "\n").utf8))
        }
    }

    /// Cases of one scenario run side by side (several --strategy): each
    /// one's time per operation over the first's, per round, with its CI.
    func ratioTable(_ outcome: RunOutcome) -> String? {
        guard chosenSuite == nil, !compareImpl, outcome.results.count > 1 else { return nil }
        let first = outcome.results[0]
        var table = TerminalTable(columns: [
            TerminalTable.Column("time per operation, per round", alignment: .left),
            TerminalTable.Column("ratio [95% CI]", alignment: .right), TerminalTable.Column("pairs"),
        ])
        for r in outcome.results.dropFirst() {
            let name = "\(r.settings.strategy) / \(first.settings.strategy)"
            guard let ratio = RoundRunner.ratio(r, first) else {
                table.addRow([name, "no undisturbed pairs", "0"])
                continue
            }
            table.addRow([name, ratio.text, "\(ratio.ratios.count)"])
        }
        return table.render()
    }

    /// `--runs K`: the run K times in fresh processes, merged into one file
    /// and one table; the worst child's exit status.
    func runRepeated() throws {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let repeated = RepeatedRuns(executable: exe, arguments: RepeatedRuns.childArguments(Array(CommandLine.arguments.dropFirst())), runs: runs)
        let outcome: RepeatedRuns.Outcome
        do { outcome = try repeated.run { FileHandle.standardError.write(Data("pvbench: \($0)\n".utf8)) } } catch { throw RuntimeError("\(error)") }
        guard var file = ResultFile.merging(outcome.files) else { throw RuntimeError("no run wrote a result file") }
        file.context.command = CommandLine.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        try write(file)
        print(RunsTable.render(file, wide: wide))
        print("\(outcome.files.count) runs merged; CV runs: spread of the runs' medians, CV in run: median over runs of the repetitions' spread")
        fflush(nil)  // stdout before stderr
        for line in RunFootnotes.disturbedRunsLines(file, wide: wide) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let baselineStatus = outcome.interruptedBy == nil ? try baselineStep(file) : 0
        if let status = outcome.interruptedBy ?? outcome.statuses.max(), status != 0 { Foundation.exit(status) }
        if baselineStatus != 0 { Foundation.exit(baselineStatus) }
    }

    /// Exit 1 when a strategy that claims safety showed a violation; 130/143
    /// when a signal cut the run short.
    func exitStatus(_ outcome: RunOutcome, signal: InterruptSignal?) throws {
        for r in outcome.unsafe {
            FileHandle.standardError.write(Data(
                "pvbench: \(r.settings.name): \(r.violations.torn) torn and \(r.violations.backwards) backwards values under a strategy that claims safety; first: \(r.firstViolation ?? "-")\n".utf8))
        }
        if let signal {
            FileHandle.standardError.write(Data("pvbench: interrupted by \(signal.name); partial results are marked \"interrupted\": true\n".utf8))
            Foundation.exit(signal.exitStatus)
        }
        if !outcome.unsafe.isEmpty { Foundation.exit(1) }
    }
}
