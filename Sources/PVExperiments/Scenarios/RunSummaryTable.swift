import PVResults
/// The table `pvbench run` prints: one row per case with the figure that
/// matters for its scenario (median over repetitions, with its spread),
/// the latencies, and what the detector saw.
public enum RunSummaryTable {
    /// perf counters shown when a run measured them (`--perf-counters`):
    /// a counter that could not be read shows "n/a", never 0.
    static let perfColumns: [(key: String, title: String)] = [
        ("cycles_per_op", "cycles/op"), ("instructions_per_op", "instr/op"),
        ("l1d_read_misses_per_op", "L1D miss/op"), ("task_clock_ns_per_op", "task-clock/op"),
    ]

    public static func render(_ results: [CaseResult]) -> String {
        let perf = results.contains { !$0.perfUnavailable.isEmpty || $0.median?.counters["task_clock_ns_per_op"] != nil }
        var table = TerminalTable(columns: [
            TerminalTable.Column("case", alignment: .left),
            TerminalTable.Column("throughput", alignment: .right),
            TerminalTable.Column("spread", unit: "CV"),
            TerminalTable.Column("cost p50", unit: "ns"),
            TerminalTable.Column("latency p50", unit: "ns"),
            TerminalTable.Column("latency p99", unit: "ns"),
            TerminalTable.Column("c2c", unit: "ns"),
            TerminalTable.Column("torn/back", alignment: .right),
        ] + (perf ? perfColumns.map { TerminalTable.Column($0.title) } : []))
        for r in results {
            guard let m = r.median else { continue }
            let c = m.counters
            let figures = r.settings.scenario.figures
            let cv = r.entries.first { $0.aggregateName == "cv" }?.counters[figures.rate.key]
            let torn = c["torn_reads"].map { t in "\(Int(t))/\(Int(c["backwards_reads"] ?? 0))" } ?? "n/a"
            table.addRow([
                (r.iterations.first?.runName ?? r.settings.name) + (r.interrupted ? " (interrupted)" : ""),
                c[figures.rate.key].map { format(rate: $0) + " " + figures.rate.unitLabel } ?? "-",
                cv.map { String(format: "%.1f%%", $0 * 100) } ?? "-",
                figures.cost.flatMap { c[$0.key] }.map { String(format: "%.2f", $0) } ?? "-",
                figures.latencyP50.flatMap { c[$0.key] }.map { String(format: "%.0f", $0) } ?? "-",
                figures.latencyP99.flatMap { c[$0.key] }.map { String(format: "%.0f", $0) } ?? "-",
                c["c2c_one_way_ns"].map { String(format: "%.0f", $0) } ?? "-",
                torn,
            ] + (perf ? perfColumns.map { col in c[col.key].map { String(format: "%.2f", $0) } ?? "n/a" } : []))
        }
        return table.render()
    }

    static func format(rate: Double) -> String {
        switch rate {
        case 1e9...: String(format: "%.2fG", rate / 1e9)
        case 1e6...: String(format: "%.1fM", rate / 1e6)
        case 1e3...: String(format: "%.1fk", rate / 1e3)
        default: String(format: "%.0f", rate)
        }
    }
}
