/// Why the checker gives no verdict. Never a verdict in disguise: a
/// program outside what is modelled is refused, not called forbidden.
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The program uses something the checker does not model.
    case notModelled(String)
    /// Enumeration would exceed the bound; the message gives the size.
    case tooLarge(String)

    public var description: String {
        switch self {
        case let .notModelled(s): return "not modelled: \(s)"
        case let .tooLarge(s): return "too large to enumerate: \(s)"
        }
    }
}
