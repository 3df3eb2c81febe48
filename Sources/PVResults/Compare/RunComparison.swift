import Foundation

/// `pvbench compare OLD… -- NEW…`: runs, not repetitions, as the unit. Each
/// side is one or more result files; a file written by `pvbench run --runs
/// K` holds K runs (its entries carry `run_id`), any other file is one run.
/// Per case, the ratio of medians new/old gets a hierarchical-bootstrap
/// interval (``HierarchicalBootstrap``), and the answer is one of three, as
/// Chromium's Pinpoint gives them:
///
/// - **different**: the interval lies beyond the threshold band, below
///   1/(1+t) or above 1+t (slower or faster by the figure's direction): a
///   change of at least the threshold is established, as *same* needs the
///   whole interval inside the band;
/// - **same**: the interval lies inside [1/(1+t), 1+t]: no change of the
///   threshold or more is compatible with the runs;
/// - **unknown**: neither; with how many more runs per side should decide
///   it (``RunsForecast``), or
///   why more runs will not help.
///
/// Like is compared with like: each repetition's placement probe
/// (`c2c_probe_ns`) puts it in a placement class (``PlacementClasses``,
/// clustered over both sides together); a case whose spread the class
/// explains (``Options/stratifyShare``) is compared within the class both
/// sides have the most runs in, unless another class answers otherwise
/// (``Options/classesMustAgree``), and two sides that share no class are
/// not compared; any other case pools its classes.
public struct RunComparison: Sendable, Encodable {
    public struct Options: Sendable, Equatable {
        /// Smallest change that counts (0.05 = 5 %): "same" means the interval
        /// excludes a change of this size either way.
        public var threshold: Double
        /// The interval's coverage per case.
        public var level: Double
        public var resamples: Int
        public var seed: UInt64
        public var figure: CompareFigureChoice
        /// Runs a side needs before a case can be answered at all.
        public var minimumRuns: Int
        /// Compare within a placement class only when the class explains at
        /// least this share of the variance (ε² over both sides, each about
        /// its own mean, ``PlacementClasses/explainedShare(_:classes:blocks:)``);
        /// below it all classes are pooled. On a busy 2-vCPU guest the placement
        /// explained a median 2.8 % of a case's variance (c2c 52 %): a split
        /// there only threw away runs.
        public var stratifyShare = 0.25
        /// Runs a side a class needs before a case compared within it is
        /// answered *same* or *different* (else unknown, with
        /// `class_runs_needed` and no runs forecast). 2, as any comparison
        /// needs: 3 left the busiest nights' cases unknown at 3 runs a side
        /// (2 a side in their class) and bought no fewer false *different*
        /// in 400 A/A splits of five recorded sets (docs/compare.md).
        public var minimumClassRuns = 2
        /// A case compared within a class is answered *same* or
        /// *different* only when no other class with runs enough (both
        /// sides ran in it, ``minimumClassRuns`` a side) answers otherwise;
        /// else unknown, with both answers in the reason. On a quiet day's
        /// 10 default suites (set K) idle-scan over 4096 cacheline vCPUs read
        /// about 430 k scans/s in every fast-class run and 30 k or 50 k in
        /// the slow class, a level per run: 3 runs a side in the slow class
        /// called 7 of 160 A/A splits *different*, while the fast class said
        /// *same* (docs/compare.md). It only ever turns an answer into unknown.
        public var classesMustAgree = true

        public static let defaultThreshold = 0.05
        public static let defaultLevel = 0.95

        public init(threshold: Double = Options.defaultThreshold, level: Double = Options.defaultLevel, resamples: Int = 2000,
                    seed: UInt64 = 0x5EED_B007, figure: CompareFigureChoice = .headline, minimumRuns: Int = 2) {
            self.threshold = threshold
            self.level = level
            self.resamples = resamples
            self.seed = seed
            self.figure = figure
            self.minimumRuns = minimumRuns
        }
    }

    /// The class of repetitions without a probe value (the probe could not
    /// run: on a loaded machine both its threads are seldom on their CPUs at once).
    public static let unprobed = "no probe"
    /// The comparison made over all classes together.
    public static let pooled = "pooled"

    public enum Answer: String, Sendable, Encodable {
        case different, same, unknown
    }

    /// One placement class's comparison of a case.
    public struct ClassComparison: Sendable, Equatable, Encodable {
        public var placementClass: String?
        public var oldRuns: Int
        public var newRuns: Int
        public var oldRepetitions: Int
        public var newRepetitions: Int
        public var oldMedian: Double?
        public var newMedian: Double?
        public var bootstrap: HierarchicalBootstrap.Result?
        public var answer: Answer
        /// With `different`: "slower" or "faster" by the figure's direction.
        public var direction: String?
        /// With `unknown`: about how many more runs per side should decide it
        /// (nil: more runs will not help, or the class is short of runs,
        /// `reason` says why).
        public var moreRuns: Int?
        /// With `unknown` from a class compared within: the runs a side the
        /// class needs (``Options/minimumClassRuns``). Not a number of runs
        /// to add: the host decides which class a new run lands in.
        public var classRunsNeeded: Int?
        /// With `unknown` from classes that disagree
        /// (``Options/classesMustAgree``): the other class.
        public var disagreeingClass: String?
        public var reason: String?

        /// The same comparison with its answer withdrawn: unknown, no
        /// direction, no runs forecast, and why.
        func withdrawn(reason: String) -> ClassComparison {
            var c = self
            c.answer = .unknown
            c.direction = nil
            c.moreRuns = nil
            c.reason = reason
            return c
        }

        enum CodingKeys: String, CodingKey {
            case placementClass = "placement_class", oldRuns = "old_runs", newRuns = "new_runs",
                 oldRepetitions = "old_repetitions", newRepetitions = "new_repetitions", oldMedian = "old_median",
                 newMedian = "new_median", bootstrap, answer, direction, moreRuns = "more_runs",
                 classRunsNeeded = "class_runs_needed", disagreeingClass = "disagreeing_class", reason
        }
    }

    public struct CaseResult: Sendable, Equatable, Encodable {
        public let name: String
        public let figure: Figure
        /// The class the answer comes from (the one both sides have most runs in).
        public let chosen: ClassComparison
        /// Every class present on either side.
        public let classes: [ClassComparison]
        /// The share of the variance (log values, about each side's mean)
        /// that lies between placement classes, beyond chance (ε²); nil when
        /// neither side has two classes.
        public let placementShare: Double?
        /// The chosen class's answer, stored so that the JSON names it at the case's level.
        public let answer: Answer

        /// Whether the case got worse beyond the threshold.
        public var isSlower: Bool { chosen.answer == .different && chosen.direction == "slower" }

        enum CodingKeys: String, CodingKey { case name, figure, answer, chosen, classes, placementShare = "placement_share" }

        init(name: String, figure: Figure, chosen: ClassComparison, classes: [ClassComparison], placementShare: Double?) {
            (self.name, self.figure, self.chosen, self.classes, self.placementShare) = (name, figure, chosen, classes, placementShare)
            answer = chosen.answer
        }
    }

    public struct Counts: Sendable, Equatable, Encodable {
        public var slower = 0, faster = 0, same = 0, unknown = 0
    }

    public var old: [String]
    public var new: [String]
    public var threshold: Double
    public var level: Double
    public var figureChoice: String
    public var placementClasses: PlacementClasses
    /// How the files were probed (``PlacementClasses/probeWords(_:)``); nil without classes.
    public var placementProbe: String?
    public var differences: [ContextDifference]
    public var cases: [CaseResult]
    public var onlyInOld: [String]
    public var onlyInNew: [String]
    public var notes: [String]
    public var counts: Counts

    /// 0 when nothing is different and slower, 1 when something is (as two-file `compare`).
    public var exitStatus: Int32 { counts.slower > 0 ? 1 : 0 }

    /// The exit status for a CI gate: as ``exitStatus``, and 2 with
    /// `failOnUnknown` when none is slower but a case is unknown.
    public func exitStatus(failOnUnknown: Bool) -> Int32 {
        exitStatus == 0 && failOnUnknown && counts.unknown > 0 ? 2 : exitStatus
    }

    /// Whether two-file `compare` should test these files at the run level:
    /// some file holds several runs (`pvbench run --runs K`).
    public static func holdsSeveralRuns(_ inputs: [ReportInput]) -> Bool {
        inputs.contains { Set($0.file.benchmarks.compactMap(\.runID)).count > 1 }
    }

    enum CodingKeys: String, CodingKey {
        case old, new, threshold, level, figureChoice = "figure", placementClasses = "placement_classes",
             unclassified = "unclassified_probes_ns", stalled = "stalled_probes_ns", probe = "placement_probe", differences,
             cases, onlyInOld = "only_in_old", onlyInNew = "only_in_new", notes, counts, exitStatus = "exit_status"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(old, forKey: .old)
        try c.encode(new, forKey: .new)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(level, forKey: .level)
        try c.encode(figureChoice, forKey: .figureChoice)
        try c.encode(placementClasses.classes, forKey: .placementClasses)
        try c.encode(placementClasses.unclassified, forKey: .unclassified)
        try c.encode(placementClasses.stalled, forKey: .stalled)
        try c.encodeIfPresent(placementProbe, forKey: .probe)
        try c.encode(differences, forKey: .differences)
        try c.encode(cases, forKey: .cases)
        try c.encode(onlyInOld, forKey: .onlyInOld)
        try c.encode(onlyInNew, forKey: .onlyInNew)
        try c.encode(notes, forKey: .notes)
        try c.encode(counts, forKey: .counts)
        try c.encode(exitStatus, forKey: .exitStatus)
    }

    /// One repetition that counts: its run, value and placement probes
    /// before and after it.
    struct Repetition {
        var run: String
        var value: Double
        var probe: Double?
        var after: Double?
    }

    public init(old: [ReportInput], new: [ReportInput], options: Options = Options(),
                resolver: FigureResolver = FigureResolver()) throws(Comparison.Failure) {
        precondition(!old.isEmpty && !new.isEmpty, "each side has at least one file")
        self.old = old.map(\.path)
        self.new = new.map(\.path)
        threshold = options.threshold
        level = options.level
        figureChoice = options.figure.description
        differences = ContextDifference.between(old[0].rawContext, new[0].rawContext)
        notes = []
        for input in old + new where input.file.context.interrupted {
            notes.append("\(input.path) was interrupted: its figures cover only part of the run")
        }
        let oldNames = Self.names(old), newNames = Self.names(new)
        let common: [String]
        (common, onlyInOld, onlyInNew) = Comparison.split(oldNames, newNames)
        guard !common.isEmpty else {
            throw .noCaseInCommon(old: self.old.joined(separator: " "), new: self.new.joined(separator: " "),
                                  oldCount: oldNames.count, newCount: newNames.count)
        }
        // Placement classes over both sides; a side without any probe is compared without classes.
        let oldProbed = old.contains { $0.file.benchmarks.contains { $0.placementProbeNanoseconds != nil } }
        let newProbed = new.contains { $0.file.benchmarks.contains { $0.placementProbeNanoseconds != nil } }
        if oldProbed != newProbed {
            notes.append("\(oldProbed ? "NEW" : "OLD") has no placement probe (c2c_probe_ns): compared without placement classes")
        }
        placementClasses = PlacementClasses(probes: oldProbed && newProbed ? PlacementClasses.probeValues((old + new).map(\.file)) : [])
        placementProbe = oldProbed && newProbed ? PlacementClasses.probeWords((old + new).map(\.file)) : nil

        var cases: [CaseResult] = []
        var anyFigure = false
        for name in common {
            let oldEntries = old.flatMap { $0.entries(of: name).map(\.entry) }
            let newEntries = new.flatMap { $0.entries(of: name).map(\.entry) }
            let scenario = (oldEntries + newEntries).lazy.compactMap(\.scenario).first
            let resolved = resolver.resolve(options.figure, scenario: scenario, old: (old[0].file.context.figures, oldEntries),
                                            new: (new[0].file.context.figures, newEntries))
            guard let resolved else { continue }
            anyFigure = true
            let a = Self.repetitions(of: name, figure: resolved.figure, in: old, side: "old")
            let b = Self.repetitions(of: name, figure: resolved.figure, in: new, side: "new")
            cases.append(Self.compare(name, figure: resolved.figure, a, b, options: options, classes: placementClasses))
        }
        if !anyFigure, case let .key(key) = options.figure { throw .unknownFigure(key) }
        self.cases = cases
        var counts = Counts()
        for c in cases {
            switch c.answer {
            case .different: if c.isSlower { counts.slower += 1 } else { counts.faster += 1 }
            case .same: counts.same += 1
            case .unknown: counts.unknown += 1
            }
        }
        self.counts = counts
    }

    /// The undisturbed repetitions of one case over a side's files, each with its run.
    static func repetitions(of name: String, figure: Figure, in inputs: [ReportInput], side: String) -> [Repetition] {
        var out: [Repetition] = []
        for (f, input) in inputs.enumerated() {
            for (e, disturbed) in input.entries(of: name) where e.runType == .iteration && !disturbed && e.excluded != true {
                guard e.errorOccurred != true, let v = CaseSample.value(of: figure, in: e) else { continue }
                out.append(Repetition(run: "\(side)\(f):\(e.runID ?? 0)", value: v, probe: e.placementProbeNanoseconds,
                                      after: e.placementProbeAfterNanoseconds))
            }
        }
        return out
    }

    static func compare(_ name: String, figure: Figure, _ a: [Repetition], _ b: [Repetition], options: Options,
                        classes placementClasses: PlacementClasses) -> CaseResult {
        // Grouped by where the round's probe put them: a class, unclassified,
        // stalled, or no probe (nil, last).
        typealias Group = PlacementClasses.Membership?
        func byGroup(_ reps: [Repetition]) -> [Group: [[Double]]] {
            var grouped: [Group: [String: [Double]]] = [:]
            var order: [String] = []
            for r in reps {
                if !order.contains(r.run) { order.append(r.run) }
                grouped[placementClasses.membership(before: r.probe, after: r.after), default: [:]][r.run, default: []].append(r.value)
            }
            return grouped.mapValues { runs in order.compactMap { runs[$0] } }
        }
        let oldGroups = byGroup(a), newGroups = byGroup(b)
        let keys = Set(oldGroups.keys).union(newGroups.keys).sorted { l, r in
            switch (l, r) {
            case let (l?, r?): l < r
            case (_?, nil): true
            default: false
            }
        }
        var classes: [ClassComparison] = []
        for k in keys {
            classes.append(Self.compareRuns(oldGroups[k] ?? [], newGroups[k] ?? [], figure: figure, options: options,
                                            label: k.map { $0.label(in: placementClasses) }))
        }
        // Like with like only where the placement matters for this case: it
        // explains enough of a side's spread, or the sides ran in disjoint
        // classes and nothing says it does not. Elsewhere a class split only
        // throws runs away: the classes both sides ran in are pooled (with
        // the repetitions of stalled or missing probes, and of a placement
        // moved), but not a class only one side ran in, nor the unclassified
        // probes (a placement too rare to be a class): a pool must hold the
        // same placements on both sides.
        let tagged = [a, b].enumerated().flatMap { side, reps in
            reps.compactMap { r in placementClasses.classIndex(of: r.probe, after: r.after).map { (value: r.value, placed: $0, side: side) } }
        }
        let share = PlacementClasses.explainedShare(tagged.map(\.value), classes: tagged.map(\.placed), blocks: tagged.map(\.side))
        let oldSet = Set(oldGroups.keys.compactMap { k -> Int? in if case let .placed(i)? = k { i } else { nil } })
        let newSet = Set(newGroups.keys.compactMap { k -> Int? in if case let .placed(i)? = k { i } else { nil } })
        let stratify = share.map { $0 >= options.stratifyShare }
            ?? (!oldSet.isEmpty && !newSet.isEmpty && oldSet.isDisjoint(with: newSet))
        func inPool(_ group: Group) -> Bool {
            switch group {
            case let .placed(i)?: oldSet.contains(i) && newSet.contains(i)
            case .unclassified?: false
            default: true
            }
        }
        let poolA = a.filter { inPool(placementClasses.membership(before: $0.probe, after: $0.after)) }
        let poolB = b.filter { inPool(placementClasses.membership(before: $0.probe, after: $0.after)) }
        if !stratify, !poolA.isEmpty, !poolB.isEmpty {
            // One class and nothing else: its name says more than "pooled".
            if keys.count == 1, case .placed? = keys[0] {
                return CaseResult(name: name, figure: figure, chosen: classes[0], classes: classes, placementShare: share)
            }
            func runs(_ reps: [Repetition]) -> [[Double]] {
                var order: [String] = [], byRun: [String: [Double]] = [:]
                for r in reps {
                    if byRun[r.run] == nil { order.append(r.run) }
                    byRun[r.run, default: []].append(r.value)
                }
                return order.map { byRun[$0]! }
            }
            let chosen = Self.compareRuns(runs(poolA), runs(poolB), figure: figure, options: options,
                                          label: keys.count == 1 ? classes[0].placementClass : Self.pooled)
            return CaseResult(name: name, figure: figure, chosen: chosen, classes: classes, placementShare: share)
        }
        // Within a class: only a class both sides ran in, never the
        // repetitions outside every class.
        let shared = zip(keys, classes).filter { k, c in
            if case .placed? = k { c.oldRuns > 0 && c.newRuns > 0 } else { false }
        }.map(\.1)
        let chosen: ClassComparison
        if let best = shared.max(by: { (min($0.oldRuns, $0.newRuns), min($0.oldRepetitions, $0.newRepetitions))
                < (min($1.oldRuns, $1.newRuns), min($1.oldRepetitions, $1.newRepetitions)) }) {
            // Short of runs in the class: unknown, and not "run N more" (where
            // the next run lands is the host's doing), whatever the class said.
            if min(best.oldRuns, best.newRuns) < options.minimumClassRuns {
                var few = best.withdrawn(reason: "needs ≥ \(options.minimumClassRuns) runs a side in \(best.placementClass ?? "the class"), "
                    + "the placement this case follows (has \(best.oldRuns)/\(best.newRuns)): fewer cannot show how far "
                    + "the next run moves, and which class a new run lands in is the host's doing")
                few.classRunsNeeded = options.minimumClassRuns
                chosen = few
            } else if options.classesMustAgree, best.answer != .unknown,
                      let other = shared.first(where: { c in
                          c.placementClass != best.placementClass && min(c.oldRuns, c.newRuns) >= options.minimumClassRuns
                              && c.answer != .unknown && (c.answer, c.direction) != (best.answer, best.direction)
                      }) {
                // Another class with runs enough answers otherwise: either
                // the change is not one factor in every placement, or one
                // class's few runs do not show how far its runs move (the
                // slow placement's often move more). Neither answer stands.
                var split = best.withdrawn(reason: "the placement classes disagree (\(Self.verdict(best)); \(Self.verdict(other))): "
                    + "the change differs by placement, or a class's runs spread more than its few show; run more")
                split.disagreeingClass = other.placementClass
                chosen = split
            } else {
                chosen = best
            }
        } else if a.isEmpty || b.isEmpty {
            chosen = ClassComparison(oldRuns: Set(a.map(\.run)).count, newRuns: Set(b.map(\.run)).count,
                                     oldRepetitions: a.count, newRepetitions: b.count, answer: .unknown,
                                     reason: "no undisturbed repetition with the figure on \(a.isEmpty ? "the OLD" : "the NEW") side")
        } else {
            func labels(_ set: Set<Int>) -> String {
                set.isEmpty ? "no class" : set.sorted().map { placementClasses.classes[$0].label }.joined(separator: ", ")
            }
            chosen = ClassComparison(oldRuns: Set(a.map(\.run)).count, newRuns: Set(b.map(\.run)).count,
                                     oldRepetitions: a.count, newRepetitions: b.count, answer: .unknown,
                                     reason: "no placement class in common (OLD \(labels(oldSet)); NEW \(labels(newSet))): "
                                         + "the two sides ran on different host placements; run more until they share one")
        }
        return CaseResult(name: name, figure: figure, chosen: chosen, classes: classes, placementShare: share)
    }

    /// "c2c≈198ns: slower, 1.805 [1.099, 2.263]", for a reason line.
    static func verdict(_ c: ClassComparison) -> String {
        let answer = c.answer == .different ? c.direction ?? "different" : c.answer.rawValue
        let ratio = c.bootstrap.map { String(format: ", %.3f [%.3f, %.3f]", $0.ratio, $0.low, $0.high) } ?? ""
        return "\(c.placementClass ?? unprobed): \(answer)\(ratio)"
    }

    /// The answer for one class's runs.
    static func compareRuns(_ old: [[Double]], _ new: [[Double]], figure: Figure, options: Options, label: String?) -> ClassComparison {
        var c = ClassComparison(placementClass: label, oldRuns: old.count, newRuns: new.count,
                                oldRepetitions: old.map(\.count).reduce(0, +), newRepetitions: new.map(\.count).reduce(0, +),
                                oldMedian: SampleStatistics.median(old.flatMap { $0 }),
                                newMedian: SampleStatistics.median(new.flatMap { $0 }), answer: .unknown)
        guard !old.isEmpty, !new.isEmpty else {
            c.reason = "only \(old.isEmpty ? "NEW" : "OLD") has runs in this class"
            return c
        }
        guard let boot = HierarchicalBootstrap.ratioOfMedians(old: old, new: new, level: options.level,
                                                                resamples: options.resamples, seed: options.seed) else {
            c.reason = "a median is not positive: no ratio"
            return c
        }
        c.bootstrap = boot
        let verdict = Self.answer(boot, threshold: options.threshold, runs: min(old.count, new.count),
                                  minimumRuns: options.minimumRuns)
        c.answer = verdict.answer
        c.moreRuns = verdict.moreRuns
        c.reason = verdict.reason
        if verdict.answer == .different {
            let worse = figure.better == .higher ? boot.ratio < 1 : boot.ratio > 1
            c.direction = worse ? "slower" : "faster"
        }
        return c
    }

    /// The Pinpoint-style answer for a ratio's interval, given the runs per
    /// side (the smaller side) it came from. Pure policy: no data.
    public static func answer(_ b: HierarchicalBootstrap.Result, threshold t: Double, runs: Int,
                              minimumRuns: Int = 2, maximumRuns: Int = 50) -> (answer: Answer, moreRuns: Int?, reason: String?) {
        let limit = log1p(t)
        let c = log(b.ratio), lo = log(b.low), hi = log(b.high)
        let halfWidth = max(c - lo, hi - c, 1e-12)
        if runs >= minimumRuns {
            if lo >= -limit, hi <= limit { return (.same, nil, nil) }
            // Beyond the band, not merely clear of 1: "excludes 1 and the
            // ratio beyond the threshold" called 8 of 60 A/A comparisons of
            // 3 + 3 recorded runs "different" somewhere, this 5 (docs/compare.md).
            if lo > limit || hi < -limit { return (.different, nil, nil) }
        }
        var more: Int
        if let widening = b.widening, runs >= 2 {
            // The log ratio's standard error on the σ scale: the widened
            // half-width without its normal quantile, the bootstrap's (n−1)/n undone.
            let z = HierarchicalBootstrap.normalQuantile(1 - (1 - b.level) / 2)
            let se = halfWidth * (Double(runs) / Double(runs - 1)).squareRoot() / (widening * z)
            more = RunsForecast.runsNeeded(ratio: b.ratio, standardError: se, band: limit, runs: runs, level: b.level,
                                           upTo: runs + maximumRuns + 1) - runs
            more = max(more, minimumRuns - runs)
        } else {
            // One run a side: no spread to forecast from; the interval's
            // width projected as 1/√runs, and at least the minimum.
            let target = max(abs(c) < limit ? limit - abs(c) : abs(c) - limit, 1e-12)
            let m = Double(max(runs, 1)) * pow(halfWidth / target, 2)
            more = max(1, Int(min(m, Double(runs + maximumRuns + 1)).rounded(.up)) - runs, minimumRuns - runs)
        }
        if more > maximumRuns {
            let nearBand = abs(abs(c) - limit) < limit / 4
            let why = nearBand ? String(format: "the ratio %.3f is about the %g %% threshold", b.ratio, t * 100)
                : String(format: "the runs spread too much (interval %.3f–%.3f)", b.low, b.high)
            return (.unknown, nil, "\(why): more than \(maximumRuns) more runs a side would be needed to decide")
        }
        return (.unknown, more, runs < minimumRuns ? "\(runs) run\(runs == 1 ? "" : "s") a side cannot show how far the next run moves" : nil)
    }

    /// Run names over a side's files, in file order, each once.
    static func names(_ inputs: [ReportInput]) -> [String] {
        var seen: Set<String> = []
        var names: [String] = []
        for input in inputs { for b in input.file.benchmarks where seen.insert(b.runName).inserted { names.append(b.runName) } }
        return names
    }
}
