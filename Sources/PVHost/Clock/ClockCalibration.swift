#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CPVPlatform

/// How the cycle counter's frequency was established, with the raw samples,
/// so a result can say how much to trust its nanoseconds.
public struct ClockCalibration: Sendable, Equatable, Codable {
    /// Where the frequency used for conversion comes from.
    public enum Source: String, Sendable, Codable {
        /// Stated by the architecture (arm64 CNTFRQ_EL0).
        case architected
        /// Measured against CLOCK_MONOTONIC_RAW (x86_64 TSC).
        case calibrated
    }

    public let source: Source
    /// Frequency used for conversion, Hz.
    public let frequencyHz: Double
    /// Each window's measured frequency against CLOCK_MONOTONIC_RAW, Hz.
    public let samplesHz: [Double]
    /// Median of ``samplesHz``.
    public let measuredHz: Double
    /// (max − min) / median of ``samplesHz``: how much the windows disagree.
    public let spread: Double
    /// Length of one measuring window, ns.
    public let windowNanoseconds: UInt64

    enum CodingKeys: String, CodingKey {
        case source, frequencyHz = "frequency_hz", samplesHz = "samples_hz", measuredHz = "measured_hz",
             spread, windowNanoseconds = "window_ns"
    }

    public init(source: Source, frequencyHz: Double, samplesHz: [Double], windowNanoseconds: UInt64) {
        let sorted = samplesHz.sorted()
        let median = sorted.isEmpty ? 0
            : sorted.count % 2 == 1 ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        self.source = source
        self.frequencyHz = frequencyHz
        self.samplesHz = samplesHz
        self.measuredHz = median
        self.spread = median > 0 ? (sorted.last! - sorted.first!) / median : 0
        self.windowNanoseconds = windowNanoseconds
    }

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
