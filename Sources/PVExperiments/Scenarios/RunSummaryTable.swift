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
            let (rateKey, unit) = rate(r.settings.scenario)
            let cv = r.entries.first { $0.aggregateName == "cv" }?.counters[rateKey]
            let latency: (String, String)? = switch r.settings.scenario {
            case .preemptPoll: ("visibility_p50_ns", "visibility_p99_ns")
            case .spinOnOwner: ("breakout_p50_ns", "breakout_p99_ns")
            case .c2c: ("one_way_p50_ns", "one_way_p99_ns")
            default: nil
            }
            let cost: String? = switch r.settings.scenario {
            case .stealClock: "read_cost_p50_ns"
            case .preemptPoll: "poll_cost_p50_ns"
            case .idleScan: "ns_per_flag"
            case .spinOnOwner: "spin_with_pv_p50_ns"
            case .c2c: nil
            }
            let torn = c["torn_reads"].map { t in "\(Int(t))/\(Int(c["backwards_reads"] ?? 0))" } ?? "n/a"
            table.addRow([
                (r.iterations.first?.runName ?? r.settings.name) + (r.interrupted ? " (interrupted)" : ""),
                c[rateKey].map { format(rate: $0) + " " + unit } ?? "-",
                cv.map { String(format: "%.1f%%", $0 * 100) } ?? "-",
                cost.flatMap { c[$0] }.map { String(format: "%.2f", $0) } ?? "-",
                latency.flatMap { c[$0.0] }.map { String(format: "%.0f", $0) } ?? "-",
                latency.flatMap { c[$0.1] }.map { String(format: "%.0f", $0) } ?? "-",
                c["c2c_one_way_ns"].map { String(format: "%.0f", $0) } ?? "-",
                torn,
            ] + (perf ? perfColumns.map { col in c[col.key].map { String(format: "%.2f", $0) } ?? "n/a" } : []))
        }
        return table.render()
    }

    /// The per-reader rate counter of a scenario and its unit.
    static func rate(_ scenario: ScenarioKind) -> (String, String) {
        switch scenario {
        case .stealClock: ("reads_per_second", "reads/s")
        case .preemptPoll: ("polls_per_second", "polls/s")
        case .spinOnOwner: ("episodes_per_second", "episodes/s")
        case .idleScan: ("scans_per_second", "scans/s")
        case .c2c: ("round_trips_per_second", "trips/s")
        }
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
