import Foundation
import PVHost
import PVRecords
import PVResults

/// One `pvbench run` without the command line: expands and checks the
/// cases on the host, measures the idle floor, runs the cases in seeded
/// interleaved rounds (or the soak rotation), lets each scenario conclude,
/// and builds the result file. Nothing here prints or exits.
public struct RunSession {
    public let request: RunRequest
    public let host: RunHost

    public init(request: RunRequest, host: RunHost) {
        self.request = request
        self.host = host
    }

    /// Runs the request; `signal` says which signal arrived, if one did
    /// (the rounds stop and what was measured is kept, marked interrupted);
    /// `note` gets lines for stderr before the measurement starts.
    public func run(signal: @escaping @Sendable () -> InterruptSignal?, note: (String) -> Void = { _ in },
                    progress: ProgressLine = ProgressLine()) throws(RunFailure) -> RunReport {
        let stopped: @Sendable () -> Bool = { signal() != nil }
        let requested = request.cases
        let cases: [RunSettings]
        do { cases = try requested.flatMap { try $0.scenario.type.expand($0, on: host.topology) } } catch { throw .failed("\(error)") }
        let usedCPUs = try check(cases)
        var runner = ScenarioRunner(topology: host.topology, clock: host.clock, isInterrupted: stopped)
        runner.pauseBeforeStart = request.pauseBeforeStart
        runner.beforeHangExit = request.beforeHangExit
        let floor = try measuredIdleFloor(cpus: usedCPUs, cases: cases, runner: runner, progress: progress)
        runner.disturbanceRule = DisturbanceRule(offCPUFraction: request.disturbanceLimit, floor: floor?.fraction ?? request.idleFloor.flatMap { $0 > 0 ? $0 : nil })
        runner.disturbedPolicy = request.disturbed
        if request.perfCounters {
            runner.perfEvents = PerfEvent.allCases
            PerfCounters.probe().summaryLines.forEach(note)
        }
        let overhead = HarnessOverheadProbe.measure(clock: host.clock)
        defer { progress.finish() }
        let outcome = try measure(cases, requested: requested, on: runner, probeCPUs: usedCPUs.sorted(), stopped: stopped,
                                  progress: progress)
        return RunReport(request: request, outcome: outcome, host: host, overhead: overhead, idleFloor: floor,
                         rule: runner.disturbanceRule, signal: signal())
    }

    /// Plans every case's placement and runs its scenario's pre-flight
    /// check: everything that can be refused is refused before anything is
    /// measured. The CPUs the placements use.
    func check(_ cases: [RunSettings]) throws(RunFailure) -> Set<Int> {
        var used = Set<Int>()
        for settings in cases {
            var request = settings.placement
            request.writers = settings.writers
            request.readers = settings.readers
            do {
                let plan = try PlacementPlanner.plan(request, on: host.topology)
                used.formUnion(plan.writerCPUs + plan.readerCPUs)
            } catch let error as PlacementError {
                throw .placement(caseName: settings.name, error)
            } catch {
                throw .refused("\(settings.name): \(error)")
            }
            do { _ = try settings.scenario.type.preflight(settings, topology: host.topology) } catch {
                throw .refused("\(settings.name): \(error)")
            }
        }
        return used
    }

    /// With no floor given, the floor measured on `cpus` (those the run's
    /// placements use) by `runner`, in windows as long as the cases' (the
    /// median of their durations and warm-ups); nil when a floor was given.
    /// The progress line says what spins and for how long: with `--duration
    /// 5s` that is half a minute before the first case.
    func measuredIdleFloor(cpus: Set<Int>, cases: [RunSettings], runner: ScenarioRunner,
                           progress: ProgressLine) throws(RunFailure) -> IdleFloor? {
        guard request.idleFloor == nil, !cpus.isEmpty, !cases.isEmpty else { return nil }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        let cpus = cpus.sorted(), windows = 5, duration = median(cases.map(\.duration)), warmup = median(cases.map(\.warmup))
        progress.update("idle floor: spinning CPUs \(cpus.map(String.init).joined(separator: ",")) for \(windows) windows of "
            + String(format: "%g s + %g s warm-up", duration, warmup) + " (--idle-floor PCT gives it instead)")
        do {
            return try runner.measureIdleFloor(cpus: cpus, windows: windows, duration: duration, warmup: warmup)
        } catch {
            throw .failed("idle floor: \(error) (give --idle-floor 0 to judge off-CPU time from zero)")
        }
    }

    /// Runs the cases (or the soak rotation), with a progress line, until
    /// done or `stopped`.
    func measure(_ cases: [RunSettings], requested: [RunSettings], on runner: ScenarioRunner, probeCPUs: [Int],
                 stopped: () -> Bool, progress: ProgressLine) throws(RunFailure) -> RunOutcome {
        var outcome = RunOutcome()
        if let soak = request.soak {
            do { outcome.results = try SoakRun(base: soak.base, total: soak.total).run(on: runner) { progress.update($0) } } catch {
                throw .failed("soak: \(error)")
            }
            outcome.soakTable = SoakRun.driftTable(outcome.results)
            return outcome
        }
        // One repetition of every case per round, in a seeded order; when
        // comparing implementations each case runs as a Swift and a C case.
        let seed = request.seed ?? UInt64(truncatingIfNeeded: DispatchTime.now().uptimeNanoseconds) ^ 0x5EED
        let runs = request.compareImplementations ? cases.flatMap { c -> [RunSettings] in
            var swift = c, ck = c
            swift.implementation = .swift
            ck.implementation = .c
            return [swift, ck]
        } : cases
        var rounds = RoundRunner(runner: runner, seed: seed, policy: request.disturbed)
        if probeCPUs.count > 1 { rounds.placementProbe = { runner.placementProbe(cpus: probeCPUs) } }
        if !probeCPUs.isEmpty { rounds.coreProbe = { CoreProbe.measure(cpus: probeCPUs) } }
        let done: RoundRunner.Outcome
        do {
            done = try rounds.run(runs, progress: { progress.update($0) }, stopped: stopped)
        } catch let error as PlacementError {
            throw .placement(caseName: nil, error)
        } catch {
            throw .failed("\(error)")
        }
        outcome.results = done.results
        outcome.rounds = done.rounds
        outcome.probes = done.probes
        outcome.seed = seed
        for type in ScenarioKind.allCases.filter({ k in requested.contains { $0.scenario == k } }).map(\.type) {
            outcome.conclusions += type.conclude(requested.filter { $0.scenario == type.kind }, results: &outcome.results)
        }
        if request.compareImplementations {
            let byName = Dictionary(done.results.map { ($0.settings.name, $0) }, uniquingKeysWith: { a, _ in a })
            for pair in stride(from: 0, to: runs.count - 1, by: 2) {
                guard let s = byName[runs[pair].name], let c = byName[runs[pair + 1].name] else { continue }
                outcome.comparisons.append(ImplementationComparison(swift: s, c: c))
            }
        }
        return outcome
    }
}
