import CPVReference
import PVRuntime

/// The C kernels of CPVReference, called the way the Swift kernels are, so
/// one outer loop drives either (`--impl c`).
enum ReferenceKernels {
    /// The C steal-clock reader for a strategy, nil when CPVReference has none.
    static func stealReader(_ strategy: StrategyKind) -> (@Sendable (UnsafeMutableRawPointer, UInt64, inout pvref_steal_reader) -> Void)? {
        switch strategy {
        case .relaxed:
            { record, n, state in pvref_steal_read_relaxed(stolen(record), n, &state) }
        case .acquireRelease:
            { record, n, state in pvref_steal_read_acquire(stolen(record), n, &state) }
        case .seqlock:
            { record, n, state in
                pvref_steal_read_seqlock(
                    (record + SeqLockStrategy.sequenceOffset).assumingMemoryBound(to: UInt32.self), stolen(record), n, &state)
            }
        case .ckSequence:
            { record, n, state in
                pvref_steal_read_ck(UnsafeRawPointer(record + CKSequenceStrategy.sequenceOffset), stolen(record), n, &state)
            }
        default: nil
        }
    }

    /// The C preempt-poll kernel for a strategy, nil when CPVReference has none.
    static func preemptPoll(_ strategy: StrategyKind)
        -> (@Sendable (RecordArray, UnsafeMutablePointer<UInt32>, inout Int, Int) -> (polls: Int, changed: Int))?
    {
        let kernel: (@convention(c) (UnsafeRawPointer?, Int, Int, UnsafeMutablePointer<UInt32>?,
                                     UnsafeMutablePointer<Int>?, UInt64, UnsafeMutablePointer<Int64>?) -> UInt64)
        switch strategy {
        case .relaxed: kernel = pvref_preempt_poll_relaxed
        case .acquireRelease: kernel = pvref_preempt_poll_acquire
        default: return nil
        }
        return { flags, last, cursor, maxPolls in
            var changed: Int64 = -1
            var c = cursor
            let polls = kernel(flags.base, flags.stride, flags.count, last, &c, UInt64(maxPolls), &changed)
            cursor = c
            return (Int(polls), Int(changed))
        }
    }

    /// The C idle-scan kernel (relaxed only).
    static func idleScan(_ strategy: StrategyKind) -> (@Sendable (RecordArray, Int) -> UInt64)? {
        guard strategy == .relaxed else { return nil }
        return { flags, scans in pvref_idle_scan_relaxed(flags.base, flags.stride, flags.count, UInt64(scans)) }
    }

    private static func stolen(_ record: UnsafeMutableRawPointer) -> UnsafePointer<UInt64> {
        UnsafePointer((record + 8).assumingMemoryBound(to: UInt64.self))
    }
}
