/// The bijective 32-bit mixer used by the stress codes (MurmurHash3's
/// `fmix32`) and its inverse. Every output bit depends on every input bit,
/// so a value whose halves come from two different writes does not check.
public enum StressHash {
    @inlinable @inline(__always)
    public static func mix(_ x: UInt32) -> UInt32 {
        var h = x
        h ^= h >> 16
        h &*= 0x85EB_CA6B
        h ^= h >> 13
        h &*= 0xC2B2_AE35
        h ^= h >> 16
        return h
    }

    /// The inverse of ``mix(_:)``: `unmix(mix(x)) == x` for every `x`.
    public static func unmix(_ y: UInt32) -> UInt32 {
        var h = y
        h ^= h >> 16
        h &*= inverse(0xC2B2_AE35)
        h ^= h >> 13
        h ^= h >> 26
        h &*= inverse(0x85EB_CA6B)
        h ^= h >> 16
        return h
    }

    /// Multiplicative inverse of an odd number modulo 2^32 (Newton's method).
    static func inverse(_ a: UInt32) -> UInt32 {
        var x = a
        for _ in 0 ..< 5 { x &*= 2 &- a &* x }
        return x
    }
}
