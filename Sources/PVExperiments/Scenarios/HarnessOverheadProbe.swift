import PVABI
import PVRuntime
import PVHost
import PVResults

/// Measures what the harness's sampling costs on the cheapest loop it
/// instruments: the relaxed `para_steal_clock()` kernel on a private record,
/// in batches of ``ScenarioRunner/readBatch`` with and without the clock read
/// and histogram record per batch.
public enum HarnessOverheadProbe {
    /// - Parameter operations: reads per timed run; nil sizes each run to
    ///   about 10 ms from a short trial, so the probe costs about 0.15 s in a
    ///   release build and stays bounded in a debug or sanitizer build.
    public static func measure(clock: CycleClock, operations: Int? = nil) -> HarnessOverhead {
        let record = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
        defer { record.deallocate() }
        StrategyLoops.prepare(RelaxedStrategy.StolenTime.self, base: record, mode: .monotonic)
        let batch = ScenarioRunner.readBatch
        var check = MonotonicCheck<StolenTimeFieldTarget>()
        var recorder = LatencyRecorder(conversion: clock.conversion)
        let operations = operations ?? {
            let trial = batch * 4
            let start = CycleClock.now()
            for _ in 0 ..< 4 {
                _ = pvGuestStealClockReads(RelaxedStrategy.StolenTime.self, record: record, count: batch, check: &check)
            }
            let ns = max(1, Double(clock.conversion.nanoseconds(from: start, to: CycleClock.now())) / Double(trial))
            let wanted = Int(10_000_000 / ns) / batch * batch
            return min(max(wanted, batch * 4), 1 << 26)
        }()
        return HarnessOverhead.measure(clock: clock, operations: operations, repetitions: 11, instrumented: { ops in
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
