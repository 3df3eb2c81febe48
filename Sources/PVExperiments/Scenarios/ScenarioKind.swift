import PVResults
import PVRuntime

/// The name of a scenario `pvbench run` emulates (`steal-clock`, …): a
/// value for settings, result rows and the command line. What the scenario
/// is lives in its ``Scenario`` type (``type``); the names come from
/// ``ScenarioRegistry``, and each scenario's file declares its own constant.
public struct ScenarioKind: RawRepresentable, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    /// A registered scenario's name; nil for any other.
    public init?(rawValue: String) {
        guard ScenarioRegistry.all.contains(where: { $0.kind.rawValue == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    /// For a scenario file's own constant.
    init(registering name: String) { rawValue = name }

    public static var allCases: [ScenarioKind] { ScenarioRegistry.all.map { $0.kind } }

    /// The scenario type this names.
    public var type: any Scenario.Type { ScenarioRegistry.all.first { $0.kind == self }! }

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
    public func implementations(for strategy: StrategyKind) -> [Implementation] {
        guard type.record == nil || type.target(for: strategy) != nil else { return [] }
        return type.hasCKernel(strategy) ? [.swift, .c] : [.swift]
    }

    /// One line for `pvbench list`.
    public var summary: String { type.summary }

    /// The figures this scenario is judged by.
    public var figures: HeadlineFigures { type.figures }
}
