/// The comparison of one case present in both files: its figure, each
/// side's median with its CI, the change with its CI, the U test over the
/// undisturbed repetitions (p-value raw and Holm-adjusted) and the verdict.
public struct CaseComparison: Sendable, Equatable, Encodable {
    public enum Verdict: String, Sendable, Codable {
        case faster
        case slower
        case noSignificantChange = "no significant change"
        /// The data cannot answer: too few (undisturbed) repetitions, no figure.
        case inconclusive
    }

    /// One file's side of the case.
    public struct Side: Sendable, Equatable, Encodable {
        /// Repetitions with the figure, and how many of them were disturbed.
        public var repetitions: Int
        public var disturbed: Int
        /// The median of the undisturbed repetitions (the file's `_median`
        /// when it has no repetitions).
        public var median: Double?
        /// The 95 % CI of that median, and where it came from.
        public var ciLow: Double?
        public var ciHigh: Double?
        public var ciSource: String?

        enum CodingKeys: String, CodingKey {
            case repetitions, disturbed, median, ciLow = "ci_low", ciHigh = "ci_high", ciSource = "ci_source"
        }
    }

    public var name: String
    public var figure: Figure
    public var figureSource: FigureSource
    public var old: Side
    public var new: Side
    /// new median / old median - 1, in the figure's own terms (a rate that
    /// drops 10 % is -0.10; for a lower-is-better figure a rise is worse).
    public var change: Double?
    /// The 95 % CI of the change (Hodges-Lehmann/Moses on log values: a CI
    /// of the ratio new/old, minus 1).
    public var changeLow: Double?
    public var changeHigh: Double?
    /// Two-sided Mann-Whitney U p-value, and after Holm across the cases tested.
    public var pValue: Double?
    public var pHolm: Double?
    /// "exact" or "normal" (with tie and continuity correction).
    public var test: String?
    public var verdict: Verdict
    /// Why a case is inconclusive, or what a reader should know about the verdict.
    public var reason: String?

    /// Whether the change goes the figure's worse way.
    public var isWorse: Bool? {
        change.map { figure.better == .higher ? $0 < 0 : $0 > 0 }
    }

    enum CodingKeys: String, CodingKey {
        case name, figure, figureSource = "figure_source", old, new, change, changeLow = "change_ci_low",
             changeHigh = "change_ci_high", pValue = "p_value", pHolm = "p_holm", test, verdict, reason
    }
}
