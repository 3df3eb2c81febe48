/// A stolen-time record's value, the 16 meaningful bytes as two
/// little-endian 64-bit words: `low` holds bytes 0-7 (revision in its low
/// half, attributes in its high half), `high` holds bytes 8-15
/// (stolen_time). The one record value the conduit, the strategies and the
/// detector share.
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
    public init(revision: UInt32 = 0, attributes: UInt32 = 0, stolenTime: UInt64) {
        self.init(low: UInt64(revision) | UInt64(attributes) << 32, high: stolenTime)
    }

    @inlinable public var revision: UInt32 { UInt32(truncatingIfNeeded: low) }
    @inlinable public var attributes: UInt32 { UInt32(truncatingIfNeeded: low >> 32) }
    @inlinable public var stolenTime: UInt64 { high }

    /// The 16 bytes as they stand in guest memory (little-endian).
    public var littleEndianBytes: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: StolenTimeLayout.size)
        bytes.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: revision.littleEndian, toByteOffset: StolenTimeLayout.revisionOffset, as: UInt32.self)
            raw.storeBytes(of: attributes.littleEndian, toByteOffset: StolenTimeLayout.attributesOffset, as: UInt32.self)
            raw.storeBytes(of: stolenTime.littleEndian, toByteOffset: StolenTimeLayout.stolenTimeOffset, as: UInt64.self)
        }
        return bytes
    }

    /// Decodes 16 little-endian bytes; nil when `bytes` is not 16 long.
    public init?(littleEndianBytes bytes: some Collection<UInt8>) {
        guard bytes.count == StolenTimeLayout.size else { return nil }
        let array = Array(bytes)
        let (r, a, s) = array.withUnsafeBytes { raw in
            (raw.loadUnaligned(fromByteOffset: StolenTimeLayout.revisionOffset, as: UInt32.self),
             raw.loadUnaligned(fromByteOffset: StolenTimeLayout.attributesOffset, as: UInt32.self),
             raw.loadUnaligned(fromByteOffset: StolenTimeLayout.stolenTimeOffset, as: UInt64.self))
        }
        self.init(revision: UInt32(littleEndian: r), attributes: UInt32(littleEndian: a),
                  stolenTime: UInt64(littleEndian: s))
    }
}
