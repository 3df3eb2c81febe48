import Foundation

/// Result rows as CSV (RFC 4180): one row per benchmark, the standard
/// columns first, then one column per counter (union of all rows, sorted);
/// a counter a row lacks is an empty cell, never 0.
public enum ResultCSV {
    public static let standardColumns = [
        "name", "run_name", "run_type", "aggregate_name", "scenario", "strategy", "layout", "repetitions",
        "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
    ]

    public static func render(_ benchmarks: [BenchmarkEntry]) -> String {
        let counters = Set(benchmarks.flatMap(\.counters.keys)).sorted()
        var lines = [(standardColumns + counters).map(quote).joined(separator: ",")]
        for b in benchmarks {
            let fixed: [String] = [
                b.name, b.runName, b.runType.rawValue, b.aggregateName ?? "", b.scenario ?? "", b.strategy ?? "",
                b.layout ?? "", "\(b.repetitions)", b.repetitionIndex.map(String.init) ?? "", "\(b.threads)",
                "\(b.iterations)", number(b.realTime), number(b.cpuTime), b.timeUnit.rawValue,
            ]
            let values = counters.map { b.counters[$0].map(number) ?? "" }
            lines.append((fixed + values).map(quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Integers without ".0"; other values as Swift prints them (round-trippable).
    static func number(_ v: Double) -> String {
        if v.rounded() == v, abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
