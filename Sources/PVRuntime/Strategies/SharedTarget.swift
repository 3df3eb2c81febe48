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

    /// The value the record holds before the first write.
    static var specInitial: Value { get }
    /// The writer's next spec value after `previous` (write number `index`,
    /// from 1): stolen time grows by a realistic delta; the flag alternates.
    static func specNext(after previous: Value, index: UInt64) -> Value
    /// The value's ordering key when it satisfies the record's invariants
    /// (revision = attributes = 0; flag 0 or 1), nil when it does not.
    static func specKey(_ value: Value) -> UInt64?
    /// Whether spec values only grow (stolen time) or merely alternate (flag).
    static var specIsMonotonic: Bool { get }
}

extension SharedTarget {
    /// A byte string for reports: `0x` and the bytes in memory order.
    public static func hexBytes(_ value: Value) -> String {
        bytes(of: value).map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined(separator: " ")
    }
}
