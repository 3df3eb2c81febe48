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
public enum SeqLockStrategy: SequenceProtocol {
    public static var kind: StrategyKind { .seqlock }

    /// Offset of the sequence word from the record start.
    @inlinable public static var sequenceOffset: Int { StolenTimeLayout.size }

    @inlinable @inline(__always)
    public static func readProtected<V>(_ base: UnsafeMutableRawPointer, retries: inout UInt64, limit: UInt64,
                                        _ body: (UnsafeMutableRawPointer) -> V) -> V? {
        let sequence = SharedU32(base + sequenceOffset)
        // One attempt; its common outcome is the straight line (`_fastPath`),
        // as the C reader's layout has it.
        @inline(__always)
        func attempt() -> V? {
            let before = sequence.loadAcquire()
            if _fastPath(before & 1 == 0) {
                let value = body(base)
                SharedMemoryFence.acquire()
                if _fastPath(sequence.loadRelaxed() == before) { return value }
            } else {
                pv_cpu_relax()
            }
            return nil
        }
        if let value = attempt() { return value }
        var attempts: UInt64 = 1
        while true {
            retries &+= 1
            if attempts >= limit { return nil }
            attempts &+= 1
            if let value = attempt() { return value }
        }
    }

    @inlinable @inline(__always)
    public static func writeProtected(_ base: UnsafeMutableRawPointer, midpoint: () -> Void,
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
    public typealias Record = SequencedRecord<SeqLockStrategy>
    /// The 64-bit stolen_time field, protected the same way.
    public typealias StolenTime = SequencedStolenTime<SeqLockStrategy>
}
