import PVABI

/// The whole 16-byte stolen-time record, read and written as one snapshot.
///
/// Stress code for write `k`: revision `k`, attributes `mix(k ^ 0xA5A5A5A5)`,
/// stolen_time `mix(k + 0x9E3779B9) << 32 | mix(~k)`. Each 4-byte quarter
/// determines `k` on its own (``StressHash`` is a bijection), so a value
/// whose quarters come from two writes never checks; other byte mixes check
/// only by a 2^-96 coincidence.
///
/// Spec values: revision = attributes = 0 and stolen_time as
/// ``StolenTimeFieldTarget`` (``SpecSequence``).
public enum StolenTimeRecordTarget: SharedTarget {
    public typealias Value = RecordWords

    public static var kind: SharedRecordKind { .record }

    public static func bytes(of value: RecordWords) -> [UInt8] {
        StolenTimeFieldTarget.bytes(of: value.low) + StolenTimeFieldTarget.bytes(of: value.high)
    }

    @usableFromInline static let attributesSalt: UInt32 = 0xA5A5_A5A5
    @usableFromInline static let stolenSalt: UInt32 = 0x9E37_79B9

    @inlinable @inline(__always)
    public static func stressValue(_ k: UInt32) -> RecordWords {
        RecordWords(revision: k, attributes: StressHash.mix(k ^ attributesSalt),
                    stolenTime: UInt64(StressHash.mix(k &+ stolenSalt)) << 32 | UInt64(StressHash.mix(~k)))
    }

    @inlinable @inline(__always)
    public static func stressIndex(_ value: RecordWords) -> UInt32? {
        let k = value.revision
        return stressValue(k) == value ? k : nil
    }

    public static func stressCandidates(_ value: RecordWords) -> [UInt32] {
        [value.revision,
         StressHash.unmix(value.attributes) ^ attributesSalt,
         StressHash.unmix(UInt32(truncatingIfNeeded: value.high >> 32)) &- stolenSalt,
         ~StressHash.unmix(UInt32(truncatingIfNeeded: value.high))]
    }

    public static var stressChecksOrder: Bool { true }

    @inlinable @inline(__always)
    public static func specValue(_ n: UInt64) -> RecordWords { RecordWords(low: 0, high: SpecSequence.value(n)) }

    @inlinable @inline(__always)
    public static func specIndex(_ value: RecordWords) -> UInt64? {
        value.low == 0 ? SpecSequence.index(of: value.high) : nil
    }

    public static func specAnchors(_ value: RecordWords) -> [UInt64] { SpecSequence.anchors(for: value.high) }

    @inlinable @inline(__always)
    public static func kvmNext(after previous: RecordWords, index: UInt64) -> RecordWords {
        RecordWords(low: 0, high: StolenTimeFieldTarget.kvmNext(after: previous.high, index: index))
    }

    @inlinable @inline(__always)
    public static func equalBytes(_ a: RecordWords, _ b: RecordWords) -> UInt32 {
        equalByteMask(a.low ^ b.low) | equalByteMask(a.high ^ b.high) << 8
    }

    public static var byteCount: Int { 16 }

    public static func recordedValue(_ bits: UInt64) -> RecordWords { RecordWords(low: bits, high: bits) }

    @inlinable @inline(__always)
    public static func specKey(_ value: RecordWords) -> UInt64? { value.low == 0 ? value.high : nil }

    public static var specIsMonotonic: Bool { true }
}
