/// C litmus text (`C NAME`) → `CLitmusTest`, reading what herd7 7.57 reads
/// (lib/splitter.mll, lib/CParser.mly, the state parser for the init block
/// and condition) and refusing what it refuses where the grammar decides:
/// threads not numbered P0, P1, …; a parameter that is not a pointer; an
/// empty thread or block; herd7's reserved words as names; `!`, `&&`,
/// unary `-` on a name (`r0-1` lexes as `r0` `-1`). Which calls are
/// primitives is left to the lowering (herd7 decides it by macro expansion).
public enum CLitmusParser {
    /// herd7's C keywords (CLexer's `tr_name`) that are not type names:
    /// special syntax or C11 primitives; none can name a variable.
    static let reserved: Set<String> = [
        "if", "else", "while", "struct", "void", "volatile", "const", "_Atomic", "atomic",
        "lock", "mtx_lock", "unlock", "mtx_unlock", "WCAS", "SCAS",
        "atomic_compare_exchange_weak", "atomic_compare_exchange_strong",
        "atomic_compare_exchange_weak_explicit", "atomic_compare_exchange_strong_explicit",
        "atomic_thread_fence", "atomic_load_explicit", "atomic_store_explicit", "atomic_exchange_explicit",
        "atomic_fetch_add_explicit", "atomic_fetch_sub_explicit", "atomic_fetch_or_explicit",
        "atomic_fetch_xor_explicit", "atomic_fetch_and_explicit", "atomic_add_unless",
        "__fence", "__load", "__store", "__srcu", "__xchg", "__cmpxchg", "__lock", "__trylock", "__islocked",
        "__unlock", "__atomic_op", "__atomic_op_return", "__atomic_fetch_op", "__atomic_add_unless", "regions",
    ]
    /// herd7's base type names (BASE_TYPE, and the C keywords it reads as types).
    static let baseTypes: Set<String> = [
        "int", "char", "long", "int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t", "int64_t", "uint64_t",
        "__int128_t", "__uint128_t", "__int128", "__uint128", "intptr_t", "uintptr_t", "mtx_t", "spinlock_t", "atomic_t",
        "atomic_int",
    ]
    /// The words that end thread code in herd7's splitter, wherever they stand.
    static let conditionStarts: Set<String> = ["final", "forall", "exists", "cases", "observed", "Observed", "locations", "filter"]

    public static func parse(_ text: String) throws -> CLitmusTest {
        let src = try CLitmusSource(text)
        var initBlock = InitParser(tokens: try CLitmusLexer.tokens(src.initBlock), endLine: src.codeLine)
        let initializations = try initBlock.entries()
        var code = CodeParser(ts: TokenStream(tokens: try CLitmusLexer.tokens(src.code), endLine: src.tailLine))
        let threads = try code.threads()
        let (locations, filter, condition) = try parseTail(src.tail, endLine: src.tailLine, threads: threads.count)
        var seen: Set<String> = []
        for i in initializations where i.thread == nil {
            guard seen.insert(i.name).inserted else { throw LitmusError(line: i.line, token: i.name, "location initialised twice") }
        }
        return CLitmusTest(name: src.name, docString: src.doc, initializations: initializations, threads: threads,
                           locations: locations, filter: filter, condition: condition)
    }

    /// True when `text`'s first word is `C` (a C litmus test).
    public static func isCLitmus(_ text: String) -> Bool {
        text.split(whereSeparator: \.isWhitespace).first == "C"
    }

    // MARK: condition

    static func parseTail(_ lines: [LitmusSource.Line], endLine: Int, threads: Int) throws -> ([CObservable], CProposition?, CCondition) {
        var ts = TokenStream(tokens: try tokenize(lines), endLine: endLine)
        let locations = try PropositionSyntax.locations(&ts) { try observable($0, &$1, threads: threads) }
        var filter: CProposition?
        if ts.accept("filter") { filter = try proposition(&ts, threads: threads) }
        // No condition at all is herd7's `forall (true)`.
        if ts.peek == nil { return (locations, filter, CCondition(.forall, .constant(true))) }
        let q = try PropositionSyntax.quantifier(&ts)
        let p = try proposition(&ts, threads: threads)
        _ = ts.accept(";")
        if let extra = ts.peek { throw LitmusError(line: extra.line, token: extra.text, "unexpected token after the condition") }
        return (locations, filter, CCondition(q, p))
    }

    static func proposition(_ ts: inout TokenStream, threads: Int) throws -> CProposition {
        try PropositionSyntax.parse(&ts) { ts in
            let w = try PropositionSyntax.observableWord(&ts)
            let o = try observable(w, &ts, threads: threads)
            let negated = try PropositionSyntax.relation(&ts, after: w)
            let v = try PropositionSyntax.valueWord(&ts)
            let value: CConditionValue
            if v.text == "[" || v.text.contains(":") {
                value = .observable(try observable(v, &ts, threads: threads))
            } else if let bits = try HerdInteger.value(v) { value = .integer(Int64(bitPattern: bits)) } else {
                guard CLitmusLexer.isName(v.text) else { throw LitmusError(line: v.line, token: v.text, "expected a value or a location") }
                value = .address(of: v.text)
            }
            return negated ? .not(.equals(o, value)) : .equals(o, value)
        }
    }

    static func observable(_ w: Token, _ ts: inout TokenStream, threads: Int) throws -> CObservable {
        if w.text == "[" {
            let n = try ts.word("a location")
            try ts.expect("]")
            return .global(name: n.text, element: nil)
        }
        let parts = w.text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, let p = Int(parts[0]) {
            guard p >= 0, p < threads else { throw LitmusError(line: w.line, token: w.text, "no thread P\(p)") }
            guard CLitmusLexer.isName(String(parts[1])) else { throw LitmusError(line: w.line, token: w.text, "not a local's name") }
            return .local(thread: p, name: String(parts[1]))
        }
        guard CLitmusLexer.isName(w.text) else { throw LitmusError(line: w.line, token: w.text, "expected a location or P:local") }
        if ts.accept("[") {
            let i = try ts.word("an index")
            guard let k = Int(i.text), k >= 0 else { throw LitmusError(line: i.line, token: i.text, "expected an index") }
            try ts.expect("]")
            return .global(name: w.text, element: k)
        }
        return .global(name: w.text, element: nil)
    }
}

/// A C test split as herd7's splitter splits it: header (`C NAME`, an
/// optional `"doc"`), init block, thread code (up to the first condition
/// keyword, comments included: herd7 does not skip `(* *)` in C code), and
/// the tail (`(* *)` comments blanked).
struct CLitmusSource {
    var name: String
    var doc: String?
    var initBlock: [LitmusSource.Line]
    var code: [LitmusSource.Line]
    var tail: [LitmusSource.Line]
    var codeLine: Int
    var tailLine: Int

    init(_ text: String) throws {
        var chars = Array(text.replacingLineEnds())
        if chars.last != "\n" { chars.append("\n") }
        var line = 1
        var i = 0
        func advance() { if chars[i] == "\n" { line += 1 }; i += 1 }
        func lines(_ from: Int, _ to: Int, startLine: Int) -> [LitmusSource.Line] {
            String(chars[from ..< to]).split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
                LitmusSource.Line(number: startLine + $0.offset, text: String($0.element))
            }
        }
        func skipComment() throws {
            let start = line
            var depth = 0
            repeat {
                guard i + 1 < chars.count else { throw LitmusError(line: start, token: "(*", "comment is not closed") }
                if chars[i] == "(", chars[i + 1] == "*" { depth += 1; advance(); advance(); continue }
                if chars[i] == "*", chars[i + 1] == ")" { depth -= 1; advance(); advance(); continue }
                advance()
            } while depth > 0
        }
        // Header.
        while i < chars.count, chars[i].isWhitespace { advance() }
        var words: [String] = []
        var w = ""
        while i < chars.count, chars[i] != "\n" {
            if chars[i] == "\"" { break }
            if chars[i].isWhitespace { if !w.isEmpty { words.append(w); w = "" } } else { w.append(chars[i]) }
            advance()
        }
        if !w.isEmpty { words.append(w) }
        let headerLine = line
        guard words.count >= 2, words[0] == "C" else {
            throw LitmusError(line: headerLine, token: words.first ?? "", "expected 'C NAME' (a C litmus test)")
        }
        // herd7 names the test without a `.litmus` suffix (Misc.clean_name).
        name = words[1].hasSuffix(".litmus") ? String(words[1].dropLast(7)) : words[1]
        // An optional "doc", on the header line or the next.
        var j = i
        var sawNewline = false
        while j < chars.count, chars[j] == " " || chars[j] == "\t" || (chars[j] == "\n" && !sawNewline) {
            if chars[j] == "\n" { sawNewline = true }
            j += 1
        }
        if j < chars.count, chars[j] == "\"" {
            while i <= j { advance() }
            let start = i
            while i < chars.count, chars[i] != "\"" { advance() }
            guard i < chars.count else { throw LitmusError(line: headerLine, token: "\"", "doc string is not closed") }
            doc = String(chars[start ..< i])
            advance()
        }
        // Up to the init block: comments and `key = value` lines are skipped.
        while true {
            guard i < chars.count else { throw LitmusError(line: line, token: name, "no init block '{ ... }' after the header") }
            if chars[i] == "(", i + 1 < chars.count, chars[i + 1] == "*" { try skipComment(); continue }
            if chars[i] == "{" { break }
            advance()
        }
        advance()
        let initStart = i, initLine = line
        var depth = 0
        while true {
            guard i < chars.count else { throw LitmusError(line: initLine, token: "{", "init block is not closed") }
            if chars[i] == "(", i + 1 < chars.count, chars[i + 1] == "*" { try skipComment(); continue }
            if chars[i] == "{" { depth += 1 }
            if chars[i] == "}" { if depth == 0 { break }; depth -= 1 }
            advance()
        }
        initBlock = lines(initStart, i, startLine: initLine).map { LitmusSource.Line(number: $0.number, text: Self.blankingComments($0.text)) }
        advance()
        // Thread code, up to the first condition keyword outside a string.
        let codeStart = i
        let firstCodeLine = line
        codeLine = line
        var end = chars.count
        while i < chars.count {
            let c = chars[i]
            if c == "\"" {
                advance()
                while i < chars.count, chars[i] != "\"" { advance() }
                if i < chars.count { advance() }
                continue
            }
            if c == "~" {
                var k = i + 1
                while k < chars.count, chars[k] == " " || chars[k] == "\t" { k += 1 }
                if String(chars[k ..< min(k + 6, chars.count)]) == "exists", k + 6 >= chars.count || !Self.isNameChar(chars[k + 6]) { end = i; break }
            }
            if Self.isNameChar(c) {
                var k = i
                while k < chars.count, Self.isNameChar(chars[k]) { k += 1 }
                if CLitmusParser.conditionStarts.contains(String(chars[i ..< k])) { end = i; break }
                while i < k { advance() }
                continue
            }
            advance()
        }
        code = lines(codeStart, end, startLine: firstCodeLine)
        tailLine = line
        // The tail, comments blanked (nested, across lines).
        var tailText = ""
        var nest = 0
        var k = end
        while k < chars.count {
            if chars[k] == "(", k + 1 < chars.count, chars[k + 1] == "*" { nest += 1; tailText += "  "; k += 2; continue }
            if nest > 0, chars[k] == "*", k + 1 < chars.count, chars[k + 1] == ")" { nest -= 1; tailText += "  "; k += 2; continue }
            tailText.append(nest > 0 && chars[k] != "\n" ? " " : chars[k])
            k += 1
        }
        let first = line
        tail = tailText.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
            LitmusSource.Line(number: first + $0.offset, text: String($0.element))
        }
    }

    static func isNameChar(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }

    /// `(* ... *)` on one line → blanks (the init block's state lexer skips them).
    static func blankingComments(_ s: String) -> String {
        guard s.contains("(*") else { return s }
        var out = ""
        var nest = 0
        let c = Array(s)
        var i = 0
        while i < c.count {
            if c[i] == "(", i + 1 < c.count, c[i + 1] == "*" { nest += 1; out += "  "; i += 2; continue }
            if nest > 0, c[i] == "*", i + 1 < c.count, c[i + 1] == ")" { nest -= 1; out += "  "; i += 2; continue }
            out.append(nest > 0 ? " " : c[i])
            i += 1
        }
        return out
    }
}

/// The init block: `;`-separated entries
/// `[type] name ['[' n ']'] [= value]` or `P:name = value`, where a value is
/// an integer, `&x` or `x` (the address of `x`), `{v, ...}`, or
/// `ATOMIC_INIT(v)`.
struct InitParser {
    var ts: TokenStream

    init(tokens: [Token], endLine: Int) { ts = TokenStream(tokens: tokens, endLine: endLine) }

    mutating func entries() throws -> [CInitialization] {
        var out: [CInitialization] = []
        while let t = ts.peek {
            if ts.accept(";") { continue }
            var type: CType?
            if CodeParser.startsType(t.text) {
                var cp = CodeParser(ts: ts)
                type = try cp.type()
                ts = cp.ts
            }
            var target = try ts.word("a location or P:local")
            var thread: Int?
            if let p = Int(target.text), ts.accept(":") {
                thread = p
                target = try ts.word("a local's name")
            }
            guard CLitmusLexer.isName(target.text), !CLitmusParser.reserved.contains(target.text) else {
                throw LitmusError(line: target.line, token: target.text, "expected a location or P:local in the init block")
            }
            if type?.base == "spinlock_t", type?.pointerDepth == 0 {
                // herd7 7.57: "Cannot find the size of type spinlock_t" (a spinlock_t parameter alone is fine).
                throw LitmusError(line: t.line, token: "spinlock_t", "herd7 7.57 cannot size a spinlock_t in the init block; leave it to the thread parameter")
            }
            var count: Int?
            if ts.accept("[") {
                let n = try ts.word("an array size")
                guard let k = Int(n.text), k > 0 else { throw LitmusError(line: n.line, token: n.text, "expected an array size") }
                count = k
                try ts.expect("]")
            }
            var value: CInitialValue?
            if ts.accept("=") { value = try initialValue() }
            out.append(CInitialization(thread: thread, name: target.text, type: type, arrayCount: count, value: value, line: target.line))
            if let n = ts.peek, n.text != ";" { throw LitmusError(line: n.line, token: n.text, "expected ';' in the init block") }
        }
        return out
    }

    private mutating func initialValue() throws -> CInitialValue {
        if ts.accept("{") {
            var vs: [Int64] = []
            repeat { vs.append(try integer()) } while ts.accept(",")
            try ts.expect("}")
            return .integers(vs)
        }
        if ts.accept("&") {
            let n = try ts.word("a location")
            guard CLitmusLexer.isName(n.text) else { throw LitmusError(line: n.line, token: n.text, "expected a location after '&'") }
            return .address(of: n.text)
        }
        if ts.peek?.text == "ATOMIC_INIT" {
            _ = ts.next()
            try ts.expect("(")
            let v = try integer()
            try ts.expect(")")
            return .integer(v)
        }
        if let t = ts.peek, CLitmusLexer.isName(t.text) {
            _ = ts.next()
            return .address(of: t.text)
        }
        return .integer(try integer())
    }

    private mutating func integer() throws -> Int64 {
        let t = try ts.word("an integer")
        guard let v = Int64(t.text) else { throw LitmusError(line: t.line, token: t.text, "expected an integer") }
        return v
    }
}

/// Thread code: `[void] P<n>(params) { statements }` for n = 0, 1, ….
struct CodeParser {
    var ts: TokenStream

    mutating func threads() throws -> [CThread] {
        var out: [CThread] = []
        while let t = ts.peek {
            if t.text == "void" { _ = ts.next(); _ = ts.accept("*") }
            let p = try ts.word("a thread P\(out.count)")
            guard p.text.hasPrefix("P"), let n = Int(p.text.dropFirst()), String(n) == p.text.dropFirst() else {
                throw LitmusError(line: p.line, token: p.text, "expected a thread P\(out.count)")
            }
            guard n == out.count else { throw LitmusError(line: p.line, token: p.text, "threads must be P0, P1, ... in order (herd7's rule)") }
            try ts.expect("(")
            var params: [CParameter] = []
            if !ts.accept(")") {
                repeat {
                    let ty = try type()
                    guard ty.pointerDepth > 0 else { throw LitmusError(line: p.line, token: ty.description, "a thread parameter must be a pointer ('int *x')") }
                    let name = try self.name("a parameter name")
                    guard !params.contains(where: { $0.name == name.text }) else {
                        throw LitmusError(line: name.line, token: name.text, "parameter named twice")
                    }
                    params.append(CParameter(type: ty, name: name.text))
                } while ts.accept(",")
                try ts.expect(")")
            }
            try ts.expect("{")
            out.append(CThread(index: n, parameters: params, body: try sequence(), line: p.line))
        }
        guard !out.isEmpty else { throw LitmusError(line: ts.endLine, token: "end of input", "no thread P0") }
        return out
    }

    // MARK: types

    static func startsType(_ s: String) -> Bool {
        CLitmusParser.baseTypes.contains(s) || ["volatile", "const", "_Atomic", "struct", "void"].contains(s)
    }

    /// `[volatile|const|_Atomic] base {* | volatile | const}`; `void` only as `void *`.
    mutating func type() throws -> CType {
        var t = CType(base: "")
        while let q = ts.peek?.text, ["volatile", "const", "_Atomic"].contains(q) {
            _ = ts.next()
            if q == "volatile" { t.isVolatile = true } else if q == "const" { t.isConst = true }
        }
        let b = try ts.word("a type")
        switch b.text {
        case "struct":
            let s = try ts.word("a struct name")
            guard s.text == "srcu_struct" else { throw LitmusError(line: s.line, token: s.text, "herd7 knows only struct srcu_struct") }
            t.base = "struct srcu_struct"
        case "void":
            guard ts.peek?.text == "*" else { throw LitmusError(line: b.line, token: "void", "expected 'void *'") }
            t.base = "void"
        default:
            guard CLitmusParser.baseTypes.contains(b.text) else { throw LitmusError(line: b.line, token: b.text, "not a type herd7 knows") }
            t.base = b.text
        }
        while let n = ts.peek?.text, ["*", "volatile", "const"].contains(n) {
            _ = ts.next()
            if n == "*" { t.pointerDepth += 1 } else if n == "volatile" { t.isVolatile = true } else { t.isConst = true }
        }
        return t
    }

    mutating func name(_ what: String) throws -> Token {
        let t = try ts.word(what)
        guard CLitmusLexer.isName(t.text), !CLitmusParser.reserved.contains(t.text), !Self.startsType(t.text) else {
            throw LitmusError(line: t.line, token: t.text, "expected \(what)\(CLitmusParser.reserved.contains(t.text) ? " ('\(t.text)' is reserved in herd7's C)" : "")")
        }
        return t
    }

    // MARK: statements

    /// Statements up to the closing `}` (consumed); herd7 refuses an empty block.
    mutating func sequence() throws -> [CStatement] {
        var out: [CStatement] = []
        while true {
            guard let t = ts.peek else { throw LitmusError(line: ts.endLine, token: "end of input", "expected '}'") }
            if t.text == "}" {
                guard !out.isEmpty else { throw LitmusError(line: t.line, token: "}", "empty block (herd7 refuses it)") }
                _ = ts.next()
                return out
            }
            out.append(try statement())
        }
    }

    /// One statement or a `{ ... }` block.
    mutating func statement() throws -> CStatement {
        guard let t = ts.peek else { throw LitmusError(line: ts.endLine, token: "end of input", "expected a statement") }
        let line = t.line
        if ts.accept("{") { return CStatement(.block(try sequence()), line: line) }
        if ts.accept("if") {
            try ts.expect("(")
            let c = try expression()
            try ts.expect(")")
            let thenIsBlock = ts.peek?.text == "{"
            let then = try branch()
            var other: [CStatement]?, elseIsBlock = false
            if ts.accept("else") {
                elseIsBlock = ts.peek?.text == "{"
                other = try branch()
            }
            var s = CStatement(.ifElse(c, then, other), line: line)
            (s.thenIsBlock, s.elseIsBlock) = (thenIsBlock, elseIsBlock)
            return s
        }
        if ts.accept("while") {
            // herd7: `while expr0 block`, expr0 a constant, a name, `*name` or `( e )`.
            let c = try primary()
            return CStatement(.whileLoop(c, try branch()), line: line)
        }
        if Self.startsType(t.text) {
            let ty = try type()
            let n = try name("a local's name")
            let initial = ts.accept("=") ? try expression() : nil
            try ts.expect(";")
            return CStatement(.declaration(ty, n.text, initial), line: line)
        }
        if t.text == "(", ts.pos + 2 < ts.tokens.count, ts.tokens[ts.pos + 1].text == "void", ts.tokens[ts.pos + 2].text == ")" {
            ts.pos += 3
            let e = try expression()
            try ts.expect(";")
            return CStatement(.expression(.cast(CType(base: "void"), e)), line: line)
        }
        if t.text == "*", let store = try storeStatement() { return store }
        if CLitmusLexer.isName(t.text), ts.pos + 1 < ts.tokens.count, ts.tokens[ts.pos + 1].text == "=" {
            let n = try name("a local's name")
            _ = ts.next()
            let e = try expression()
            try ts.expect(";")
            return CStatement(.assignment(n.text, e), line: line)
        }
        let e = try expression()
        try ts.expect(";")
        return CStatement(.expression(e), line: line)
    }

    private mutating func branch() throws -> [CStatement] {
        let s = try statement()
        if case let .block(b) = s.kind { return b }
        return [s]
    }

    /// `*location = e;` with location := name | `*` location | `( e )`;
    /// nil (nothing consumed) when no `=` follows, for `*x;` and the like.
    private mutating func storeStatement() throws -> CStatement? {
        let start = ts.pos
        let line = ts.peek!.line
        var stars = 0
        while ts.accept("*") { stars += 1 }
        var address: CExpression
        if ts.accept("(") {
            address = try expression()
            try ts.expect(")")
        } else if let t = ts.peek, CLitmusLexer.isName(t.text), !CLitmusParser.reserved.contains(t.text) {
            _ = ts.next()
            address = .variable(t.text)
        } else {
            ts.pos = start
            return nil
        }
        guard ts.accept("=") else { ts.pos = start; return nil }
        for _ in 1 ..< stars { address = .load(address) }
        let value = try expression()
        try ts.expect(";")
        return CStatement(.store(address: address, value: value), line: line)
    }

    // MARK: expressions

    /// Precedence climbing over herd7's operators; comparisons do not chain.
    mutating func expression(_ minimum: Int = 1) throws -> CExpression {
        var lhs = try primary()
        while let t = ts.peek, let op = CBinaryOperator(rawValue: t.text), op.precedence >= minimum {
            _ = ts.next()
            let rhs = try expression(op.precedence + 1)
            lhs = .binary(op, lhs, rhs)
            if op.isComparison, let n = ts.peek, let op2 = CBinaryOperator(rawValue: n.text), op2.isComparison {
                throw LitmusError(line: n.line, token: n.text, "comparisons do not chain in herd7's C; add parentheses")
            }
        }
        return lhs
    }

    mutating func primary() throws -> CExpression {
        let t = try ts.word("an expression")
        if let v = Int64(t.text) { return .integer(v) }
        switch t.text {
        case "*":
            if ts.accept("(") {
                if let n = ts.peek, Self.startsType(n.text) {
                    let ty = try type()
                    try ts.expect(")")
                    return .load(.cast(ty, .variable(try name("a name").text)))
                }
                let e = try expression()
                try ts.expect(")")
                return .load(e)
            }
            return .load(.variable(try name("a name after '*'").text))
        case "(":
            if let n = ts.peek, Self.startsType(n.text) {
                let ty = try type()
                try ts.expect(")")
                // A cast binds tighter than every binary operator.
                return .cast(ty, try primary())
            }
            let e = try expression()
            try ts.expect(")")
            return e
        default:
            guard CLitmusLexer.isName(t.text), !Self.startsType(t.text) else {
                throw LitmusError(line: t.line, token: t.text, "expected an expression")
            }
            var annotations: [String] = []
            if t.text.hasPrefix("__"), ts.peek?.text == "{" {
                _ = ts.next()
                repeat {
                    var a = try ts.word("an annotation").text
                    while ts.accept("-") { a += "-" + (try ts.word("an annotation")).text }
                    annotations.append(a)
                } while ts.accept(",")
                try ts.expect("}")
                if t.text == "__fence" { return .call(CCall(name: t.text, annotations: annotations, arguments: [], line: t.line)) }
            }
            if ts.accept("(") {
                if t.text == "__atomic_op" || t.text == "__atomic_op_return" || t.text == "__atomic_fetch_op" {
                    throw LitmusError(line: t.line, token: t.text, "herd7's internal form is not read; write the kernel primitive (atomic_add, ...)")
                }
                var args: [CExpression] = []
                if !ts.accept(")") {
                    repeat { args.append(try expression()) } while ts.accept(",")
                    try ts.expect(")")
                }
                return .call(CCall(name: t.text, annotations: annotations, arguments: args, line: t.line))
            }
            guard annotations.isEmpty else { throw LitmusError(line: t.line, token: t.text, "expected '(' after the annotations") }
            if CLitmusParser.reserved.contains(t.text) {
                throw LitmusError(line: t.line, token: t.text, "'\(t.text)' is reserved in herd7's C")
            }
            return .variable(t.text)
        }
    }
}
