/// The clock a result was measured with, as stored in the result context
/// (`context.clock`), so every latency can be traced to its clock.
public struct ClockDescription: Sendable, Equatable, Codable {
    public var name: String
    public var frequencyHz: Double
    public var resolutionNanoseconds: Double
    public var readCostNanoseconds: Double
    public var observedStepNanoseconds: Double
    public var calibration: ClockCalibration
    /// Whether readings from different cores may be subtracted.
    public var crossCoreSynchronised: Bool
    public var synchronisationReason: String
    public var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case name, frequencyHz = "frequency_hz", resolutionNanoseconds = "resolution_ns",
             readCostNanoseconds = "read_cost_ns", observedStepNanoseconds = "observed_step_ns", calibration,
             crossCoreSynchronised = "cross_core_synchronised", synchronisationReason = "synchronisation_reason",
             warnings
    }

    public init(name: String, frequencyHz: Double, resolutionNanoseconds: Double, readCostNanoseconds: Double,
                observedStepNanoseconds: Double, calibration: ClockCalibration, crossCoreSynchronised: Bool,
                synchronisationReason: String, warnings: [String])
    {
        self.name = name
        self.frequencyHz = frequencyHz
        self.resolutionNanoseconds = resolutionNanoseconds
        self.readCostNanoseconds = readCostNanoseconds
        self.observedStepNanoseconds = observedStepNanoseconds
        self.calibration = calibration
        self.crossCoreSynchronised = crossCoreSynchronised
        self.synchronisationReason = synchronisationReason
        self.warnings = warnings
    }

    /// One line for a table footer: "x86_64 TSC (rdtsc), 2.100 GHz calibrated, read 7.1 ns, synchronised".
    public var summary: String {
        let ghz = (frequencyHz / 1e6).rounded() / 1000
        let cost = (readCostNanoseconds * 10).rounded() / 10
        return "\(name), \(ghz) GHz \(calibration.source.rawValue), read \(cost) ns, "
            + (crossCoreSynchronised ? "synchronised across cores" : "NOT synchronised across cores")
    }
}
