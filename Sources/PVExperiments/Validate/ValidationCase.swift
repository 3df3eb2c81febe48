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
    /// With `onlyVisible`, cases whose tears cannot show by construction
    /// (``tearInvisibleReason``) are left out.
    public static func all(strategies: [StrategyKind] = StrategyKind.allCases,
                           targets: [SharedRecordKind] = SharedRecordKind.allCases,
                           modes: [DetectorMode] = [.spec, .stress], onlyVisible: Bool = false) -> [ValidationCase] {
        strategies.flatMap { s in
            targets.filter { s.applies(to: $0) }.flatMap { t in modes.map { ValidationCase(strategy: s, target: t, mode: $0) } }
        }.filter { !onlyVisible || $0.tearInvisibleReason == nil }
    }

    /// Why this case cannot show a tear whatever the hardware does, or nil.
    /// In spec mode the values are KVM's: the flag is only ever 0 or 1 (a byte
    /// mix of 0 and 1 is 0 or 1), and the record's first 8 bytes (revision,
    /// attributes) are always 0, so split-halves' two 64-bit halves mix into
    /// a written value. Only the deliberately unsafe strategies are concerned:
    /// for a safe one, no tear is the claim being checked.
    public var tearInvisibleReason: String? {
        guard mode == .spec, !strategy.claimsSafety else { return nil }
        switch (strategy, target) {
        case (_, .preempted):
            return "in spec mode the flag is only 0 or 1, and any byte mix of 0 and 1 is 0 or 1: no tear can show (use --mode stress)"
        case (.splitHalves, .record):
            return "in spec mode the record's first half (revision, attributes) is always 0, so a mix of two halves is a written value (use --mode stress)"
        default:
            return nil
        }
    }
}
