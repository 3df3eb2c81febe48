import CPVPlatform

/// A 64-bit field at any address, accessed by ONE unaligned load or store
/// instruction (`volatile`, like READ_ONCE/WRITE_ONCE) through
/// `pv_unaligned.h`. Relaxed ordering; single-copy atomic only when the
/// access does not cross a cache line, which is exactly what the unsafe
/// `straddle` strategy puts to the test.
@frozen
public struct SharedUnalignedU64: @unchecked Sendable {
    public let address: UnsafeMutableRawPointer

    @inlinable
    public init(_ address: UnsafeMutableRawPointer) { self.address = address }

    /// One unaligned volatile 64-bit load (may tear across a cache line).
    @inlinable @inline(__always)
    public func loadRelaxedUnaligned() -> UInt64 { UInt64(littleEndian: pv_load_unaligned_u64(address)) }

    /// One unaligned volatile 64-bit store (may tear across a cache line).
    @inlinable @inline(__always)
    public func storeRelaxedUnaligned(_ value: UInt64) { pv_store_unaligned_u64(address, value.littleEndian) }
}

/// A 32-bit field at any address; as ``SharedUnalignedU64``.
@frozen
public struct SharedUnalignedU32: @unchecked Sendable {
    public let address: UnsafeMutableRawPointer

    @inlinable
    public init(_ address: UnsafeMutableRawPointer) { self.address = address }

    /// One unaligned volatile 32-bit load (may tear across a cache line).
    @inlinable @inline(__always)
    public func loadRelaxedUnaligned() -> UInt32 { UInt32(littleEndian: pv_load_unaligned_u32(address)) }

    /// One unaligned volatile 32-bit store (may tear across a cache line).
    @inlinable @inline(__always)
    public func storeRelaxedUnaligned(_ value: UInt32) { pv_store_unaligned_u32(address, value.littleEndian) }
}
