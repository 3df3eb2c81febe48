import Synchronization
import PVABI

/// A 16-byte aligned little-endian 128-bit value in shared memory, accessed as
/// one atomic (the stdlib's `Atomic<WordPair>` bound onto the memory).
///
/// What it compiles to (checked with `objdump -d` on a release build):
/// - x86_64 (Swift's Linux target enables CMPXCHG16B; no `-mcx16` needed):
///   both `loadRelaxed` and `storeRelaxed` are a `lock cmpxchg16b` loop. A
///   load is therefore a locked read-modify-write: it takes the cache line
///   exclusive, so readers contend with each other and with the writer.
/// - arm64 baseline (ARMv8.0): an `LDXP`/`STXP` loop, so a load also writes;
///   with FEAT_LSE, `CASP`; with FEAT_LSE2 (ARMv8.4), an aligned `LDP`/`STP`
///   is single-copy atomic and LLVM emits that (Arm ARM B2.2.1.1).
///
/// C11: `_Atomic unsigned __int128` with `memory_order_relaxed`; the LKMM has
/// only `cmpxchg128`/`system_has_cmpxchg128()`, no plain 128-bit READ_ONCE.
@frozen
public struct SharedU128: @unchecked Sendable {
    public let address: UnsafeMutableRawPointer

    @inlinable
    public init(_ address: UnsafeMutableRawPointer) {
        assert(UInt(bitPattern: address) & 15 == 0, "SharedU128 needs 16-byte alignment")  // debug only: hot path
        self.address = address
    }

    @inlinable @inline(__always)
    var atomic: UnsafeMutablePointer<Atomic<WordPair>> {
        address.assumingMemoryBound(to: Atomic<WordPair>.self)
    }

    /// One relaxed 128-bit atomic load (see the type's note: a locked RMW on x86_64).
    @inlinable @inline(__always)
    public func loadRelaxed() -> RecordWords {
        let pair = atomic.pointee.load(ordering: .relaxed)
        return RecordWords(low: UInt64(littleEndian: UInt64(pair.first)), high: UInt64(littleEndian: UInt64(pair.second)))
    }

    /// One relaxed 128-bit atomic store.
    @inlinable @inline(__always)
    public func storeRelaxed(_ value: RecordWords) {
        atomic.pointee.store(WordPair(first: UInt(value.low.littleEndian), second: UInt(value.high.littleEndian)),
                             ordering: .relaxed)
    }
}
