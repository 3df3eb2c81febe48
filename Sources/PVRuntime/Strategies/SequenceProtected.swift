import PVABI

/// A sequence-counter protocol that protects a record's data: how a reader
/// brackets its loads and a writer its stores. ``SeqLock`` (the x86
/// `kvm_steal_time` protocol, with or without its fences) and
/// ``CKSequenceStrategy`` (Concurrency Kit's `ck_sequence`) are the
/// protocols; ``SequencedRecord`` and ``SequencedStolenTime`` put one
/// around the data of one target, so they share everything but the
/// protocol itself. Written over a ``SharedAccessor``, like the data.
public protocol SequenceProtocol: SendableMetatype {
    /// The strategy's runtime name.
    static var kind: StrategyKind { get }
    /// Offset of the sequence word from the record start (in the padding of
    /// the 64-byte kernel struct, on the record's cache line).
    static var sequenceOffset: Int { get }
    /// Runs `body` (relaxed loads of the data) inside the read protocol and
    /// returns a snapshot some write produced, or nil after `limit`
    /// discarded attempts. `retries` grows by the attempts discarded.
    static func readProtected<M: SharedAccessor, V>(_ m: inout M, retries: inout UInt64, limit: UInt64,
                                                    _ body: (inout M) -> V) -> V?
    /// Runs `body` (relaxed stores of the data) inside the write protocol,
    /// `midpoint` while the record is marked as being updated.
    static func writeProtected<M: SharedAccessor>(_ m: inout M, midpoint: () -> Void, _ body: (inout M) -> Void)
}

/// The whole 16-byte stolen-time record as one snapshot, protected by `P`.
public enum SequencedRecord<P: SequenceProtocol>: RecordableStrategy {
    public typealias Target = StolenTimeRecordTarget
    public static var kind: StrategyKind { P.kind }
    public static var footprint: Int { P.sequenceOffset + 4 }
    public static var requiredAlignment: Int { 8 }
    public static var guardWord: (offset: Int, name: String)? { (P.sequenceOffset, "sequence") }

    @inlinable @inline(__always)
    public static func read<M: SharedAccessor>(_ m: inout M, retries: inout UInt64) -> RecordWords {
        readBounded(&m, retries: &retries, limit: .max)!
    }

    @inlinable @inline(__always)
    public static func readBounded<M: SharedAccessor>(_ m: inout M, retries: inout UInt64, limit: UInt64) -> RecordWords? {
        P.readProtected(&m, retries: &retries, limit: limit) { m in
            RecordWords(low: m.load64(0, RelaxedOrdering.self), high: m.load64(8, RelaxedOrdering.self))
        }
    }

    @inlinable @inline(__always)
    public static func write<M: SharedAccessor>(_ m: inout M, _ value: RecordWords) {
        write(&m, value, midpoint: {})
    }

    @inlinable @inline(__always)
    public static func write<M: SharedAccessor>(_ m: inout M, _ value: RecordWords, midpoint: () -> Void) {
        P.writeProtected(&m, midpoint: midpoint) { m in
            m.store64(0, value.low, RelaxedOrdering.self)
            m.store64(8, value.high, RelaxedOrdering.self)
        }
    }

    public static func recordedValue(_ bits: UInt64) -> RecordWords { RecordWords(low: bits, high: bits) }
}

/// The 64-bit stolen_time field alone, protected by `P`.
public enum SequencedStolenTime<P: SequenceProtocol>: RecordableStrategy {
    public typealias Target = StolenTimeFieldTarget
    public static var kind: StrategyKind { P.kind }
    public static var footprint: Int { P.sequenceOffset + 4 }
    public static var requiredAlignment: Int { 8 }
    public static var guardWord: (offset: Int, name: String)? { (P.sequenceOffset, "sequence") }

    @inlinable @inline(__always)
    public static func read<M: SharedAccessor>(_ m: inout M, retries: inout UInt64) -> UInt64 {
        readBounded(&m, retries: &retries, limit: .max)!
    }

    @inlinable @inline(__always)
    public static func readBounded<M: SharedAccessor>(_ m: inout M, retries: inout UInt64, limit: UInt64) -> UInt64? {
        P.readProtected(&m, retries: &retries, limit: limit) { m in m.load64(8, RelaxedOrdering.self) }
    }

    @inlinable @inline(__always)
    public static func write<M: SharedAccessor>(_ m: inout M, _ value: UInt64) {
        write(&m, value, midpoint: {})
    }

    @inlinable @inline(__always)
    public static func write<M: SharedAccessor>(_ m: inout M, _ value: UInt64, midpoint: () -> Void) {
        P.writeProtected(&m, midpoint: midpoint) { m in m.store64(8, value, RelaxedOrdering.self) }
    }

    public static func recordedValue(_ bits: UInt64) -> UInt64 { bits }
}
