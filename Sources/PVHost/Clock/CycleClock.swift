import CPVPlatform
import PVRecords

/// Errors in setting up the cycle clock.
public enum CycleClockError: Error, Equatable, CustomStringConvertible {
    case noCounter
    case unusableFrequency(Double)

    public var description: String {
        switch self {
        case .noCounter: "this architecture has no cycle counter pvbench can read (need x86_64 TSC or arm64 CNTVCT_EL0)"
        case let .unusableFrequency(hz): "cycle counter frequency \(hz) Hz is not usable: calibration failed"
        }
    }
}

/// A tick clock readable on every core (`pv_read_cycle_counter()`: the x86_64
/// TSC, the arm64 virtual counter CNTVCT_EL0), calibrated to nanoseconds.
///
/// Hot loops call ``now()`` (one `rdtsc` / `isb; mrs`) at batch boundaries and
/// convert tick differences with ``conversion`` afterwards or per batch; the
/// clock is never read per operation. Cross-core differences (a store on one
/// core, its observation on another) are meaningful only when
/// ``synchronisation`` is trusted.
public struct CycleClock: Sendable {
    /// What the counter is ("x86_64 TSC (rdtsc)", "arm64 CNTVCT_EL0").
    public let name: String
    public let calibration: ClockCalibration
    public let synchronisation: CounterSynchronisation
    /// Ticks → ns, from ``ClockCalibration/frequencyHz``.
    public let conversion: TickConversion
    /// Measured cost of one ``now()``, ns (mean over many back-to-back reads).
    public let readCostNanoseconds: Double
    /// The step the counter's reads advance by, ns (``measureStep(conversion:pairs:)``):
    /// the resolution in practice (a 25 MHz CNTVCT steps 40 ns at a time, this
    /// VM's TSC 10 ns).
    public let observedStepNanoseconds: Double

    /// Reads the counter. Units are ticks; convert with ``conversion``.
    @inlinable @inline(__always)
    public static func now() -> UInt64 { pv_read_cycle_counter() }

    /// Counter frequency used for conversion, Hz.
    public var frequencyHz: Double { calibration.frequencyHz }
    /// One tick, ns.
    public var resolutionNanoseconds: Double { 1e9 / calibration.frequencyHz }

    /// Sets up the clock: frequency from CNTFRQ_EL0 where the architecture
    /// states it (still cross-checked against CLOCK_MONOTONIC_RAW), otherwise
    /// the median of `windows` calibration windows; then measures the read
    /// cost and step. About `windows × windowNanoseconds` plus a millisecond.
    public static func calibrate(windows: Int = 7, windowNanoseconds: UInt64 = 10_000_000,
                                 synchronisation: CounterSynchronisation = .live()) throws(CycleClockError) -> CycleClock
    {
        let kind = pv_cycle_counter_kind()
        guard kind != PV_COUNTER_NONE else { throw .noCounter }
        let samples = ClockCalibration.measure(windows: windows, windowNanoseconds: windowNanoseconds)
        let stated = Double(pv_cycle_counter_frequency())
        let calibration: ClockCalibration
        if stated > 0 {
            calibration = ClockCalibration(source: .architected, frequencyHz: stated, samplesHz: samples,
                                           windowNanoseconds: windowNanoseconds)
        } else {
            let probe = ClockCalibration(source: .calibrated, frequencyHz: 1, samplesHz: samples,
                                         windowNanoseconds: windowNanoseconds)
            calibration = ClockCalibration(source: .calibrated, frequencyHz: probe.measuredHz, samplesHz: samples,
                                           windowNanoseconds: windowNanoseconds)
        }
        guard calibration.frequencyHz.isFinite, calibration.frequencyHz >= 1_000 else {
            throw .unusableFrequency(calibration.frequencyHz)
        }
        let conversion = TickConversion(frequencyHz: calibration.frequencyHz)
        return CycleClock(name: String(cString: pv_cycle_counter_name()), calibration: calibration,
                          synchronisation: synchronisation, conversion: conversion,
                          readCostNanoseconds: measureReadCost(conversion: conversion),
                          observedStepNanoseconds: measureStep(conversion: conversion))
    }

    /// Mean ns per read over 64 Ki back-to-back reads, best of three runs.
    static func measureReadCost(conversion: TickConversion, reads: Int = 65_536) -> Double {
        var best = Double.infinity
        var sink: UInt64 = 0
        for _ in 0 ..< 3 {
            let start = pv_read_cycle_counter()
            for _ in 0 ..< reads { sink &+= pv_read_cycle_counter() }
            let end = pv_read_cycle_counter()
            best = min(best, Double(conversion.nanoseconds(from: start, to: end)) / Double(reads))
        }
        withExtendedLifetime(sink) {}
        return best
    }

    /// The counter's step in ns (``latticeStep(_:)``), from `pairs` pairs of
    /// reads a varying spin apart. Some counters tick coarser than their
    /// stated frequency: AMD Zen's TSC advances by 26 or 25 ticks every
    /// 10 ns (its 100 MHz reference times the 25.96 ratio), so a single
    /// event timed on it reads in 10 ns steps.
    static func measureStep(conversion: TickConversion, pairs: Int = 20_000) -> Double {
        var deltas: [UInt64] = []
        deltas.reserveCapacity(pairs)
        for i in 0 ..< pairs {
            let a = pv_read_cycle_counter()
            for _ in 0 ..< (i &* 7) % 11 { pv_cpu_relax() }
            let b = pv_read_cycle_counter()
            if b > a { deltas.append(b &- a) }
        }
        guard let ticks = latticeStep(deltas) else { return 0 }
        return Double(ticks) * Double(conversion.multiplier) / Double(UInt64(1) << UInt64(conversion.shift))
    }

    /// The counter's step in ticks from differences between reads taken a
    /// varying time apart; nil when none is positive. The candidate is the
    /// 5th percentile of the differences (the counter's step, or a fine
    /// counter's read cost); it is the step when at least 90 % of the
    /// differences up to 16 candidates long lie within a tick of one of its
    /// multiples (a step that alternates, 26 and 25 ticks, stays within one
    /// over 16 steps), else the step is one tick. Not the smallest difference:
    /// a 10 ns TSC still returns a read one tick past its step now and then.
    /// A candidate under 8 ticks is no test (a tick either way covers most
    /// of it): such a counter steps a tick at a time.
    public static func latticeStep(_ deltas: [UInt64]) -> UInt64? {
        let positive = deltas.filter { $0 > 0 }.sorted()
        guard !positive.isEmpty else { return nil }
        let candidate = positive[positive.count / 20]
        guard candidate >= 8 else { return 1 }
        let tested = positive.filter { $0 <= 16 * candidate }
        let onLattice = tested.count { d in
            let off = d % candidate
            return off <= 1 || candidate - off <= 1
        }
        return onLattice * 10 >= tested.count * 9 ? candidate : 1
    }

    /// The clock as the result context reports it.
    public var clockDescription: ClockDescription {
        ClockDescription(name: name, frequencyHz: frequencyHz, resolutionNanoseconds: resolutionNanoseconds,
                         readCostNanoseconds: readCostNanoseconds, observedStepNanoseconds: observedStepNanoseconds,
                         calibration: calibration, crossCoreSynchronised: synchronisation.trusted,
                         synchronisationReason: synchronisation.reason, warnings: warnings)
    }

    /// What a reader of the results must know about this clock.
    public var warnings: [String] {
        var w: [String] = []
        if !synchronisation.trusted { w.append("cross-core latencies unreliable: \(synchronisation.reason)") }
        if calibration.spread > 0.01 {
            w.append("clock calibration windows disagree by \((calibration.spread * 10_000).rounded() / 100)%")
        }
        if calibration.source == .architected, calibration.measuredHz > 0,
           abs(calibration.measuredHz - calibration.frequencyHz) / calibration.frequencyHz > 0.01
        {
            w.append("CNTFRQ_EL0 states \(calibration.frequencyHz) Hz but the counter ran at \(calibration.measuredHz) Hz "
                + "against CLOCK_MONOTONIC_RAW")
        }
        return w
    }
}
