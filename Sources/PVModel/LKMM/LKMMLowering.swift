/// A C litmus test → the `Program` the checker decides under `lkmm`: each
/// kernel primitive replaced by what the kernel's `linux-kernel.def` makes
/// of it (herd7 7.57, herd-www/linux/linux-kernel.def), e.g.
///
///     READ_ONCE(X)            __load{once}(X)
///     smp_store_release(X,V)  __store{release}(*X,V)
///     smp_store_mb(X,V)       __store{once}(X,V); __fence{mb};
///     xchg_acquire(X,V)       __xchg{acquire}(X,V)
///     atomic_inc(X)           __atomic_op(X,+,1)
///     atomic_dec_and_test(X)  __atomic_op_return{mb}(X,-,1) == 0
///
/// A primitive or construct this lowering does not model (`spin_is_locked`,
/// loops, `filter`, …) is refused by name (`ModelError.notModelled`), never guessed.
public enum LKMMLowering {
    public static func program(_ test: CLitmusTest) throws -> Program {
        var l = Lowerer(test: test)
        return try l.lower()
    }
}

private struct Lowerer {
    let test: CLitmusTest
    var locations: [Location] = []
    var registers: [[String]] = []
    var registerTypes: [[Int: ValueType]] = []

    init(test: CLitmusTest) { self.test = test }

    func refuse(_ what: String, line: Int? = nil) -> ModelError {
        .notModelled(line.map { "\(what) (line \($0))" } ?? what)
    }

    func valueType(_ t: CType, line: Int?) throws -> ValueType {
        if t.pointerDepth > 0 { return ValueType(bytes: 8, signed: false) }
        if ["atomic_t", "spinlock_t", "struct srcu_struct"].contains(t.base) { return .int }
        if t.base == "intptr_t" || t.base == "uintptr_t" { return ValueType(bytes: 8, signed: t.base == "intptr_t") }
        guard let v = ValueType.named(t.base) else { throw refuse("type '\(t.base)'", line: line) }
        return v
    }

    func location(_ name: String) -> Int? { locations.firstIndex { $0.name == name } }

    mutating func lower() throws -> Program {
        // Shared locations: their type from the init block, else from a parameter (one `*` less).
        for name in test.globalNames {
            var type = ValueType.int
            var count = 1
            if let i = test.initializations.first(where: { $0.thread == nil && $0.name == name }) {
                if let t = i.type { type = try valueType(t, line: i.line) }
                if let n = i.arrayCount { count = n }
                if case .address = i.value, i.type == nil { type = ValueType(bytes: 8, signed: false) }
            } else if let p = test.threads.lazy.flatMap(\.parameters).first(where: { $0.name == name }) {
                guard p.type.pointerDepth > 0 else { throw refuse("a parameter '\(name)' that is not a pointer") }
                var t = p.type
                t.pointerDepth -= 1
                type = try valueType(t, line: nil)
            }
            if count != 1 { throw refuse("the array '\(name)'") }
            // herd7's C memory is untyped: an `int` may hold a pointer (`WRITE_ONCE(*z, x)`), so
            // shared integers get 8-byte cells, keeping their sign; pointers stay 8-byte unsigned.
            if type.bytes < 8 { type = ValueType(bytes: 8, signed: type.signed) }
            locations.append(Location(name: name, type: type, count: count))
        }
        // herd7 makes a location of a name the init block only takes the address of (`y=a;`).
        for i in test.initializations {
            if case let .address(of: n)? = i.value, location(n) == nil { locations.append(Location(name: n)) }
        }
        var memory: [String: [UInt64]] = [:]
        for i in test.initializations where i.thread == nil {
            switch i.value {
            case nil: break
            case let .integer(v)?: memory[i.name] = [UInt64(bitPattern: v)]
            case let .address(of: n)?:
                guard let l = location(n) else { throw refuse("the address of '\(n)', which is not a shared location", line: i.line) }
                memory[i.name] = [LKMMPointer.encode(Value(location: l))]
            case .integers?: throw refuse("the array '\(i.name)'", line: i.line)
            }
        }
        // Threads: locals become registers, numbered in order of declaration.
        var threads: [ProgramThread] = []
        var lowered: [LKMMThread] = []
        for t in test.threads {
            registers.append([])
            registerTypes.append([:])
            for (name, type) in t.locals where !registers[t.index].contains(name) {
                registerTypes[t.index][registers[t.index].count] = try valueType(type, line: t.line)
                registers[t.index].append(name)
            }
            var initial: [Int: Value] = [:]
            for i in test.initializations where i.thread == t.index {
                let r = register(t.index, i.name)
                if let type = i.type { registerTypes[t.index][r] = try valueType(type, line: i.line) }
                switch i.value {
                case nil: break
                case let .integer(v)?: initial[r] = Value(bits: UInt64(bitPattern: v))
                case let .address(of: n)?:
                    guard let l = location(n) else { throw refuse("the address of '\(n)'", line: i.line) }
                    initial[r] = Value(location: l)
                case .integers?: throw refuse("an array register", line: i.line)
                }
            }
            let body = try statements(t.body, thread: t.index)
            lowered.append(LKMMThread(body: body, registerNames: registers[t.index]))
            threads.append(ProgramThread(instructions: [], initialRegisters: initial, registerTypes: registerTypes[t.index]))
        }
        // herd7 names a test `C NAME.litmus` NAME.
        let name = test.name.hasSuffix(".litmus") ? String(test.name.dropLast(7)) : test.name
        var program = Program(name: name, architecture: .c, locations: locations, threads: threads, initialMemory: memory,
                              condition: Condition(.exists, .constant(true)))
        program.lkmmThreads = lowered
        program.observed = try test.locations.map { try observable($0) }
        let q = test.condition.quantifier
        program.condition = Condition(q, try proposition(test.condition.proposition, program))
        program.filter = try test.filter.map { try proposition($0, program) }
        return program
    }

    mutating func register(_ t: Int, _ name: String) -> Int {
        if let r = registers[t].firstIndex(of: name) { return r }
        registers[t].append(name)
        return registers[t].count - 1
    }

    // MARK: condition

    func observable(_ o: CObservable) throws -> Observable {
        switch o {
        case let .local(t, name):
            guard t < registers.count, let r = registers[t].firstIndex(of: name) else { throw refuse("the condition's '\(t):\(name)', not a local of P\(t)") }
            return .register(thread: t, register: r)
        case let .global(name, element):
            guard location(name) != nil else { throw refuse("the condition's '\(name)', not a shared location") }
            return .memory(location: name, element: element)
        }
    }

    func proposition(_ p: CProposition, _ program: Program) throws -> Proposition {
        switch p {
        case let .equals(o, v):
            let obs = try observable(o)
            switch v {
            case let .integer(i): return .equals(obs, Value(bits: ModelChecker.type(program, obs).truncate(UInt64(bitPattern: i))))
            case let .address(of: n):
                guard let l = location(n) else { throw refuse("the condition's address of '\(n)'") }
                return .equals(obs, Value(location: l))
            case .observable: throw refuse("a condition comparing two observables")
            }
        case let .not(q): return .not(try proposition(q, program))
        case let .and(qs): return .and(try qs.map { try proposition($0, program) })
        case let .or(qs): return .or(try qs.map { try proposition($0, program) })
        case let .implies(a, b): return .implies(try proposition(a, program), try proposition(b, program))
        case let .constant(b): return .constant(b)
        }
    }

    // MARK: statements

    mutating func statements(_ ss: [CStatement], thread t: Int) throws -> [LKMMStatement] {
        var out: [LKMMStatement] = []
        for s in ss {
            switch s.kind {
            case let .declaration(_, name, e?): out += [.advance(1), .assign(register: register(t, name), try expression(e, t, line: s.line))]
            case .declaration(_, _, nil): break
            case let .assignment(name, e):
                guard registers[t].contains(name) || location(name) == nil else {
                    throw refuse("an assignment to the shared '\(name)' without '*'", line: s.line)
                }
                out += [.advance(1), .assign(register: register(t, name), try expression(e, t, line: s.line))]
            case let .store(address, value):
                out += [.advance(1), .store(.plain, try expression(address, t, line: s.line), try expression(value, t, line: s.line))]
            case let .expression(e): out += [.advance(Self.herdIndexes(e))] + (try effect(e, t, line: s.line))
            case let .ifElse(c, a, b):
                // the `if`, then the taken branch's own index (and its block's, if braced)
                let then: [LKMMStatement] = [.advance(s.thenIsBlock ? 2 : 1)] + (try statements(a, thread: t))
                let other: [LKMMStatement] = try b.map { [.advance(s.elseIsBlock ? 2 : 1)] + (try statements($0, thread: t)) } ?? []
                out += [.advance(1), .conditional(try expression(c, t, line: s.line), then: then, else: other)]
            case let .block(b): out += [.advance(1)] + (try statements(b, thread: t))
            case .whileLoop: throw refuse("a while loop", line: s.line)
            }
        }
        return out
    }

    /// An expression statement: the primitives that are statements in linux-kernel.def, or an expression evaluated for its effects.
    mutating func effect(_ e: CExpression, _ t: Int, line: Int) throws -> [LKMMStatement] {
        guard case let .call(c) = e else {
            if case let .cast(_, inner) = e { return try effect(inner, t, line: line) }
            return [.evaluate(try expression(e, t, line: line))]
        }
        let a = c.arguments
        func args(_ n: Int) throws {
            guard a.count == n else { throw refuse("'\(c.name)' with \(a.count) arguments (it takes \(n))", line: c.line) }
        }
        func deref(_ x: CExpression) throws -> LKMMExpression {
            guard case let .load(inner) = x else { throw refuse("'\(c.name)' of an argument that is not '*p'", line: c.line) }
            return try expression(inner, t, line: line)
        }
        if let f = Self.fences[c.name] { try args(0); return [.fence(f)] }
        switch c.name {
        case "WRITE_ONCE": try args(2); return [.store(.once, try deref(a[0]), try expression(a[1], t, line: line))]
        case "smp_store_release", "atomic_set_release":
            try args(2); return [.store(.release, try expression(a[0], t, line: line), try expression(a[1], t, line: line))]
        case "atomic_set": try args(2); return [.store(.once, try expression(a[0], t, line: line), try expression(a[1], t, line: line))]
        case "rcu_assign_pointer": try args(2); return [.store(.release, try deref(a[0]), try expression(a[1], t, line: line))]
        case "smp_store_mb": try args(2); return [.store(.once, try deref(a[0]), try expression(a[1], t, line: line)), .fence(.mb)]
        case "atomic_add", "atomic_sub":
            try args(2)
            return [.atomicOp(try expression(a[1], t, line: line), c.name == "atomic_add" ? .add : .sub, try expression(a[0], t, line: line))]
        case "spin_lock": try args(1); return [.lock(try expression(a[0], t, line: line))]
        case "spin_unlock": try args(1); return [.unlock(try expression(a[0], t, line: line))]
        case "srcu_read_unlock":
            try args(2); return [.srcu(.srcuUnlock, try expression(a[0], t, line: line), value: try expression(a[1], t, line: line))]
        case "synchronize_srcu", "synchronize_srcu_expedited": try args(1); return [.srcu(.syncSrcu, try expression(a[0], t, line: line), value: nil)]
        case "atomic_inc", "atomic_dec":
            try args(1)
            return [.atomicOp(try expression(a[0], t, line: line), c.name == "atomic_inc" ? .add : .sub, .constant(1))]
        default: return [.evaluate(try expression(e, t, line: line))]
        }
    }

    /// How far a statement `e;` moves herd7's program-order index: one, or
    /// for a linux-kernel.def macro with a `{ … }` body one for the body and
    /// one for each statement in it (`smp_store_mb(X,V) { __store{once}(X,V); __fence{mb}; }`: 3).
    static func herdIndexes(_ e: CExpression) -> Int {
        guard case let .call(c) = e else { return 1 }
        switch c.name {
        case "smp_store_mb", "atomic_set", "atomic_set_release": return 3
        case "WRITE_ONCE", "smp_store_release", "rcu_assign_pointer", "spin_lock", "spin_unlock", "srcu_read_unlock",
             "synchronize_srcu", "synchronize_srcu_expedited", "atomic_add", "atomic_sub", "atomic_inc", "atomic_dec":
            return 2
        default: return fences[c.name] == nil ? 1 : 2
        }
    }

    static let fences: [String: LKMMFence] = [
        "smp_mb": .mb, "smp_rmb": .rmb, "smp_wmb": .wmb, "barrier": .barrier,
        "smp_mb__before_atomic": .beforeAtomic, "smp_mb__after_atomic": .afterAtomic,
        "smp_mb__after_spinlock": .afterSpinlock, "smp_mb__after_unlock_lock": .afterUnlockLock,
        "rcu_read_lock": .rcuLock, "rcu_read_unlock": .rcuUnlock,
        "synchronize_rcu": .syncRcu, "synchronize_rcu_expedited": .syncRcu,
    ]

    static let operators: [CBinaryOperator: LKMMOperator] = [
        .bitOr: .or, .bitXor: .xor, .bitAnd: .and, .equal: .equal, .notEqual: .notEqual, .less: .less,
        .lessOrEqual: .lessEqual, .greater: .greater, .greaterOrEqual: .greaterEqual, .add: .add,
        .subtract: .sub, .multiply: .mul, .divide: .div,
    ]

    /// `xchg`, `xchg_relaxed`, `atomic_cmpxchg_acquire`, … → the annotation of their `__xchg{…}`/`__cmpxchg{…}`.
    static func order(_ name: String, base: String) -> LKMMOrder? {
        for prefix in ["", "atomic_"] {
            for (suffix, o) in [("", LKMMOrder.mb), ("_relaxed", .once), ("_acquire", .acquire), ("_release", .release)]
                where name == prefix + base + suffix { return o }
        }
        return nil
    }

    mutating func expression(_ e: CExpression, _ t: Int, line: Int) throws -> LKMMExpression {
        switch e {
        case let .integer(v): return .constant(UInt64(bitPattern: v))
        case let .variable(name):
            if let r = registers[t].firstIndex(of: name) { return .register(r) }
            if let l = location(name) { return .address(location: l) }
            throw refuse("'\(name)', neither a local nor a shared location", line: line)
        case let .load(x): return .load(.plain, try expression(x, t, line: line))
        case let .binary(op, x, y): return .binary(Self.operators[op]!, try expression(x, t, line: line), try expression(y, t, line: line))
        case let .cast(_, x): return try expression(x, t, line: line)
        case let .call(c): return try call(c, t)
        }
    }

    mutating func call(_ c: CCall, _ t: Int) throws -> LKMMExpression {
        let a = c.arguments
        let line = c.line
        func args(_ n: Int) throws -> [LKMMExpression] {
            guard a.count == n else { throw refuse("'\(c.name)' with \(a.count) arguments (it takes \(n))", line: line) }
            return try a.map { try expression($0, t, line: line) }
        }
        func deref(_ x: CExpression) throws -> LKMMExpression {
            guard case let .load(inner) = x else { throw refuse("'\(c.name)' of an argument that is not '*p'", line: line) }
            return try expression(inner, t, line: line)
        }
        switch c.name {
        case "READ_ONCE", "rcu_dereference":
            guard a.count == 1 else { throw refuse("'\(c.name)' with \(a.count) arguments", line: line) }
            return .load(.once, try deref(a[0]))
        case "smp_load_acquire", "atomic_read_acquire": return .load(.acquire, try args(1)[0])
        case "atomic_read": return .load(.once, try args(1)[0])
        default: break
        }
        if let o = Self.order(c.name, base: "xchg") {
            let x = try args(2)
            return .exchange(x[0], x[1], o)
        }
        if let o = Self.order(c.name, base: "cmpxchg") {
            let x = try args(3)
            return .compareExchange(x[0], expected: x[1], new: x[2], o)
        }
        // atomic_{add,sub,inc,dec}_return*, atomic_fetch_{add,sub,inc,dec}*
        for (op, name, unary) in [(LKMMOperator.add, "add", false), (.sub, "sub", false), (.add, "inc", true), (.sub, "dec", true)] {
            for (base, returnsOld) in [("atomic_\(name)_return", false), ("atomic_fetch_\(name)", true)] {
                guard let o = Self.order(c.name, base: base), c.name.hasPrefix("atomic_") else { continue }
                let x = try args(unary ? 1 : 2)
                return .atomicUpdate(unary ? x[0] : x[1], op, unary ? .constant(1) : x[0], returnsOld: returnsOld, o)
            }
        }
        switch c.name {
        case "atomic_sub_and_test":
            let x = try args(2)
            return .binary(.equal, .atomicUpdate(x[1], .sub, x[0], returnsOld: false, .mb), .constant(0))
        case "atomic_dec_and_test", "atomic_inc_and_test":
            let x = try args(1)
            return .binary(.equal, .atomicUpdate(x[0], c.name == "atomic_inc_and_test" ? .add : .sub, .constant(1), returnsOld: false, .mb), .constant(0))
        case "spin_trylock": return .tryLock(try args(1)[0])
        case "srcu_read_lock": return .srcuLock(try args(1)[0])
        case "atomic_add_unless", "__atomic_add_unless":
            let x = try args(3)
            return .addUnless(x[0], add: x[1], unless: x[2], returnsBool: c.name == "atomic_add_unless")
        case "atomic_add_negative":
            let x = try args(2)
            return .binary(.less, .atomicUpdate(x[1], .add, x[0], returnsOld: false, .mb), .constant(0))
        default:
            throw refuse("the primitive '\(c.name)'", line: line)
        }
    }
}

extension LitmusParser {
    /// Any litmus file the checker reads: a C test (`C NAME`, lowered
    /// through linux-kernel.def; its refusals are `ModelError.notModelled`)
    /// or an assembly one.
    public static func program(_ text: String) throws -> Program {
        CLitmusParser.isCLitmus(text) ? try LKMMLowering.program(CLitmusParser.parse(text)) : try parse(text)
    }
}
