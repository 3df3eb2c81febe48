import Foundation
import PVHost
import PVRecords
import PVResults

/// What the cases measured.
public struct RunOutcome: Sendable {
    public var results: [CaseResult] = []
    public var comparisons: [ImplementationComparison] = []
    /// What the scenarios concluded from their cases (``Scenario/conclude(_:results:)``).
    public var conclusions: [String] = []
    public var soakTable: String?
    /// The per-round case order and its seed (empty for a soak).
    public var rounds: [[Int]] = []
    public var probes: [Double?] = []
    public var seed: UInt64 = 0

    /// perf counters asked for but not read, each reason once.
    public var perfUnavailable: [String] {
        results.flatMap(\.perfUnavailable).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    /// Cases whose strategy claims safety yet showed a torn or backwards value.
    public var unsafe: [CaseResult] {
        results.filter { $0.settings.target != nil && $0.settings.strategy.claimsSafety && $0.violations.violations > 0 }
    }
}

/// A finished run: what it measured, on what, under which rule, and the
/// result file that records it.
public struct RunReport: Sendable {
    public let request: RunRequest
    public let outcome: RunOutcome
    public let host: RunHost
    public let overhead: HarnessOverhead
    public let idleFloor: IdleFloor?
    public let rule: DisturbanceRule
    /// The signal that cut the run short, if one did.
    public let signal: InterruptSignal?

    /// Every warning of the run, with its category (the context keeps the text).
    public var warnings: [RunWarning] {
        var all = host.clock.warnings.map { RunWarning(.host, $0) } + outcome.results.flatMap(\.warnings)
            + outcome.perfUnavailable.map { RunWarning(.perfCounter, $0) }
        if overhead.exceedsLimit { all.append(RunWarning(.host, overhead.summary, brief: overhead.brief)) }
        if let idleFloor, idleFloor.isBusy {
            let shared = "figures are of CPUs shared with other work"
            all.append(RunWarning(.host, "the machine is busy: \(idleFloor); \(shared)",
                                  brief: String(format: "the machine is busy: idle floor %.2f%%; ", 100 * idleFloor.fraction) + shared))
        }
        return all
    }

    /// The result file (collects the host description each call): the cases' entries and the context (host, topology,
    /// placement, clock, rounds, faults, figures, warnings, interruption).
    public func resultFile() -> ResultFile {
        var file = ResultFile(context: context, benchmarks: outcome.results.flatMap(\.entries))
        file.context.placementClasses = PlacementSummary(file)
        return file
    }

    var context: ResultContext {
        var context = HostDescription.collect().context(pvbenchVersion: request.version, build: .current(flags: request.buildFlags))
        context.topology = TopologyRecord(host.topology)
        context.command = request.command
        if let first = outcome.results.first { context.placement = PlacementRecord(first.placement, threads: first.threads) }
        context.clock = host.clock.clockDescription
        context.numaNote = host.topology.numaNote
        context.harnessOverhead = overhead
        if !outcome.rounds.isEmpty {
            context.rounds = RoundsRecord(seed: outcome.seed, rounds: outcome.rounds.count, disturbedPolicy: request.disturbed.rawValue,
                                          rule: rule, idleFloor: idleFloor)
            if outcome.probes.contains(where: { $0 != nil }) { context.rounds?.placementProbes = outcome.probes }
        }
        context.injectedFaults = request.faults.map(\.record)
        context.figures = Dictionary(outcome.results.map { ($0.settings.scenario.rawValue, $0.settings.scenario.figures) }) { a, _ in a }
        context.warnings = warnings.map(\.text)
        if let signal {
            context.interrupted = true
            context.interruptSignal = signal.name
        }
        return context
    }
}
