/// The terminal table of a run's results: one row per benchmark entry (or
/// per aggregate), the counters kernel engineers look at first, each column
/// in one unit.
public enum ResultTable {
    /// A counter shown as a column.
    public struct CounterColumn: Sendable {
        public var key: String
        public var title: String
        public var format: QuantityFormat
        /// Base unit name ("reads" → "M reads/s").
        public var unitBase: String

        public init(key: String, title: String, format: QuantityFormat, unitBase: String = "") {
            self.key = key
            self.title = title
            self.format = format
            self.unitBase = unitBase
        }
    }

    /// The columns shown when present in any row.
    public static let defaultCounters: [CounterColumn] = [
        CounterColumn(key: "reads_per_second", title: "reads", format: .rate),
        CounterColumn(key: "polls_per_second", title: "polls", format: .rate),
        CounterColumn(key: "updates_per_second", title: "updates", format: .rate),
        CounterColumn(key: "scans_per_second", title: "scans", format: .rate),
        CounterColumn(key: "p50_ns", title: "p50", format: .nanoseconds(decimals: 1)),
        CounterColumn(key: "p99_ns", title: "p99", format: .nanoseconds(decimals: 1)),
        CounterColumn(key: "visibility_p50_ns", title: "vis p50", format: .nanoseconds(decimals: 0)),
        CounterColumn(key: "visibility_p99_ns", title: "vis p99", format: .nanoseconds(decimals: 0)),
        CounterColumn(key: "torn_reads", title: "torn", format: .count),
    ]

    /// Renders `entries`: name, threads, time per operation, then each of
    /// `counters` that some entry has ("-" where an entry lacks it), and a
    /// CV column when aggregates are shown.
    public static func render(_ entries: [BenchmarkEntry], counters: [CounterColumn] = defaultCounters) -> String {
        let present = counters.filter { c in entries.contains { $0.counters[c.key] != nil } }
        let unit = entries.first?.timeUnit.rawValue ?? "ns"
        var columns = [TerminalTable.Column("benchmark", alignment: .left), TerminalTable.Column("threads"),
                       TerminalTable.Column("time/op", unit: unit)]
        for c in present {
            let values = entries.compactMap { $0.counters[c.key] }
            columns.append(TerminalTable.Column(c.title, unit: c.format.unit(for: values, base: c.unitBase)))
        }
        var table = TerminalTable(columns: columns)
        for e in entries {
            var row = [e.name, "\(e.threads)",
                       e.aggregateName == "cv" ? percent(e.realTime) : QuantityFormat.fixed(e.realTime, 2)]
            for c in present {
                guard let v = e.counters[c.key] else { row.append("-"); continue }
                if e.aggregateName == "cv" { row.append(percent(v)); continue }
                row.append(c.format.format(v, column: entries.filter { $0.aggregateName != "cv" }
                        .compactMap { $0.counters[c.key] }))
            }
            table.addRow(row)
        }
        return table.render()
    }

    static func percent(_ fraction: Double) -> String { QuantityFormat.fixed(fraction * 100, 1) + "%" }
}
