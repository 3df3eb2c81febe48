import PVHost
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

    enum CodingKeys: String, CodingKey {
        case instrumentedNanosecondsPerOperation = "instrumented_ns_per_op"
        case uninstrumentedNanosecondsPerOperation = "uninstrumented_ns_per_op"
    }

    public init(instrumentedNanosecondsPerOperation: Double, uninstrumentedNanosecondsPerOperation: Double) {
        self.instrumentedNanosecondsPerOperation = instrumentedNanosecondsPerOperation
        self.uninstrumentedNanosecondsPerOperation = uninstrumentedNanosecondsPerOperation
    }

    /// instrumented / uninstrumented time per operation.
    public var ratio: Double { instrumentedNanosecondsPerOperation / uninstrumentedNanosecondsPerOperation }
    /// ratio − 1: 0.012 means the harness adds 1.2 %. Can be slightly
    /// negative from noise.
    public var fraction: Double { ratio - 1 }
    public var exceedsLimit: Bool { fraction > Self.limit }

    /// One line for the result context or a warning.
    public var summary: String {
        let pct = (fraction * 1000).rounded() / 10
        return "harness overhead \(pct)% (instrumented \(rounded(instrumentedNanosecondsPerOperation)) ns/op, "
            + "bare \(rounded(uninstrumentedNanosecondsPerOperation)) ns/op)"
            + (exceedsLimit ? ", above the \(Self.limit * 100)% limit" : "")
    }

    private func rounded(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }

    /// Runs the two loops alternately `repetitions` times each (so drift hits
    /// both alike) and compares their median time per operation.
    ///
    /// - Parameters:
    ///   - operations: operations per run, passed to each closure.
    ///   - instrumented: runs `operations` operations with the harness's sampling.
    ///   - uninstrumented: runs the same loop with none.
    public static func measure(clock: CycleClock, operations: Int, repetitions: Int = 5,
                               instrumented: (Int) -> Void, uninstrumented: (Int) -> Void) -> HarnessOverhead
    {
        precondition(operations > 0 && repetitions > 0, "need at least one operation and one repetition")
        func time(_ body: (Int) -> Void) -> Double {
            let start = CycleClock.now()
            body(operations)
            let end = CycleClock.now()
            return Double(clock.conversion.nanoseconds(from: start, to: end)) / Double(operations)
        }
        var with: [Double] = []
        var without: [Double] = []
        for _ in 0 ..< repetitions {
            without.append(time(uninstrumented))
            with.append(time(instrumented))
        }
        return HarnessOverhead(instrumentedNanosecondsPerOperation: RepetitionSummary(with)!.median,
                               uninstrumentedNanosecondsPerOperation: RepetitionSummary(without)!.median)
    }
}
