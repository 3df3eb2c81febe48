/// herd7's text answer for a `CheckResult`, line for line as herd7 7.57
/// prints it, without the `Time` and `Hash` lines:
///
///     Test NAME Allowed|Forbidden|Required
///     States N
///     <state>;...
///     [Loop ]Ok|No
///     Witnesses
///     Positive: P Negative: N
///     Condition exists|~exists|forall (...)
///     Observation NAME Always|Sometimes|Never P N
///
/// `Flag NAME` lines follow the witnesses for each flag an allowed
/// execution raises (linux-kernel.cat's `data-race`; aarch64fences.cat's
/// `Assuming-common-inner-shareable-domain` for a DMB/DSB ISH or OSH;
/// aarch64.cat's other flags — BBM, CMODX, mixed-size instruction fetch —
/// the accepted programs cannot raise).
public enum HerdReport {
    /// `hexadecimal`: values as herd7 `-hexa` prints them (`0x1`).
    public static func render(_ r: CheckResult, hexadecimal: Bool = false) -> String {
        let p = r.program
        let value = { (p: Program, o: Observable, v: Value) in self.value(p, o, v, hexadecimal: hexadecimal) }
        var out: [String] = []
        let kind: String
        switch p.condition.quantifier {
        case .exists: kind = "Allowed"
        case .notExists: kind = "Forbidden"
        case .forall: kind = "Required"
        }
        out.append("Test \(p.name) \(kind)")
        out.append("States \(r.states.count)")
        for s in r.states {
            out.append(zip(r.observed, s.values).map { "\(atom(p, $0.0))=\(value(p, $0.0, $0.1));" }.joined(separator: " "))
        }
        out.append((r.unrollingLimitReached ? "Loop " : "") + (r.conditionHolds ? "Ok" : "No"))
        out.append("Witnesses")
        let (pos, neg) = p.condition.quantifier == .notExists ? (r.notSatisfying, r.satisfying) : (r.satisfying, r.notSatisfying)
        out.append("Positive: \(pos) Negative: \(neg)")
        for f in r.flags { out.append("Flag \(f)") }
        out.append("Condition \(condition(p, hexadecimal: hexadecimal))")
        let obs = r.satisfying == 0 ? "Never" : r.notSatisfying == 0 ? "Always" : "Sometimes"
        out.append("Observation \(p.name) \(obs) \(r.satisfying) \(r.notSatisfying)")
        return out.joined(separator: "\n") + "\n"
    }

    /// `exists (1:X0=1 /\ 1:X2=0)` with herd7's parenthesisation (constrGen.ml pp_prop).
    /// `asInput`: as a litmus file states it, so that herd7 reads it back (it reads
    /// decimal only up to 2^63-1: a larger value is written in hexadecimal).
    public static func condition(_ p: Program, hexadecimal: Bool = false, asInput: Bool = false) -> String {
        let q: String
        switch p.condition.quantifier {
        case .exists: q = "exists"
        case .notExists: q = "~exists"
        case .forall: q = "forall"
        }
        let equals = { (o: Observable, v: Value) -> String in
            let text = self.value(p, o, v, hexadecimal: hexadecimal)
            guard asInput, v.location == nil, UInt64(text).map({ $0 > UInt64(Int64.max) }) == true else { return "\(atom(p, o))=\(text)" }
            return "\(atom(p, o))=\(HerdInteger.valueText(ModelChecker.type(p, o).truncate(v.bits)))"
        }
        return "\(q) (\(proposition(p.condition.proposition, above: 0, equals: equals)))"
    }

    // Precedence levels: 0 top, 1 implies, 2 or, 3 and.
    private static func proposition(_ x: Proposition, above: Int, equals: (Observable, Value) -> String) -> String {
        // constrGen.ml is_paren: and⊃or, and⊃implies, or⊃implies, implies⊃(or|and).
        func paren(_ here: Int, _ s: String) -> String {
            let needs = (above == 3 && here != 3) || (above == 2 && here == 1) || (above == 1 && here != 1)
            return needs ? "(\(s))" : s
        }
        switch x {
        case let .equals(o, v): return equals(o, v)
        case let .not(q): return "not (\(proposition(q, above: 0, equals: equals)))"
        case let .and(qs): return paren(3, qs.map { proposition($0, above: 3, equals: equals) }.joined(separator: " /\\ "))
        case let .or(qs): return paren(2, qs.map { proposition($0, above: 2, equals: equals) }.joined(separator: " \\/ "))
        case let .implies(a, b): return paren(1, proposition(a, above: 1, equals: equals) + " => " + proposition(b, above: 1, equals: equals))
        case let .constant(b): return b ? "true" : "false"
        }
    }

    public static func atom(_ p: Program, _ o: Observable) -> String {
        switch o {
        case let .register(t, r) where p.architecture == .c: return "\(t):\(p.lkmmThreads[t].registerNames[r])"
        case let .register(t, r): return "\(t):\(p.architecture.registerName(r))"
        case let .memory(l, e?): return "\(l)[\(e)]"
        case let .memory(l, nil): return "[\(l)]"
        }
    }

    public static func value(_ p: Program, _ o: Observable, _ v: Value, hexadecimal: Bool = false) -> String {
        if let l = v.location {
            let name = p.locations[l].name
            return v.bits == 0 ? name : "\(name)+\(v.bits)"
        }
        let t = ModelChecker.type(p, o)
        if hexadecimal {
            let bits = t.truncate(v.bits)
            let negative = t.signed && bits & (1 << UInt64(t.bytes * 8 - 1)) != 0
            return negative ? "-0x" + String(t.truncate(0 &- bits), radix: 16) : "0x" + String(bits, radix: 16)
        }
        return t.render(v.bits)
    }
}

extension Architecture {
    /// herd7's printed register name.
    public func registerName(_ r: Int) -> String {
        switch self {
        case .aarch64: return AArch64Syntax.name(ofRegister: r)
        case .x86: return X86Syntax.name(ofRegister: r)
        case .x86_64: return X86_64Syntax.name(ofRegister: r)
        case .c: return "r\(r)"  // a C thread's own names are in Program.lkmmThreads
        }
    }
}
