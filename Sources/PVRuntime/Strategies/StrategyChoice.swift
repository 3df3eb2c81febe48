/// A C strategy file loaded into a slot (``CStrategySlot``): what a run needs
/// to name it, find its functions and say which records it has a pair for.
public struct LoadedCStrategy: Hashable, Sendable {
    /// The file name without `.c`: the strategy's name in results.
    public let name: String
    /// The path as given.
    public let source: String
    /// The slot its functions are bound to (``CStrategyFunctions``).
    public let slot: Int
    /// The records the file has a reader/writer pair for.
    public let targets: [SharedRecordKind]

    public init(name: String, source: String, slot: Int, targets: [SharedRecordKind]) {
        self.name = name
        self.source = source
        self.slot = slot
        self.targets = targets
    }
}

/// The strategy a case runs: a built-in ordering, or a C file loaded at run
/// time. Everything a scenario asks of its strategy (name, claim, records,
/// the concrete type to specialise its loops for) is answered here for both.
public enum StrategyChoice: Hashable, Sendable, CustomStringConvertible {
    case builtIn(StrategyKind)
    case cFile(LoadedCStrategy)

    public var description: String {
        switch self {
        case let .builtIn(kind): kind.rawValue
        case let .cFile(file): file.name
        }
    }

    /// The built-in kind, nil for a C file.
    public var builtIn: StrategyKind? {
        if case let .builtIn(kind) = self { return kind }
        return nil
    }

    /// The C file, nil for a built-in.
    public var cFile: LoadedCStrategy? {
        if case let .cFile(file) = self { return file }
        return nil
    }

    /// A C file claims what every strategy is for: no torn, no backwards value.
    public var claimsSafety: Bool { builtIn?.claimsSafety ?? true }

    /// The records the strategy has a writer/reader pair for.
    public var targets: [SharedRecordKind] {
        switch self {
        case let .builtIn(kind): kind.targets
        case let .cFile(file): file.targets
        }
    }

    public func applies(to target: SharedRecordKind) -> Bool { targets.contains(target) }

    /// The concrete type for `target` (footprint, alignment), nil when it does not apply.
    public func strategyType(for target: SharedRecordKind) -> (any RecordStrategy.Type)? {
        switch self {
        case let .builtIn(kind):
            guard let type = kind.strategyType(for: target) else { return nil }
            return type
        case let .cFile(file):
            // Every slot's types have the same footprint and alignment.
            guard file.targets.contains(target) else { return nil }
            return target == .preempted ? CStrategy.Preempted.self : CStrategy.StolenTime.self
        }
    }

    /// Calls `visitor.visit(S.self)` with the concrete strategy for
    /// (`self`, `target`): a built-in's through ``StrategyKind/dispatch(_:to:)``,
    /// a C file's by its slot; nil when the strategy does not apply.
    @inlinable
    public func dispatch<V: RecordVisitor>(_ target: SharedRecordKind, to visitor: V) throws -> V.Output? {
        switch self {
        case let .builtIn(kind):
            return try kind.dispatch(target, to: BuiltInVisitor(visitor: visitor))
        case let .cFile(file):
            guard file.targets.contains(target) else { return nil }
            switch (file.slot, target) {
            case (0, .stolenTime): return try visitor.visit(CFileStrategy<CSlot0>.StolenTime.self)
            case (0, .preempted): return try visitor.visit(CFileStrategy<CSlot0>.Preempted.self)
            case (1, .stolenTime): return try visitor.visit(CFileStrategy<CSlot1>.StolenTime.self)
            case (1, .preempted): return try visitor.visit(CFileStrategy<CSlot1>.Preempted.self)
            case (2, .stolenTime): return try visitor.visit(CFileStrategy<CSlot2>.StolenTime.self)
            case (2, .preempted): return try visitor.visit(CFileStrategy<CSlot2>.Preempted.self)
            case (3, .stolenTime): return try visitor.visit(CFileStrategy<CSlot3>.StolenTime.self)
            case (3, .preempted): return try visitor.visit(CFileStrategy<CSlot3>.Preempted.self)
            default: return nil
            }
        }
    }
}

/// Like ``StrategyVisitor``, for any strategy a case can run: a built-in or
/// a C file's (``StrategyChoice/dispatch(_:to:)``).
public protocol RecordVisitor {
    associatedtype Output
    func visit<S: RecordStrategy>(_ strategy: S.Type) throws -> Output
}

/// A ``RecordVisitor`` seen as a ``StrategyVisitor`` (the built-ins' dispatch).
@usableFromInline
struct BuiltInVisitor<V: RecordVisitor>: StrategyVisitor {
    @usableFromInline let visitor: V
    @usableFromInline init(visitor: V) { self.visitor = visitor }
    @inlinable func visit<S: OrderingStrategy>(_ strategy: S.Type) throws -> V.Output { try visitor.visit(S.self) }
}
