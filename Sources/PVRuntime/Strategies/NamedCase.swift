/// A closed set of values a person names (`--strategy seqlock`,
/// `--mode stress`): parsing a name and the error that lists the valid
/// ones, written once for every such set.
public protocol NamedCase: RawRepresentable<String>, CaseIterable, Sendable {
    /// What a name stands for, as an error says it: "strategy", "mode".
    static var nameKind: String { get }
}

extension NamedCase {
    /// Parses a name; the error lists the valid ones.
    public static func named(_ name: String) throws(UnknownNameError<Self>) -> Self {
        guard let value = Self(rawValue: name) else { throw UnknownNameError(name: name) }
        return value
    }

    /// Every name, in declaration order: "relaxed, acquire-release, …".
    public static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A name no value of `Named` has; the message lists the valid ones.
public struct UnknownNameError<Named: NamedCase>: Error, CustomStringConvertible, Equatable, Sendable {
    public let name: String
    public init(name: String) { self.name = name }
    public var description: String { "unknown \(Named.nameKind) '\(name)'; valid: \(Named.spellings)" }
}

public typealias StrategyNameError = UnknownNameError<StrategyKind>
public typealias DetectorModeNameError = UnknownNameError<DetectorMode>
