import Histogram

/// The merged latency samples of a run (all threads of one role), with the
/// percentiles the results report.
public struct LatencyDistribution: Sendable {
    /// All recorders' samples, bucket by bucket.
    public private(set) var histogram: Histogram<UInt64>
    /// Samples that exceeded the recorders' highest trackable value.
    public private(set) var overflowCount: UInt64

    /// An empty distribution of the recorders' precision.
    public init() {
        var h = Histogram<UInt64>(numberOfSignificantValueDigits: LatencyRecorder.significantDigits)
        h.autoResize = true
        histogram = h
        overflowCount = 0
    }

    /// Merges per-thread recorders (after their threads have ended).
    public init(merging recorders: some Sequence<LatencyRecorder>) {
        self.init()
        for recorder in recorders { merge(recorder) }
    }

    /// Adds one recorder's samples.
    public mutating func merge(_ recorder: LatencyRecorder) {
        histogram.add(recorder.histogram)
        overflowCount &+= recorder.overflowCount
    }

    /// Adds another distribution's samples (repetitions into a total).
    public mutating func merge(_ other: LatencyDistribution) {
        histogram.add(other.histogram)
        overflowCount &+= other.overflowCount
    }

    public var count: UInt64 { histogram.totalCount }
    public var isEmpty: Bool { histogram.totalCount == 0 }
    /// Value at `percentile` (0 ... 100), ns; 0 when empty. HdrHistogram
    /// reports the highest value equivalent to the bucket (3 significant digits).
    public func percentile(_ percentile: Double) -> UInt64 { histogram.valueAtPercentile(percentile) }
    /// The `level` percentile with each sample spread evenly over `width` ns
    /// around its value (the median of grouped data), ns; nil when empty.
    ///
    /// Why: a single event timed on a counter that steps `s` ns at a time
    /// reads in steps of `s`, so ``percentile(_:)`` jumps a step at a time
    /// (the break-out latency's half round trips on a 10 ns TSC: 50, 55,
    /// 60 ns) and a small shift of the distribution reads either as nothing
    /// or as a whole step. Spread over the step, the percentile moves with the
    /// share of samples on each side of it. `width` below 1 ns is taken as
    /// 1 ns, the recorder's own step; above 2 047 ns the histogram's buckets
    /// are wider than that and the result is as coarse as they are.
    public func interpolatedPercentile(_ level: Double, width: Double) -> Double? {
        guard !isEmpty else { return nil }
        let w = Swift.max(width, 1)
        let points = histogram.recordedValues().map { (value: Double($0.value), count: Double($0.count)) }
        let target = Swift.min(Swift.max(level, 0), 100) / 100 * Double(count)
        func below(_ x: Double) -> Double {
            points.reduce(0) { $0 + $1.count * Swift.min(Swift.max((x - ($1.value - w / 2)) / w, 0), 1) }
        }
        // The spread samples' CDF is linear between the edges of their spans: find the span edge
        // it reaches the target at and interpolate back to the one before.
        let edges = Set(points.flatMap { [$0.value - w / 2, $0.value + w / 2] }).sorted()
        var previous = (edge: edges[0], below: 0.0)
        for edge in edges.dropFirst() {
            let reached = below(edge)
            if reached >= target {
                guard reached > previous.below else { return previous.edge }
                return previous.edge + (target - previous.below) / (reached - previous.below) * (edge - previous.edge)
            }
            previous = (edge, reached)
        }
        return previous.edge
    }

    public var min: UInt64 { histogram.min }
    public var max: UInt64 { histogram.max }
    public var mean: Double { histogram.mean }
    public var standardDeviation: Double { histogram.stdDeviation }

    /// The percentile levels every result reports.
    public static let reportedPercentiles: [(key: String, level: Double)] = [
        ("p50", 50), ("p90", 90), ("p99", 99), ("p999", 99.9),
    ]

    /// Flat counters for a result row: `<prefix>p50_ns`, `p90_ns`, `p99_ns`,
    /// `p999_ns`, `min_ns`, `max_ns`, `mean_ns`, `samples`, and `overflows`
    /// when any; empty when there are no samples (never a fake 0). Given the
    /// `step` the samples were timed in (ns), also `<prefix>p50_interpolated_ns`
    /// (``interpolatedPercentile(_:width:)``).
    public func counters(prefix: String = "", step: Double? = nil) -> [String: Double] {
        guard !isEmpty else { return overflowCount > 0 ? ["\(prefix)overflows": Double(overflowCount)] : [:] }
        var c: [String: Double] = [:]
        for (key, level) in Self.reportedPercentiles { c["\(prefix)\(key)_ns"] = Double(percentile(level)) }
        if let step, let p50 = interpolatedPercentile(50, width: step) { c["\(prefix)p50_interpolated_ns"] = p50 }
        c["\(prefix)min_ns"] = Double(min)
        c["\(prefix)max_ns"] = Double(max)
        c["\(prefix)mean_ns"] = mean
        c["\(prefix)samples"] = Double(count)
        if overflowCount > 0 { c["\(prefix)overflows"] = Double(overflowCount) }
        return c
    }

    /// (value ns, cumulative fraction) points for a CDF plot, one per
    /// distinct recorded bucket.
    public func cumulativeDistribution() -> [(nanoseconds: UInt64, fraction: Double)] {
        guard !isEmpty else { return [] }
        let total = Double(count)
        return histogram.recordedValues().map { ($0.value, Double($0.totalCountToThisValue) / total) }
    }
}
