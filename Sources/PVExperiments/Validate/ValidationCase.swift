import PVRuntime

/// One validation case: a strategy on one shared target in one detector mode.
public struct ValidationCase: Sendable, Codable, Equatable, CustomStringConvertible {
    public var strategy: StrategyKind
    public var target: SharedRecordKind
    public var mode: DetectorMode

    public init(strategy: StrategyKind, target: SharedRecordKind, mode: DetectorMode) {
        self.strategy = strategy
        self.target = target
        self.mode = mode
    }

    /// `strategy/target/mode`, the name used in tables and Observation lines.
    public var description: String { "\(strategy)/\(target)/\(mode)" }

    /// Every applicable (strategy, target) pair of `strategies` × `targets` × `modes`.
    public static func all(strategies: [StrategyKind] = StrategyKind.allCases,
                           targets: [SharedRecordKind] = SharedRecordKind.allCases,
                           modes: [DetectorMode] = [.spec, .stress]) -> [ValidationCase] {
        strategies.flatMap { s in
            targets.filter { s.applies(to: $0) }.flatMap { t in modes.map { ValidationCase(strategy: s, target: t, mode: $0) } }
        }
    }
}
