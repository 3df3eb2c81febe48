import PVABI
import PVRuntime

/// Measures what the harness's sampling costs on the cheapest loop it
/// instruments: the relaxed `para_steal_clock()` kernel on a private record,
/// in batches of ``ScenarioRunner/readBatch`` with and without the clock read
/// and histogram record per batch.
public enum HarnessOverheadProbe {
    public static func measure(clock: CycleClock, operations: Int = 1 << 24) -> HarnessOverhead {
        let record = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
        defer { record.deallocate() }
        StrategyLoops.prepare(RelaxedStrategy.StolenTime.self, base: record, mode: .monotonic)
        let batch = ScenarioRunner.readBatch
        var check = MonotonicCheck<StolenTimeFieldTarget>()
        var recorder = LatencyRecorder(conversion: clock.conversion)
        return HarnessOverhead.measure(clock: clock, operations: operations, repetitions: 7, instrumented: { ops in
            var previous = CycleClock.now()
            for _ in 0 ..< ops / batch {
                _ = pvGuestStealClockReads(RelaxedStrategy.StolenTime.self, record: record, count: batch, check: &check)
                let now = CycleClock.now()
                recorder.recordBatch(startTicks: previous, endTicks: now, operations: batch)
                previous = now
            }
        }, uninstrumented: { ops in
            for _ in 0 ..< ops / batch {
                _ = pvGuestStealClockReads(RelaxedStrategy.StolenTime.self, record: record, count: batch, check: &check)
            }
        })
    }
}
