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

    /// Without `wide`: short case names (``CaseName``, at most
    /// ``CaseName/narrowLimit`` characters), short titles and no column that is
    /// empty in every row, so the default suite's table fits 120 columns;
    /// `wide` gives every column and the full names (the JSON has them all).
    public static func render(_ results: [CaseResult], wide: Bool = false) -> String {
        let perf = results.contains { !$0.perfUnavailable.isEmpty || $0.median?.counters["task_clock_ns_per_op"] != nil }
        let columns: [TerminalTable.Column] = [
            TerminalTable.Column("case", alignment: .left),
            TerminalTable.Column("", alignment: .left),
            TerminalTable.Column("throughput", alignment: .right),
            TerminalTable.Column("95% CI", alignment: .right),
            TerminalTable.Column(wide ? "spread" : "CV", unit: wide ? "CV" : nil),
            TerminalTable.Column(wide ? "cost p50" : "cost", unit: "ns"),
            TerminalTable.Column(wide ? "latency p50" : "lat p50", unit: "ns"),
            TerminalTable.Column(wide ? "latency p99" : "lat p99", unit: "ns"),
            TerminalTable.Column("c2c", unit: "ns"),
            TerminalTable.Column(wide ? "torn/back" : "torn/bk", alignment: .right),
        ] + (perf ? perfColumns.map { TerminalTable.Column($0.title) } : [])
        var rows: [[String]] = []
        for r in results {
            // No median: every repetition was disturbed and left out; the row stays, marked.
            let c = r.median?.counters ?? [:]
            let figures = r.settings.scenario.figures
            let cv = r.entries.first { $0.aggregateName == "cv" }?.counters[figures.rate.key]
            let torn = r.median == nil ? "\(r.violations.torn)/\(r.violations.backwards)"
                : c["torn_reads"].map { t in "\(Int(t))/\(Int(c["backwards_reads"] ?? 0))" } ?? "n/a"
            let rate = c[figures.rate.key]
            let low = r.entries.first { $0.aggregateName == "ci_low" }?.counters[figures.rate.key]
            let high = r.entries.first { $0.aggregateName == "ci_high" }?.counters[figures.rate.key]
            let full: String = r.iterations.first?.runName ?? r.settings.name
            let name: String = (wide ? full : CaseName.narrow(full)) + (r.interrupted ? " (interrupted)" : "")
            let mark: String = marks(r, cv: cv).map(\.symbol).joined()
            let rateText: String = rate.map { format(rate: $0) + " " + figures.rate.unitLabel }
                ?? (r.median == nil && !r.iterations.isEmpty ? "all disturbed" : "-")
            let ci: String = interval(median: rate, low: low, high: high)
            let spread: String = cv.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
            let cost: String = figures.cost.flatMap { c[$0.key] }.map { String(format: "%.2f", $0) } ?? "-"
            let p50: String = figures.latencyP50.flatMap { c[$0.key] }.map { String(format: "%.0f", $0) } ?? "-"
            let p99: String = figures.latencyP99.flatMap { c[$0.key] }.map { String(format: "%.0f", $0) } ?? "-"
            let c2c: String = c["c2c_one_way_ns"].map { String(format: "%.0f", $0) } ?? "-"
            var row: [String] = [name, mark, rateText, ci, spread, cost, p50, p99, c2c, torn]
            if perf { row += perfColumns.map { col in c[col.key].map { String(format: "%.2f", $0) } ?? "n/a" } }
            rows.append(row)
        }
        // Narrow: a column with nothing in any row says nothing.
        let kept = columns.indices.filter { i in wide || i < 3 || rows.contains { $0[i] != "-" && !$0[i].isEmpty } }
        var table = TerminalTable(columns: kept.map { columns[$0] })
        for row in rows { table.addRow(kept.map { row[$0] }) }
        return table.render()
    }

    /// What a mark in the table's second column means.
    public enum Mark: String, CaseIterable, Sendable {
        case retried = "*"
        case short = "!"
        case noisy = "~"
        case lone = "1"

        public var symbol: String { rawValue }
        public var meaning: String {
            switch self {
            case .retried: "disturbed repetitions were run again"
            case .short: "fewer undisturbed repetitions than asked (retry budget spent)"
            case .noisy: "CV above \(Int(RunSummaryTable.noisyCV * 100))% after retries"
            case .lone: "one undisturbed repetition: its figure, no median or spread"
            }
        }
    }

    /// A case whose rate still varies this much (CV) is marked noisy.
    public static let noisyCV = 0.10

    static func marks(_ r: CaseResult, cv: Double?) -> [Mark] {
        var marks: [Mark] = []
        if r.retries > 0 { marks.append(.retried) }
        if r.budgetExhausted { marks.append(.short) }
        if let cv, cv > noisyCV { marks.append(.noisy) }
        if r.iterations.count > 1, r.lone != nil, !r.entries.contains(where: { $0.aggregateName == "median" }) { marks.append(.lone) }
        return marks
    }

    /// The legend line for the marks used in `results`, nil when none is.
    public static func legend(_ results: [CaseResult]) -> String? {
        let used = Set(results.flatMap { r in
            marks(r, cv: r.entries.first { $0.aggregateName == "cv" }?.counters[r.settings.scenario.figures.rate.key])
        })
        guard !used.isEmpty else { return nil }
        return "marks: " + Mark.allCases.filter(used.contains).map { "\($0.symbol) \($0.meaning)" }.joined(separator: "; ")
    }

    /// The notes for names that lost their `update:` segment (narrow table only).
    public static func nameNotes(_ results: [CaseResult], wide: Bool) -> [String] {
        CaseName.intervalNotes(results.map { $0.iterations.first?.runName ?? $0.settings.name }, wide: wide)
    }

    /// The median's 95 % interval relative to it: `-1.2%/+2.3%`.
    static func interval(median: Double?, low: Double?, high: Double?) -> String {
        guard let median, median != 0, let low, let high else { return "-" }
        func pct(_ x: Double) -> String { String(format: "%+.1f%%", (x / median - 1) * 100) }
        return "\(pct(low))/\(pct(high))"
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
