/// One figure over a run's repetitions: median with min, max and the
/// coefficient of variation (nil when undefined or when the file gives none).
public struct ReportFigure: Sendable, Equatable {
    public var median: Double
    public var min: Double
    public var max: Double
    /// Fraction (0.02 = 2 %).
    public var cv: Double?

    public init(median: Double, min: Double, max: Double, cv: Double?) {
        self.median = median
        self.min = min
        self.max = max
        self.cv = cv
    }

    /// A single measurement: no spread known.
    public init(single value: Double) { self.init(median: value, min: value, max: value, cv: nil) }
}
