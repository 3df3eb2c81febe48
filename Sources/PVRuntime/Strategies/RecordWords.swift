/// The 16 meaningful bytes of a stolen-time record as two little-endian
/// 64-bit words: `low` holds bytes 0-7 (revision in its low half, attributes
/// in its high half), `high` holds bytes 8-15 (stolen_time).
@frozen
public struct RecordWords: Equatable, Hashable, Sendable {
    public var low: UInt64
    public var high: UInt64

    @inlinable
    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    @inlinable
    public init(revision: UInt32, attributes: UInt32, stolenTime: UInt64) {
        self.init(low: UInt64(revision) | UInt64(attributes) << 32, high: stolenTime)
    }

    @inlinable public var revision: UInt32 { UInt32(truncatingIfNeeded: low) }
    @inlinable public var attributes: UInt32 { UInt32(truncatingIfNeeded: low >> 32) }
    @inlinable public var stolenTime: UInt64 { high }
}
