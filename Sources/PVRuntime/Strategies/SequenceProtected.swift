import PVABI

/// A sequence-counter protocol that protects a record's data: how a reader
/// brackets its loads and a writer its stores. ``SeqLockStrategy`` (the x86
/// `kvm_steal_time` protocol) and ``CKSequenceStrategy`` (Concurrency Kit's
/// `ck_sequence`) are the two; ``SequencedRecord`` and
/// ``SequencedStolenTime`` put either around the data of one target, so the
/// two protocols share everything but the protocol itself.
public protocol SequenceProtocol {
    /// The strategy's runtime name.
    static var kind: StrategyKind { get }
    /// Offset of the sequence word from the record start (in the padding of
    /// the 64-byte kernel struct, on the record's cache line).
    static var sequenceOffset: Int { get }
    /// Runs `body` (relaxed loads of the data) inside the read protocol and
    /// returns a snapshot some write produced, or nil after `limit`
    /// discarded attempts. `retries` grows by the attempts discarded.
    static func readProtected<V>(_ base: UnsafeMutableRawPointer, retries: inout UInt64, limit: UInt64,
                                 _ body: (UnsafeMutableRawPointer) -> V) -> V?
    /// Runs `body` (relaxed stores of the data) inside the write protocol,
    /// `midpoint` while the record is marked as being updated.
    static func writeProtected(_ base: UnsafeMutableRawPointer, midpoint: () -> Void,
                               _ body: (UnsafeMutableRawPointer) -> Void)
}

/// The whole 16-byte stolen-time record as one snapshot, protected by `P`.
public enum SequencedRecord<P: SequenceProtocol>: OrderingStrategy {
    public typealias Target = StolenTimeRecordTarget
    public static var kind: StrategyKind { P.kind }
    public static var footprint: Int { P.sequenceOffset + 4 }
    public static var requiredAlignment: Int { 8 }

    @inlinable @inline(__always)
    public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> RecordWords {
        readBounded(base, retries: &retries, limit: .max)!
    }

    @inlinable @inline(__always)
    public static func readBounded(_ base: UnsafeMutableRawPointer, retries: inout UInt64, limit: UInt64) -> RecordWords? {
        P.readProtected(base, retries: &retries, limit: limit) { b in
            RecordWords(low: SharedU64(b).loadRelaxed(), high: SharedU64(b + 8).loadRelaxed())
        }
    }

    @inlinable @inline(__always)
    public static func write(_ base: UnsafeMutableRawPointer, _ value: RecordWords) {
        write(base, value, midpoint: {})
    }

    @inlinable @inline(__always)
    public static func write(_ base: UnsafeMutableRawPointer, _ value: RecordWords, midpoint: () -> Void) {
        P.writeProtected(base, midpoint: midpoint) { b in
            SharedU64(b).storeRelaxed(value.low)
            SharedU64(b + 8).storeRelaxed(value.high)
        }
    }
}

/// The 64-bit stolen_time field alone, protected by `P`.
public enum SequencedStolenTime<P: SequenceProtocol>: OrderingStrategy {
    public typealias Target = StolenTimeFieldTarget
    public static var kind: StrategyKind { P.kind }
    public static var footprint: Int { P.sequenceOffset + 4 }
    public static var requiredAlignment: Int { 8 }

    @inlinable @inline(__always)
    public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> UInt64 {
        readBounded(base, retries: &retries, limit: .max)!
    }

    @inlinable @inline(__always)
    public static func readBounded(_ base: UnsafeMutableRawPointer, retries: inout UInt64, limit: UInt64) -> UInt64? {
        P.readProtected(base, retries: &retries, limit: limit) { b in SharedU64(b + 8).loadRelaxed() }
    }

    @inlinable @inline(__always)
    public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt64) {
        write(base, value, midpoint: {})
    }

    @inlinable @inline(__always)
    public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt64, midpoint: () -> Void) {
        P.writeProtected(base, midpoint: midpoint) { b in SharedU64(b + 8).storeRelaxed(value) }
    }
}
