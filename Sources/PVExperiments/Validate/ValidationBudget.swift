/// How long each validation case runs: for a duration, or until every reader
/// has read a given number of values.
public enum ValidationBudget: Sendable, Equatable, Codable, CustomStringConvertible {
    case duration(seconds: Double)
    case reads(UInt64)

    /// Fewer reads per reader than this and a clean verdict means little.
    public static let meaningfulReads: UInt64 = 1_000_000

    public var description: String {
        switch self {
        case let .duration(s): "\(s) s per case"
        case let .reads(n): "\(n) reads per reader per case"
        }
    }
}
