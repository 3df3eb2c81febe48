import PVResults
import PVRuntime

/// The name of a scenario `pvbench run` emulates (`steal-clock`, …): a
/// value for settings, result rows and the command line, carrying the
/// ``Scenario`` type it names (``type``). Each scenario's file declares its
/// own constant; ``ScenarioRegistry`` lists them for parsing and listing,
/// so a scenario left out of it is unknown to the command line, never a
/// crash.
public struct ScenarioKind: RawRepresentable, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    public let rawValue: String
    /// The scenario type this names.
    public let type: any Scenario.Type

    /// A registered scenario's name; nil for any other.
    public init?(rawValue: String) {
        guard let type = ScenarioRegistry.all.first(where: { $0.kind.rawValue == rawValue }) else { return nil }
        self = type.kind
    }

    /// For a scenario file's own constant: its name and its type.
    init(registering name: String, _ type: any Scenario.Type) {
        rawValue = name
        self.type = type
    }

    public static func == (a: ScenarioKind, b: ScenarioKind) -> Bool { a.rawValue == b.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    public static var allCases: [ScenarioKind] { ScenarioRegistry.all.map { $0.kind } }

    public var description: String { rawValue }

    /// The shared record the scenario's guest reads, nil for `c2c`.
    public var target: SharedRecordKind? { type.record }

    /// Strategies that have a writer/reader pair for this scenario's record.
    public var strategies: [StrategyKind] { type.strategies }

    /// The record a strategy runs on in this scenario: the stolen_time field
    /// where the strategy has a pair for it, else the whole record
    /// (`double-word`).
    public func target(for strategy: StrategyKind) -> SharedRecordKind? { type.target(for: strategy) }

    /// Implementations with a kernel for (self, strategy).
    public func implementations(for strategy: StrategyKind) -> [Implementation] { implementations(for: .builtIn(strategy)) }

    /// The same for a built-in or a C file (which is its own implementation: Swift loops calling it).
    public func implementations(for strategy: StrategyChoice) -> [Implementation] {
        guard type.record == nil || type.target(for: strategy) != nil else { return [] }
        return strategy.builtIn.map(type.hasCKernel) == true ? [.swift, .c] : [.swift]
    }

    /// One line for `pvbench list`.
    public var summary: String { type.summary }

    /// The figures this scenario is judged by.
    public var figures: HeadlineFigures { type.figures }
}

extension ScenarioKind {
    /// The scenario `pvbench run` emulates when none is named: the first registered.
    public static var `default`: ScenarioKind { allCases[0] }

    /// Per scenario name, the figures it is judged by: for files that do not say theirs.
    public static var figureCatalogue: [String: HeadlineFigures] {
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0.figures) })
    }

    /// Per scenario name, the plots it declares for `pvbench report`.
    public static var plotCatalogue: [String: [PlotSpec]] {
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0.type.plots) })
    }
}
