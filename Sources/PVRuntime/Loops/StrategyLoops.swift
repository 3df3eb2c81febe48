import CPVPlatform
import Synchronization
import PVABI

/// The writer and reader loops, written once, generic over the strategy.
///
/// Both loops run in batches of ``batch`` operations with their counters in
/// locals, and only between batches poll the stop signal, check their budget
/// and publish progress. Specialised for a concrete strategy, the reader's
/// inner loop is the strategy's load plus the detector's check.
public enum StrategyLoops {
    /// Operations between two polls of the stop signal.
    public static var batch: Int { 1024 }

    /// Writes the value the record must hold before the first write.
    public static func prepare<S: RecordStrategy>(_: S.Type, base: UnsafeMutableRawPointer, mode: DetectorMode) {
        S.write(base, TornReadDetector<S.Target>.initialValue(mode: mode))
    }

    /// The hypervisor side: writes the mode's value sequence (write n = 1, 2, ...)
    /// back to back until `stop` or `maxWrites`. Returns how many it wrote and
    /// the last value.
    @inlinable
    public static func runWriter<S: RecordStrategy, Stop: StopSignal>(
        _: S.Type, base: UnsafeMutableRawPointer, mode: DetectorMode, maxWrites: UInt64 = .max, stop: Stop
    ) -> (writes: UInt64, last: S.Target.Value) {
        var value = TornReadDetector<S.Target>.initialValue(mode: mode)
        var n: UInt64 = 0
        while n < maxWrites, !stop.isStopped {
            let end = n + min(UInt64(batch), maxWrites - n)
            while n < end {
                n &+= 1
                value = TornReadDetector<S.Target>.writerValue(n, mode: mode)
                S.write(base, value)
            }
        }
        return (n, value)
    }

    /// The guest side: reads until `stop` or `maxReads`, passing each value to
    /// `detector`. `progress`, when given, gets the running read count after
    /// every batch (relaxed add).
    @inlinable
    public static func runReader<S: RecordStrategy, Stop: StopSignal>(
        _: S.Type, base: UnsafeMutableRawPointer, detector: inout TornReadDetector<S.Target>,
        maxReads: UInt64 = .max, stop: Stop, progress: ReadProgress? = nil
    ) {
        detector.start(atTicks: pv_read_cycle_counter())
        var done: UInt64 = 0
        while done < maxReads, !stop.isStopped {
            let count = min(UInt64(batch), maxReads - done)
            var retries: UInt64 = 0
            for _ in 0 ..< count {
                detector.observe(S.read(base, retries: &retries))
            }
            detector.addRetries(retries)
            done &+= count
            progress?.add(count)
        }
    }
}
