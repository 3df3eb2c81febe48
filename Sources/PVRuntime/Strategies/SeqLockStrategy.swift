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
/// `seqlock-nofence` (``SeqLockNoFenceStrategy``) is the same code with the
/// fences left out and every access relaxed: what the x86 code becomes when
/// "x86 needs no fences here" is copied to arm64. x86-TSO keeps the order
/// anyway; ARMv8 lets the reader's data loads and the writer's data stores
/// pass the sequence accesses, so an accepted snapshot can be torn (record)
/// or older than the sequence it accepted (stolen-time).
///
/// Where the sequence lives: the arm64 record has no version field, so the
/// sequence word is a `u32` at record offset 16, in the padding of the
/// 64-byte `struct pvclock_vcpu_stolen_time`, on the same cache line as the
/// data (as x86 keeps `version` beside `steal`). This changes nothing the
/// arm64 ABI defines, but it needs 20 bytes per record: a packed layout of
/// back-to-back 16-byte records has no room for it (offset 16 is the next
/// vCPU's revision), so seqlock needs a stride of at least ``footprint``.
///
/// Guarantees (fenced): a reader returns a snapshot of the whole record that
/// some write produced (no tear across fields), with one writer per record.
/// Readers may retry indefinitely under a continuous writer (counted in
/// `retries`; odd-sequence spins count too). Not a lock: writers must be
/// serialised by other means (KVM: only the vCPU's own thread writes).
public enum SeqLock<F: SeqLockFencing>: SequenceProtocol {
    public static var kind: StrategyKind { F.kind }

    /// Offset of the sequence word from the record start.
    @inlinable public static var sequenceOffset: Int { StolenTimeLayout.size }

    /// One attempt; its common outcome is the straight line (`_fastPath`),
    /// as the C reader's layout has it.
    @inlinable @inline(__always)
    static func attempt<M: SharedAccessor, V>(_ m: inout M, _ body: (inout M) -> V) -> V? {
        let before = m.load32(sequenceOffset, F.SequenceLoad.self)
        if _fastPath(before & 1 == 0) {
            let value = body(&m)
            if F.fenced { m.fenceAcquire() }
            if _fastPath(m.load32(sequenceOffset, RelaxedOrdering.self) == before) { return value }
        } else {
            pv_cpu_relax()
        }
        return nil
    }

    @inlinable @inline(__always)
    public static func readProtected<M: SharedAccessor, V>(_ m: inout M, retries: inout UInt64, limit: UInt64,
                                                           _ body: (inout M) -> V) -> V? {
        if let value = attempt(&m, body) { return value }
        var attempts: UInt64 = 1
        while true {
            retries &+= 1
            if attempts >= limit { return nil }
            attempts &+= 1
            if let value = attempt(&m, body) { return value }
        }
    }

    @inlinable @inline(__always)
    public static func writeProtected<M: SharedAccessor>(_ m: inout M, midpoint: () -> Void, _ body: (inout M) -> Void) {
        let s = m.load32(sequenceOffset, RelaxedOrdering.self)  // only this writer stores it
        m.store32(sequenceOffset, s &+ 1, RelaxedOrdering.self)
        if F.fenced { m.fenceRelease() }
        midpoint()
        body(&m)
        m.store32(sequenceOffset, s &+ 2, F.SequenceStore.self)
    }

    /// The whole 16-byte record as one snapshot.
    public typealias Record = SequencedRecord<SeqLock<F>>
    /// The 64-bit stolen_time field, protected the same way.
    public typealias StolenTime = SequencedStolenTime<SeqLock<F>>
}

/// How a ``SeqLock`` orders its sequence accesses against the data.
public protocol SeqLockFencing: SendableMetatype {
    static var kind: StrategyKind { get }
    /// The reader's first sequence load.
    associatedtype SequenceLoad: AccessOrdering
    /// The writer's closing (even) sequence store.
    associatedtype SequenceStore: AccessOrdering
    /// Whether the writer's release fence (after the odd store) and the
    /// reader's acquire fence (before the second load) are there.
    static var fenced: Bool { get }
}

/// The seqlock as C11 needs it: acquire first load, release last store, both fences.
public enum SeqLockFenced: SeqLockFencing {
    public static var kind: StrategyKind { .seqlock }
    public typealias SequenceLoad = AcquireReleaseOrdering
    public typealias SequenceStore = AcquireReleaseOrdering
    @inlinable public static var fenced: Bool { true }
}

/// The seqlock with its fences left out: every access relaxed (x86's plain `mov`s).
public enum SeqLockNoFence: SeqLockFencing {
    public static var kind: StrategyKind { .seqlockNoFence }
    public typealias SequenceLoad = RelaxedOrdering
    public typealias SequenceStore = RelaxedOrdering
    @inlinable public static var fenced: Bool { false }
}

/// `seqlock`.
public typealias SeqLockStrategy = SeqLock<SeqLockFenced>
/// `seqlock-nofence` — DELIBERATELY UNSAFE on arm64 (safe under x86-TSO only).
public typealias SeqLockNoFenceStrategy = SeqLock<SeqLockNoFence>
