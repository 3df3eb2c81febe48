import PVExperiments
import PVModel
import PVRuntime

extension ListCommand {
    /// The strategy table of `pvbench list --strategies`: per strategy ×
    /// record, the accesses recorded from the strategy's code, their
    /// instructions, and the checker's torn verdict per model.
    static var strategyTable: (header: [String], rows: [[String]]) {
        let models = StrategyModel.models
        let header = ["strategy", "record", "safe", "writer", "reader", "C11 / LKMM", "x86-64", "arm64"]
            + models.map { "torn: \($0.title)" }
        let rows = StrategyExplanation.all().map { e -> [String] in
            let torn = StrategyModel.check(e.strategy, e.record, models: models).filter { $0.question == .torn }
            let verdicts = models.map { m in torn.first { $0.model == m }?.cell ?? "-" }
            func accesses(_ a: [ExplainedAccess]) -> String {
                a.map { "\($0.ordering.rawValue) \($0.kind)" + ($0.kind == .fence ? "" : " \($0.field)") }.joined(separator: "; ")
            }
            func instructions(_ f: (ExplainedAccess) -> String?) -> String {
                "\(e.writer.compactMap(f).joined(separator: ", ")) / \(e.reader.compactMap(f).joined(separator: ", "))"
            }
            let recorded: [String] = e.notRecorded == nil
                ? [accesses(e.writer), accesses(e.reader), e.strategy.equivalent, instructions(\.x86), instructions { $0.aarch64 }]
                : ["not recorded yet", "not recorded yet", e.strategy.equivalent, "-", "-"]
            return [e.strategy.rawValue, e.record.rawValue, e.strategy.claimsSafety ? "yes" : "NO"] + recorded + verdicts
        }
        return (header, rows)
    }

    /// The table as GitHub markdown (what docs/strategies.md holds).
    static func markdown(_ header: [String], _ rows: [[String]]) -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        return ([line(header), line(header.map { _ in "---" })] + rows.map(line)).joined(separator: "\n")
    }
}

extension StrategyVerdict {
    /// The verdict as a table cell: an allowed failure is marked as claimed-safe (a failure) or unsafe (expected).
    var cell: String {
        violatesClaim ? "ALLOWED (claimed safe)" : (verdict == .allowed && !claimed ? "allowed (unsafe)" : verdict.rawValue)
    }
}
