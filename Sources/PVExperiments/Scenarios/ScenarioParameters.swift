/// What one scenario alone reads from a case (overcommit's workload and
/// slice, c2c's matrix): its own type, kept in ``RunSettings/parameters``
/// beside the settings every scenario shares, so the shared ones name no
/// scenario. The default value is the scenario's default.
public protocol ScenarioParameters: Sendable, Equatable {
    init()
}

/// A scenario with no parameters of its own.
public struct NoParameters: ScenarioParameters {
    public init() {}
}

extension ScenarioParameters {
    fileprivate func isEqual(to other: any ScenarioParameters) -> Bool { (other as? Self) == self }
}

/// The parameters of every scenario that has some, one value per type;
/// a type never set reads as its default.
public struct ScenarioParameterSet: Sendable, Equatable {
    private var values: [ObjectIdentifier: any ScenarioParameters] = [:]

    public init() {}

    public subscript<P: ScenarioParameters>(_ type: P.Type) -> P {
        get { values[ObjectIdentifier(type)] as? P ?? P() }
        set { values[ObjectIdentifier(type)] = newValue }
    }

    /// The value set for `type`, nil when none was.
    public func ifSet<P: ScenarioParameters>(_ type: P.Type) -> P? { values[ObjectIdentifier(type)] as? P }

    /// These values, with `other`'s where it sets one.
    public func merging(_ other: ScenarioParameterSet) -> ScenarioParameterSet {
        var merged = self
        merged.values.merge(other.values) { _, b in b }
        return merged
    }

    public static func == (a: ScenarioParameterSet, b: ScenarioParameterSet) -> Bool {
        // A value set to its default equals one never set.
        Set(a.values.keys).union(b.values.keys).allSatisfy { key in
            let some = (a.values[key] ?? b.values[key])!
            return (a.values[key] ?? type(of: some).init()).isEqual(to: b.values[key] ?? type(of: some).init())
        }
    }
}
