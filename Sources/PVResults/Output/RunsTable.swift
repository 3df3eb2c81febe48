import Foundation

/// The table of a file of several runs (`pvbench run --runs K`): per case
/// its rate's median over every repetition that counts, and how
/// far the runs' medians spread (between-run CV) against how far
/// repetitions spread within a run (the median of the runs' CVs). The
/// per-placement-class medians follow it (``PlacementSummary``) when the
/// probe found more than one class.
public enum RunsTable {
    /// One case's figures over the runs.
    public struct Row: Sendable, Equatable {
        public var name: String
        public var key: String
        public var runs: Int
        public var repetitions: Int
        public var median: Double?
        /// CV of the runs' medians.
        public var betweenRunCV: Double?
        /// Median over the runs of the CV of its repetitions.
        public var withinRunCV: Double?
    }

    public static func rows(_ file: ResultFile) -> [Row] {
        var order: [String] = []
        var byCase: [String: [BenchmarkEntry]] = [:]
        for e in file.benchmarks where e.runType == .iteration {
            if byCase[e.runName] == nil { order.append(e.runName) }
            byCase[e.runName, default: []].append(e)
        }
        return order.map { name in
            let key = file.rateKey(of: byCase[name]![0])
            // Repetitions left out (disturbed) or in error do not count.
            let entries = byCase[name]!.filter { $0.excluded != true && $0.errorOccurred != true }
            let pairs = entries.compactMap { e in (key == "real_time" ? e.realTime : e.counters[key]).map { (value: $0, run: e.runID ?? 0) } }
            let perRun = Dictionary(grouping: pairs, by: \.run).sorted { $0.key < $1.key }.map { $0.value.map(\.value) }
            let runMedians = perRun.compactMap(SampleStatistics.median)
            let within = perRun.compactMap { $0.count > 1 ? RepetitionSummary($0)?.coefficientOfVariation : nil }
            return Row(name: name, key: key, runs: perRun.count, repetitions: pairs.count,
                       median: SampleStatistics.median(pairs.map(\.value)),
                       betweenRunCV: runMedians.count > 1 ? RepetitionSummary(runMedians)?.coefficientOfVariation : nil,
                       withinRunCV: SampleStatistics.median(within))
        }
    }

    public static func render(_ file: ResultFile, wide: Bool = false) -> String {
        let rows = rows(file)
        // One repetition a run (scripts/bench) has no spread within a run: no column of dashes.
        let within = rows.contains { $0.withinRunCV != nil }
        var table = TerminalTable(columns: [
            .init("case", alignment: .left), .init("median"), .init("runs"), .init("reps"), .init("CV runs"),
        ] + (within ? [.init("CV in run")] : []))
        for r in rows {
            func pct(_ v: Double?) -> String { v.map { ReportNumberFormat.percent($0) } ?? "-" }
            let median = r.median.map { r.key == "real_time" ? ReportNumberFormat.nanoseconds($0) + " ns" : ReportNumberFormat.rate($0) }
                ?? "all disturbed"
            table.addRow([wide ? r.name : CaseName.narrow(r.name), median, "\(r.runs)", "\(r.repetitions)", pct(r.betweenRunCV)]
                + (within ? [pct(r.withinRunCV)] : []))
        }
        let notes = CaseName.intervalNotes(rows.map(\.name), wide: wide).map { "\n" + RunFootnotes.fit($0, wide: wide) }.joined()
        return table.render() + notes + (file.context.placementClasses.map { "\n" + $0.render(wide: wide) } ?? "")
    }

    /// The line under the table: what its CV columns are.
    public static func legend(_ file: ResultFile, runs: Int) -> String {
        rows(file).contains { $0.withinRunCV != nil }
            ? "\(runs) runs merged; CV runs: spread of the runs' medians, CV in run: median over runs of the repetitions' spread"
            : "\(runs) runs merged; CV runs: spread of the runs' medians (one repetition a run: no spread within a run to show)"
    }
}
