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
}
