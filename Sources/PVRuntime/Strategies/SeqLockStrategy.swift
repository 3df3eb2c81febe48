import CPVPlatform
import PVABI

/// `seqlock`: the x86 `kvm_steal_time` protocol. The writer makes the
/// sequence odd, fences, updates the data, and makes the sequence even; a
/// reader reads the sequence, the data, the sequence again, and retries when
/// the sequence was odd or moved.
///
/// C11 (Boehm, "Can seqlocks get along with programming language memory
/// models?"): writer `seq = s+1` relaxed, `atomic_thread_fence(release)`,
/// relaxed data stores, `seq = s+2` release; reader `s1 = seq` acquire,
/// relaxed data loads, `atomic_thread_fence(acquire)`, `s2 = seq` relaxed.
/// LKMM: `write_seqcount_begin`/`end` and `read_seqcount_begin`/`retry`
/// (`smp_wmb`/`smp_rmb`), as x86 `record_steal_time` and `kvm_steal_clock`.
/// On x86_64 every access is a plain `mov` and the fences are compiler-only.
///
/// Where the sequence lives: the arm64 record has no version field, so the
/// sequence word is a `u32` at record offset 16, in the padding of the
/// 64-byte `struct pvclock_vcpu_stolen_time`, on the same cache line as the
/// data (as x86 keeps `version` beside `steal`). This changes nothing the
/// arm64 ABI defines, but it needs 20 bytes per record: a packed layout of
/// back-to-back 16-byte records has no room for it (offset 16 is the next
/// vCPU's revision), so seqlock needs a stride of at least ``footprint``.
///
/// Guarantees: a reader returns a snapshot of the whole record that some
/// write produced (no tear across fields), with one writer per record.
/// Readers may retry indefinitely under a continuous writer (counted in
/// `retries`; odd-sequence spins count too). Not a lock: writers must be
/// serialised by other means (KVM: only the vCPU's own thread writes).
public enum SeqLockStrategy {
    /// Offset of the sequence word from the record start.
    @inlinable public static var sequenceOffset: Int { StolenTimeLayout.size }

    @inlinable @inline(__always)
    static func readProtected<V>(_ base: UnsafeMutableRawPointer, retries: inout UInt64, limit: UInt64 = .max,
                                 _ body: (UnsafeMutableRawPointer) -> V) -> V? {
        let sequence = SharedU32(base + sequenceOffset)
        // The first attempt is the straight line; retrying is out of line
        // (`_fastPath`), as the C reader's layout has it.
        let first = sequence.loadAcquire()
        if _fastPath(first & 1 == 0) {
            let value = body(base)
            SharedMemoryFence.acquire()
            if _fastPath(sequence.loadRelaxed() == first) { return value }
        } else {
            pv_cpu_relax()
        }
        var attempts: UInt64 = 1
        while true {
            retries &+= 1
            if attempts >= limit { return nil }
            attempts &+= 1
            let before = sequence.loadAcquire()
            if before & 1 == 0 {
                let value = body(base)
                SharedMemoryFence.acquire()
                if sequence.loadRelaxed() == before { return value }
            } else {
                pv_cpu_relax()
            }
        }
    }

    @inlinable @inline(__always)
    static func writeProtected(_ base: UnsafeMutableRawPointer, midpoint: () -> Void = {},
                               _ body: (UnsafeMutableRawPointer) -> Void) {
        let sequence = SharedU32(base + sequenceOffset)
        let s = sequence.loadRelaxed()  // only this writer stores it
        sequence.storeRelaxed(s &+ 1)
        SharedMemoryFence.release()
        midpoint()
        body(base)
        sequence.storeRelease(s &+ 2)
    }

    /// The whole 16-byte record as one snapshot.
    public enum Record: OrderingStrategy {
        public typealias Target = StolenTimeRecordTarget
        public static var kind: StrategyKind { .seqlock }
        public static var footprint: Int { sequenceOffset + 4 }
        public static var requiredAlignment: Int { 8 }

        @inlinable @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> RecordWords {
            readBounded(base, retries: &retries, limit: .max)!
        }

        @inlinable @inline(__always)
        public static func readBounded(_ base: UnsafeMutableRawPointer, retries: inout UInt64, limit: UInt64) -> RecordWords? {
            readProtected(base, retries: &retries, limit: limit) { b in
                RecordWords(low: SharedU64(b).loadRelaxed(), high: SharedU64(b + 8).loadRelaxed())
            }
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: RecordWords) {
            write(base, value, midpoint: {})
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: RecordWords, midpoint: () -> Void) {
            writeProtected(base, midpoint: midpoint) { b in
                SharedU64(b).storeRelaxed(value.low)
                SharedU64(b + 8).storeRelaxed(value.high)
            }
        }
    }

    /// The 64-bit stolen_time field, protected the same way.
    public enum StolenTime: OrderingStrategy {
        public typealias Target = StolenTimeFieldTarget
        public static var kind: StrategyKind { .seqlock }
        public static var footprint: Int { sequenceOffset + 4 }
        public static var requiredAlignment: Int { 8 }

        @inlinable @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> UInt64 {
            readBounded(base, retries: &retries, limit: .max)!
        }

        @inlinable @inline(__always)
        public static func readBounded(_ base: UnsafeMutableRawPointer, retries: inout UInt64, limit: UInt64) -> UInt64? {
            readProtected(base, retries: &retries, limit: limit) { b in SharedU64(b + 8).loadRelaxed() }
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt64) {
            write(base, value, midpoint: {})
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt64, midpoint: () -> Void) {
            writeProtected(base, midpoint: midpoint) { b in SharedU64(b + 8).storeRelaxed(value) }
        }
    }
}
