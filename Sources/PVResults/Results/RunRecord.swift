/// One of the K runs of `pvbench run --runs K`, as the merged file's
/// `context.runs` records it: when it ran, its round seed and idle floor,
/// and each case's median of its rate in that run.
public struct RunRecord: Sendable, Codable, Equatable {
    /// 0-based, as the entries' `run_id`.
    public var id: Int
    public var date: String
    public var roundSeed: UInt64?
    public var idleFloorFraction: Double?
    public var interrupted: Bool
    /// Per case (run name), the median of its rate over the
    /// run's repetitions that count (absent when none counts).
    public var medians: [String: Double]
    /// Per case, the rate's key (`reads_per_second`, …).
    public var figureKeys: [String: String]

    enum CodingKeys: String, CodingKey {
        case id = "run_id", date, roundSeed = "round_seed", idleFloorFraction = "idle_floor_fraction", interrupted, medians,
             figureKeys = "figure_keys"
    }
}

extension ResultFile {
    /// The key of a case's rate, as the tables show it: the scenario's rate
    /// as the file's `context.figures` records it, else `real_time`. (What
    /// `compare` judges by is ``HeadlineFigures/headline``, c2c's p50.)
    public func rateKey(of entry: BenchmarkEntry) -> String {
        entry.scenario.flatMap { context.figures?[$0]?.rate.key } ?? "real_time"
    }

    /// The K runs of `pvbench run --runs K` as one file: every repetition
    /// of every run, tagged with its `run_id` (kept flagged as each run
    /// flagged it); per case, aggregates recomputed over all runs'
    /// repetitions that count; `context` from the first run, with
    /// `context.runs` recording each run and its per-case medians, and the
    /// warnings of all runs (each once).
    public static func merging(_ runs: [ResultFile]) -> ResultFile? {
        guard var context = runs.first?.context else { return nil }
        var rows: [String: [BenchmarkEntry]] = [:]
        var order: [String] = []
        var records: [RunRecord] = []
        for (id, run) in runs.enumerated() {
            var values: [String: [Double]] = [:], keys: [String: String] = [:]
            for e in run.benchmarks where e.runType == .iteration {
                if rows[e.runName] == nil { order.append(e.runName) }
                var tagged = e
                tagged.runID = id
                rows[e.runName, default: []].append(tagged)
                let key = keys[e.runName] ?? run.rateKey(of: e)
                keys[e.runName] = key
                if e.excluded != true, e.errorOccurred != true, let v = key == "real_time" ? e.realTime : e.counters[key] {
                    values[e.runName, default: []].append(v)
                }
            }
            let medians = values.compactMapValues(SampleStatistics.median)
            records.append(RunRecord(id: id, date: run.context.date, roundSeed: run.context.rounds?.seed,
                                     idleFloorFraction: run.context.rounds?.idleFloor?.fraction,
                                     interrupted: run.context.interrupted, medians: medians, figureKeys: keys))
            for w in run.context.warnings where !context.warnings.contains(w) { context.warnings.append(w) }
            context.interrupted = context.interrupted || run.context.interrupted
            if context.figures != nil { context.figures!.merge(run.context.figures ?? [:]) { a, _ in a } }
        }
        context.runs = records
        context.placementClasses = nil
        var benchmarks: [BenchmarkEntry] = []
        for name in order {
            var reps = rows[name]!
            for i in reps.indices {
                reps[i].repetitionIndex = i
                reps[i].repetitions = reps.count
            }
            let counting = reps.filter { $0.excluded != true }.count
            benchmarks += reps + (counting > 1 ? BenchmarkEntry.aggregates(of: reps).entries : [])
        }
        var merged = ResultFile(context: context, benchmarks: benchmarks)
        merged.context.placementClasses = PlacementSummary(merged)
        return merged
    }
}
