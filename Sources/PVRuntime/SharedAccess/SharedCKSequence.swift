import CConcurrencyKit
import PVABI

/// A Concurrency Kit `ck_sequence_t` (one `unsigned int`) in shared memory,
/// driven through ck's own functions (`pvck_*` wrappers over
/// `ck_sequence.h`), so the protocol's loads, stores and fences are ck's.
/// Invariant (ck): an odd sequence means a writer is mid-update.
@frozen
public struct SharedCKSequence: @unchecked Sendable {
    public let address: UnsafeMutableRawPointer

    @inlinable
    public init(_ address: UnsafeMutableRawPointer) {
        assert(UInt(bitPattern: address) & 3 == 0, "ck_sequence_t needs 4-byte alignment")  // debug only: hot path
        self.address = address
    }

    @inlinable @inline(__always)
    var sequence: UnsafeMutablePointer<ck_sequence_t> { address.assumingMemoryBound(to: ck_sequence_t.self) }

    /// `ck_sequence_read_begin`: spins while odd, then a load fence; returns the even version.
    @inlinable @inline(__always)
    public func readBeginAcquire() -> UInt32 { pvck_read_begin(sequence) }

    /// `ck_sequence_read_retry`: load fence, then whether the version moved.
    @inlinable @inline(__always)
    public func readRetryAcquire(_ version: UInt32) -> Bool { pvck_read_retry(sequence, version) }

    /// `ck_sequence_write_begin`: version made odd, then a store fence.
    @inlinable @inline(__always)
    public func writeBeginRelease() { pvck_write_begin(sequence) }

    /// `ck_sequence_write_end`: store fence, then version made even.
    @inlinable @inline(__always)
    public func writeEndRelease() { pvck_write_end(sequence) }
}
