/// What a model says about a test's `exists` clause, as pvbench reports it
/// (in JSON, tables and messages by its raw value).
public enum ModelAnswer: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The model allows an execution that satisfies `exists`.
    case allowed
    /// No execution the model allows satisfies it.
    case forbidden
    /// The checker refused the program (the reason goes beside it): never guessed.
    case notModelled = "not modelled"

    public init(allowed: Bool) { self = allowed ? .allowed : .forbidden }

    /// true, false, or nil when not modelled.
    public var allowed: Bool? {
        switch self {
        case .allowed: true
        case .forbidden: false
        case .notModelled: nil
        }
    }

    public var description: String { rawValue }
}

/// Models are written and read by the names `pvbench model --model` takes.
extension ModelKind: Codable, CustomStringConvertible {
    public var description: String { rawValue }

    /// The model's name in a table's column title (`armv8` → `ARMv8`).
    public var title: String {
        switch self {
        case .armv8: "ARMv8"
        case .x86TSO: "x86-TSO"
        case .sc: "SC"
        case .lkmm: "LKMM"
        }
    }
}
