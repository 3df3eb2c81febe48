/// Converts cycle-counter ticks to nanoseconds without a division, as the
/// kernel's clocksources do: `ns = (ticks * multiplier) >> shift`.
///
/// Cheap enough for a hot loop's per-batch sample (one 64×64→128-bit multiply
/// and a shift); exact to within one part in 2³² of the calibrated frequency.
public struct TickConversion: Sendable, Equatable, Codable {
    /// Nanoseconds per tick, scaled by 2^``shift``.
    public let multiplier: UInt64
    /// Fixed-point shift (1 ... 63).
    public let shift: UInt32

    /// - Parameter frequencyHz: ticks per second (> 0).
    public init(frequencyHz: Double) {
        precondition(frequencyHz > 0 && frequencyHz.isFinite, "counter frequency must be positive, got \(frequencyHz)")
        let shift: UInt32 = 32
        self.shift = shift
        self.multiplier = UInt64((1e9 / frequencyHz * Double(UInt64(1) << shift)).rounded())
    }

    /// Nanoseconds in `ticks` ticks.
    @inlinable @inline(__always)
    public func nanoseconds(_ ticks: UInt64) -> UInt64 {
        let (high, low) = ticks.multipliedFullWidth(by: multiplier)
        return (high << (64 - UInt64(shift))) | (low >> UInt64(shift))
    }

    /// Nanoseconds between two counter readings; 0 when `end` precedes `start`
    /// (readings from two cores whose counters are not synchronised).
    @inlinable @inline(__always)
    public func nanoseconds(from start: UInt64, to end: UInt64) -> UInt64 {
        end >= start ? nanoseconds(end &- start) : 0
    }
}
