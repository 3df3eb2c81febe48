import Foundation
import PVResults

/// What `pvbench run` prints: the tables on stdout, then one summary of
/// the warnings for stderr (each in full in the JSON's context).
public struct RunText: Sendable {
    /// Everything for stdout, in order.
    public var standardOutput = ""
    /// Lines for stderr (without newlines), after stdout.
    public var standardError: [String] = []

    /// - Parameters:
    ///   - context: the result file's context (its placement classes).
    ///   - wide: full case names.
    ///   - jsonPath: where `--json` wrote the file, for the spread warning.
    public init(_ report: RunReport, context: ResultContext, wide: Bool, jsonPath: String?) {
        let outcome = report.outcome, request = report.request
        var out: [String] = [RunSummaryTable.render(outcome.results, wide: wide)]
        if let legend = RunSummaryTable.legend(outcome.results) { out.append(RunFootnotes.fit(legend, wide: wide)) }
        out += RunSummaryTable.nameNotes(outcome.results, wide: wide).map { RunFootnotes.fit($0, wide: wide) }
        out.append("")
        if let classes = context.placementClasses { out.append(classes.render(wide: wide)) }
        for table in [outcome.soakTable, outcome.comparisons.isEmpty ? nil : ComparisonTable.render(outcome.comparisons),
                      request.sideBySide ? Self.ratioTable(outcome.results) : nil] {
            guard let table else { continue }
            out += [table, ""]
        }
        out += outcome.conclusions
        if !outcome.conclusions.isEmpty { out.append("") }
        out += outcome.perfUnavailable.map { RunFootnotes.fit($0, wide: wide) }
        let clock = report.host.clock
        out.append(RunFootnotes.fit("clock: \(clock.name), \(String(format: "%.3f", clock.frequencyHz / 1e9)) GHz; "
            + (wide ? report.overhead.summary : report.overhead.brief), wide: wide))
        if let first = outcome.results.first { out.append(RunFootnotes.fit("placement: \(ScenarioRunner.label(first.placement))", wide: wide)) }
        let iterations = outcome.results.flatMap(\.iterations)
        // Repetitions beside a core probe above its floor (RoundRunner.coreShareLimit).
        let coreShared = iterations.filter { $0.counters["core_shared"] == 1 }.count
        if !outcome.rounds.isEmpty {
            let disturbedCount = outcome.results.map(\.disturbedRepetitions).reduce(0, +)
            let total = iterations.count
            // Narrow: without the words a 14-digit seed pushes past 120 columns.
            out.append(RunFootnotes.fit("rounds: \(outcome.rounds.count) (seed \(outcome.seed), --disturbed \(request.disturbed)); "
                + "\(disturbedCount) of \(total) \(wide ? "repetitions " : "")disturbed (off CPU > \(request.disturbanceLimit * 100)%"
                + (wide ? " of the window" : "")
                // The rule's floor (measured, or given by --idle-floor), as the JSON's rule names it.
                + (report.rule.floor.map { String(format: " above an idle floor of %.2f%%", 100 * $0) } ?? "")
                + (coreShared > 0 ? ", or core shared: \(coreShared)" : "") + ")",
                wide: wide))
        }
        standardOutput = out.map { $0 + "\n" }.joined()
        let all = report.warnings
        let spread = all.filter { $0.category == .spread }
        // perf counter lines are printed under the table already.
        standardError += RunFootnotes.warningLines(all.filter { $0.category != .spread && $0.category != .perfCounter }, wide: wide)
        // Cases that lost repetitions: say what lost them when the core probe saw it, as a --runs K file does.
        if coreShared > 0, outcome.results.contains(where: \.budgetExhausted) {
            standardError.append(RunFootnotes.coreSharedLine(shared: coreShared, of: iterations.count, wide: wide))
        }
        if !spread.isEmpty {
            let cases = Set(spread.compactMap(\.caseName)).count
            standardError.append(RunFootnotes.fit("warning: \(spread.count) figures in \(cases) cases vary by more than "
                + "\(Int(RepetitionSummary.defaultLargeSpreadThreshold * 100))% (CV) over their repetitions"
                + (jsonPath.map { "; each is in \($0) (context.warnings)" } ?? "; --json FILE keeps each in context.warnings"), wide: wide))
        }
    }

    /// Cases of one scenario run side by side (several strategies): each
    /// one's time per operation over the first's, per round, with its CI;
    /// nil for fewer than two cases.
    static func ratioTable(_ results: [CaseResult]) -> String? {
        guard results.count > 1 else { return nil }
        let first = results[0]
        var table = TerminalTable(columns: [
            TerminalTable.Column("time per operation, per round", alignment: .left),
            TerminalTable.Column("ratio [95% CI]", alignment: .right), TerminalTable.Column("pairs"),
        ])
        for r in results.dropFirst() {
            let name = "\(r.settings.strategy) / \(first.settings.strategy)"
            guard let ratio = RoundRunner.ratio(r, first) else {
                table.addRow([name, "no undisturbed pairs", "0"])
                continue
            }
            table.addRow([name, ratio.text, "\(ratio.ratios.count)"])
        }
        return table.render()
    }
}

/// What a finished run means for the exit status: 130/143 when a signal
/// cut it short, 1 when a strategy that claims safety showed a torn or
/// backwards value, else 0; with the lines that say why, for stderr.
public struct RunExit: Sendable, Equatable {
    public var status: Int32 = 0
    public var messages: [String] = []

    public init(_ report: RunReport) {
        for r in report.outcome.unsafe {
            messages.append("\(r.settings.name): \(r.violations.torn) torn and \(r.violations.backwards) backwards values "
                + "under a strategy that claims safety; first: \(r.firstViolation ?? "-")")
        }
        if let signal = report.signal {
            messages.append("interrupted by \(signal.name); partial results are marked \"interrupted\": true")
            status = signal.exitStatus
        } else if !report.outcome.unsafe.isEmpty {
            status = 1
        }
    }
}
