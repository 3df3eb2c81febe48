import PVABI

/// `ck-sequence`: the seqlock protocol through Concurrency Kit's
/// `ck_sequence` (Debian `libck-dev`), the established C implementation, as a
/// peer to ``SeqLockStrategy``. The `ck_sequence_t` sits where the seqlock's
/// sequence does (record offset 16, in the kernel struct's padding; same
/// stride requirement).
///
/// C: `ck_sequence_write_begin`/`write_end` around relaxed data stores;
/// readers `do { v = ck_sequence_read_begin(); data; } while
/// (ck_sequence_read_retry(v))`. ck's fences are `ck_pr_fence_load`/`_store`
/// (compiler-only on x86_64 TSO; `dmb ishld`/`dmb ishst` on arm64).
///
/// Guarantees: as ``SeqLockStrategy``. `retries` counts `read_retry`
/// failures only: the spins inside `ck_sequence_read_begin` while the
/// sequence is odd happen inside ck and are not visible to the caller.
public enum CKSequenceStrategy {
    /// Offset of the `ck_sequence_t` from the record start.
    public static let sequenceOffset = StolenTimeLayout.size

    /// The whole 16-byte record as one snapshot.
    public enum Record: OrderingStrategy {
        public typealias Target = StolenTimeRecordTarget
        public static var kind: StrategyKind { .ckSequence }
        public static var footprint: Int { sequenceOffset + 4 }
        public static var requiredAlignment: Int { 8 }

        @inlinable @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> RecordWords {
            let sequence = SharedCKSequence(base + sequenceOffset)
            while true {
                let version = sequence.readBeginAcquire()
                let value = RecordWords(low: SharedU64(base).loadRelaxed(), high: SharedU64(base + 8).loadRelaxed())
                if !sequence.readRetryAcquire(version) { return value }
                retries &+= 1
            }
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: RecordWords) {
            let sequence = SharedCKSequence(base + sequenceOffset)
            sequence.writeBeginRelease()
            SharedU64(base).storeRelaxed(value.low)
            SharedU64(base + 8).storeRelaxed(value.high)
            sequence.writeEndRelease()
        }
    }

    /// The 64-bit stolen_time field, protected the same way.
    public enum StolenTime: OrderingStrategy {
        public typealias Target = StolenTimeFieldTarget
        public static var kind: StrategyKind { .ckSequence }
        public static var footprint: Int { sequenceOffset + 4 }
        public static var requiredAlignment: Int { 8 }

        @inlinable @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> UInt64 {
            let sequence = SharedCKSequence(base + sequenceOffset)
            while true {
                let version = sequence.readBeginAcquire()
                let value = SharedU64(base + 8).loadRelaxed()
                if !sequence.readRetryAcquire(version) { return value }
                retries &+= 1
            }
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt64) {
            let sequence = SharedCKSequence(base + sequenceOffset)
            sequence.writeBeginRelease()
            SharedU64(base + 8).storeRelaxed(value)
            sequence.writeEndRelease()
        }
    }
}
