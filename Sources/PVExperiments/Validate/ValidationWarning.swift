/// What makes a validate verdict mean less than it says. In the JSON
/// report each is its sentence (`warnings`, a list of strings).
public enum ValidationWarning: Sendable, Equatable, Encodable, CustomStringConvertible {
    /// A reads budget below ``ValidationBudget/meaningfulReads``: known before anything runs.
    case fewReadsAsked(UInt64)
    /// A `--duration` case whose slowest reader made fewer reads than that.
    case fewReadsMade(ValidationCase, perReader: UInt64)

    /// Said once, before the race starts (the others after the table).
    public var isKnownBeforeRunning: Bool {
        if case .fewReadsAsked = self { true } else { false }
    }

    public var description: String {
        switch self {
        case let .fewReadsAsked(n):
            "\(n) reads per reader is too few to mean much: a tear can take millions of reads to show (ask for >= \(ValidationBudget.meaningfulReads))"
        case let .fewReadsMade(c, n):
            "\(c): only \(n) reads per reader; the verdict means little"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
