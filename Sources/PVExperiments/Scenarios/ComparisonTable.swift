import Foundation
import PVResults

/// `pvbench run --compare-impl`: per case, the Swift and C kernels' median
/// throughput and the ratio of their time per operation (Swift / C; 1.05 =
/// Swift 5 % slower): the median of the per-round ratios with its 95 % CI,
/// and their range.
public enum ComparisonTable {
    public static func render(_ comparisons: [ImplementationComparison]) -> String {
        var table = TerminalTable(columns: [
            TerminalTable.Column("case (Swift vs C kernel)", alignment: .left),
            TerminalTable.Column("Swift"), TerminalTable.Column("C"),
            TerminalTable.Column("Swift/C time [95% CI]", alignment: .right), TerminalTable.Column("pair ratios", alignment: .right),
        ])
        for c in comparisons {
            let figure = c.swift.settings.scenario.figures.rate
            func rate(_ r: CaseResult) -> String {
                r.median?.counters[figure.key].map { RunSummaryTable.format(rate: $0) + " " + figure.unitLabel } ?? "-"
            }
            let pairs = c.repetitionRatios
            table.addRow([
                c.swift.settings.name, rate(c.swift), rate(c.c),
                c.ratio?.text ?? "-",
                pairs.isEmpty ? "-" : String(format: "%.3f … %.3f", pairs.min()!, pairs.max()!),
            ])
        }
        return table.render()
    }
}
