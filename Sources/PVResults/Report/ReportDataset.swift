/// Every run of the result files given to `pvbench report`, grouped for the
/// tables and plots.
public struct ReportDataset: Sendable {
    public let inputs: [ReportInput]
    public let rows: [ReportRow]

    /// Rate counters of a file whose scenario declares no figures (another
    /// tool's google-benchmark file), in order of preference; then any
    /// `*_per_second`, then operations per second from real_time. Cost and
    /// latency come only from declared figures.
    static let throughputKeys = ["items_per_second", "bytes_per_second"]
    /// Percentile counter suffixes and the fraction each stands for.
    static let percentileLevels: [(String, Double)] = [
        ("min_ns", 0), ("p50_ns", 0.5), ("p90_ns", 0.9), ("p99_ns", 0.99), ("p999_ns", 0.999), ("p9999_ns", 0.9999),
        ("max_ns", 1),
    ]

    /// Per scenario name, the plots it declares.
    public let plots: [String: [PlotSpec]]


    /// - Parameters:
    ///   - figures: per scenario name, the figures it is judged by (pvbench's
    ///     scenarios declare theirs; a file's own `context.figures` comes
    ///     first); a row of a scenario with none (another tool's file) shows
    ///     a rate from ``throughputKeys`` and no cost or latency.
    ///   - plots: per scenario name, the plots it declares.
    public init(inputs: [ReportInput], figures: [String: HeadlineFigures] = [:], plots: [String: [PlotSpec]] = [:]) {
        self.inputs = inputs
        self.plots = plots
        let counters = Set(plots.values.flatMap { $0.compactMap(\.counter) })
        rows = inputs.flatMap { Self.rows(of: $0, figures: figures, counters: counters) }
    }

    /// The scenarios present, in first-seen order.
    public var scenarios: [String] {
        var seen: [String] = []
        for r in rows where !seen.contains(r.scenario) { seen.append(r.scenario) }
        return seen
    }

    static func rows(of input: ReportInput, figures catalogue: [String: HeadlineFigures] = [:],
                     counters: Set<String> = []) -> [ReportRow] {
        // A file that says its figures is read by them; the catalogue fills in the rest.
        let figures = (input.file.context.figures ?? [:]).merging(catalogue) { own, _ in own }
        var order: [String] = []
        var byRun: [String: [(BenchmarkEntry, Bool)]] = [:]
        for (b, flag) in zip(input.file.benchmarks, input.disturbed) {
            if byRun[b.runName] == nil { order.append(b.runName) }
            byRun[b.runName, default: []].append((b, flag))
        }
        return order.map { name in
            let pairs = byRun[name]!
            var r = row(runName: name, entries: pairs.map(\.0), file: input.path, figures: figures, plotted: counters)
            // Disturbance and the CI come from the repetitions, disturbed ones set apart.
            let key = r.throughputKey
            let figure = Figure(key: key.hasPrefix("ops_per_second") ? "real_time" : key, unit: .perSecond, better: .higher)
            let reps = pairs.filter { $0.0.runType == .iteration }.compactMap { e, flag -> (Double, Bool)? in
                guard let v = CaseSample.value(of: figure, in: e) else { return nil }
                return (figure.key == "real_time" ? (v > 0 ? 1e9 / v : nil) : v).map { ($0, flag) }
            }
            r.repetitionValues = reps.map { (value: $0.0, disturbed: $0.1) }
            r.disturbedRepetitions = reps.filter(\.1).count
            let sample = CaseSample(name: name, figure: figure, entries: pairs.map { (entry: $0.0, disturbed: $0.1) })
            if figure.key != "real_time", let ci = sample.fileInterval {
                r.throughputCI = ci
            } else if let ci = SampleStatistics.medianInterval(reps.filter { !$0.1 }.map(\.0)) {
                r.throughputCI = (ci.low, ci.high)
            }
            return r
        }
    }

    static func row(runName: String, entries: [BenchmarkEntry], file: String,
                    figures: [String: HeadlineFigures] = [:], plotted: Set<String> = []) -> ReportRow {
        let iterations = entries.filter { $0.runType == .iteration }
        let aggregate = { (name: String) in entries.first { $0.runType == .aggregate && $0.aggregateName == name } }
        let median = aggregate("median")
        // The entry whose counters stand for the run: the median aggregate, else the only/first repetition.
        let representative = median ?? iterations.first ?? entries[0]
        let counters = representative.counters

        let parts = runName.split(separator: "/").map(String.init)
        var parameters: [String: String] = [:]
        var plain: [String] = []
        for p in parts {
            if let colon = p.firstIndex(of: ":"), !p.contains("->") {
                parameters[String(p[..<colon])] = String(p[p.index(after: colon)...])
            } else {
                plain.append(p)
            }
        }
        let scenario = representative.scenario ?? plain.first ?? runName
        let strategy = representative.strategy ?? (plain.count > 1 ? plain[1] : "-")
        let layout = representative.layout ?? (plain.count > 2 ? plain[2] : "-")

        // The scenario's own figures where it declares them and the file has them.
        let allKeys = Set(entries.flatMap(\.counters.keys))
        let declared = figures[scenario]
        // Throughput: a rate counter, else operations per second from real_time.
        let rateKey = declared.map(\.rate.key).flatMap { allKeys.contains($0) ? $0 : nil }
            ?? throughputKeys.first { allKeys.contains($0) }
            ?? allKeys.filter { $0.hasSuffix("_per_second") }.sorted().first
        func figure(_ value: (BenchmarkEntry) -> Double?) -> ReportFigure? {
            if let m = median.flatMap(value) {
                let lo = aggregate("min").flatMap(value) ?? m
                let hi = aggregate("max").flatMap(value) ?? m
                return ReportFigure(median: m, min: lo, max: hi, cv: aggregate("cv").flatMap(value))
            }
            let values = iterations.compactMap(value)
            guard let s = RepetitionSummary(values) else { return nil }
            return ReportFigure(median: s.median, min: s.min, max: s.max, cv: values.count > 1 ? s.coefficientOfVariation : nil)
        }
        let throughput: ReportFigure?
        let throughputKey: String
        if let rateKey {
            throughputKey = rateKey
            throughput = figure { $0.counters[rateKey] }
        } else {
            throughputKey = "ops_per_second (from real_time)"
            throughput = figure { e in
                let seconds = e.realTime * e.timeUnit.nanoseconds / 1e9
                return seconds > 0 ? 1 / seconds : nil
            }
        }

        let cost = declared?.cost.flatMap { c in counters[c.key] != nil ? (c.key, declared?.costP99?.key ?? "") : nil }
        let latencyPrefix = declared?.latencyPrefix.flatMap { counters["\($0)p50_ns"] != nil ? $0 : nil }
        var cdf: [(nanoseconds: Double, fraction: Double)] = []
        if let latencyPrefix {
            for (suffix, fraction) in percentileLevels {
                if let v = counters[latencyPrefix + suffix] { cdf.append((v, fraction)) }
            }
        }

        var pair: (Int, Int)?
        if let arrow = parts.first(where: { $0.contains("->") }) {
            let cpus = arrow.split(separator: "-").map { $0.drop { !$0.isNumber } }.compactMap { Int($0.filter(\.isNumber)) }
            if cpus.count == 2 { pair = (cpus[0], cpus[1]) }
        }

        var row = ReportRow(
            file: file, runName: runName, scenario: scenario, strategy: strategy, layout: layout,
            parameters: parameters, repetitions: max(iterations.count, representative.repetitions),
            throughputKey: throughputKey, throughput: throughput,
            costP50: cost.flatMap { counters[$0.0] }, costP99: cost.flatMap { counters[$0.1] },
            latencyKind: latencyPrefix.map { $0.dropLast().replacingOccurrences(of: "_", with: " ") },
            latencyP50: latencyPrefix.flatMap { counters["\($0)p50_ns"] },
            latencyP99: latencyPrefix.flatMap { counters["\($0)p99_ns"] },
            latencyCDF: cdf, tornReads: counters["torn_reads"], backwardsReads: counters["backwards_reads"],
            cpuPair: pair, oneWayNanoseconds: pair == nil ? nil : latencyPrefix.flatMap { counters["\($0)p50_ns"] },
            errorMessage: entries.first { $0.errorOccurred == true }?.errorMessage)
        for key in plotted where allKeys.contains(key) {
            row.counterFigures[key] = figure { $0.counters[key] }
        }
        return row
    }
}
