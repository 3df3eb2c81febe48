import ArgumentParser
import Foundation
import PVExperiments
import PVHost
import PVResults

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
    func measure(_ cases: [RunSettings], on runner: ScenarioRunner, stopped: () -> Bool) throws -> RunOutcome {
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
        for (i, settings) in cases.enumerated() {
            if stopped() { break }
            progress.update("[\(i + 1)/\(cases.count)] \(settings.name) (\(settings.repetitions) x \(settings.duration) s)"
                + (compareImpl ? ", Swift and C interleaved" : ""))
            do {
                if settings.scenario == .overcommit, settings.overcommit.pvSched == .both {
                    let comparison = try OvercommitComparison.run(settings, on: runner)
                    outcome.pvSchedComparisons.append(comparison)
                    outcome.results += [comparison.on, comparison.off]
                } else if compareImpl {
                    let comparison = try ImplementationComparison.run(settings, on: runner)
                    outcome.comparisons.append(comparison)
                    outcome.results += [comparison.swift, comparison.c]
                } else {
                    outcome.results.append(try runner.run(settings))
                }
            } catch let error as PlacementError {
                throw ValidationError("\(settings.name): \(commandLineMessage(error))")
            } catch {
                throw RuntimeError("\(settings.name): \(error)")
            }
        }
        return outcome
    }

    /// The result file's context: host, topology, placement, clock, faults, warnings.
    func resultContext(_ outcome: RunOutcome, host: RunHost, overhead: HarnessOverhead, signal: InterruptSignal?) -> ResultContext {
        var context = HostDescription.collect().context(pvbenchVersion: pvbenchVersion, build: .current(flags: buildFlags))
        context.topology = TopologyRecord(host.topology)
        context.command = CommandLine.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        if let first = outcome.results.first { context.placement = PlacementRecord(first.placement, threads: first.threads) }
        context.clock = host.clock.clockDescription
        context.numaNote = host.topology.numaNote
        context.harnessOverhead = overhead
        context.injectedFaults = inject.map(\.record)
        context.warnings = host.clock.warnings + outcome.results.flatMap(\.warnings) + outcome.perfUnavailable
        if overhead.exceedsLimit { context.warnings.append(overhead.summary) }
        if let signal {
            context.interrupted = true
            context.interruptSignal = signal.name
        }
        return context
    }

    func write(_ file: ResultFile) throws {
        let writer = ResultFileWriter()
        do {
            if let json { try writer.write(try file.jsonData(), to: json, overwrite: force) }
            if let csv { try writer.write(text: ResultCSV.render(file.benchmarks), to: csv, overwrite: force) }
        } catch { throw RuntimeError("\(error)") }
    }

    /// The tables on stdout, warnings on stderr.
    func printSummary(_ outcome: RunOutcome, context: ResultContext, host: RunHost, overhead: HarnessOverhead) {
        print(RunSummaryTable.render(outcome.results))
        print()
        for table in [outcome.soakTable, outcome.comparisons.isEmpty ? nil : ComparisonTable.render(outcome.comparisons)] {
            guard let table else { continue }
            print(table)
            print()
        }
        for c in outcome.pvSchedComparisons { print(c.summary) }
        if !outcome.pvSchedComparisons.isEmpty { print() }
        for line in outcome.perfUnavailable { print(line) }
        print("clock: \(host.clock.name), \(String(format: "%.3f", host.clock.frequencyHz / 1e9)) GHz; \(overhead.summary)")
        if let first = outcome.results.first { print("placement: \(ScenarioRunner.label(first.placement))") }
        // perf counter lines are printed under the table already.
        for w in context.warnings where !w.hasPrefix("perf counter") {
            FileHandle.standardError.write(Data("warning: \(w)\n".utf8))
        }
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
