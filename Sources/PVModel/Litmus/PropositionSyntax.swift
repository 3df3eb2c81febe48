/// herd7's grammar of a final condition's proposition, shared by the
/// assembly and C front ends; each supplies how an atom `o = v` reads.
/// Precedence as lib/stateParser.mly declares it (`%left OR`, `%left AND`,
/// `%right IMPLIES`, `%nonassoc NOT`, loosest first): `=>` binds tighter
/// than `/\`, so `a /\ b => c` is `a /\ (b => c)`.
///
///     prop  := and ('\/' and)*
///     and   := imp ('/\' imp)*
///     imp   := unary ('=>' imp)?
///     unary := ('~' | 'not') unary | '(' prop ')' | 'true' | 'false' | atom
///     atom  := observable ('=' | '==' | '!=' | '<>') value
enum PropositionSyntax {
    static func parse<O, V>(_ ts: inout TokenStream, atom: (inout TokenStream) throws -> PropositionOver<O, V>) throws -> PropositionOver<O, V> {
        var ps = [try conjunction(&ts, atom)]
        while ts.accept("\\/") { ps.append(try conjunction(&ts, atom)) }
        return ps.count == 1 ? ps[0] : .or(ps)
    }

    private static func conjunction<O, V>(_ ts: inout TokenStream, _ atom: (inout TokenStream) throws -> PropositionOver<O, V>) throws -> PropositionOver<O, V> {
        var ps = [try implication(&ts, atom)]
        while ts.accept("/\\") { ps.append(try implication(&ts, atom)) }
        return ps.count == 1 ? ps[0] : .and(ps)
    }

    private static func implication<O, V>(_ ts: inout TokenStream, _ atom: (inout TokenStream) throws -> PropositionOver<O, V>) throws -> PropositionOver<O, V> {
        let lhs = try unary(&ts, atom)
        if ts.accept("=>") { return .implies(lhs, try implication(&ts, atom)) }
        return lhs
    }

    private static func unary<O, V>(_ ts: inout TokenStream, _ atom: (inout TokenStream) throws -> PropositionOver<O, V>) throws -> PropositionOver<O, V> {
        if ts.accept("~") || ts.accept("not") { return .not(try unary(&ts, atom)) }
        if ts.accept("(") {
            let p = try parse(&ts, atom: atom)
            try ts.expect(")")
            return p
        }
        if ts.accept("true") { return .constant(true) }
        if ts.accept("false") { return .constant(false) }
        return try atom(&ts)
    }

    /// The word an atom starts with: a register, location or `[`.
    static func observableWord(_ ts: inout TokenStream) throws -> Token {
        let w = try ts.word("a register or location")
        if [")", "/\\", "\\/", "=", "=>", ";", "]"].contains(w.text) {
            throw LitmusError(line: w.line, token: w.text, "expected a register or location")
        }
        return w
    }

    /// `=`/`==` (false) or `!=`/`<>` (true: the atom is negated), after the observable `w`.
    static func relation(_ ts: inout TokenStream, after w: Token) throws -> Bool {
        switch ts.next()?.text {
        case "=", "==": return false
        case "!=", "<>": return true
        default: throw LitmusError(line: w.line, token: w.text, "expected '=' or '!=' after it")
        }
    }

    static func valueWord(_ ts: inout TokenStream) throws -> Token {
        let v = try ts.word("a value")
        if [")", "/\\", "\\/", "=", "=>", "("].contains(v.text) { throw LitmusError(line: v.line, token: v.text, "expected a value") }
        return v
    }

    /// `exists`, `~exists` (or `~ exists`) or `forall`.
    static func quantifier(_ ts: inout TokenStream) throws -> Condition.Quantifier {
        guard let first = ts.next() else {
            throw LitmusError(line: ts.endLine, token: "end of input", "expected exists, ~exists or forall")
        }
        switch first.text {
        case "exists": return .exists
        case "forall": return .forall
        case "~exists": return .notExists
        case "~":
            let e = try ts.word("exists")
            guard e.text == "exists" else { throw LitmusError(line: e.line, token: e.text, "expected 'exists' after '~'") }
            return .notExists
        default: throw LitmusError(line: first.line, token: first.text, "expected exists, ~exists or forall")
        }
    }

    /// `locations [a; b; ...]`, if present, each read by `observable`.
    static func locations<O>(_ ts: inout TokenStream, _ observable: (Token, inout TokenStream) throws -> O) throws -> [O] {
        var out: [O] = []
        guard ts.accept("locations") else { return out }
        try ts.expect("[")
        while !ts.accept("]") {
            let w = try ts.word("a location or register")
            if w.text == ";" { continue }
            out.append(try observable(w, &ts))
        }
        return out
    }
}
