/// The 64-bit `stolen_time` field alone (bytes 8-15 of the record).
///
/// Stress code for write `k`: high half `k`, low half `mix(k)`
/// (``StressHash``). A value whose halves come from two writes never checks
/// (``StressHash/mix(_:)`` is a bijection); a value with any other byte mix
/// checks only by a 2^-32 coincidence.
///
/// Spec values start at 4 290 000 000 ns, just below 2^32, so the first carry
/// into the high half comes within the first writes, and grow by 1 µs ... 4.2 ms
/// per write, a realistic run_delay delta per sched-in.
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

    /// First spec value (ns): just below 2^32.
    public static let specStart: UInt64 = 4_290_000_000

    public static var specInitial: UInt64 { specStart }

    /// Spec delta for write `index`: 1 µs plus up to 4.19 ms, pseudo-random.
    /// A mask, not a modulo: readers replay this per write they skipped, and
    /// must stay cheaper than the writer.
    @inlinable @inline(__always)
    public static func specDelta(_ index: UInt64) -> UInt64 {
        1_000 + UInt64(StressHash.mix(UInt32(truncatingIfNeeded: index)) & 0x3F_FFFF)
    }

    @inlinable @inline(__always)
    public static func specNext(after previous: UInt64, index: UInt64) -> UInt64 {
        previous &+ specDelta(index)
    }

    @inlinable @inline(__always)
    public static func specKey(_ value: UInt64) -> UInt64? { value }

    public static var specIsMonotonic: Bool { true }
}
