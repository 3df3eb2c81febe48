/// A shared value a strategy moves between the hypervisor writer and guest
/// readers, with what the torn-read detector needs to know about it.
///
/// The three conformers are ``StolenTimeRecordTarget``,
/// ``StolenTimeFieldTarget`` and ``PreemptedFlagTarget``. Everything here is
/// pure arithmetic on values; no conformer touches shared memory.
public protocol SharedTarget {
    associatedtype Value: Equatable & Sendable

    /// The runtime name of this target.
    static var kind: SharedRecordKind { get }

    /// The value's bytes as they stand in guest memory (little-endian).
    static func bytes(of value: Value) -> [UInt8]

    // MARK: stress mode

    /// The writer's `k`-th stress value. Codes are chosen so that a value made
    /// of bytes from two different writes is not a code word (see each
    /// conformer for how strongly that holds).
    static func stressValue(_ k: UInt32) -> Value
    /// `k` when `value` is a stress code word, nil when it is not (torn).
    static func stressIndex(_ value: Value) -> UInt32?
    /// Indices of writes that may have contributed bytes to `value`, for
    /// explaining a torn value (cold path).
    static func stressCandidates(_ value: Value) -> [UInt32]
    /// Whether stress indices are wide enough to check that they never go
    /// backwards (the 4-byte flag's 8-bit index is not).
    static var stressChecksOrder: Bool { get }

    // MARK: spec mode

    /// The writer's value number `n` in spec mode (n = 0: the value before
    /// the first write): stolen time as ``SpecSequence`` (revision and
    /// attributes 0), the flag alternating 0, 1, 0, … as KVM writes it.
    static func specValue(_ n: UInt64) -> Value
    /// Membership in O(1): a write number whose spec value `value` is, or nil
    /// when no write produced it. For the flag, whose values repeat, `value`
    /// itself (0 or 1): its spec values carry no write number.
    static func specIndex(_ value: Value) -> UInt64?
    /// Write numbers near which the writes a non-written `value` mixed are
    /// likely to be (cold path; see ``SpecSequence/anchors(for:)``).
    static func specAnchors(_ value: Value) -> [UInt64]
    /// The value's ordering key when it satisfies the record's invariants
    /// (revision = attributes = 0; flag 0 or 1), nil when it does not.
    static func specKey(_ value: Value) -> UInt64?
    /// Whether spec values only grow (stolen time) or merely alternate (flag).
    static var specIsMonotonic: Bool { get }

    // MARK: run mode

    /// `kvm_update_stolen_time()`'s step for `pvbench run`'s writer: the value
    /// read back plus a run_delay delta (write number `index`, from 1); the
    /// flag's state `index & 1`. Unlike ``specValue(_:)``, the sequence
    /// depends on what was read back, as KVM's does.
    static func kvmNext(after previous: Value, index: UInt64) -> Value

    // MARK: bytes

    /// Bit `i` set when byte `i` of `a` and `b` (memory order) are equal.
    static func equalBytes(_ a: Value, _ b: Value) -> UInt32
    /// Bytes in a value.
    static var byteCount: Int { get }

    // MARK: model

    /// The value the model checker's recorded writer stores for `bits`: each
    /// field gets them, truncated.
    static func recordedValue(_ bits: UInt64) -> Value
}

extension SharedTarget {
    /// The value before the first spec write.
    public static var specInitial: Value { specValue(0) }

    /// A byte string for reports: the bytes in memory order, in hex.
    public static func hexBytes(_ value: Value) -> String { bytes(of: value).hexBytes }
}
