import Foundation
import PVRuntime
import PVResults

/// `pvbench run --suite soak --duration 10m`: every scenario in rotation,
/// one interval each, round after round until the duration is spent, with
/// the detector on every read. Each interval is one repetition entry
/// (`repetition_index` = round, counter `interval_start_s`), so drift over
/// the soak shows as a trend in a case's figures.
public struct SoakRun: Sendable {
    public let cases: [RunSettings]
    public let total: Double
    public let interval: Double

    /// - Parameters:
    ///   - base: placement and fault options for every case.
    ///   - total: seconds the soak runs (default 10 minutes).
    public init(base: RunSettings, total: Double) {
        var cases: [RunSettings] = []
        for scenario in ScenarioKind.allCases {
            var s = base
            s.scenario = scenario
            s.strategy = .builtIn(.relaxed)
            s.layout = .cacheline
            s.vcpus = scenario.type.representativeVCPUs
            s.readers = 1
            s.writers = 1
            s.implementation = .swift
            s.faults = base.faults.filter { $0.scenarios.contains(scenario) }
            cases.append(s)
        }
        self.total = total
        // At least two rounds, at most 10 s per interval, at least 0.1 s.
        interval = min(10, max(0.1, total / Double(2 * cases.count)))
        self.cases = cases.map { c in
            var c = c
            c.duration = min(10, max(0.1, total / Double(2 * cases.count)))
            c.warmup = min(0.1, c.duration / 4)
            c.repetitions = 1
            return c
        }
    }

    /// Runs the rotation; `progress` gets a line per interval. Stops early on
    /// interruption, keeping what was measured.
    public func run(on runner: ScenarioRunner, progress: (String) -> Void = { _ in }) throws -> [CaseResult] {
        let start = Date()
        var perCase: [[CaseResult]] = Array(repeating: [], count: cases.count)
        var round = 0
        rotation: while Date().timeIntervalSince(start) < total {
            for (i, c) in cases.enumerated() {
                let elapsed = Date().timeIntervalSince(start)
                if elapsed >= total || runner.isInterrupted() { break rotation }
                progress("soak \(Int(elapsed))/\(Int(total)) s, round \(round + 1): \(c.name)")
                var result = try runner.run(c)
                for j in result.entries.indices {
                    result.entries[j].repetitionIndex = round
                    result.entries[j].counters["interval_start_s"] = elapsed
                }
                perCase[i].append(result)
                if result.interrupted { break rotation }
            }
            round += 1
        }
        return perCase.filter { !$0.isEmpty }.map { ImplementationComparison.merge($0, $0[0].settings, .swift) }
    }

    /// Per case, the rate of every interval and the change from
    /// the first interval to the last (drift).
    public static func driftTable(_ results: [CaseResult]) -> String {
        var table = TerminalTable(columns: [
            TerminalTable.Column("soak case", alignment: .left), TerminalTable.Column("intervals"),
            TerminalTable.Column("first"), TerminalTable.Column("last"), TerminalTable.Column("drift"),
            TerminalTable.Column("per interval", alignment: .left),
        ])
        for r in results {
            let key = r.settings.scenario.figures.rate.key
            let values = r.iterations.compactMap { $0.counters[key] }
            guard let first = values.first, let last = values.last else { continue }
            table.addRow([
                r.iterations.first?.runName ?? r.settings.name, "\(values.count)", RunSummaryTable.format(rate: first), RunSummaryTable.format(rate: last),
                first > 0 ? String(format: "%+.1f%%", (last - first) / first * 100) : "-",
                values.map { RunSummaryTable.format(rate: $0) }.joined(separator: " "),
            ])
        }
        return table.render()
    }
}
