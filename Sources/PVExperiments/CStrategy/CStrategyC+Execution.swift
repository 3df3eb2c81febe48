import PVRuntime

extension CStrategyC {
    /// A value during symbolic execution.
    indirect enum Sym {
        case constant(UInt64, Int)
        /// A C litmus expression over the thread's registers, `size` bytes.
        case expr(String, Int)
        /// A load split over cells: (byte offset in the value, part).
        case parts([(Int, Sym)], Int)
        /// A pointer into the record: `elem` bytes per element (nil: the struct; 0: void).
        case record(offset: Int, elem: Int?, volatile: Bool)
        case local(Int)
        case none

        var size: Int {
            switch self {
            case let .constant(_, s), let .expr(_, s), let .parts(_, s): s
            default: 8
            }
        }
        var text: String? {
            switch self {
            case let .constant(v, _): "\(v)"
            case let .expr(e, _): e
            case let .parts(p, _) where p.count == 1 && p[0].0 == 0: p[0].1.text
            default: nil
            }
        }
    }

    enum Kind { case once, acquire, release, plain }
    /// A record lvalue or a local's.
    enum LValue { case record(Access, volatile: Bool), local(Int) }

    struct State {
        var env: [Int: Sym] = [:]
        var scope: [String: Int] = [:]
    }

    typealias Next = (State) throws -> [String]

    struct ThreadCode {
        var lines: [String]
        var registers: [(name: String, size: Int)]
        var retries: Bool
    }

    /// Inlines the writer's calls or the reader's into one thread's lines.
    /// `cells` nil: the first pass, which only collects the accesses.
    struct Executor {
        let unit: [String: Function]
        let record: SharedRecordKind
        let prefix: String
        let cells: [Access]?
        var accesses: [Access] = []
        var split = false
        var registers: [(name: String, size: Int)] = []
        var retried = false
        var nextID = 0
        var depth = 0
        var reading = false

        init(unit: [String: Function], record: SharedRecordKind, prefix: String, cells: [Access]?) {
            self.unit = unit
            self.record = record
            self.prefix = prefix
            self.cells = cells
        }

        var field: Access { record == .preempted ? Access(offset: 0, size: 4) : Access(offset: 8, size: 8) }

        mutating func thread(writer: String?, values: [UInt64], reader: String?, reads: Int) throws -> ThreadCode {
            registers = []
            retried = false
            reading = reader != nil
            var state = State()
            let base = Sym.record(offset: 0, elem: nil, volatile: false)
            let code: [String]
            if let writer {
                code = try calls(writer, values.map { [base, .constant($0, field.size)] }, state, result: nil)
            } else if let reader {
                let counter = fresh()
                state.env[counter] = .constant(0, 8)
                code = try calls(reader, Array(repeating: [base, .local(counter)], count: reads), state, result: 0)
            } else { code = [] }
            return ThreadCode(lines: code, registers: registers, retries: retried)
        }

        /// The calls one after the other; a reader's result `k` assigned to its locals.
        mutating func calls(_ name: String, _ args: [[Sym]], _ state: State, result: Int?) throws -> [String] {
            guard let a = args.first else { return [] }
            return try inline(name, a, state) { ex, st, v in
                var lines: [String] = []
                if let k = result, let cells = ex.cells {
                    for (n, c) in CStrategyC.results(k, ex.field, cells) {
                        let p = try ex.part(v ?? .none, from: c.offset - ex.field.offset, size: c.size)
                        guard let t = p.text else { throw Refusal("the reader's return value (not a value of the record)") }
                        lines.append("\(n) = \(t);")
                    }
                }
                return lines + (try ex.calls(name, Array(args.dropFirst()), st, result: result.map { $0 + 1 }))
            }
        }

        mutating func fresh() -> Int { nextID += 1; return nextID }

        mutating func inline(_ name: String, _ args: [Sym], _ state: State, _ k: @escaping (inout Executor, State, Sym?) throws -> [String]) throws -> [String] {
            guard let f = unit[name] else { throw Refusal("\(name) has no definition in the file") }
            guard f.params.count == args.count else { throw Refusal("\(name) called with \(args.count) arguments") }
            depth += 1
            defer { depth -= 1 }
            guard depth < 16 else { throw Refusal("\(name): calls nested 16 deep (recursion?)") }
            var st = state
            st.scope = [:]
            for ((t, n), a) in zip(f.params, args) {
                let id = fresh()
                st.env[id] = try convert(a, to: t)
                st.scope[n] = id
            }
            // Back in the caller: its names again, the callee's effects kept.
            let callerScope = state.scope
            let back: (inout Executor, State, Sym?) throws -> [String] = { ex, st, v in
                var st = st
                st.scope = callerScope
                return try k(&ex, st, v)
            }
            var frame = Frame(returning: back, loopEnd: nil)
            return try exec(f.body[...], st, &frame) { ex, st in try back(&ex, st, nil) }
        }

        struct Frame {
            var returning: (inout Executor, State, Sym?) throws -> [String]
            var loopEnd: ((inout Executor, State) throws -> [String])?
        }

        mutating func exec(_ stmts: ArraySlice<Stmt>, _ state: State, _ frame: inout Frame,
                           _ k: @escaping (inout Executor, State) throws -> [String]) throws -> [String] {
            guard let s = stmts.first else { return try k(&self, state) }
            let rest = stmts.dropFirst()
            let f = frame
            let next: (inout Executor, State) throws -> [String] = { ex, st in var fr = f; return try ex.exec(rest, st, &fr, k) }
            var st = state
            var lines: [String] = []
            switch s {
            case let .decl(t, name, e):
                let id = fresh()
                if case let .call(c, args)? = e, unit[c] != nil {
                    let values = try args.map { try eval($0, &st, &lines) }
                    return lines + (try inline(c, values, st) { ex, st, v in
                        var st = st
                        st.env[id] = try ex.convert(v ?? .none, to: t)
                        st.scope[name] = id
                        return try next(&ex, st)
                    })
                }
                st.env[id] = try e.map { try convert(try eval($0, &st, &lines), to: t) } ?? Sym.none
                st.scope[name] = id
            case let .expr(e):
                if case let .call(c, args) = e, unit[c] != nil {
                    let values = try args.map { try eval($0, &st, &lines) }
                    return lines + (try inline(c, values, st) { ex, st, _ in try next(&ex, st) })
                }
                _ = try eval(e, &st, &lines)
            case let .ifElse(c, a, b):
                let v = try eval(c, &st, &lines)
                if case let .constant(n, _) = v {
                    let chosen = n != 0 ? [a] : b.map { [$0] } ?? []
                    return lines + (try exec(chosen[...], st, &frame, next))
                }
                guard let cond = v.text else { throw Refusal("an if on a split value") }
                let yes = try exec([a][...], st, &frame, next)
                let no = try exec((b.map { [$0] } ?? [])[...], st, &frame, next)
                return lines + ["if (\(cond)) {"] + yes.map { "\t" + $0 } + ["} else {"] + no.map { "\t" + $0 } + ["}"]
            case let .block(b):
                let outer = st.scope
                return try exec(b[...], st, &frame) { ex, inner in
                    var st = inner
                    st.scope = outer
                    return try next(&ex, st)
                }
            case let .forever(body):
                guard reading else { throw Refusal("a loop in the writer (only a reader's retry loop is translated, as one attempt)") }
                guard frame.loopEnd == nil else { throw Refusal("a loop inside a loop") }
                var inner = frame
                let end: (inout Executor, State) throws -> [String] = { ex, _ in
                    ex.retried = true
                    return ["retried = 1;"]
                }
                inner.loopEnd = end
                return try exec([body][...], st, &inner, end)
            case .next:
                guard let end = frame.loopEnd else { throw Refusal("continue outside a loop") }
                return try end(&self, st)
            case let .ret(e):
                if case let .call(c, args)? = e, unit[c] != nil {
                    let values = try args.map { try eval($0, &st, &lines) }
                    return lines + (try inline(c, values, st, f.returning))
                }
                let v = try e.map { try eval($0, &st, &lines) }
                return lines + (try frame.returning(&self, st, v))
            }
            return lines + (try next(&self, st))
        }

        // MARK: values

        func convert(_ v: Sym, to t: CType) throws -> Sym {
            if t.pointers > 0 {
                let elem: Int?
                switch (t.pointers, t.base) {
                case (2..., _): elem = 8
                case (_, .record): elem = nil
                case (_, .void): elem = 0
                case let (_, .int(s)): elem = s
                case let (_, .other(n)): throw Refusal("a pointer to \(n)")
                }
                switch v {
                case let .record(o, _, vol): return .record(offset: o, elem: elem, volatile: vol || t.volatilePointee)
                case .local: return v
                case .constant(0, _): throw Refusal("a null pointer")
                default: throw Refusal("an integer used as a pointer")
                }
            }
            switch t.base {
            case .void: return .none
            case let .int(s): return try part(v, from: 0, size: s)
            default: throw Refusal("a value of a struct type")
            }
        }

        /// Bytes `[from, from + size)` of a value (a cast, a shift by whole cells).
        func part(_ v: Sym, from: Int, size: Int) throws -> Sym {
            switch v {
            case let .constant(n, s):
                let shifted = from >= 8 ? 0 : n >> UInt64(from * 8)
                return .constant(size >= 8 ? shifted : shifted & ((1 << UInt64(size * 8)) - 1), min(size, max(s - from, 1)))
            case let .expr(e, s):
                // The first pass loads whole: what the split would make of it is decided in the second.
                if from == 0, size >= s || cells == nil { return v }
                if cells == nil { return .expr(e, min(size, max(s - from, 1))) }
                throw Refusal("bytes \(from)..<\(from + size) of a \(s)-byte loaded value (LKMM values have no shifts or truncation here)")
            case let .parts(ps, s):
                let inside = ps.filter { $0.0 >= from && $0.0 + $0.1.size <= from + size }
                guard inside.reduce(0, { $0 + $1.1.size }) == min(size, s - from) else {
                    throw Refusal("bytes \(from)..<\(from + size) of a split load cut across its cells")
                }
                return .parts(inside.map { ($0.0 - from, $0.1) }, min(size, s - from))
            case .none: throw Refusal("a value the code never sets")
            default: throw Refusal("a pointer used as an integer")
            }
        }

        func lookup(_ n: String, _ st: State) throws -> Int {
            guard let id = st.scope[n] else { throw Refusal("'\(n)' (not a local or parameter)") }
            return id
        }

        mutating func lvalue(_ e: Expr, _ st: inout State, _ lines: inout [String]) throws -> LValue {
            switch e {
            case let .ident(n): return .local(try lookup(n, st))
            case let .unary("*", p):
                switch try eval(p, &st, &lines) {
                case let .record(o, elem?, vol) where elem > 0: return .record(Access(offset: o, size: elem), volatile: vol)
                case let .local(id): return .local(id)
                default: throw Refusal("a dereference of a void or struct pointer")
                }
            case let .index(p, i):
                guard case let .record(o, elem?, vol) = try eval(p, &st, &lines), elem > 0,
                      case let .constant(n, _) = try eval(i, &st, &lines) else { throw Refusal("an index other than a constant into the record") }
                return .record(Access(offset: o + Int(n) * elem, size: elem), volatile: vol)
            case let .member(p, name, arrow: true):
                guard case let .record(o, nil, vol) = try eval(p, &st, &lines) else { throw Refusal("'->\(name)' on a pointer other than the record") }
                guard let f = fields[name] else { throw Refusal("the field '\(name)' of \(record)") }
                return .record(Access(offset: o + f.offset, size: f.size), volatile: vol)
            default: throw Refusal("an assignment to an expression other than a local or the record")
            }
        }

        var fields: [String: (offset: Int, size: Int)] {
            record == .preempted ? ["preempted": (0, 4), "padding": (4, 60)]
                : ["revision": (0, 4), "attributes": (4, 4), "stolen_time": (8, 8), "padding": (16, 48)]
        }

        mutating func register(_ size: Int) -> String {
            let n = "t\(registers.count)"
            registers.append((n, size))
            return n
        }

        func cover(_ a: Access) throws -> [Access] {
            guard let cells else { return [a] }
            return cells.filter(a.covers)
        }

        mutating func load(_ a: Access, _ kind: Kind, _ lines: inout [String]) throws -> Sym {
            accesses.append(a)
            let cs = try cover(a)
            if cs.count > 1, kind != .once { throw Refusal("a \(kind == .plain ? "plain" : "acquire") \(a.size)-byte load over \(cs.count) cells (offset \(a.offset)): only a READ_ONCE is split") }
            if cs.count > 1 { split = true }
            var parts: [(Int, Sym)] = []
            for c in cs {
                let r = register(c.size), v = CStrategyC.variable(prefix, c)
                lines.append(kind == .acquire ? "\(r) = smp_load_acquire(\(v));" : kind == .once ? "\(r) = READ_ONCE(*\(v));" : "\(r) = *\(v);")
                parts.append((c.offset - a.offset, .expr(r, c.size)))
            }
            return cs.count == 1 ? parts[0].1 : .parts(parts, a.size)
        }

        mutating func store(_ a: Access, _ kind: Kind, _ value: Sym, _ lines: inout [String]) throws {
            accesses.append(a)
            let cs = try cover(a)
            guard cs.count == 1 else { throw Refusal("a \(a.size)-byte store at offset \(a.offset) over \(cs.count) cells (LKMM has no mixed sizes)") }
            guard let t = try part(value, from: 0, size: a.size).text else { throw Refusal("a store of a split value") }
            let v = CStrategyC.variable(prefix, cs[0])
            lines.append(kind == .release ? "smp_store_release(\(v), \(t));" : kind == .once ? "WRITE_ONCE(*\(v), \(t));" : "*\(v) = \(t);")
        }

        mutating func assign(_ lv: LValue, _ v: Sym, _ kind: Kind?, _ st: inout State, _ lines: inout [String]) throws {
            switch lv {
            case let .local(id): st.env[id] = v
            case let .record(a, vol): try store(a, kind ?? (vol ? .once : .plain), v, &lines)
            }
        }

        mutating func read(_ lv: LValue, _ kind: Kind?, _ st: State, _ lines: inout [String]) throws -> Sym {
            switch lv {
            case let .local(id): return st.env[id] ?? .none
            case let .record(a, vol): return try load(a, kind ?? (vol ? .once : .plain), &lines)
            }
        }

        static let barriers = ["smp_mb": "smp_mb();", "smp_rmb": "smp_rmb();", "smp_wmb": "smp_wmb();", "barrier": "barrier();", "cpu_relax": "barrier();"]

        mutating func eval(_ e: Expr, _ st: inout State, _ lines: inout [String]) throws -> Sym {
            switch e {
            case let .number(n): return .constant(n, n > UInt64(UInt32.max) ? 8 : 4)
            case let .ident(n): return st.env[try lookup(n, st)] ?? .none
            case let .cast(t, x): return try convert(try eval(x, &st, &lines), to: t)
            case let .member(_, name, arrow: true):
                if name == "padding", case let .record(a, vol) = try lvalue(e, &st, &lines) {
                    return .record(offset: a.offset, elem: 1, volatile: vol)
                }
                return try read(try lvalue(e, &st, &lines), nil, st, &lines)
            case .member: throw Refusal("'.' member access")
            case .index: return try read(try lvalue(e, &st, &lines), nil, st, &lines)
            case let .unary(op, x):
                switch op {
                case "*": return try read(try lvalue(e, &st, &lines), nil, st, &lines)
                case "&":
                    switch try lvalue(x, &st, &lines) {
                    case let .record(a, vol): return .record(offset: a.offset, elem: a.size, volatile: vol)
                    case let .local(id): return .local(id)
                    }
                default:
                    let v = try eval(x, &st, &lines)
                    if case let .constant(n, s) = v {
                        let mask: UInt64 = s >= 8 ? ~0 : (1 << UInt64(s * 8)) - 1
                        return .constant(op == "!" ? (n == 0 ? 1 : 0) : op == "~" ? ~n & mask : (0 &- n) & mask, op == "!" ? 4 : s)
                    }
                    guard op == "!", let t = v.text else { throw Refusal("'\(op)' of a loaded value") }
                    return .expr("(\(t) == 0)", 4)
                }
            case let .binary(op, a, b):
                return try binary(op, try eval(a, &st, &lines), try eval(b, &st, &lines))
            case let .assign(op, l, r):
                let lv = try lvalue(l, &st, &lines)
                var v = try eval(r, &st, &lines)
                if op != "=" { v = try binary(String(op.dropLast()), try read(lv, nil, st, &lines), v) }
                try assign(lv, v, nil, &st, &lines)
                return v
            case let .call(f, args):
                switch (f, args.count) {
                case ("READ_ONCE", 1): return try read(try lvalue(args[0], &st, &lines), .once, st, &lines)
                case ("WRITE_ONCE", 2):
                    let lv = try lvalue(args[0], &st, &lines)
                    try assign(lv, try eval(args[1], &st, &lines), .once, &st, &lines)
                    return .none
                case ("smp_load_acquire", 1): return try read(try lvalue(.unary("*", args[0]), &st, &lines), .acquire, st, &lines)
                case ("smp_store_release", 2):
                    let lv = try lvalue(.unary("*", args[0]), &st, &lines)
                    try assign(lv, try eval(args[1], &st, &lines), .release, &st, &lines)
                    return .none
                case let (b, 0) where Self.barriers[b] != nil:
                    lines.append(Self.barriers[b]!)
                    return .none
                default:
                    guard let fn = unit[f], fn.body.count == 1, case let .ret(r?) = fn.body[0], fn.params.count == args.count else {
                        throw Refusal(unit[f] == nil ? "a call of \(f) (not a kernel primitive LKMM models, nor defined in the file)" : "a call of \(f) inside an expression")
                    }
                    var inner = State(env: st.env, scope: [:])
                    for ((t, n), a) in zip(fn.params, args) {
                        let id = fresh()
                        inner.env[id] = try convert(try eval(a, &st, &lines), to: t)
                        inner.scope[n] = id
                    }
                    let v = try eval(r, &inner, &lines)
                    for (id, x) in inner.env where st.env[id] != nil { st.env[id] = x }
                    return v
                }
            }
        }

        func binary(_ op: String, _ a: Sym, _ b: Sym) throws -> Sym {
            if case let .constant(x, s) = a, case let .constant(y, t) = b {
                let size = max(s, t), mask: UInt64 = size >= 8 ? ~0 : (1 << UInt64(size * 8)) - 1
                let v: UInt64? = switch op {
                case "+": x &+ y; case "-": x &- y; case "*": x &* y
                case "/": y == 0 ? nil : x / y; case "%": y == 0 ? nil : x % y
                case "&": x & y; case "|": x | y; case "^": x ^ y
                case "<<": y >= 64 ? 0 : x << y; case ">>": y >= 64 ? 0 : x >> y
                case "==": x == y ? 1 : 0; case "!=": x != y ? 1 : 0; case "<": x < y ? 1 : 0
                case ">": x > y ? 1 : 0; case "<=": x <= y ? 1 : 0; case ">=": x >= y ? 1 : 0
                case "&&": x != 0 && y != 0 ? 1 : 0; case "||": x != 0 || y != 0 ? 1 : 0
                default: nil
                }
                guard let v else { throw Refusal("'\(op)' of \(x) and \(y)") }
                return .constant(["==", "!=", "<", ">", "<=", ">=", "&&", "||"].contains(op) ? v : v & mask, size)
            }
            if op == ">>", case let .constant(n, _) = b, n % 8 == 0 { return try part(a, from: Int(n / 8), size: a.size - Int(n / 8)) }
            guard ["+", "-", "*", "/", "&", "|", "^", "==", "!=", "<", ">", "<=", ">="].contains(op) else {
                throw Refusal("'\(op)' of a loaded value (not in LKMM's C)")
            }
            guard let x = a.text, let y = b.text else { throw Refusal("'\(op)' of a split value") }
            let compare = ["==", "!=", "<", ">", "<=", ">="].contains(op)
            return .expr("(\(x) \(op) \(y))", compare ? 4 : max(a.size, b.size))
        }
    }
}
