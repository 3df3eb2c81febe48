import PVHost
import PVResults

extension HarnessOverhead {
    /// Runs the two loops as interleaved pairs `repetitions` times (which
    /// goes first alternates), so drift hits both alike, and takes the
    /// median of the per-pair ratios with its interval.
    ///
    /// - Parameters:
    ///   - operations: operations per run, passed to each closure.
    ///   - instrumented: runs `operations` operations with the harness's sampling.
    ///   - uninstrumented: runs the same loop with none.
    public static func measure(clock: CycleClock, operations: Int, repetitions: Int = 11,
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
        for i in 0 ..< repetitions {
            if i.isMultiple(of: 2) {
                without.append(time(uninstrumented))
                with.append(time(instrumented))
            } else {
                with.append(time(instrumented))
                without.append(time(uninstrumented))
            }
        }
        let ratios = zip(with, without).compactMap { w, b in b > 0 ? w / b : nil }
        return HarnessOverhead(instrumentedNanosecondsPerOperation: RepetitionSummary(with)!.median,
                               uninstrumentedNanosecondsPerOperation: RepetitionSummary(without)!.median,
                               pairRatio: SampleStatistics.median(ratios),
                               pairRatioInterval: SampleStatistics.medianInterval(ratios))
    }
}
