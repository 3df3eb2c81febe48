/// Summary of one figure over a run's repetitions: the median is the figure
/// reported; min, max and the coefficient of variation say how far to trust it.
public struct RepetitionSummary: Sendable, Equatable, Codable {
    /// Coefficient of variation above which a spread counts as large (5 %).
    public static let defaultLargeSpreadThreshold = 0.05

    public let count: Int
    public let median: Double
    public let min: Double
    public let max: Double
    public let mean: Double
    /// Sample standard deviation (n − 1), 0 for one repetition.
    public let standardDeviation: Double
    /// standardDeviation / |mean|; nil when the mean is 0.
    public let coefficientOfVariation: Double?

    enum CodingKeys: String, CodingKey {
        case count, median, min, max, mean, standardDeviation = "stddev", coefficientOfVariation = "cv"
    }

    /// Summarises `values`; nil when there are none or any is not finite.
    public init?(_ values: [Double]) {
        guard !values.isEmpty, values.allSatisfy(\.isFinite) else { return nil }
        let sorted = values.sorted()
        let n = sorted.count
        count = n
        median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        min = sorted[0]
        max = sorted[n - 1]
        let mean = sorted.reduce(0, +) / Double(n)
        self.mean = mean
        let squares = sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        standardDeviation = n > 1 ? (squares / Double(n - 1)).squareRoot() : 0
        coefficientOfVariation = mean == 0 ? nil : standardDeviation / abs(mean)
    }

    /// Whether the repetitions disagree by more than `threshold` (as a CV).
    /// A zero mean with any spread counts as large.
    public func spreadIsLarge(threshold: Double = RepetitionSummary.defaultLargeSpreadThreshold) -> Bool {
        guard let cv = coefficientOfVariation else { return standardDeviation > 0 }
        return cv > threshold
    }

    /// A warning line naming `figure` when the spread is large, else nil:
    /// "reads_per_second varies by 7.3% (CV) over 3 repetitions (min 1.2e+08, max 1.4e+08): …".
    public func spreadWarning(figure: String,
                              threshold: Double = RepetitionSummary.defaultLargeSpreadThreshold) -> String?
    {
        guard spreadIsLarge(threshold: threshold) else { return nil }
        let cv = coefficientOfVariation.map { "\(($0 * 1000).rounded() / 10)%" } ?? "unbounded"
        return "\(figure) varies by \(cv) (CV) over \(count) repetitions (min \(min), max \(max)), "
            + "above the \((threshold * 1000).rounded() / 10)% threshold: treat the median with care"
    }
}
