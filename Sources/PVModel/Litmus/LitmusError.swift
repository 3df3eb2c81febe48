/// A litmus file outside the accepted subset, or malformed: one line,
/// naming the line and the token.
public struct LitmusError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var token: String
    public var message: String

    public init(line: Int, token: String, _ message: String) {
        self.line = line
        self.token = token
        self.message = message
    }

    public var description: String { "line \(line): \(message) at '\(token)'" }
}
