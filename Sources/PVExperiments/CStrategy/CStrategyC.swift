import PVRuntime

/// The C subset ``CStrategyLKMM`` translates: a preprocessed strategy file
/// read into functions and statements, then executed symbolically into a
/// C litmus thread body. What is outside the subset is a ``Refusal`` that
/// names it.
enum CStrategyC {
    struct Refusal: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// A record access: `size` bytes at `offset`.
    struct Access: Hashable, Sendable {
        var offset: Int
        var size: Int
        func covers(_ c: Access) -> Bool { c.offset >= offset && c.offset + c.size <= offset + size }
    }

    /// The record cut at every access's ends, over the bytes some access touches.
    static func cells(_ accesses: [Access]) -> [Access] {
        let cuts = Set(accesses.flatMap { [$0.offset, $0.offset + $0.size] }).sorted()
        return zip(cuts, cuts.dropFirst()).map { Access(offset: $0, size: $1 - $0) }
            .filter { c in accesses.contains { $0.covers(c) } }
    }

    static func variable(_ prefix: String, _ c: Access) -> String { "\(prefix)_\(c.offset)_u\(c.size * 8)" }

    /// The result locals of read `k`: one per cell of the field.
    static func results(_ k: Int, _ field: Access, _ cells: [Access]) -> [(name: String, cell: Access)] {
        let fc = cells.filter(field.covers)
        return fc.count == 1 ? [("r\(k)", fc[0])] : fc.map { ("r\(k)_\($0.offset - field.offset)", $0) }
    }

    // MARK: - Syntax

    enum Base: Equatable { case int(Int), void, record, other(String) }
    struct CType: Equatable {
        var base: Base
        var pointers = 0
        var volatilePointee = false
    }

    indirect enum Expr {
        case number(UInt64)
        case ident(String)
        case unary(String, Expr)
        case binary(String, Expr, Expr)
        case assign(String, Expr, Expr)
        case cast(CType, Expr)
        case call(String, [Expr])
        case member(Expr, String, arrow: Bool)
        case index(Expr, Expr)
    }

    indirect enum Stmt {
        case decl(CType, String, Expr?)
        case expr(Expr)
        case ifElse(Expr, Stmt, Stmt?)
        case block([Stmt])
        case forever(Stmt)
        case ret(Expr?)
        case next
    }

    struct Function {
        var name: String
        var params: [(CType, String)]
        var body: [Stmt]
    }

    static func parse(_ text: String) throws -> [String: Function] {
        var p = Parser(tokens: try lex(text))
        return try p.unit()
    }

    static func lex(_ text: String) throws -> [String] {
        let s = Array(text.unicodeScalars)
        var out: [String] = []
        var i = 0
        let three = ["<<=", ">>="], two = ["->", "++", "--", "+=", "-=", "&=", "|=", "^=", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||"]
        func isWord(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic || ("0" ... "9").contains(c) }
        while i < s.count {
            let c = s[i]
            if c.properties.isWhitespace { i += 1; continue }
            if c == "/", i + 1 < s.count, s[i + 1] == "*" {
                i += 2
                while i + 1 < s.count, !(s[i] == "*" && s[i + 1] == "/") { i += 1 }
                i += 2; continue
            }
            if c == "/", i + 1 < s.count, s[i + 1] == "/" { while i < s.count, s[i] != "\n" { i += 1 }; continue }
            if c == "\"" || c == "'" { throw Refusal("a string or character literal") }
            if isWord(c) {
                var j = i
                while j < s.count, isWord(s[j]) { j += 1 }
                out.append(String(String.UnicodeScalarView(s[i ..< j]))); i = j; continue
            }
            let rest = String(String.UnicodeScalarView(s[i ..< min(i + 3, s.count)]))
            if let t = three.first(where: rest.hasPrefix) ?? two.first(where: rest.hasPrefix) { out.append(t); i += t.count; continue }
            out.append(String(c)); i += 1
        }
        return out
    }

    static let intTypes: [String: Int] = [
        "u8": 1, "uint8_t": 1, "char": 1, "u16": 2, "uint16_t": 2, "short": 2, "__le16": 2,
        "u32": 4, "uint32_t": 4, "__le32": 4, "int": 0, "unsigned": 0, "signed": 0,
        "u64": 8, "uint64_t": 8, "__le64": 8, "long": 8, "__int128": 16,
    ]
    static let qualifiers: Set = ["static", "inline", "__inline__", "__inline", "extern", "const", "volatile", "__volatile__", "register"]

    struct Parser {
        var tokens: [String]
        var i = 0
        var peek: String { i < tokens.count ? tokens[i] : "" }
        mutating func take() -> String { defer { i += 1 }; return peek }
        mutating func expect(_ t: String) throws {
            guard take() == t else { throw Refusal("expected '\(t)' near '\(tokens[max(0, i - 1)])'") }
        }
        mutating func accept(_ t: String) -> Bool { if peek == t { i += 1; return true }; return false }

        func startsType(_ t: String) -> Bool { intTypes[t] != nil || qualifiers.contains(t) || t == "void" || t == "struct" }

        mutating func unit() throws -> [String: Function] {
            var fns: [String: Function] = [:]
            while i < tokens.count {
                if accept(";") { continue }
                if ["typedef", "__attribute__", "__asm__", "asm", "_Static_assert"].contains(peek) { throw Refusal("'\(peek)' at file scope") }
                _ = try type()
                let name = take()
                guard accept("(") else { throw Refusal("a file-scope declaration of '\(name)' (only functions are translated)") }
                var params: [(CType, String)] = []
                if !(peek == "void" && i + 1 < tokens.count && tokens[i + 1] == ")") {
                    while peek != ")" {
                        let t = try type()
                        params.append((t, take()))
                        if !accept(",") { break }
                    }
                } else { i += 1 }
                try expect(")")
                if accept(";") { continue }
                try expect("{")
                fns[name] = Function(name: name, params: params, body: try block())
            }
            return fns
        }

        mutating func type() throws -> CType {
            var size = 0, sawVoid = false, sawInt = false, base: Base?
            var volatile = false
            while true {
                let t = peek
                if t == "volatile" || t == "__volatile__" { volatile = true; i += 1 }
                else if qualifiers.contains(t) { i += 1 }
                else if t == "void" { sawVoid = true; i += 1 }
                else if t == "struct" {
                    i += 1
                    let n = take()
                    base = ["pvclock_vcpu_stolen_time", "pvsched_vcpu_state"].contains(n) ? .record : .other("struct \(n)")
                } else if let s = intTypes[t] { size = max(size, s); sawInt = true; i += 1 }
                else { break }
            }
            var ct = CType(base: base ?? (sawVoid ? .void : .int(size == 0 ? 4 : size)))
            if base == nil, !sawVoid, !sawInt { throw Refusal("the type name '\(peek)'") }
            ct.volatilePointee = volatile
            while accept("*") {
                ct.pointers += 1
                while ["const", "volatile", "restrict", "__restrict"].contains(peek) { i += 1 }
            }
            return ct
        }

        mutating func block() throws -> [Stmt] {
            var out: [Stmt] = []
            while !accept("}") {
                guard i < tokens.count else { throw Refusal("a '{' without its '}'") }
                out += try statement()
            }
            return out
        }

        mutating func statement() throws -> [Stmt] {
            switch peek {
            case "{": i += 1; return [.block(try block())]
            case ";": i += 1; return []
            case "if":
                i += 1; try expect("(")
                let c = try expression(); try expect(")")
                let a = try single()
                return [.ifElse(c, a, accept("else") ? try single() : nil)]
            case "for":
                i += 1
                guard take() == "(", take() == ";", take() == ";", take() == ")" else { throw Refusal("a for loop other than for (;;)") }
                return [.forever(try single())]
            case "while":
                i += 1; try expect("(")
                guard case let .number(n) = try expression(), n != 0 else { throw Refusal("a while loop other than while (1)") }
                try expect(")")
                return [.forever(try single())]
            case "return":
                i += 1
                if accept(";") { return [.ret(nil)] }
                let e = try expression(); try expect(";")
                return [.ret(e)]
            case "continue": i += 1; try expect(";"); return [.next]
            case "do", "break", "goto", "switch": throw Refusal("'\(peek)'")
            case "asm", "__asm__", "__asm": throw Refusal("inline asm")
            default:
                if startsType(peek) {
                    let t = try type()
                    var out: [Stmt] = []
                    var ct = t
                    while true {
                        let name = take()
                        out.append(.decl(ct, name, accept("=") ? try assignment() : nil))
                        guard accept(",") else { break }
                        ct = CType(base: t.base, volatilePointee: t.pointers == 0 ? t.volatilePointee : false)
                        while accept("*") { ct.pointers += 1 }
                    }
                    try expect(";")
                    return out
                }
                let e = try expression(); try expect(";")
                return [.expr(e)]
            }
        }

        mutating func single() throws -> Stmt {
            let s = try statement()
            return s.count == 1 ? s[0] : .block(s)
        }

        mutating func expression() throws -> Expr {
            let e = try assignment()
            if peek == "," { throw Refusal("the comma operator") }
            return e
        }

        mutating func assignment() throws -> Expr {
            let lhs = try binary(1)
            if ["=", "+=", "-=", "&=", "|=", "^="].contains(peek) {
                let op = take()
                return .assign(op, lhs, try assignment())
            }
            if peek == "?" { throw Refusal("the ?: operator") }
            return lhs
        }

        static let precedence: [String: Int] = [
            "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6, "<": 7, ">": 7, "<=": 7, ">=": 7,
            "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10,
        ]

        mutating func binary(_ min: Int) throws -> Expr {
            var lhs = try unary()
            while let p = Self.precedence[peek], p >= min {
                let op = take()
                lhs = .binary(op, lhs, try binary(p + 1))
            }
            return lhs
        }

        mutating func unary() throws -> Expr {
            let t = peek
            if ["!", "~", "-", "*", "&"].contains(t) { i += 1; return .unary(t, try unary()) }
            if t == "+" { i += 1; return try unary() }
            if t == "++" || t == "--" || t == "sizeof" { throw Refusal("'\(t)'") }
            if t == "(", i + 1 < tokens.count, startsType(tokens[i + 1]) {
                i += 1
                let ct = try type(); try expect(")")
                return .cast(ct, try unary())
            }
            return try postfix()
        }

        mutating func postfix() throws -> Expr {
            var e = try primary()
            while true {
                if accept("(") {
                    guard case let .ident(f) = e else { throw Refusal("a call through a pointer") }
                    var args: [Expr] = []
                    while !accept(")") {
                        args.append(try assignment())
                        _ = accept(",")
                    }
                    e = .call(f, args)
                } else if accept("[") {
                    e = .index(e, try expression()); try expect("]")
                } else if peek == "." || peek == "->" {
                    let arrow = take() == "->"
                    e = .member(e, take(), arrow: arrow)
                } else if peek == "++" || peek == "--" {
                    throw Refusal("'\(peek)'")
                } else { return e }
            }
        }

        mutating func primary() throws -> Expr {
            let t = take()
            if t == "(" { let e = try expression(); try expect(")"); return e }
            if let f = t.unicodeScalars.first, ("0" ... "9").contains(f) {
                var digits = t
                while let l = digits.last, "uUlL".contains(l) { digits.removeLast() }
                let v = digits.hasPrefix("0x") || digits.hasPrefix("0X") ? UInt64(digits.dropFirst(2), radix: 16)
                    : digits.count > 1 && digits.hasPrefix("0") ? UInt64(digits.dropFirst(), radix: 8) : UInt64(digits)
                guard let v else { throw Refusal("the number '\(t)'") }
                return .number(v)
            }
            if ["asm", "__asm__", "__asm"].contains(t) { throw Refusal("inline asm") }
            if ["__typeof__", "typeof", "__builtin_offsetof"].contains(t) || t.hasPrefix("__atomic") || t.hasPrefix("__sync") {
                throw Refusal("'\(t)'")
            }
            guard let f = t.unicodeScalars.first, f == "_" || f.properties.isAlphabetic else { throw Refusal("'\(t)'") }
            return .ident(t)
        }
    }
}
