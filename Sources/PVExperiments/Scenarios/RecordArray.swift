/// Per-vCPU records laid out at a fixed stride: what a hot loop needs to
/// address vCPU `i`'s record without an array of handles.
@frozen
public struct RecordArray: @unchecked Sendable {
    public let base: UnsafeMutableRawPointer
    public let stride: Int
    public let count: Int

    @inlinable
    public init(base: UnsafeMutableRawPointer, stride: Int, count: Int) {
        precondition(count >= 1 && stride >= 1)
        self.base = base
        self.stride = stride
        self.count = count
    }

    /// vCPU `i`'s record.
    @inlinable @inline(__always)
    public subscript(i: Int) -> UnsafeMutableRawPointer { base + i &* stride }

    /// Builds the array from per-vCPU addresses, which must be evenly spaced.
    public init?(addresses: [UnsafeMutableRawPointer]) {
        guard let first = addresses.first else { return nil }
        let stride = addresses.count > 1 ? addresses[1] - first : 64
        for (i, a) in addresses.enumerated() where a != first + i * stride { return nil }
        self.init(base: first, stride: max(stride, 1), count: addresses.count)
    }
}
