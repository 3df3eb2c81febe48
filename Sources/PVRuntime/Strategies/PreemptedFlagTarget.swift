/// The 32-bit PV sched `preempted` flag.
///
/// Stress code for write `k`: byte `i` is `k8 ^ c[i]` with `k8 = k mod 256`
/// and `c = [0x00, 0x5A, 0xA5, 0xFF]`. Every byte alone determines `k8`, so
/// ANY byte mix of two writes with different `k8` is invalid: proven, not
/// probabilistic. Eight bits of index are too few to tell "went backwards"
/// from "reader fell 128 writes behind", so the flag's order is not checked.
///
/// Spec values alternate 1 (sched-out) and 0 (sched-in), as KVM writes them;
/// a byte mix of 0 and 1 is 0 or 1, so a torn flag cannot be seen in spec
/// mode, which is itself a result.
public enum PreemptedFlagTarget: SharedTarget {
    public typealias Value = UInt32

    public static var kind: SharedRecordKind { .preempted }

    public static func bytes(of value: UInt32) -> [UInt8] {
        (0 ..< 4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    @usableFromInline static let salt: UInt32 = 0xFFA5_5A00

    @inlinable @inline(__always)
    public static func stressValue(_ k: UInt32) -> UInt32 {
        (k & 0xFF) &* 0x0101_0101 ^ salt
    }

    @inlinable @inline(__always)
    public static func stressIndex(_ value: UInt32) -> UInt32? {
        let k8 = (value ^ salt) & 0xFF
        return stressValue(k8) == value ? k8 : nil
    }

    public static func stressCandidates(_ value: UInt32) -> [UInt32] {
        let unsalted = value ^ salt
        var seen: [UInt32] = []
        for i in 0 ..< 4 {
            let k8 = (unsalted >> (8 * UInt32(i))) & 0xFF
            if !seen.contains(k8) { seen.append(k8) }
        }
        return seen
    }

    public static var stressChecksOrder: Bool { false }

    @inlinable @inline(__always)
    public static func specValue(_ n: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: n & 1) }

    @inlinable @inline(__always)
    public static func specIndex(_ value: UInt32) -> UInt64? { value <= 1 ? UInt64(value) : nil }

    /// Mixes of 0 and 1 are 0 or 1: a non-written flag is no mix of two writes.
    public static func specAnchors(_ value: UInt32) -> [UInt64] { [0, 1] }

    @inlinable @inline(__always)
    public static func kvmNext(after previous: UInt32, index: UInt64) -> UInt32 { specValue(index) }

    @inlinable @inline(__always)
    public static func equalBytes(_ a: UInt32, _ b: UInt32) -> UInt32 { equalByteMask(UInt64(a ^ b)) & 0xF }

    public static var byteCount: Int { 4 }

    public static func recordedValue(_ bits: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: bits) }

    @inlinable @inline(__always)
    public static func specKey(_ value: UInt32) -> UInt64? { value <= 1 ? UInt64(value) : nil }

    public static var specIsMonotonic: Bool { false }
}
