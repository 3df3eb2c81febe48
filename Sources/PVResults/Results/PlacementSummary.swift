/// What the placement probe says about a result file, for its context
/// (`placement_classes`) and its table: the classes the probes fell in and,
/// per case, its rate's median in each class and the share of
/// its variance the class explains. Only written when the probe found more
/// than one class, or probes outside the classes (stalled, unclassified).
public struct PlacementSummary: Sendable, Equatable, Codable {
    public struct CaseClasses: Sendable, Equatable, Codable {
        public var name: String
        public var key: String
        /// Per class label (`c2c≈41ns`), the median and the repetitions.
        public var medians: [String: Double]
        public var repetitions: [String: Int]
        /// ε²: the share of the variance of the log values that lies between
        /// classes beyond chance (``PlacementClasses/explainedShare(_:classes:blocks:)``).
        public var classShare: Double?

        enum CodingKeys: String, CodingKey { case name, key, medians, repetitions, classShare = "class_share" }
    }

    public var classes: [PlacementClasses.PlacementClass]
    public var cases: [CaseClasses]
    /// Probe values in no class (too few to make one) and of
    /// stalled probes (``PlacementClasses``); nil when none.
    public var unclassified: [Double]?
    public var stalled: [Double]?
    /// Repetitions in no class because the host moved the vCPUs while they
    /// ran (their probes before and after in different placements); nil
    /// when none.
    public var moved: Int?
    /// How the file was probed (``PlacementClasses/probeWords(_:)``); nil
    /// in summaries written before this was recorded.
    public var probe: String?

    enum CodingKeys: String, CodingKey {
        case classes, cases, unclassified = "unclassified_ns", stalled = "stalled_ns", moved = "moved_repetitions", probe
    }

    /// Nil when the file has no probe values, or one class and no stalled probe.
    public init?(_ file: ResultFile) {
        let grouping = PlacementClasses(probes: PlacementClasses.probeValues([file]))
        guard grouping.classes.count > 1 || !grouping.stalled.isEmpty
            || (grouping.classes.count == 1 && !grouping.unclassified.isEmpty) else { return nil }
        classes = grouping.classes
        unclassified = grouping.unclassified.isEmpty ? nil : grouping.unclassified
        stalled = grouping.stalled.isEmpty ? nil : grouping.stalled
        probe = PlacementClasses.probeWords([file])
        var moved = 0
        var order: [String] = []
        var tagged: [String: [(Double, Int)]] = [:]
        var keys: [String: String] = [:]
        for e in file.benchmarks where e.runType == .iteration && e.excluded != true && e.errorOccurred != true {
            let key = keys[e.runName] ?? file.rateKey(of: e)
            keys[e.runName] = key
            let membership = grouping.membership(of: e)
            if membership == .moved { moved += 1 }
            guard let v = key == "real_time" ? e.realTime : e.counters[key], case let .placed(c)? = membership else { continue }
            if tagged[e.runName] == nil { order.append(e.runName) }
            tagged[e.runName, default: []].append((v, c))
        }
        self.moved = moved > 0 ? moved : nil
        cases = order.map { name in
            let pairs = tagged[name]!
            var medians: [String: Double] = [:], counts: [String: Int] = [:]
            for c in Set(pairs.map(\.1)) {
                let v = pairs.filter { $0.1 == c }.map(\.0)
                medians[grouping.classes[c].label] = SampleStatistics.median(v)
                counts[grouping.classes[c].label] = v.count
            }
            return CaseClasses(name: name, key: keys[name]!, medians: medians, repetitions: counts,
                               classShare: PlacementClasses.explainedShare(pairs.map(\.0), classes: pairs.map(\.1)))
        }
    }

    /// One line for the classes, then per case its median in each class
    /// and the class's share of its variance.
    public func render(wide: Bool = false) -> String {
        let outside = PlacementClasses.outsideClasses(unclassified: unclassified ?? [], stalled: stalled ?? [])
            + (moved.map { ["\(PlacementClasses.movedLabel) in \($0) repetition\($0 == 1 ? "" : "s")"] } ?? [])
        let header = "placement classes (\(probe ?? "c2c probe before each round")): "
            + (classes.map { "\($0.label) \($0.count) probe\($0.count == 1 ? "" : "s") [\(Int($0.low))–\(Int($0.high)) ns]" } + outside)
            .joined(separator: ", ")
        var table = TerminalTable(columns: [.init("case", alignment: .left)] + classes.map { .init($0.label) }
            + [.init("class share", unit: "of variance")])
        for c in cases {
            func value(_ v: Double?) -> String {
                guard let v else { return "-" }
                return c.key == "real_time" ? ReportNumberFormat.nanoseconds(v) + " ns" : ReportNumberFormat.rate(v)
            }
            table.addRow([wide ? c.name : CaseName.narrow(c.name)] + classes.map { k in
                value(c.medians[k.label]) + (c.repetitions[k.label].map { " (\($0))" } ?? "")
            } + [c.classShare.map { ReportNumberFormat.percent($0) } ?? "-"])
        }
        return RunFootnotes.fit(header, wide: wide) + "\n" + table.render()
    }
}
