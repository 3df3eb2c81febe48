import Histogram
import PVHost

/// One thread's latency samples, in nanoseconds, for use inside a hot loop.
///
/// Sample per batch, not per operation: the loop reads ``CycleClock/now()``
/// every N operations and calls ``recordBatch(startTicks:endTicks:operations:)``
/// (per-operation cost of that batch), or ``record(ticks:)`` for one event
/// (a store's visibility delay). Recording never allocates or locks: the
/// histogram's buckets are allocated once in `init` for values up to
/// ``highestTrackableNanoseconds`` and never resized; larger values are
/// counted in ``overflowCount`` instead. Keep the recorder in a local `var`
/// of the thread that owns it and hand it over when the thread ends.
public struct LatencyRecorder: Sendable {
    /// Significant decimal digits every recorder keeps, so all can be merged.
    public static let significantDigits: SignificantDigits = .three
    /// Default ceiling: 60 s in ns.
    public static let defaultHighestTrackableNanoseconds: UInt64 = 60_000_000_000

    @usableFromInline var histogram: Histogram<UInt64>
    @usableFromInline var overflows: UInt64 = 0
    /// The conversion applied to tick differences.
    public let conversion: TickConversion

    /// - Parameters:
    ///   - conversion: the clock's ticks → ns conversion (``CycleClock/conversion``).
    ///   - highestTrackableNanoseconds: values above are counted, not recorded.
    public init(conversion: TickConversion,
                highestTrackableNanoseconds: UInt64 = LatencyRecorder.defaultHighestTrackableNanoseconds)
    {
        precondition(highestTrackableNanoseconds >= 2, "highest trackable value must be at least 2 ns")
        self.conversion = conversion
        self.histogram = Histogram(lowestDiscernibleValue: 1, highestTrackableValue: highestTrackableNanoseconds,
                                   numberOfSignificantValueDigits: Self.significantDigits)
        self.histogram.autoResize = false
    }

    /// Records one value in ns.
    @inlinable @inline(__always)
    public mutating func record(nanoseconds: UInt64) {
        if !histogram.record(nanoseconds) { overflows &+= 1 }
    }

    /// Records one event that took `ticks` counter ticks.
    @inlinable @inline(__always)
    public mutating func record(ticks: UInt64) {
        record(nanoseconds: conversion.nanoseconds(ticks))
    }

    /// Records the interval between two counter readings; a reading pair that
    /// goes backwards (unsynchronised counters) records 0.
    @inlinable @inline(__always)
    public mutating func record(fromTicks start: UInt64, toTicks end: UInt64) {
        record(nanoseconds: conversion.nanoseconds(from: start, to: end))
    }

    /// Records the per-operation cost of a batch: (end − start) / operations,
    /// rounded to the nearest ns. A batch of 0 operations records nothing.
    @inlinable @inline(__always)
    public mutating func recordBatch(startTicks: UInt64, endTicks: UInt64, operations: Int) {
        guard operations > 0 else { return }
        let total = conversion.nanoseconds(from: startTicks, to: endTicks)
        let n = UInt64(operations)
        record(nanoseconds: (total &+ n / 2) / n)
    }

    /// Samples recorded (excluding overflows).
    public var count: UInt64 { histogram.totalCount }
    /// Samples above the highest trackable value, not in the histogram.
    public var overflowCount: UInt64 { overflows }
    /// Highest value the histogram tracks, ns.
    public var highestTrackableNanoseconds: UInt64 { histogram.highestTrackableValue }
    /// Bytes the histogram holds (constant for the recorder's life).
    public var footprintBytes: Int { histogram.estimatedFootprintInBytes }
    /// The samples as a histogram (a copy).
    public var samples: Histogram<UInt64> { histogram }

    /// Empties the recorder (between warm-up and measurement) without freeing.
    public mutating func reset() {
        histogram.reset()
        overflows = 0
    }
}
