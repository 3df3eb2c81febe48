import Foundation

/// Where the host put the run's vCPUs, as the c2c probe around each
/// repetition saw it: the probe's one-way latencies grouped into classes. On a 2-vCPU
/// KVM guest the probe is bimodal (about 40 ns when the host runs the two
/// vCPUs on cores that share a cache, about 200 ns when not), and every
/// case that races for a line follows it; comparing a fast-placement run
/// with a slow-placement one measures the host, not the change.
///
/// The classes come from one value per probe (``probeValues(_:)``):
/// 1. A value beyond ``stallLimit`` — ``stallBound`` (10 µs), or
///    ``stallFactor`` (20) times the median of the values — is a probe whose
///    threads were descheduled, not a line transfer (a busy 2-vCPU guest
///    gave 416 µs): it is *stalled*, kept and reported, in no class.
/// 2. The rest, sorted on a log scale, are split at the largest gap when the
///    gap itself is at least ``minimumGap`` (1.25×) and the two parts'
///    medians differ by more than ``minimumRatio`` (1.5×); each part is
///    split again the same way. A probe that varies smoothly stays one class.
/// 3. A part of fewer than ``minimumProbes(of:)`` probes (2, or 5 % of the
///    probes) is *unclassified*: one probe cannot show that a placement
///    recurs, and merging it into the nearest class would put two
///    placements in one, which is what the classes are for not doing.
///
/// A repetition belongs to the class of the probe before it, unless the
/// probe after it (``BenchmarkEntry/placementProbeAfterNanoseconds``) is
/// in another class or unclassified: the host then moved the vCPUs while
/// it ran, and it is *moved*, in no class.
public struct PlacementClasses: Sendable, Equatable, Encodable {
    public struct PlacementClass: Sendable, Equatable, Codable {
        /// 0 for the fastest placement.
        public let index: Int
        /// The smallest, median and largest probe value in the class (ns).
        public let low: Double
        public let median: Double
        public let high: Double
        /// Probe values in the class (in files from before the probe around
        /// each repetition, one per round).
        public let count: Int
        /// `c2c≈41ns`: stored, so that a file carries the name its tables use.
        public let label: String

        enum CodingKeys: String, CodingKey { case index, label, low = "low_ns", median = "median_ns", high = "high_ns", count }

        public init(index: Int, low: Double, median: Double, high: Double, count: Int) {
            (self.index, self.low, self.median, self.high, self.count) = (index, low, median, high, count)
            label = "c2c≈\(Int(median.rounded()))ns"
        }
    }

    /// Where one probe value belongs.
    public enum Membership: Hashable, Sendable, Comparable {
        /// In the class of this index.
        case placed(Int)
        /// In a part too small to be a class.
        case unclassified
        /// Beyond the stall limit: the probe's threads were descheduled.
        case stalled
        /// Of a repetition whose probes before and after are in different
        /// placements: the host moved the vCPUs while it ran.
        case moved

        /// `c2c≈41ns`, "unclassified", "probe stalled" or "placement moved".
        public func label(in classes: PlacementClasses) -> String {
            switch self {
            case let .placed(i): classes.classes[i].label
            case .unclassified: PlacementClasses.unclassifiedLabel
            case .stalled: PlacementClasses.stalledLabel
            case .moved: PlacementClasses.movedLabel
            }
        }
    }

    public static let unclassifiedLabel = "unclassified"
    public static let stalledLabel = "probe stalled"
    public static let movedLabel = "placement moved"

    /// Ascending by probe value; empty when no value was given.
    public var classes: [PlacementClass]
    /// The values in parts too small to be a class, ascending.
    public var unclassified: [Double]
    /// The values beyond ``stallLimit``, ascending.
    public var stalled: [Double]
    /// A value above this is stalled: min(``stallBound``, ``stallFactor`` × the median value).
    public var stallLimit: Double
    /// Between part i and i+1 (classes and unclassified parts in value
    /// order): the geometric mean of the values either side of the gap.
    var boundaries: [Double]
    /// Per part, its class index, or nil for an unclassified part.
    var partClass: [Int?]

    public static let minimumRatio = 1.5
    public static let minimumGap = 1.25
    public static let maximumParts = 8
    /// No line transfer between two CPUs takes 10 µs (cross-socket ones take
    /// 0.1–1 µs); a probe's median that long means its threads were not both running.
    public static let stallBound = 10000.0
    /// The two placements of a 2-vCPU guest are 4–5× apart; a value 20× the median is no placement.
    public static let stallFactor = 20.0

    /// The fewest probes a class needs among `probes`: 2, or 5 % of them.
    public static func minimumProbes(of probes: Int) -> Int { max(2, Int((Double(probes) * 0.05).rounded(.up))) }

    /// Whether `probe` reads as a stalled probe whatever the other values:
    /// beyond ``stallBound`` (the probe itself retries such a value).
    public static func isStalled(_ probe: Double) -> Bool { probe > stallBound }

    /// `probes`: one value per probe (``probeValues(_:)``), in any order.
    public init(probes: [Double], minimumRatio: Double = PlacementClasses.minimumRatio) {
        let values = probes.filter { $0.isFinite && $0 > 0 }.sorted()
        stallLimit = min(Self.stallBound, Self.stallFactor * (SampleStatistics.median(values) ?? Self.stallBound))
        let limit = stallLimit
        stalled = values.filter { $0 > limit }
        let placed = values.filter { $0 <= limit }
        guard !placed.isEmpty else {
            (classes, unclassified, boundaries, partClass) = ([], [], [], [])
            return
        }
        var parts: [ArraySlice<Double>] = [placed[...]]
        var splitting = true
        while splitting, parts.count < Self.maximumParts {
            splitting = false
            for (k, part) in parts.enumerated() {
                if let cut = Self.split(part, minimumRatio: minimumRatio) {
                    parts.replaceSubrange(k ... k, with: [part[part.startIndex ..< cut], part[cut...]])
                    splitting = true
                    break
                }
            }
        }
        let minimum = Self.minimumProbes(of: values.count)
        var classes: [PlacementClass] = [], unclassified: [Double] = [], partClass: [Int?] = []
        for p in parts {
            if p.count >= minimum {
                partClass.append(classes.count)
                classes.append(PlacementClass(index: classes.count, low: p.first!, median: SampleStatistics.median(Array(p))!,
                                              high: p.last!, count: p.count))
            } else {
                partClass.append(nil)
                unclassified += p
            }
        }
        (self.classes, self.unclassified, self.partClass) = (classes, unclassified, partClass)
        boundaries = zip(parts, parts.dropFirst()).map { a, b in (a.last! * b.first!).squareRoot() }
    }

    /// Where `part` splits (the first index of the upper part), or nil.
    static func split(_ part: ArraySlice<Double>, minimumRatio: Double) -> Int? {
        guard part.count >= 2 else { return nil }
        var best: (index: Int, gap: Double)?
        for i in (part.startIndex + 1) ..< part.endIndex {
            let gap = log(part[i]) - log(part[i - 1])
            if gap > (best?.gap ?? 0) { best = (i, gap) }
        }
        guard let best, best.gap >= log(minimumGap) else { return nil }
        let lower = SampleStatistics.median(Array(part[..<best.index]))!
        let upper = SampleStatistics.median(Array(part[best.index...]))!
        return upper / lower > minimumRatio ? best.index : nil
    }

    /// Where one probe value belongs (nil when there is no value or no class).
    public func membership(of probe: Double?) -> Membership? {
        guard let probe, probe.isFinite, probe > 0, !partClass.isEmpty || !stalled.isEmpty else { return nil }
        if probe > stallLimit { return .stalled }
        guard !partClass.isEmpty else { return .unclassified }
        return partClass[boundaries.firstIndex { probe < $0 } ?? boundaries.count].map { .placed($0) } ?? .unclassified
    }

    /// Where a repetition belongs, from its probes before and after: the
    /// class of `before`, or ``Membership/moved`` when `after` is in another
    /// class or unclassified (a stalled or missing `after` says nothing).
    public func membership(before: Double?, after: Double?) -> Membership? {
        let first = membership(of: before)
        guard case let .placed(i) = first, let second = membership(of: after) else { return first }
        switch second {
        case .unclassified: return .moved
        case let .placed(j): return j == i ? first : .moved
        default: return first
        }
    }

    /// Where a repetition belongs (``membership(before:after:)``).
    public func membership(of entry: BenchmarkEntry) -> Membership? {
        membership(before: entry.placementProbeNanoseconds, after: entry.placementProbeAfterNanoseconds)
    }

    /// The class of one probe value, or of a repetition from its probes
    /// before and after (nil when it has no class: no value, no classes,
    /// unclassified, stalled or moved).
    public func classIndex(of probe: Double?, after: Double? = nil) -> Int? {
        if case let .placed(i) = membership(before: probe, after: after) { i } else { nil }
    }

    /// "probe stalled 1 probe [416095 ns]" and the like; empty when none.
    public var outsideClasses: [String] { Self.outsideClasses(unclassified: unclassified, stalled: stalled) }

    public static func outsideClasses(unclassified: [Double], stalled: [Double]) -> [String] {
        [(unclassifiedLabel, unclassified), (stalledLabel, stalled)].compactMap { label, values in
            values.isEmpty ? nil : "\(label) \(values.count) probe\(values.count == 1 ? "" : "s") ["
                + values.prefix(3).map { "\(Int($0.rounded())) ns" }.joined(separator: ", ") + (values.count > 3 ? ", …]" : "]")
        }
    }

    /// One value per probe taken in `files`, whichever way each run (file,
    /// `run_id`) was probed:
    /// - around each repetition (entries with `c2c_probe_after_ns`): each
    ///   repetition's probe before it is a probe of its own; the last probe
    ///   of a round, after its last repetition, is the next round's first;
    /// - once a round (files from before): a round's value goes on the
    ///   repetition every case ran in it, and a case runs once a round, so
    ///   the rounds that saw value v number at least the most repetitions
    ///   any one case has with v: that many are counted. Equal values are
    ///   common (the probe is an integer p50: two rounds of 44 ns), so
    ///   telling rounds apart by value merged them; counting repetitions
    ///   let one stalled round of 28 cases × 3 repetitions pass as a class
    ///   of 84. A retry round that only a case short of repetitions ran is
    ///   missed when another case has more rounds of that value.
    public static func probeValues(_ files: [ResultFile]) -> [Double] {
        var out: [Double] = []
        for file in files {
            let aroundEach = probedRuns(file)
            // Per run probed once a round, per value, per case: the case's repetitions with the value.
            var counts: [Int: [Double: [String: Int]]] = [:]
            for e in file.benchmarks where e.runType == .iteration {
                guard let p = e.placementProbeNanoseconds else { continue }
                if aroundEach[e.runID ?? 0] == true {
                    out.append(p)
                } else {
                    counts[e.runID ?? 0, default: [:]][p, default: [:]][e.runName, default: 0] += 1
                }
            }
            for run in counts.keys.sorted() {
                for (value, perCase) in counts[run]!.sorted(by: { $0.key < $1.key }) {
                    out += Array(repeating: value, count: perCase.values.max()!)
                }
            }
        }
        return out
    }

    /// Per run (`run_id`) of `file` with a probe value: whether it was
    /// probed around each repetition (some entry has `c2c_probe_after_ns`).
    static func probedRuns(_ file: ResultFile) -> [Int: Bool] {
        var runs: [Int: Bool] = [:]
        for e in file.benchmarks where e.runType == .iteration && e.placementProbeNanoseconds != nil {
            runs[e.runID ?? 0] = (runs[e.runID ?? 0] ?? false) || e.placementProbeAfterNanoseconds != nil
        }
        return runs
    }

    /// How the runs of `files` were probed, in the tables' words: "c2c
    /// probe around each repetition", "c2c probe before each round" (files
    /// from before), or both.
    public static func probeWords(_ files: [ResultFile]) -> String {
        let runs = files.flatMap { probedRuns($0).values }
        switch (runs.contains(true), runs.contains(false)) {
        case (true, true): return "c2c probe around each repetition; in older files before each round"
        case (false, true): return "c2c probe before each round"
        default: return "c2c probe around each repetition"
        }
    }

    /// The share of the variance of log(values) that lies between classes,
    /// corrected for the share chance alone puts there: ε² = (SS_between −
    /// df_between·MS_within) / SS_total (Kelley 1935), at least 0. How much
    /// of a case's spread the placement explains. With `blocks` (compare's
    /// two sides) every sum is taken about each block's own mean, so a
    /// change between the sides is not counted as spread. Plain η²
    /// (SS_between / SS_total) is biased up by about df_between/(N − 1).
    /// Nil with fewer than two classes in any block, a non-positive value,
    /// no spread, or no value beside another of its class and block.
    public static func explainedShare(_ values: [Double], classes: [Int], blocks: [Int]? = nil) -> Double? {
        let blocks = blocks ?? Array(repeating: 0, count: values.count)
        guard values.count == classes.count, values.count == blocks.count, values.allSatisfy({ $0 > 0 }) else { return nil }
        let logs = values.map { log($0) }
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
        var total = 0.0, between = 0.0, groups = 0, blockCount = 0, anySplit = false
        for b in Set(blocks) {
            let inBlock = logs.indices.filter { blocks[$0] == b }
            let m = mean(inBlock.map { logs[$0] })
            total += inBlock.reduce(0) { $0 + (logs[$1] - m) * (logs[$1] - m) }
            let present = Set(inBlock.map { classes[$0] })
            if present.count > 1 { anySplit = true }
            for c in present {
                let g = mean(inBlock.filter { classes[$0] == c }.map { logs[$0] })
                between += Double(inBlock.filter { classes[$0] == c }.count) * (g - m) * (g - m)
            }
            groups += present.count
            blockCount += 1
        }
        guard anySplit, total > 0 else { return nil }
        let n = Double(logs.count), dfBetween = Double(groups - blockCount)
        guard n > Double(groups) else { return nil }
        let withinMeanSquare = (total - between) / (n - Double(groups))
        return max(0, (between - dfBetween * withinMeanSquare) / total)
    }
}
