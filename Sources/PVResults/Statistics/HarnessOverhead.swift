/// What the measuring costs: the same loop run with the harness's per-batch
/// instrumentation (clock reads, histogram records, stop-flag checks) and
/// without it. The figure must stay small (``limit``) for throughput numbers
/// to describe the loop rather than the harness.
public struct HarnessOverhead: Sendable, Equatable, Codable {
    /// The acceptable overhead: 3 %.
    public static let limit = 0.03

    /// ns per operation with instrumentation (median over repetitions).
    public let instrumentedNanosecondsPerOperation: Double
    /// ns per operation without (median over repetitions).
    public let uninstrumentedNanosecondsPerOperation: Double
    /// Median of the per-pair ratios instrumented / bare, and its 95 % interval
    /// (nil below 6 pairs, or in files from older versions).
    public let pairRatio: Double?
    public let pairRatioInterval: MedianInterval?

    enum CodingKeys: String, CodingKey {
        case instrumentedNanosecondsPerOperation = "instrumented_ns_per_op"
        case uninstrumentedNanosecondsPerOperation = "uninstrumented_ns_per_op"
        case pairRatio = "pair_ratio_median"
        case pairRatioInterval = "pair_ratio_ci"
    }

    public init(instrumentedNanosecondsPerOperation: Double, uninstrumentedNanosecondsPerOperation: Double,
                pairRatio: Double? = nil, pairRatioInterval: MedianInterval? = nil) {
        self.instrumentedNanosecondsPerOperation = instrumentedNanosecondsPerOperation
        self.uninstrumentedNanosecondsPerOperation = uninstrumentedNanosecondsPerOperation
        self.pairRatio = pairRatio
        self.pairRatioInterval = pairRatioInterval
    }

    /// instrumented / uninstrumented time per operation: the median of the
    /// interleaved pairs' ratios where measured so, else the ratio of medians.
    public var ratio: Double { pairRatio ?? instrumentedNanosecondsPerOperation / uninstrumentedNanosecondsPerOperation }
    /// ratio − 1: 0.012 means the harness adds 1.2 %. Can be slightly
    /// negative from noise.
    public var fraction: Double { ratio - 1 }
    /// The harness costs more than the limit: the whole interval is above it
    /// (without an interval, the median).
    public var exceedsLimit: Bool { (pairRatioInterval?.low ?? ratio) - 1 > Self.limit }
    /// The median is above the limit but the interval reaches below it: the
    /// machine's noise, not the harness, cannot be told apart.
    public var limitUndecided: Bool { !exceedsLimit && fraction > Self.limit }

    /// One line for the result context or a warning.
    public var summary: String {
        let pct = Self.percent
        var text = "harness overhead \(pct(ratio))"
        if let ci = pairRatioInterval { text += " [\(pct(ci.low)), \(pct(ci.high))] (95% CI of interleaved pairs)" }
        text += " (instrumented \(rounded(instrumentedNanosecondsPerOperation)) ns/op, "
            + "bare \(rounded(uninstrumentedNanosecondsPerOperation)) ns/op)"
        if exceedsLimit { text += ", above the \(Self.limit * 100)% limit: the harness, not noise" }
        if limitUndecided { text += ", median above the \(Self.limit * 100)% limit but the interval is not: noise on this machine" }
        return text
    }

    /// ``summary`` without the per-operation times: the clock line's
    /// share of a 120-column footer.
    public var brief: String {
        let pct = Self.percent
        var text = "harness overhead \(pct(ratio))"
        if let ci = pairRatioInterval { text += " [\(pct(ci.low)), \(pct(ci.high))]" }
        if exceedsLimit { text += ", above the \(Self.limit * 100)% limit" }
        if limitUndecided { text += ", median above the \(Self.limit * 100)% limit, interval not (noise)" }
        return text
    }

    /// A ratio as the percentage it adds: 1.012 → "1.2%".
    private static func percent(_ r: Double) -> String { "\(((r - 1) * 1000).rounded() / 10)%" }

    private func rounded(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
}
