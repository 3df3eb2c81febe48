import Foundation

/// Where the host put the run's vCPUs, as the c2c probe before each round
/// saw it: the probe's one-way latencies grouped into classes. On a 2-vCPU
/// KVM guest the probe is bimodal (about 40 ns when the host runs the two
/// vCPUs on cores that share a cache, about 200 ns when not), and every
/// case that races for a line follows it; comparing a fast-placement run
/// with a slow-placement one measures the host, not the change.
///
/// The classes come from the values alone: sorted on a log scale, split at
/// the largest gap that leaves at least `max(2, 5 %)` of the values on each
/// side, kept only when the two parts' medians differ by more than
/// `minimumRatio` (1.5×); each part is split again the same way (at most
/// `maximumClasses`). A probe that varies smoothly stays one class.
public struct PlacementClasses: Sendable, Equatable, Encodable {
    public struct PlacementClass: Sendable, Equatable, Codable {
        /// 0 for the fastest placement.
        public let index: Int
        /// The smallest, median and largest probe value in the class (ns).
        public let low: Double
        public let median: Double
        public let high: Double
        public let count: Int
        /// `c2c≈41ns`: stored, so that a file carries the name its tables use.
        public let label: String

        enum CodingKeys: String, CodingKey { case index, label, low = "low_ns", median = "median_ns", high = "high_ns", count }

        public init(index: Int, low: Double, median: Double, high: Double, count: Int) {
            (self.index, self.low, self.median, self.high, self.count) = (index, low, median, high, count)
            label = "c2c≈\(Int(median.rounded()))ns"
        }
    }

    /// Ascending by probe value; empty when no value was given.
    public var classes: [PlacementClass]
    /// Between class i and i+1: the geometric mean of the values either side of the gap.
    public var boundaries: [Double]

    public static let minimumRatio = 1.5
    public static let maximumClasses = 4

    public init(probes: [Double], minimumRatio: Double = PlacementClasses.minimumRatio) {
        let values = probes.filter { $0.isFinite && $0 > 0 }.sorted()
        guard !values.isEmpty else {
            classes = []
            boundaries = []
            return
        }
        var parts: [ArraySlice<Double>] = [values[...]]
        var splitting = true
        while splitting, parts.count < Self.maximumClasses {
            splitting = false
            for (k, part) in parts.enumerated() {
                if let cut = Self.split(part, minimumRatio: minimumRatio) {
                    parts.replaceSubrange(k ... k, with: [part[part.startIndex ..< cut], part[cut...]])
                    splitting = true
                    break
                }
            }
        }
        classes = parts.enumerated().map { i, p in
            PlacementClass(index: i, low: p.first!, median: SampleStatistics.median(Array(p))!, high: p.last!, count: p.count)
        }
        boundaries = zip(parts, parts.dropFirst()).map { a, b in (a.last! * b.first!).squareRoot() }
    }

    /// Where `part` splits (the first index of the upper part), or nil.
    static func split(_ part: ArraySlice<Double>, minimumRatio: Double) -> Int? {
        let minSize = max(2, part.count / 20)
        guard part.count >= 2 * minSize else { return nil }
        var best: (index: Int, gap: Double)?
        for i in (part.startIndex + minSize) ... (part.endIndex - minSize) {
            let gap = log(part[i]) - log(part[i - 1])
            if gap > (best?.gap ?? 0) { best = (i, gap) }
        }
        guard let best else { return nil }
        let lower = SampleStatistics.median(Array(part[..<best.index]))!
        let upper = SampleStatistics.median(Array(part[best.index...]))!
        return upper / lower > minimumRatio ? best.index : nil
    }

    /// The class of one probe value (nil when there are no classes or no value).
    public func classIndex(of probe: Double?) -> Int? {
        guard let probe, probe.isFinite, probe > 0, !classes.isEmpty else { return nil }
        return boundaries.firstIndex { probe < $0 } ?? boundaries.count
    }

    /// The share of the variance of log(values) that lies between classes
    /// (η², the between-group sum of squares over the total): how much of
    /// a case's spread the placement explains. Nil with fewer than two
    /// classes present, a non-positive value, or no spread.
    public static func explainedShare(_ values: [Double], classes: [Int]) -> Double? {
        guard values.count == classes.count, Set(classes).count > 1, values.allSatisfy({ $0 > 0 }) else { return nil }
        let logs = values.map { log($0) }
        let mean = logs.reduce(0, +) / Double(logs.count)
        let total = logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        guard total > 0 else { return nil }
        var between = 0.0
        for c in Set(classes) {
            let group = zip(logs, classes).filter { $0.1 == c }.map(\.0)
            let m = group.reduce(0, +) / Double(group.count)
            between += Double(group.count) * (m - mean) * (m - mean)
        }
        return between / total
    }
}
