/// SplitMix64 (Steele, Lea and Flood): a small generator whose stream is
/// fixed by its seed, so a resampling (the bootstrap of `compare`) gives the
/// same answer on every run of the same files.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0 ..< n (n > 0), by Lemire's multiply-shift (the bias is below 2^-32 for the sizes resampled here).
    public mutating func below(_ n: Int) -> Int {
        Int((UInt64(truncatingIfNeeded: next() >> 32) &* UInt64(n)) >> 32)
    }
}
