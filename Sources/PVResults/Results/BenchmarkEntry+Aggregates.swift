extension BenchmarkEntry {
    /// The aggregate names pvbench emits after a run's repetitions.
    public static let aggregateNames = ["median", "ci_low", "ci_high", "min", "max", "cv"]

    /// Aggregates over the repetitions of one run (same `run_name`) that are
    /// not ``excluded`` (disturbed ones, unless kept): one entry each for
    /// median, the median's 95 % confidence interval (`ci_low`, `ci_high`:
    /// order statistics, ``SampleStatistics/medianInterval(_:level:)``; left
    /// out below 6 repetitions, where no such interval reaches 95 %), min,
    /// max and cv of `real_time`, `cpu_time` and every counter present in
    /// all of them, named `<run_name>_<aggregate>` as google-benchmark names them. `cv` entries are fractions (0.02 = 2 %)
    /// with `aggregate_unit` "percentage"; a cv that is undefined (mean 0)
    /// leaves that counter out rather than writing a made-up number.
    ///
    /// Also returns one warning per figure whose spread is large (CV above
    /// `largeSpreadThreshold`), for the result context.
    public static func aggregates(of runs: [BenchmarkEntry],
                                  largeSpreadThreshold: Double = RepetitionSummary.defaultLargeSpreadThreshold)
        -> (entries: [BenchmarkEntry], warnings: [RunWarning])
    {
        guard let first = runs.first else { return ([], []) }
        precondition(runs.allSatisfy { $0.runName == first.runName && $0.runType == .iteration },
                     "aggregate repetitions of one run only")
        let runs = runs.filter { $0.excluded != true }
        guard !runs.isEmpty else { return ([], [RunWarning.allDisturbed(first.runName)]) }
        let real = RepetitionSummary(runs.map(\.realTime))
        let cpu = RepetitionSummary(runs.map(\.cpuTime))
        let counterNames = Set(runs.flatMap(\.counters.keys)).filter { name in runs.allSatisfy { $0.counters[name] != nil } }
        var counterSummaries: [String: RepetitionSummary] = [:]
        for name in counterNames { counterSummaries[name] = RepetitionSummary(runs.map { $0.counters[name]! }) }

        var warnings: [RunWarning] = []
        if runs.count > 1 {
            for (figure, summary) in [("real_time", real)] + counterNames.sorted().map({ ($0, counterSummaries[$0]) }) {
                if let w = summary?.spreadWarning(figure: "\(first.runName) \(figure)", threshold: largeSpreadThreshold) {
                    warnings.append(.spread(w, caseName: first.runName, figure: figure))
                }
            }
        }

        let realCI = SampleStatistics.medianInterval(runs.map(\.realTime))
        let cpuCI = SampleStatistics.medianInterval(runs.map(\.cpuTime))
        var counterCIs: [String: MedianInterval] = [:]
        for name in counterNames {
            counterCIs[name] = SampleStatistics.medianInterval(runs.map { $0.counters[name]! })
        }
        func pick(_ s: RepetitionSummary?, _ ci: MedianInterval?, _ aggregate: String) -> Double? {
            guard let s else { return nil }
            switch aggregate {
            case "ci_low": return ci?.low
            case "ci_high": return ci?.high
            case "median": return s.median
            case "min": return s.min
            case "max": return s.max
            default: return s.coefficientOfVariation
            }
        }
        let entries = aggregateNames.filter { !$0.hasPrefix("ci_") || realCI != nil }.map { aggregate -> BenchmarkEntry in
            var counters: [String: Double] = [:]
            for (name, s) in counterSummaries { if let v = pick(s, counterCIs[name], aggregate) { counters[name] = v } }
            return BenchmarkEntry(
                name: "\(first.runName)_\(aggregate)", runName: first.runName, runType: .aggregate,
                aggregateName: aggregate, aggregateUnit: aggregate == "cv" ? "percentage" : "time",
                repetitions: runs.count, repetitionIndex: nil, threads: first.threads, iterations: Int64(runs.count),
                realTime: pick(real, realCI, aggregate) ?? 0, cpuTime: pick(cpu, cpuCI, aggregate) ?? 0, timeUnit: first.timeUnit,
                familyIndex: first.familyIndex, perFamilyInstanceIndex: first.perFamilyInstanceIndex,
                label: first.label, scenario: first.scenario, strategy: first.strategy, layout: first.layout,
                counters: counters)
        }
        return (entries, warnings)
    }
}
