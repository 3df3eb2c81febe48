/// A C litmus test written as the C file a compiler is given: the kernel's
/// primitives header, then one function per thread,
/// `void P0(int *x, int *y, int *P0_r0)`, whose parameters are the
/// thread's own followed by one result location per local the test
/// observes (condition, `locations`, `filter`). The last thing a thread
/// does is store each observed local to its result location, so that the
/// lifted program names it back as a location (`P0_r0`): one pointer per
/// local keeps every result store a plain store through its own argument
/// register, with no offset to decode.
public struct CompiledSource: Sendable {
    /// The C text.
    public var text: String
    /// Per thread: the argument list, in register order — the thread's
    /// parameters (globals) then its result locations.
    public var arguments: [[String]]
    /// The result location of each observed local: `(thread, local)` → `P0_r0`.
    public var results: [CObservable: String]

    public static func resultName(thread: Int, local: String) -> String { "P\(thread)_\(local)" }

    /// The scalar types a compiled test's shared variables may have (the
    /// header's typedefs), with the type herd7's AArch64 litmus declares for
    /// a location of that type: `int` as `int`, the others by width and sign.
    public static let scalarTypes: [String: String] = [
        "int": "int", "s32": "int32_t", "int32_t": "int32_t", "u32": "uint32_t", "uint32_t": "uint32_t",
        "long": "int64_t", "intptr_t": "int64_t", "s64": "int64_t", "int64_t": "int64_t",
        "uintptr_t": "uint64_t", "u64": "uint64_t", "uint64_t": "uint64_t",
    ]

    public init(_ test: CLitmusTest, arch: CompileTarget.Arch) throws {
        var observed: [CObservable] = test.condition.proposition.observables + test.locations + (test.filter?.observables ?? [])
        func values(_ p: CProposition) {
            switch p {
            case let .equals(_, .observable(o)): observed.append(o)
            case let .not(q): values(q)
            case let .and(qs), let .or(qs): qs.forEach(values)
            case let .implies(a, b): values(a); values(b)
            default: break
            }
        }
        values(test.condition.proposition)
        if let f = test.filter { values(f) }
        for i in test.initializations {
            if i.thread != nil { throw ModelError.notModelled("the initial value of the register \(i.thread!):\(i.name) (a compiled thread starts from its arguments)") }
            if let t = i.type, t.pointerDepth > 0 || i.arrayCount != nil || CompiledSource.scalarTypes[t.base] == nil {
                throw ModelError.notModelled("the global '\(i.name)' of type \(t)\(i.arrayCount.map { "[\($0)]" } ?? "") (compiled tests take int, long and the fixed-width integer types)")
            }
            if case .address? = i.value { throw ModelError.notModelled("'\(i.name)' holds a pointer in memory") }
        }
        var out = PrimitivesHeader.text(for: arch) + "\n"
        var arguments: [[String]] = []
        var results: [CObservable: String] = [:]
        for t in test.threads {
            let locals = t.locals
            var mine: [(String, CType)] = []
            // herd7 takes a register the thread assigns or the condition reads without a
            // declaration as an int starting at 0; C needs the declaration.
            var undeclared: [String] = []
            func assigned(_ ss: [CStatement]) {
                for st in ss {
                    switch st.kind {
                    case let .assignment(n, _): if !locals.contains(where: { $0.name == n }), !t.parameters.contains(where: { $0.name == n }), !undeclared.contains(n) { undeclared.append(n) }
                    case let .block(b), let .whileLoop(_, b): assigned(b)
                    case let .ifElse(_, a, b): assigned(a); assigned(b ?? [])
                    default: break
                    }
                }
            }
            assigned(t.body)
            for case let .local(thread, name) in observed where thread == t.index && !mine.contains(where: { $0.0 == name }) {
                if !locals.contains(where: { $0.name == name }), !undeclared.contains(name) { undeclared.append(name) }
                mine.append((name, locals.first { $0.name == name }?.type ?? .int))
                results[.local(thread: thread, name: name)] = Self.resultName(thread: thread, local: name)
            }
            var params = t.parameters.map { "\($0.type) \($0.name)" }
            for p in t.parameters where p.type.base == "spinlock_t" || p.type.base == "struct srcu_struct" {
                throw ModelError.notModelled("'\(p.type) \(p.name)' of P\(t.index): locks and SRCU are not compiled (the kernel's spin_lock slow path and SRCU are calls into the kernel, which a compiled test cannot make)")
            }
            for p in t.parameters where p.type.pointerDepth != 1 || Self.scalarTypes[p.type.base] == nil {
                throw ModelError.notModelled("the parameter '\(p.type) \(p.name)' of P\(t.index) (compiled tests take int, long and the fixed-width integer types)")
            }
            params += mine.map { "\($0.1) *\(Self.resultName(thread: t.index, local: $0.0))" }
            arguments.append(t.parameters.map(\.name) + mine.map { Self.resultName(thread: t.index, local: $0.0) })
            out += "void P\(t.index)(\(params.joined(separator: ", ")))\n{\n"
            // herd7's registers are the thread's, wherever declared: every local is
            // declared at the top (starting at 0), a declaration in the body is an assignment.
            var declared: [String] = []
            for l in locals where !declared.contains(l.name) {
                declared.append(l.name)
                out += "\t\(l.type) \(l.name) = 0;\n"
            }
            for n in undeclared { out += "\tint \(n) = 0;\n" }
            for s in t.body { out += try Self.statement(s, indent: "\t") }
            for (n, _) in mine { out += "\t*\(Self.resultName(thread: t.index, local: n)) = \(n);\n" }
            out += "}\n\n"
        }
        self.text = out
        self.arguments = arguments
        self.results = results
    }

    private static func statement(_ s: CStatement, indent: String) throws -> String {
        switch s.kind {
        case let .declaration(_, n, e):
            return try e.map { "\(indent)\(n) = \(try expression($0));\n" } ?? ""
        case let .assignment(n, e): return "\(indent)\(n) = \(try expression(e));\n"
        case let .store(a, v): return "\(indent)*\(try atom(a)) = \(try expression(v));\n"
        case let .expression(e): return "\(indent)\(try expression(e));\n"
        case let .block(b): return "\(indent){\n" + (try b.map { try statement($0, indent: indent + "\t") }.joined()) + "\(indent)}\n"
        case let .ifElse(c, a, b):
            var o = "\(indent)if (\(try expression(c))) {\n" + (try a.map { try statement($0, indent: indent + "\t") }.joined()) + "\(indent)}"
            if let b { o += " else {\n" + (try b.map { try statement($0, indent: indent + "\t") }.joined()) + "\(indent)}" }
            return o + "\n"
        case let .whileLoop(c, b):
            // The compiled loop is a backward branch, unrolled by the checker as herd7 -unroll does.
            return "\(indent)while (\(try expression(c))) {\n" + (try b.map { try statement($0, indent: indent + "\t") }.joined()) + "\(indent)}\n"
        }
    }

    private static func atom(_ e: CExpression) throws -> String {
        switch e {
        case .integer, .variable, .call: return try expression(e)
        default: return "(\(try expression(e)))"
        }
    }

    private static func expression(_ e: CExpression) throws -> String {
        switch e {
        case let .integer(v): return "\(v)"
        case let .variable(n): return n
        case let .load(a): return "*\(try atom(a))"
        case let .binary(op, a, b): return "(\(try expression(a)) \(op.rawValue) \(try expression(b)))"
        case let .cast(t, a): return "(\(t))\(try atom(a))"
        case let .call(c):
            guard c.annotations.isEmpty, PrimitivesHeader.primitives.contains(c.name) else {
                throw ModelError.notModelled("\(c.name) at line \(c.line) (the compiled header defines \(PrimitivesHeader.primitives.sorted().joined(separator: " ")))")
            }
            return "\(c.name)(\(try c.arguments.map(expression).joined(separator: ", ")))"
        }
    }
}
