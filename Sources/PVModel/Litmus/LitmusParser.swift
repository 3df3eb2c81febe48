/// herd7 litmus text → `Program`, for the subset in docs/model.md:
/// AArch64, X86 (Intel syntax) and X86_64 (AT&T syntax), a typed init
/// block, `locations [...]`, and `exists` / `~exists` / `forall`
/// conditions. Anything else is a `LitmusError` naming line and token.
public enum LitmusParser {
    public static func parse(_ text: String) throws -> Program {
        let src = try LitmusSource(text)
        let syntax: any AssemblySyntax.Type
        switch src.architecture {
        case "AArch64": syntax = AArch64Syntax.self
        case "X86": syntax = X86Syntax.self
        case "X86_64": syntax = X86_64Syntax.self
        default:
            throw LitmusError(line: src.headerLine, token: src.architecture, "unsupported architecture (AArch64, X86, X86_64)")
        }
        var b = Builder(syntax: syntax, threads: src.threadCount)
        try b.initBlock(src.initBlock)
        // Code: labels first, then instructions.
        for t in 0 ..< src.threadCount {
            var labels: [String: Int] = [:]
            var cells: [(Int, String)] = []
            for row in src.rows {
                var cell = row.columns[t]
                if let colon = cell.firstIndex(of: ":"), cell[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
                   !cell[..<colon].isEmpty, syntax.architecture != .x86_64 || !cell.hasPrefix("%") {
                    let label = String(cell[..<colon])
                    if labels[label] != nil { throw LitmusError(line: row.number, token: label, "label defined twice") }
                    labels[label] = cells.count
                    cell = String(cell[cell.index(after: colon)...]).trimmingWhitespace()
                }
                if !cell.isEmpty { cells.append((row.number, cell)) }
            }
            var code: [Instruction] = []
            b.thread = t
            for (i, (line, cell)) in cells.enumerated() {
                let toks = try tokenize([LitmusSource.Line(number: line, text: cell)])
                if let ins = try syntax.lower(toks, line: line, index: i, labels: labels, builder: &b) { code.append(ins) } else {
                    code.append(.branch(.always, target: i + 1))  // NOP
                }
            }
            b.threads[t].instructions = code
        }
        // Tail: locations [...] then the condition.
        let lastText = src.tail.last { !$0.text.allSatisfy(\.isWhitespace) }
        var ts = TokenStream(tokens: try tokenize(src.tail), endLine: lastText?.number ?? src.headerLine)
        let observed = try PropositionSyntax.locations(&ts) { try b.observable($0, &$1) }
        if ts.peek?.text == "filter" { throw LitmusError(line: ts.peek!.line, token: "filter", "filter is not supported") }
        let q = try PropositionSyntax.quantifier(&ts)
        let prop = try b.proposition(&ts)
        _ = ts.accept(";")  // herd7 reads `exists (...);` too
        if let extra = ts.peek { throw LitmusError(line: extra.line, token: extra.text, "unexpected token after the condition") }
        return Program(name: src.name, architecture: syntax.architecture, locations: b.locations, threads: b.threads,
                       initialMemory: b.memory, condition: Condition(q, prop), observed: observed)
    }
}

/// Per-architecture instruction syntax.
protocol AssemblySyntax {
    static var architecture: Architecture { get }
    /// Register index and width in bytes, or nil.
    static func register(_ name: String) -> (index: Int, bytes: Int)?
    /// herd7's printed name of a register.
    static func name(ofRegister r: Int) -> String
    /// One instruction; nil for a NOP.
    static func lower(_ tokens: [Token], line: Int, index: Int, labels: [String: Int], builder: inout Builder) throws -> Instruction?
}

/// Accumulates locations, init values and threads while parsing.
struct Builder {
    let syntax: any AssemblySyntax.Type
    var locations: [Location] = []
    var declared: Set<String> = []
    /// Registers given a type or a value in the init block: herd7 refuses a second one.
    var initialised: Set<String> = []
    var memory: [String: [UInt64]] = [:]
    var threads: [ProgramThread]
    /// The thread whose code is being lowered.
    var thread = 0

    init(syntax: any AssemblySyntax.Type, threads n: Int) {
        self.syntax = syntax
        threads = Array(repeating: ProgramThread(instructions: []), count: n)
    }

    /// The index of a location, declaring it as `int` on first use (herd7's default).
    mutating func location(_ name: String, line: Int) throws -> Int {
        if let i = locations.firstIndex(where: { $0.name == name }) { return i }
        guard let f = name.first, f.isLetter || f == "_", name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw LitmusError(line: line, token: name, "not a location name")
        }
        locations.append(Location(name: name))
        return locations.count - 1
    }

    /// `P:REG` → (thread, register).
    func register(_ t: Token) throws -> (Int, Int)? {
        let parts = t.text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let p = Int(parts[0]) else { return nil }
        guard p >= 0, p < threads.count else { throw LitmusError(line: t.line, token: t.text, "no processor P\(p)") }
        guard let r = syntax.register(String(parts[1])) else { throw LitmusError(line: t.line, token: t.text, "unknown register") }
        return (p, r.index)
    }

    mutating func value(_ t: Token) throws -> Value {
        if let v = try HerdInteger.value(t) { return Value(bits: v) }
        return Value(location: try location(t.text, line: t.line))
    }

    mutating func initBlock(_ lines: [LitmusSource.Line]) throws {
        var ts = TokenStream(tokens: try tokenize(lines), endLine: lines.last?.number ?? 1)
        while let t = ts.peek {
            if ts.accept(";") { continue }
            _ = ts.next()
            var type: ValueType?
            var target = t
            if let ty = ValueType.named(t.text) {
                type = ty
                target = try ts.word("a location or register after the type")
                if target.text == "*" { throw LitmusError(line: target.line, token: "*", "pointer types are not supported") }
            } else if ["int64", "intptr_t", "uintptr_t", "char*", "int*", "__int128", "uint128_t", "atomic_int"].contains(t.text) {
                throw LitmusError(line: t.line, token: t.text, "unsupported type")
            }
            if let (p, r) = try register(target) {
                guard initialised.insert("\(p):\(r)").inserted else {
                    throw LitmusError(line: target.line, token: target.text, "register initialised more than once (herd7 refuses it; give type and value in one binding)")
                }
                if let ty = type { threads[p].registerTypes[r] = ty }
                if ts.accept("=") {
                    var v = try value(try ts.word("a value"))
                    // herd7 keeps a typed register's value at its type's width.
                    if v.location == nil, let ty = type { v.bits = ty.truncate(v.bits) }
                    threads[p].initialRegisters[r] = v
                }
            } else {
                guard !declared.contains(target.text) else { throw LitmusError(line: target.line, token: target.text, "location declared twice") }
                let l = try location(target.text, line: target.line)
                declared.insert(target.text)
                if let ty = type { locations[l].type = ty }
                if ts.accept("[") {
                    let n = try ts.word("an array size")
                    // Up to two cache lines: enough for an access that crosses a line boundary.
                    guard let k = Int(n.text), k > 0, k * locations[l].type.bytes <= 128 else {
                        throw LitmusError(line: n.line, token: n.text, "array size must be 1 ... 128 bytes in total")
                    }
                    locations[l].count = k
                    try ts.expect("]")
                }
                if ts.accept("=") {
                    var values: [Token] = []
                    if ts.accept("{") {
                        repeat { values.append(try ts.word("a value")) } while ts.accept(",")
                        try ts.expect("}")
                    } else {
                        values.append(try ts.word("a value"))
                    }
                    guard values.count <= locations[l].count else {
                        throw LitmusError(line: values[0].line, token: values.last!.text, "more initial values than elements")
                    }
                    memory[target.text] = try values.map { v in
                        guard let bits = try HerdInteger.value(v) else {
                            throw LitmusError(line: v.line, token: v.text, "initial memory must be an integer (pointers in memory are not supported)")
                        }
                        return locations[l].type.truncate(bits)
                    }
                }
            }
            if let n = ts.peek, n.text != ";" { throw LitmusError(line: n.line, token: n.text, "expected ';' in the init block") }
        }
    }

    mutating func observable(_ w: Token, _ ts: inout TokenStream) throws -> Observable {
        if w.text == "[" {
            let n = try ts.word("a location")
            try ts.expect("]")
            _ = try location(n.text, line: n.line)
            return .memory(location: n.text, element: nil)
        }
        if let (p, r) = try register(w) { return .register(thread: p, register: r) }
        let l = try location(w.text, line: w.line)
        if ts.accept("[") {
            let i = try ts.word("an index")
            guard let k = Int(i.text), k >= 0, k < locations[l].count else {
                throw LitmusError(line: i.line, token: i.text, "index out of the array '\(w.text)'")
            }
            try ts.expect("]")
            return .memory(location: w.text, element: k)
        }
        guard locations[l].count == 1 else {
            throw LitmusError(line: w.line, token: w.text, "a whole array cannot be observed; name an element")
        }
        return .memory(location: w.text, element: nil)
    }

    mutating func proposition(_ ts: inout TokenStream) throws -> Proposition {
        try PropositionSyntax.parse(&ts) { try self.atom(&$0) }
    }

    /// An atom: `observable = value` or `observable != value`.
    private mutating func atom(_ ts: inout TokenStream) throws -> Proposition {
        let w = try PropositionSyntax.observableWord(&ts)
        let o = try observable(w, &ts)
        let negated = try PropositionSyntax.relation(&ts, after: w)
        let v = try PropositionSyntax.valueWord(&ts)
        var value = try value(v)
        if value.location == nil {
            let ty: ValueType
            switch o {
            case let .register(t, r): ty = threads[t].registerTypes[r] ?? .int
            case let .memory(l, _): ty = locations[locations.firstIndex { $0.name == l }!].type
            }
            value.bits = ty.truncate(value.bits)
        }
        return negated ? .not(.equals(o, value)) : .equals(o, value)
    }
}
