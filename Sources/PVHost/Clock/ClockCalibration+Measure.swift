#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CPVPlatform
import PVRecords

extension ClockCalibration {
    /// Measures the counter against CLOCK_MONOTONIC_RAW over `windows`
    /// windows of `windowNanoseconds` each. Each window's ends are bracketed
    /// by two counter reads around clock_gettime (best of three, midpoint),
    /// so the system call's own cost does not bias the figure.
    public static func measure(windows: Int, windowNanoseconds: UInt64) -> [Double] {
        precondition(windows >= 1 && windowNanoseconds >= 100_000, "calibrate over ≥ 1 window of ≥ 100 µs")
        return (0 ..< windows).map { _ in
            let (startTicks, startNs) = bracketedReading()
            while monotonicRawNanoseconds() &- startNs < windowNanoseconds { pv_cpu_relax() }
            let (endTicks, endNs) = bracketedReading()
            return Double(endTicks &- startTicks) / Double(endNs &- startNs) * 1e9
        }
    }

    /// CLOCK_MONOTONIC_RAW in ns: not slewed by NTP, so it measures the
    /// counter against the kernel's own, unadjusted idea of a second.
    static func monotonicRawNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC_RAW, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    private static func bracketedReading() -> (ticks: UInt64, ns: UInt64) {
        var best: (width: UInt64, ticks: UInt64, ns: UInt64) = (.max, 0, 0)
        for _ in 0 ..< 3 {
            let before = pv_read_cycle_counter()
            let ns = monotonicRawNanoseconds()
            let after = pv_read_cycle_counter()
            let width = after &- before
            if width < best.width { best = (width, before &+ width / 2, ns) }
        }
        return (best.ticks, best.ns)
    }
}
