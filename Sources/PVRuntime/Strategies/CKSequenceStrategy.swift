import CPVPlatform
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
public enum CKSequenceStrategy: SequenceProtocol {
    public static var kind: StrategyKind { .ckSequence }

    /// Offset of the `ck_sequence_t` from the record start.
    @inlinable public static var sequenceOffset: Int { StolenTimeLayout.size }

    /// ck's read loop with a bound: `ck_sequence_read_begin` spins without
    /// one while the sequence is odd, so the bounded reader first waits for
    /// an even sequence itself (counting those spins), then runs ck's protocol.
    /// What the recorder cannot see: ck's read/write protocol is C.
    @usableFromInline static let inC: StaticString =
        "ck-sequence calls C (Concurrency Kit's ck_sequence_read_begin/read_retry/write_begin/write_end): its loads, stores and fences are not visible to the recorder"

    @inlinable @inline(__always)
    public static func readProtected<M: SharedAccessor, V>(_ m: inout M, retries: inout UInt64, limit: UInt64,
                                                           _ body: (inout M) -> V) -> V? {
        var attempts: UInt64 = 0
        while true {
            if limit != .max, m.load32(sequenceOffset, RelaxedOrdering.self) & 1 != 0 {
                retries &+= 1
                attempts &+= 1
                if attempts >= limit { return nil }
                pv_cpu_relax()
                continue
            }
            let version = m.opaque(inC, placeholder: 0) { b in SharedCKSequence(b + sequenceOffset).readBeginAcquire() }
            let value = body(&m)
            if !m.opaque(inC, placeholder: false, { b in SharedCKSequence(b + sequenceOffset).readRetryAcquire(version) }) {
                return value
            }
            retries &+= 1
            attempts &+= 1
            if attempts >= limit { return nil }
        }
    }

    @inlinable @inline(__always)
    public static func writeProtected<M: SharedAccessor>(_ m: inout M, midpoint: () -> Void, _ body: (inout M) -> Void) {
        m.opaque(inC, placeholder: ()) { b in SharedCKSequence(b + sequenceOffset).writeBeginRelease() }
        midpoint()
        body(&m)
        m.opaque(inC, placeholder: ()) { b in SharedCKSequence(b + sequenceOffset).writeEndRelease() }
    }

    /// The whole 16-byte record as one snapshot.
    public typealias Record = SequencedRecord<CKSequenceStrategy>
    /// The 64-bit stolen_time field, protected the same way.
    public typealias StolenTime = SequencedStolenTime<CKSequenceStrategy>
}
