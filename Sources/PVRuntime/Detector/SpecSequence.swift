/// The spec-mode stolen-time sequence: values as KVM could write them, from
/// which the write that produced a value is recovered in O(1) and verified.
///
/// Write `n` (n = 0 is the value before the first write) holds
///
///     v(n) = start + (n >> 13) · 2^34 + (n mod 2^13) · 2^20 + tag(n)
///
/// with `tag(n)` a keyed 19-bit hash of `n` (``tag(_:)``). So:
/// - every delta within a block of 2^13 writes is 2^20 ± 2^19 ns
///   (0.52 … 1.57 ms: a run_delay per sched-in on a busy host), and every
///   2^13-th write jumps by 2^33 ns more (8.6 s: a vCPU held off for a long
///   time). Values grow strictly; `start` is just below 2^32, and a multiple
///   of 2^32 is crossed every 4096 writes and at every jump, so a tear
///   between the two 32-bit halves changes the high half often;
/// - ``index(of:)`` subtracts `start`, reads `n` off the block and step
///   fields and accepts the value only if its low 20 bits are `tag(n)`
///   (bit 19 is always 0). A value passes exactly when it *is* `v(n)` for
///   that `n`: membership, however far the reader lags, in a few shifts and
///   one hash;
/// - detection power: a byte mix of two different writes that is not itself
///   a written value decodes to some `n'`; it passes only if its low 20 bits
///   happen to equal `tag(n')`, which the tag makes a 2^-19 coincidence (the
///   tests check the rate against 2^-16 over every byte split of sampled
///   write pairs). When `n'` is one of the two writes, the check is exact:
///   the mix differs from `v(n')` in some byte, so it fails. Decoding from
///   the high word alone would accept every split-halves tear; here the
///   index comes from both halves and the tag from the low one.
///
/// The sequence has ``lastIndex`` + 1 values (about 8.8 × 10^12: over four
/// hours of back-to-back writes at 570 M/s); a writer past the end repeats
/// the last value (see ``value(_:)``).
public enum SpecSequence {
    /// The first value (ns): just below 2^32.
    public static let start: UInt64 = 4_290_000_000

    @usableFromInline static let stepShift: UInt64 = 20
    @usableFromInline static let stepsPerBlockShift: UInt64 = 13
    @usableFromInline static let blockShift: UInt64 = 34
    /// Tags are below 2^19, so bit 19 of a step is always 0.
    @usableFromInline static let tagBits: UInt64 = 19
    @usableFromInline static let key: UInt64 = 0x5EC5_7A7E_D0C0_FFEE

    /// The last write number with a value of its own.
    public static let lastIndex: UInt64 = ((UInt64.max - start) >> blockShift) << stepsPerBlockShift - 1

    /// The keyed 19-bit tag of write `n` (a SplitMix64-style finaliser of
    /// `n` xor a fixed key; its top bits).
    @inlinable @inline(__always)
    public static func tag(_ n: UInt64) -> UInt64 {
        var h = (n ^ key) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        h &*= 0xBF58_476D_1CE4_E5B9
        return h >> (64 - tagBits)
    }

    /// Write `n`'s value; past ``lastIndex``, the last value.
    @inlinable @inline(__always)
    public static func value(_ n: UInt64) -> UInt64 {
        let m = min(n, lastIndex)
        let block = m >> stepsPerBlockShift
        let step = m & (1 << stepsPerBlockShift - 1)
        return start &+ block << blockShift &+ step << stepShift &+ tag(m)
    }

    /// The write number whose value `value` is, or nil when no write of the
    /// sequence produced it. O(1).
    @inlinable @inline(__always)
    public static func index(of value: UInt64) -> UInt64? {
        guard value >= start else { return nil }
        let y = value &- start
        let inBlock = y & (1 << blockShift - 1)
        guard inBlock >> (stepShift + stepsPerBlockShift) == 0 else { return nil }
        let n = (y >> blockShift) << stepsPerBlockShift | inBlock >> stepShift
        guard n <= lastIndex, inBlock & (1 << stepShift - 1) == tag(n) else { return nil }
        return n
    }

    /// How many writes have a value below `value` (the sequence grows, so the
    /// writes whose value is at least `value` start at this index). O(1);
    /// used to find writes by a value's high bytes when explaining a tear.
    public static func rank(below value: UInt64) -> UInt64 {
        guard value > start else { return 0 }
        let y = value - start
        let block = y >> blockShift
        let inBlock = y & (1 << blockShift - 1)
        let count: UInt64
        if inBlock >> (stepShift + stepsPerBlockShift) != 0 {
            count = (block + 1) << stepsPerBlockShift
        } else {
            let n = block << stepsPerBlockShift | inBlock >> stepShift
            count = n + (inBlock & (1 << stepShift - 1) > tag(n) ? 1 : 0)
        }
        return min(count, lastIndex + 1)
    }

    /// Write numbers worth trying when a value is not a written one: for each
    /// split into low bytes `0..<k` and high bytes `k..<8`, the first and last
    /// write whose high bytes are the value's (a tear keeps the high bytes of
    /// one write), and where the whole value would fall.
    public static func anchors(for value: UInt64) -> [UInt64] {
        var result: [UInt64] = [rank(below: value)]
        for k in UInt64(1) ..< 8 {
            let low = value & ~(UInt64.max << (8 * k))
            let floor = value - low
            let ceiling = floor | (UInt64.max >> (64 - 8 * k))
            let first = rank(below: floor)
            let end = ceiling == .max ? lastIndex + 1 : rank(below: ceiling &+ 1)
            if end > first { result.append(first); result.append(end - 1) }
        }
        return result
    }
}
