import PVResults

/// A small deterministic generator (the product's SplitMix64): a fixed seed
/// gives the same cases on every run, so a failure reproduces from its
/// seed. Shared by the test targets.
public struct SeededGenerator: RandomNumberGenerator {
    private var stream: SplitMix64

    public init(seed: UInt64) { stream = SplitMix64(seed: seed) }

    public mutating func next() -> UInt64 { stream.next() }

    /// Uniform in 0 ..< n.
    public mutating func below(_ n: UInt64) -> UInt64 { UInt64.random(in: 0 ..< n, using: &self) }
}
