import Foundation

/// `pvbench compare OLD NEW`: every case (run name) present in both files
/// judged by its figure. The U test runs over the undisturbed repetitions;
/// its p-values are Holm-adjusted across the cases tested, so a suite of 25
/// cases does not report one false "slower" a run; a case is `slower` or
/// `faster` only when significant at `alpha` after that correction and its
/// median moved by more than `threshold`.
public struct Comparison: Sendable, Encodable {
    public struct Options: Sendable, Equatable {
        public var alpha = 0.05
        /// Smallest change that counts, as a fraction (0.05 = 5 %).
        public var threshold = 0.05
        public var figure = CompareFigureChoice.headline
        public init(alpha: Double = 0.05, threshold: Double = 0.05, figure: CompareFigureChoice = .headline) {
            self.alpha = alpha
            self.threshold = threshold
            self.figure = figure
        }
    }

    /// One of the two files, as the header names it.
    public struct FileLabel: Sendable, Equatable, Encodable {
        public var path: String
        public var date: String
        public var host: String
        public var pvbenchVersion: String

        enum CodingKeys: String, CodingKey { case path, date, host, pvbenchVersion = "pvbench_version" }
    }

    public struct Counts: Sendable, Equatable, Encodable {
        public var slower = 0, faster = 0, noSignificantChange = 0, inconclusive = 0
        enum CodingKeys: String, CodingKey {
            case slower, faster, noSignificantChange = "no_significant_change", inconclusive
        }
    }

    public var old: FileLabel
    public var new: FileLabel
    public var alpha: Double
    public var threshold: Double
    public var figureChoice: String
    public var differences: [ContextDifference]
    public var cases: [CaseComparison]
    public var onlyInOld: [String]
    public var onlyInNew: [String]
    /// What applies to the whole comparison (Holm level unreachable, an interrupted run, …).
    public var notes: [String]
    /// Whether either context names a disturbance rule (issue 15's runs do);
    /// without one, only repetitions flagged `disturbed` are left out.
    public var disturbanceRuleRecorded: Bool
    public private(set) var counts: Counts
    /// 0 when nothing got significantly slower beyond the threshold, 1 when
    /// something did; stored with the counts it follows from, so that the
    /// JSON carries it.
    public private(set) var exitStatus: Int32

    /// Whether the header must say the files come from different machines or placements.
    public var crossesMachinesOrPlacements: Bool { differences.contains { $0.crossesMachinesOrPlacements } }

    enum CodingKeys: String, CodingKey {
        case old, new, alpha, threshold, figureChoice = "figure", differences, cases, onlyInOld = "only_in_old",
             onlyInNew = "only_in_new", notes, counts, exitStatus = "exit_status",
             disturbanceRuleRecorded = "disturbance_rule_recorded"
    }

    /// Why two files cannot be compared at all (exit status 64).
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case noCaseInCommon(old: String, new: String, oldCount: Int, newCount: Int)
        /// `report` only: two files that are not two runs of one set of cases
        /// (a suite and a c2c matrix), reported side by side.
        case notTwoRunsOfOneSet(old: String, new: String, common: Int, oldCount: Int, newCount: Int)
        case unknownFigure(String)

        public var description: String {
            switch self {
            case let .noCaseInCommon(old, new, a, b):
                "no case in common between \(old) (\(a) case\(a == 1 ? "" : "s")) and \(new) (\(b) case\(b == 1 ? "" : "s")): nothing to compare"
            case let .notTwoRunsOfOneSet(old, new, common, a, b):
                "\(old) (\(a) cases) and \(new) (\(b) cases) have \(common) in common, fewer than half of the larger one's: "
                    + "reported side by side as two different sets; `pvbench compare \(old) \(new)` compares those \(common)"
            case let .unknownFigure(key):
                "figure '\(key)': neither file says whether higher or lower is better (give headline, rate, cost, cost-p99, latency-p50, latency-p99, latency-p50-interpolated, real_time, cpu_time, items_per_second, bytes_per_second or a key in the files' context.figures)"
            }
        }
    }

    public init(old: ReportInput, new: ReportInput, options: Options = Options(),
                resolver: FigureResolver = FigureResolver()) throws(Failure)
    {
        self.old = Self.label(old)
        self.new = Self.label(new)
        alpha = options.alpha
        threshold = options.threshold
        figureChoice = options.figure.description
        differences = ContextDifference.between(old.rawContext, new.rawContext)
        disturbanceRuleRecorded = [old.rawContext, new.rawContext].contains(where: ContextDifference.recordsDisturbanceRule)
        notes = []
        for (which, input) in [("OLD", old), ("NEW", new)] where input.file.context.interrupted {
            notes.append("\(which) was interrupted\(input.file.context.interruptSignal.map { " (\($0))" } ?? ""): its figures cover only part of the run")
        }

        let oldNames = Self.runNames(old), newNames = Self.runNames(new)
        let common: [String]
        (common, onlyInOld, onlyInNew) = Self.split(oldNames, newNames)
        guard !common.isEmpty else {
            throw .noCaseInCommon(old: old.path, new: new.path, oldCount: oldNames.count, newCount: newNames.count)
        }

        var cases: [CaseComparison] = []
        var anyFigure = false
        for name in common {
            let oldEntries = old.entries(of: name), newEntries = new.entries(of: name)
            let scenario = (oldEntries + newEntries).lazy.compactMap(\.entry.scenario).first
            let resolved = resolver.resolve(options.figure, scenario: scenario,
                                            old: (old.file.context.figures, oldEntries.map(\.entry)),
                                            new: (new.file.context.figures, newEntries.map(\.entry)))
            guard let resolved else {
                cases.append(Self.inconclusive(name, reason: "no \(options.figure) figure for this case"))
                continue
            }
            anyFigure = true
            let a = CaseSample(name: name, figure: resolved.figure, entries: oldEntries)
            let b = CaseSample(name: name, figure: resolved.figure, entries: newEntries)
            cases.append(Self.compare(a, b, figure: resolved, options: options))
        }
        if !anyFigure, case let .key(key) = options.figure { throw .unknownFigure(key) }

        // Holm across the cases the test could decide.
        let tested = cases.indices.filter { cases[$0].pValue != nil && cases[$0].verdict != .inconclusive }
        let adjusted = SampleStatistics.holmAdjusted(tested.map { cases[$0].pValue! })
        let m = tested.count
        let reachable = tested.contains { i in
            SampleStatistics.smallestPValue(cases[i].old.repetitions - cases[i].old.disturbed,
                                            cases[i].new.repetitions - cases[i].new.disturbed) * Double(m) < options.alpha
        }
        for (i, p) in zip(tested, adjusted) {
            cases[i].pHolm = p
            if !reachable {
                cases[i].verdict = .inconclusive
                cases[i].reason = "too few repetitions for \(m) cases: Holm needs p < \(Self.format(options.alpha / Double(m))) for the first, these counts cannot reach it"
                continue
            }
            guard p < options.alpha, let change = cases[i].change, let worse = cases[i].isWorse else {
                cases[i].verdict = .noSignificantChange
                continue
            }
            if abs(change) > options.threshold {
                cases[i].verdict = worse ? .slower : .faster
            } else {
                cases[i].verdict = .noSignificantChange
                cases[i].reason = "significant, but within the \(Self.percent(options.threshold)) threshold"
            }
        }
        if m > 0, !reachable {
            notes.append("Holm across \(m) cases at α \(Self.format(options.alpha)) needs p < \(Self.format(options.alpha / Double(m))) for the first; "
                + "no case has enough undisturbed repetitions to reach it (about \(Self.repetitionsNeeded(alpha: options.alpha / Double(m))) a side needed): every tested case is inconclusive")
        }
        self.cases = cases
        var counts = Counts()
        for c in cases {
            switch c.verdict {
            case .slower: counts.slower += 1
            case .faster: counts.faster += 1
            case .noSignificantChange: counts.noSignificantChange += 1
            case .inconclusive: counts.inconclusive += 1
            }
        }
        self.counts = counts
        exitStatus = counts.slower > 0 ? 1 : 0
    }

    /// Compares one case; the verdict is provisional until Holm has run.
    static func compare(_ a: CaseSample, _ b: CaseSample, figure resolved: ResolvedFigure, options: Options) -> CaseComparison {
        let x = a.undisturbed, y = b.undisturbed
        var result = CaseComparison(
            name: a.name, figure: resolved.figure, figureSource: resolved.source, old: side(a), new: side(b),
            change: nil, changeLow: nil, changeHigh: nil, pValue: nil, pHolm: nil, test: nil, verdict: .inconclusive, reason: nil)
        if let m0 = result.old.median, let m1 = result.new.median {
            if m0 != 0 { result.change = finite(m1 / m0 - 1) } else if m1 == 0 { result.change = 0 }
        }
        if let error = a.error ?? b.error {
            result.reason = "a repetition reported an error: \(error)"
            return result
        }
        if x.isEmpty || y.isEmpty {
            let which = x.isEmpty ? "OLD" : "NEW"
            let sample = x.isEmpty ? a : b
            result.reason = sample.values.isEmpty
                ? (result.change == nil ? "\(which) has no \(resolved.figure.key) for this case"
                                        : "\(which) has aggregates only: no repetitions to test")
                : "every repetition in \(x.isEmpty && y.isEmpty ? "both files" : which) was disturbed"
            return result
        }
        // The change's CI: on log values (a CI of the ratio) when all are positive.
        let positive = (x + y).allSatisfy { $0 > 0 }
        if positive, let s = SampleStatistics.shiftInterval(x.map(log), y.map(log)) {
            result.changeLow = finite(exp(s.low) - 1)
            result.changeHigh = finite(exp(s.high) - 1)
        } else if !positive, let m0 = result.old.median, m0 != 0, let s = SampleStatistics.shiftInterval(x, y) {
            result.changeLow = finite(s.low / abs(m0))
            result.changeHigh = finite(s.high / abs(m0))
        }
        let smallest = SampleStatistics.smallestPValue(x.count, y.count)
        guard smallest < options.alpha else {
            result.reason = "too few repetitions for the U test: \(x.count) vs \(y.count) undisturbed can give at best p = "
                + "\(format(smallest)), not below \(format(options.alpha)); run \(repetitionsNeeded(alpha: options.alpha))+ a side (9+ recommended)"
            return result
        }
        guard let u = SampleStatistics.mannWhitneyU(x, y) else { return result }
        result.pValue = finite(u.pValue)
        result.test = u.exact ? "exact" : "normal"
        result.verdict = .noSignificantChange
        return result
    }

    static func side(_ s: CaseSample) -> CaseComparison.Side {
        let values = s.undisturbed
        var side = CaseComparison.Side(repetitions: s.values.count, disturbed: s.disturbedCount,
                                       median: SampleStatistics.median(values) ?? s.fileMedian)
        if let ci = s.fileInterval {
            (side.ciLow, side.ciHigh, side.ciSource) = (ci.low, ci.high, "file")
        } else if let ci = SampleStatistics.medianInterval(values) {
            (side.ciLow, side.ciHigh) = (ci.low, ci.high)
            side.ciSource = "x(\(ci.lowRank))..x(\(ci.highRank)) of \(values.count)"
        }
        return side
    }

    static func inconclusive(_ name: String, reason: String) -> CaseComparison {
        CaseComparison(name: name, figure: FigureResolver.schema["real_time"]!, figureSource: .googleBenchmark,
                       old: .init(repetitions: 0, disturbed: 0), new: .init(repetitions: 0, disturbed: 0), change: nil,
                       changeLow: nil, changeHigh: nil, pValue: nil, pHolm: nil, test: nil, verdict: .inconclusive, reason: reason)
    }

    /// Run names in file order, each once; rows that are aggregates only count too.
    static func runNames(_ input: ReportInput) -> [String] {
        var seen: Set<String> = []
        var names: [String] = []
        for b in input.file.benchmarks where seen.insert(b.runName).inserted { names.append(b.runName) }
        return names
    }

    /// The case names both sides hold (in OLD's order), and those only one side holds.
    static func split(_ old: [String], _ new: [String]) -> (common: [String], onlyInOld: [String], onlyInNew: [String]) {
        let newSet = Set(new), oldSet = Set(old)
        return (old.filter { newSet.contains($0) }, old.filter { !newSet.contains($0) }, new.filter { !oldSet.contains($0) })
    }

    static func label(_ input: ReportInput) -> FileLabel {
        let c = input.file.context
        return FileLabel(path: input.path, date: c.date, host: c.hostName, pvbenchVersion: c.pvbenchVersion)
    }

    /// The repetitions a side needs (equal sizes) for the U test to be able to reach `alpha`.
    static func repetitionsNeeded(alpha: Double) -> Int {
        var n = 2
        while n < 64, SampleStatistics.smallestPValue(n, n) >= alpha { n += 1 }
        return n
    }

    static func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
    static func format(_ p: Double) -> String { p >= 0.01 ? String(format: "%.2f", p) : String(format: "%.2g", p) }
    static func percent(_ f: Double) -> String { String(format: "%g %%", f * 100) }
}
