/// The 64-bit `stolen_time` field alone (bytes 8-15 of the record).
///
/// Stress code for write `k`: high half `k`, low half `mix(k)`
/// (``StressHash``). A value whose halves come from two writes never checks
/// (``StressHash/mix(_:)`` is a bijection); a value with any other byte mix
/// checks only by a 2^-32 coincidence.
///
/// Spec values are ``SpecSequence``'s: realistic run_delay deltas from just
/// below 2^32, each value's write number recoverable and verifiable in O(1).
public enum StolenTimeFieldTarget: SharedTarget {
    public typealias Value = UInt64

    public static var kind: SharedRecordKind { .stolenTime }

    public static func bytes(of value: UInt64) -> [UInt8] {
        (0 ..< 8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    @inlinable @inline(__always)
    public static func stressValue(_ k: UInt32) -> UInt64 {
        UInt64(k) << 32 | UInt64(StressHash.mix(k))
    }

    @inlinable @inline(__always)
    public static func stressIndex(_ value: UInt64) -> UInt32? {
        let k = UInt32(truncatingIfNeeded: value >> 32)
        return StressHash.mix(k) == UInt32(truncatingIfNeeded: value) ? k : nil
    }

    public static func stressCandidates(_ value: UInt64) -> [UInt32] {
        [UInt32(truncatingIfNeeded: value >> 32), StressHash.unmix(UInt32(truncatingIfNeeded: value))]
    }

    public static var stressChecksOrder: Bool { true }

    /// First spec value (ns): just below 2^32 (``SpecSequence/start``).
    public static var specStart: UInt64 { SpecSequence.start }

    @inlinable @inline(__always)
    public static func specValue(_ n: UInt64) -> UInt64 { SpecSequence.value(n) }

    @inlinable @inline(__always)
    public static func specIndex(_ value: UInt64) -> UInt64? { SpecSequence.index(of: value) }

    public static func specAnchors(_ value: UInt64) -> [UInt64] { SpecSequence.anchors(for: value) }

    /// `pvbench run`'s delta for write `index`: 1 µs plus up to 4.19 ms,
    /// pseudo-random (a mask, not a modulo: it is on the writer's path).
    @inlinable @inline(__always)
    public static func kvmDelta(_ index: UInt64) -> UInt64 {
        1_000 + UInt64(StressHash.mix(UInt32(truncatingIfNeeded: index)) & 0x3F_FFFF)
    }

    @inlinable @inline(__always)
    public static func kvmNext(after previous: UInt64, index: UInt64) -> UInt64 {
        previous &+ kvmDelta(index)
    }

    @inlinable @inline(__always)
    public static func equalBytes(_ a: UInt64, _ b: UInt64) -> UInt32 { equalByteMask(a ^ b) }

    public static var byteCount: Int { 8 }

    public static func recordedValue(_ bits: UInt64) -> UInt64 { bits }

    @inlinable @inline(__always)
    public static func specKey(_ value: UInt64) -> UInt64? { value }

    public static var specIsMonotonic: Bool { true }
}

/// Bit `i` set when byte `i` of `x` is zero (x = a ^ b: the bytes where a and b agree).
@inlinable @inline(__always)
func equalByteMask(_ x: UInt64) -> UInt32 {
    var mask: UInt32 = 0
    for i in 0 ..< 8 where x >> UInt64(8 * i) & 0xFF == 0 { mask |= 1 << UInt32(i) }
    return mask
}
