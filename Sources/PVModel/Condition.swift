/// herd7's final condition: `exists p`, `~exists p` or `forall p`.
public struct Condition: Sendable, Hashable {
    public enum Quantifier: Sendable, Hashable {
        case exists
        case notExists
        case forall
    }

    public var quantifier: Quantifier
    public var proposition: Proposition
    public init(_ quantifier: Quantifier, _ proposition: Proposition) {
        self.quantifier = quantifier
        self.proposition = proposition
    }
}

/// A proposition over a final state. `and`/`or` are n-ary, as herd7 keeps
/// them, so printing reproduces herd7's parenthesisation.
public typealias Proposition = PropositionOver<Observable, Value>

/// herd7's propositions over any kind of observable and value: a program's
/// registers and locations (`Proposition`), or a C test's locals and
/// globals (`CProposition`).
public indirect enum PropositionOver<O: Sendable & Hashable, V: Sendable & Hashable>: Sendable, Hashable {
    /// `observable = value`; for a program, `value` is bits or a location's address.
    case equals(O, V)
    case not(Self)
    case and([Self])
    case or([Self])
    case implies(Self, Self)
    case constant(Bool)

    /// Everything the proposition reads, in order of first appearance.
    public var observables: [O] {
        var out: [O] = []
        func walk(_ p: Self) {
            switch p {
            case let .equals(o, _): if !out.contains(o) { out.append(o) }
            case let .not(q): walk(q)
            case let .and(qs), let .or(qs): qs.forEach(walk)
            case let .implies(a, b): walk(a); walk(b)
            case .constant: break
            }
        }
        walk(self)
        return out
    }

    func evaluate(_ lookup: (O) -> V) -> Bool {
        switch self {
        case let .equals(o, v): return lookup(o) == v
        case let .not(q): return !q.evaluate(lookup)
        case let .and(qs): return qs.allSatisfy { $0.evaluate(lookup) }
        case let .or(qs): return qs.contains { $0.evaluate(lookup) }
        case let .implies(a, b): return !a.evaluate(lookup) || b.evaluate(lookup)
        case let .constant(b): return b
        }
    }
}
