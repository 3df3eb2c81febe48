import PVABI

/// A sequence-counter protocol that protects a record's data: how a reader
/// brackets its loads and a writer its stores. ``SeqLock`` (the x86
/// `kvm_steal_time` protocol, with or without its fences) and
/// ``CKSequenceStrategy`` (Concurrency Kit's `ck_sequence`) are the
/// protocols; ``SequencedRecord`` and ``SequencedStolenTime`` put one
/// around the data of one target (``SequenceProtectedStrategy``). Written
/// over a ``SharedAccessor``, like the data.
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

/// A strategy whose data accesses run inside a ``SequenceProtocol``: the
/// bracket, the footprint and the guard word are written here once; a
/// conformer says only which relaxed loads and stores move its data.
public protocol SequenceProtectedStrategy: RecordableStrategy {
    associatedtype Protection: SequenceProtocol
    /// The data's relaxed loads, inside the read protocol.
    static func loadData<M: SharedAccessor>(_ m: inout M) -> Target.Value
    /// The data's relaxed stores, inside the write protocol.
    static func storeData<M: SharedAccessor>(_ m: inout M, _ value: Target.Value)
}

extension SequenceProtectedStrategy {
    public static var kind: StrategyKind { Protection.kind }
    public static var footprint: Int { Protection.sequenceOffset + 4 }
    public static var requiredAlignment: Int { 8 }
    public static var guardWord: (offset: Int, name: String)? { (Protection.sequenceOffset, "sequence") }

    @inlinable @inline(__always)
    public static func read<M: SharedAccessor>(_ m: inout M, retries: inout UInt64) -> Target.Value {
        readBounded(&m, retries: &retries, limit: .max)!
    }

    @inlinable @inline(__always)
    public static func readBounded<M: SharedAccessor>(_ m: inout M, retries: inout UInt64, limit: UInt64) -> Target.Value? {
        Protection.readProtected(&m, retries: &retries, limit: limit) { m in loadData(&m) }
    }

    @inlinable @inline(__always)
    public static func write<M: SharedAccessor>(_ m: inout M, _ value: Target.Value) {
        write(&m, value, midpoint: {})
    }

    @inlinable @inline(__always)
    public static func write<M: SharedAccessor>(_ m: inout M, _ value: Target.Value, midpoint: () -> Void) {
        Protection.writeProtected(&m, midpoint: midpoint) { m in storeData(&m, value) }
    }
}

/// The whole 16-byte stolen-time record as one snapshot, protected by `P`.
public enum SequencedRecord<P: SequenceProtocol>: SequenceProtectedStrategy {
    public typealias Target = StolenTimeRecordTarget
    public typealias Protection = P

    @inlinable @inline(__always)
    public static func loadData<M: SharedAccessor>(_ m: inout M) -> RecordWords {
        RecordWords(low: m.load64(0, RelaxedOrdering.self), high: m.load64(8, RelaxedOrdering.self))
    }

    @inlinable @inline(__always)
    public static func storeData<M: SharedAccessor>(_ m: inout M, _ value: RecordWords) {
        m.store64(0, value.low, RelaxedOrdering.self)
        m.store64(8, value.high, RelaxedOrdering.self)
    }
}

/// The 64-bit stolen_time field alone, protected by `P`.
public enum SequencedStolenTime<P: SequenceProtocol>: SequenceProtectedStrategy {
    public typealias Target = StolenTimeFieldTarget
    public typealias Protection = P

    @inlinable @inline(__always)
    public static func loadData<M: SharedAccessor>(_ m: inout M) -> UInt64 { m.load64(8, RelaxedOrdering.self) }

    @inlinable @inline(__always)
    public static func storeData<M: SharedAccessor>(_ m: inout M, _ value: UInt64) { m.store64(8, value, RelaxedOrdering.self) }
}
