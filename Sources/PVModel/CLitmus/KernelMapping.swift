/// A C litmus test as the kernel compiles it: each primitive becomes the
/// instructions of the kernel's own implementation, so that a C test can be
/// asked "what does arm64 (x86) do with the kernel's instructions for it".
///
/// arm64 (arch/arm64/include/asm/{barrier,cmpxchg,atomic_lse}.h, LSE atomics):
///
/// | primitive | instructions |
/// |---|---|
/// | READ_ONCE, rcu_dereference, atomic_read, a plain `*x` | LDR |
/// | WRITE_ONCE, atomic_set, a plain `*x = v` | STR |
/// | smp_load_acquire, atomic_read_acquire | LDAR |
/// | smp_store_release, rcu_assign_pointer, atomic_set_release | STLR |
/// | smp_mb, smp_mb__before_atomic, smp_mb__after_atomic | DMB ISH (asm-generic: `__smp_mb__{before,after}_atomic` are `__smp_mb`) |
/// | smp_rmb / smp_wmb | DMB ISHLD / DMB ISHST |
/// | smp_store_mb | STR; DMB ISH (asm-generic) |
/// | barrier, rcu_read_lock/unlock | nothing (a compiler barrier; non-preemptible RCU readers) |
/// | xchg{,_relaxed,_acquire,_release} | SWPAL / SWP / SWPA / SWPL |
/// | cmpxchg{…} | MOV; CASAL / CAS / CASA / CASL (the old value comes back in the first register) |
/// | atomic_add, _sub, _inc, _dec | STADD (sub: of the negated value, as `__lse_atomic_sub` does) |
/// | atomic_fetch_add{…} | LDADDAL / LDADD / LDADDA / LDADDL |
/// | atomic_add_return{…} | LDADD{…}; ADD (`__lse_atomic_add_return` is fetch_add + i) |
/// | atomic_*_and_test, atomic_add_negative | LDADDAL; ADD; CMP; CSET |
/// | `if (c)` | CBZ / CBNZ, or CMP; B.cond (a control dependency, as the compiler keeps it) |
///
/// x86-64 (arch/x86/include/asm/{barrier,cmpxchg}.h): loads and stores of
/// every flavour are MOV; smp_rmb, smp_wmb and smp_mb__{before,after}_atomic
/// are compiler barriers (nothing); smp_mb is `lock; addl $0,-4(%rsp)` in
/// the kernel, which x86-TSO orders as MFENCE, so it is written MFENCE;
/// xchg of every flavour and smp_store_mb are XCHG. LOCK'd arithmetic
/// (atomic_inc, atomic_add_return, cmpxchg: LOCK XADD / CMPXCHG) is not in
/// the checker's x86 instructions and is refused.
///
/// Refused with the primitive's name: spinlocks, synchronize_rcu, SRCU,
/// smp_mb__after_spinlock / after_unlock_lock, atomic_add_unless, loops,
/// multiplication and division, pointers kept in memory, and any call the
/// kernel model does not define.
public enum KernelMapping {
    public enum Target: String, Sendable, CaseIterable {
        case arm64
        case x86_64

        var architecture: Architecture { self == .arm64 ? .aarch64 : .x86_64 }
    }

    /// A C test as the kernel compiles it.
    public struct Mapped: Sendable {
        public var program: Program
        /// The mapping facts the program used, one line each.
        public var notes: [String]
        /// Per thread: each local's register (the condition's `1:r0` is `1:X<n>`).
        public var registers: [[String: Int]]
    }

    public static func program(_ test: CLitmusTest, target: Target) throws -> Mapped {
        var locations: [Location] = []
        var memory: [String: [UInt64]] = [:]
        var pointerTypes: [String: CType] = [:]
        func type(of name: String, _ t: CType) throws -> ValueType {
            guard t.pointerDepth == 0 else {
                throw ModelError.notModelled("'\(name)' holds a pointer in memory (the checker keeps integers in memory)")
            }
            if t.base == "atomic_t" { return .int }
            if ["spinlock_t", "struct srcu_struct"].contains(t.base) { return .int }
            if t.base == "intptr_t" || t.base == "uintptr_t" { return ValueType(bytes: 8, signed: t.base == "intptr_t") }
            guard let v = ValueType.named(t.base) else { throw ModelError.notModelled("the type \(t.base) of '\(name)'") }
            return v
        }
        for i in test.initializations where i.thread == nil {
            var l = Location(name: i.name)
            if let t = i.type { l.type = try type(of: i.name, t) }
            if let n = i.arrayCount { l.count = n }
            switch i.value {
            case nil: break
            case let .integer(v)?: memory[i.name] = [l.type.truncate(UInt64(bitPattern: v))]
            case let .integers(vs)?: memory[i.name] = vs.map { l.type.truncate(UInt64(bitPattern: $0)) }
            case .address?:
                throw ModelError.notModelled("'\(i.name)' holds a pointer in memory (the checker keeps integers in memory)")
            }
            locations.append(l)
        }
        for t in test.threads {
            for p in t.parameters where !locations.contains(where: { $0.name == p.name }) {
                var pointee = p.type
                pointee.pointerDepth -= 1
                pointerTypes[p.name] = pointee
                var l = Location(name: p.name)
                if pointee.pointerDepth == 0 { l.type = try type(of: p.name, pointee) }
                locations.append(l)
            }
        }
        var notes: [String] = []
        var threads: [ProgramThread] = []
        var registerOf: [[String: Int]] = []
        for t in test.threads {
            var c = ThreadCompiler(target: target, thread: t, locations: locations)
            try c.compile()
            for i in test.initializations where i.thread == t.index {
                guard let r = c.locals[i.name] else { throw ModelError.notModelled("P\(t.index):\(i.name) is not a local of P\(t.index)") }
                switch i.value {
                case let .integer(v)?: c.initialRegisters[r] = Value(bits: UInt64(bitPattern: v))
                case let .address(of: x)?:
                    guard let l = locations.firstIndex(where: { $0.name == x }) else { throw ModelError.notModelled("no location '\(x)'") }
                    c.initialRegisters[r] = Value(location: l)
                default: throw ModelError.notModelled("P\(t.index):\(i.name)'s initial value")
                }
            }
            notes += c.notes.filter { !notes.contains($0) }
            threads.append(ProgramThread(instructions: c.code, initialRegisters: c.initialRegisters, registerTypes: c.registerTypes))
            registerOf.append(c.locals)
        }
        func observable(_ o: CObservable) throws -> Observable {
            switch o {
            case let .local(t, name):
                guard let r = registerOf[t][name] else { throw ModelError.notModelled("the condition names \(t):\(name), not a local of P\(t)") }
                return .register(thread: t, register: r)
            case let .global(name, element):
                guard locations.contains(where: { $0.name == name }) else { throw ModelError.notModelled("the condition names '\(name)', not a location") }
                return .memory(location: name, element: element)
            }
        }
        func proposition(_ p: CProposition) throws -> Proposition {
            switch p {
            case let .equals(o, v):
                let ob = try observable(o)
                switch v {
                case let .integer(k):
                    let ty: ValueType
                    switch ob {
                    case let .register(t, r): ty = threads[t].registerTypes[r] ?? .int
                    case let .memory(l, _): ty = locations.first { $0.name == l }!.type
                    }
                    return .equals(ob, Value(bits: ty.truncate(UInt64(bitPattern: k))))
                case let .address(of: x):
                    guard let l = locations.firstIndex(where: { $0.name == x }) else { throw ModelError.notModelled("no location '\(x)'") }
                    return .equals(ob, Value(location: l))
                case .observable:
                    throw ModelError.notModelled("a condition comparing two observables (no such atom in AArch64/X86_64 conditions)")
                }
            case let .not(q): return .not(try proposition(q))
            case let .and(qs): return .and(try qs.map(proposition))
            case let .or(qs): return .or(try qs.map(proposition))
            case let .implies(a, b): return .implies(try proposition(a), try proposition(b))
            case let .constant(b): return .constant(b)
            }
        }
        if test.filter != nil { throw ModelError.notModelled("filter (no AArch64/X86_64 program carries one here)") }
        let program = Program(name: test.name, architecture: target.architecture, locations: locations, threads: threads,
                              initialMemory: memory, condition: Condition(test.condition.quantifier, try proposition(test.condition.proposition)),
                              observed: try test.locations.map(observable))
        return Mapped(program: program, notes: notes, registers: registerOf)
    }
}

/// One thread's instructions. Parameters hold their location's address
/// from the start (the init block's `0:X0=x`); each local has a register;
/// temporaries come after them.
private struct ThreadCompiler {
    let target: KernelMapping.Target
    let thread: CThread
    let locations: [Location]
    var code: [Instruction] = []
    var locals: [String: Int] = [:]
    var pointers: [String: Int] = [:]
    var initialRegisters: [Int: Value] = [:]
    var registerTypes: [Int: ValueType] = [:]
    var notes: [String] = []
    var nextRegister = 0

    init(target: KernelMapping.Target, thread: CThread, locations: [Location]) {
        self.target = target
        self.thread = thread
        self.locations = locations
    }

    /// A value: a register or a constant.
    enum Val { case register(Int), constant(Int64) }

    var arm: Bool { target == .arm64 }

    mutating func note(_ s: String) { if !notes.contains(s) { notes.append(s) } }

    func refuse(_ what: String) -> ModelError {
        .notModelled("\(what) (P\(thread.index))")
    }

    mutating func register() throws -> Int {
        guard nextRegister < 30 else { throw refuse("more than 30 registers") }
        defer { nextRegister += 1 }
        return nextRegister
    }

    mutating func compile() throws {
        for p in thread.parameters {
            let r = try register()
            pointers[p.name] = r
            initialRegisters[r] = Value(location: locations.firstIndex { $0.name == p.name }!)
        }
        // herd7 takes a name assigned without a declaration as an int local.
        var undeclared: [(String, CType)] = []
        func assigned(_ ss: [CStatement]) {
            for s in ss {
                switch s.kind {
                case let .assignment(n, _) where pointers[n] == nil && !thread.locals.contains { $0.name == n } && !undeclared.contains { $0.0 == n }:
                    undeclared.append((n, .int))
                case let .block(b), let .whileLoop(_, b): assigned(b)
                case let .ifElse(_, a, b): assigned(a); assigned(b ?? [])
                default: break
                }
            }
        }
        assigned(thread.body)
        for (name, type) in thread.locals + undeclared where locals[name] == nil {
            guard type.pointerDepth == 0 else { throw refuse("the pointer local '\(name)' (pointers kept in memory are not modelled)") }
            let r = try register()
            locals[name] = r
            registerTypes[r] = try valueType(type, name)
        }
        try statements(thread.body)
    }

    /// A register's width: its local's type, else an int's (the locations' values are ints or intptr_t).
    func bytes(_ r: Int) -> Int { registerTypes[r]?.bytes ?? 4 }

    func bytes(_ v: Val) -> Int {
        if case let .register(r) = v { return bytes(r) }
        return 4
    }

    func valueType(_ t: CType, _ name: String) throws -> ValueType {
        if t.base == "atomic_t" { return .int }
        if t.base == "intptr_t" || t.base == "uintptr_t" { return ValueType(bytes: 8, signed: t.base == "intptr_t") }
        guard let v = ValueType.named(t.base) else { throw refuse("the type \(t.base) of '\(name)'") }
        return v
    }

    // MARK: statements

    mutating func statements(_ ss: [CStatement]) throws {
        for s in ss { try statement(s) }
    }

    mutating func statement(_ s: CStatement) throws {
        switch s.kind {
        case let .declaration(_, name, e?), let .assignment(name, e):
            guard let r = locals[name] else { throw refuse("an assignment to '\(name)', not a local") }
            try evaluate(e, into: r)
        case .declaration: break
        case let .store(address, value):
            note("a plain access → \(arm ? "LDR/STR" : "MOV") (as compiled without tearing)")
            try store(pointer: address, value: value, release: false)
        case let .expression(e):
            if case let .call(c) = e { try call(c, result: nil) } else if case let .cast(_, inner) = e { _ = try value(inner) } else { _ = try value(e) }
        case let .block(b): try statements(b)
        case let .ifElse(c, then, other):
            let skip = try branch(unless: c)
            try statements(then)
            if let other {
                let jump = code.count
                code.append(.branch(.always, target: -1))
                patch(skip)
                try statements(other)
                patch([jump])
            } else {
                patch(skip)
            }
        case .whileLoop: throw refuse("a while loop (the checker's programs branch forward only)")
        }
    }

    /// Branches to be pointed at the next instruction.
    mutating func patch(_ at: [Int]) {
        for k in at {
            guard case let .branch(c, _) = code[k] else { continue }
            code[k] = .branch(c, target: code.count)
        }
    }

    /// Code that jumps when `c` is false; returns the jumps to patch. A
    /// constant condition takes no branch (the compiler folds it) — and then
    /// the untaken branch's code is still emitted unless the constant is
    /// false, where an always-branch skips it.
    mutating func branch(unless c: CExpression) throws -> [Int] {
        guard arm else { throw refuse("an if (the X86_64 litmus subset read back has no branches)") }
        note("if → CBZ/CBNZ or CMP; B.cond (a control dependency)")
        if case let .binary(op, a, b) = c, op.isComparison {
            let ra = try inRegister(try value(a))
            let rb = try value(b)
            code.append(.arithmetic(.subs, destination: Instruction.zeroRegister, lhs: ra, rhs: operand(rb), bytes: max(bytes(ra), bytes(rb))))
            code.append(.branch(.flags(Self.condition(op).inverse!), target: -1))
            return [code.count - 1]
        }
        switch try value(c) {
        case let .register(r):
            code.append(.branch(.zero(r), target: -1))
            return [code.count - 1]
        case let .constant(k):
            if k != 0 { return [] }
            code.append(.branch(.always, target: -1))
            return [code.count - 1]
        }
    }

    static func condition(_ op: CBinaryOperator) -> ConditionCode {
        switch op {
        case .equal: return .eq
        case .notEqual: return .ne
        case .less: return .lt
        case .lessOrEqual: return .le
        case .greater: return .gt
        default: return .ge
        }
    }

    // MARK: expressions

    func operand(_ v: Val) -> Operand {
        switch v {
        case let .register(r): return .register(r)
        case let .constant(k): return .immediate(UInt64(bitPattern: k))
        }
    }

    mutating func inRegister(_ v: Val) throws -> Int {
        switch v {
        case let .register(r): return r
        case let .constant(k):
            let r = try register()
            code.append(.move(destination: r, source: .immediate(UInt64(bitPattern: k)), bytes: 4))
            return r
        }
    }

    mutating func evaluate(_ e: CExpression, into r: Int) throws {
        if case let .call(c) = e { try call(c, result: r); return }
        if case let .load(p) = e {
            note("a plain access → \(arm ? "LDR/STR" : "MOV") (as compiled without tearing)")
            try load(pointer: p, into: r, acquire: false)
            return
        }
        switch try value(e) {
        case let .register(s): if s != r { code.append(.move(destination: r, source: .register(s), bytes: bytes(r))) }
        case let .constant(k): code.append(.move(destination: r, source: .immediate(UInt64(bitPattern: k)), bytes: bytes(r)))
        }
    }

    mutating func value(_ e: CExpression) throws -> Val {
        switch e {
        case let .integer(k): return .constant(k)
        case let .variable(n):
            if let r = locals[n] { return .register(r) }
            if pointers[n] != nil { throw refuse("'\(n)' used as a value (an address, not an integer)") }
            throw refuse("'\(n)', neither a local nor a parameter")
        case let .cast(_, inner): return try value(inner)
        case .load, .call:
            let r = try register()
            try evaluate(e, into: r)
            return .register(r)
        case let .binary(op, a, b):
            let va = try value(a), vb = try value(b)
            if case let .constant(x) = va, case let .constant(y) = vb, let k = Self.fold(op, x, y) { return .constant(k) }
            guard arm else { throw refuse("arithmetic (the X86_64 litmus subset read back has none)") }
            let ra = try inRegister(va)
            let d = try register()
            let width = max(bytes(ra), bytes(vb))
            if op.isComparison {
                code.append(.arithmetic(.subs, destination: Instruction.zeroRegister, lhs: ra, rhs: operand(vb), bytes: width))
                // CSET d, cond is CSINC d, WZR, WZR, inverse(cond).
                code.append(.select(.csinc, destination: d, ifTrue: Instruction.zeroRegister, ifFalse: Instruction.zeroRegister,
                                    condition: Self.condition(op).inverse!, bytes: 4))
                return .register(d)
            }
            let operation: ArithmeticOperation
            switch op {
            case .add: operation = .add
            case .subtract: operation = .sub
            case .bitAnd: operation = .and
            case .bitOr: operation = .orr
            case .bitXor: operation = .eor
            default: throw refuse("'\(op.rawValue)' (no multiply or divide in the checker's instructions)")
            }
            if width > 4 { registerTypes[d] = ValueType(bytes: 8, signed: true) }
            code.append(.arithmetic(operation, destination: d, lhs: ra, rhs: operand(vb), bytes: width))
            return .register(d)
        }
    }

    static func fold(_ op: CBinaryOperator, _ x: Int64, _ y: Int64) -> Int64? {
        switch op {
        case .add: return x &+ y
        case .subtract: return x &- y
        case .multiply: return x &* y
        case .divide: return y == 0 ? nil : x / y
        case .bitAnd: return x & y
        case .bitOr: return x | y
        case .bitXor: return x ^ y
        case .equal: return x == y ? 1 : 0
        case .notEqual: return x != y ? 1 : 0
        case .less: return x < y ? 1 : 0
        case .lessOrEqual: return x <= y ? 1 : 0
        case .greater: return x > y ? 1 : 0
        case .greaterOrEqual: return x >= y ? 1 : 0
        }
    }

    // MARK: memory

    /// The register holding the address `p` evaluates to: a parameter.
    func address(_ p: CExpression) throws -> (Address, bytes: Int) {
        if case let .cast(_, inner) = p { return try address(inner) }
        guard case let .variable(n) = p, let r = pointers[n] else {
            if case let .variable(n) = p, locals[n] != nil {
                throw refuse("an access through the local '\(n)' (pointers kept in registers from memory are not modelled)")
            }
            throw refuse("an access through a computed address")
        }
        let l = locations.first { $0.name == n }!
        guard l.count == 1 else { throw refuse("an access to the array '\(n)'") }
        return (Address(base: .register(r)), l.type.bytes)
    }

    /// `*x` (an lvalue) → `x`.
    func lvalue(_ e: CExpression, _ primitive: String) throws -> CExpression {
        guard case let .load(p) = e else { throw refuse("\(primitive) of something other than '*x'") }
        return p
    }

    mutating func load(pointer p: CExpression, into r: Int, acquire: Bool) throws {
        let (a, n) = try address(p)
        code.append(.load(destination: r, address: a, bytes: n, ordering: acquire && arm ? .acquire : .plain, exclusive: false))
    }

    mutating func store(pointer p: CExpression, value e: CExpression, release: Bool) throws {
        let (a, n) = try address(p)
        let v = try value(e)
        code.append(.store(source: operand(v), address: a, bytes: n, ordering: release && arm ? .release : .plain, status: nil))
    }

    mutating func fence(_ f: Fence) {
        code.append(.fence(f))
    }

    /// A primitive; `result`, when given, receives its value.
    mutating func call(_ c: CCall, result: Int?) throws {
        guard c.annotations.isEmpty, let p = KernelPrimitive(c.name) else {
            throw refuse("\(c.name) (line \(c.line)) has no \(arm ? "arm64" : "x86-64") mapping here")
        }
        guard c.arguments.count == p.arity else { throw refuse("\(c.name) with \(c.arguments.count) arguments") }
        if p.isProcedure, result != nil { throw refuse("\(c.name) used as a value (it is a statement in linux-kernel.def)") }
        let args = c.arguments
        switch p {
        case let .load(kind, acquire):
            let pointer = kind == .lvalue ? try lvalue(args[0], c.name) : args[0]
            note(acquire ? (arm ? "smp_load_acquire → LDAR" : "smp_load_acquire → MOV") : (arm ? "READ_ONCE → LDR" : "READ_ONCE → MOV"))
            try load(pointer: pointer, into: try result ?? register(), acquire: acquire)
        case let .store(kind, release):
            let pointer = kind == .lvalue ? try lvalue(args[0], c.name) : args[0]
            note(release ? (arm ? "smp_store_release → STLR" : "smp_store_release → MOV") : (arm ? "WRITE_ONCE → STR" : "WRITE_ONCE → MOV"))
            try store(pointer: pointer, value: args[1], release: release)
        case .storeMb:
            if arm {
                note("smp_store_mb → STR; DMB ISH")
                try store(pointer: try lvalue(args[0], c.name), value: args[1], release: false)
                fence(.dmbFull)
            } else {
                note("smp_store_mb → XCHG")
                _ = try exchange(pointer: try lvalue(args[0], c.name), value: args[1], order: .full, result: nil)
            }
        case let .fence(f):
            try fence(kernel: f, name: c.name)
        case let .exchange(order):
            try exchange(pointer: args[0], value: args[1], order: order, result: result)
        case let .compareExchange(order):
            guard arm else { throw refuse("\(c.name) (LOCK CMPXCHG is not in the checker's x86 instructions)") }
            let (a, n) = try address(args[0])
            let expected = try result ?? register()
            try evaluate(args[1], into: expected)
            let new = try inRegister(try value(args[2]))
            note("cmpxchg → CAS\(Self.suffix(order)) (LSE)")
            code.append(.compareAndSwap(expected: expected, new: new, address: a, bytes: n, acquire: order == .acquire || order == .full,
                                        release: order == .release || order == .full))
        case let .atomicAdd(amount, subtract, returns, order):
            guard arm else { throw refuse("\(c.name) (LOCK ADD/XADD are not in the checker's x86 instructions)") }
            let (a, n) = try address(args[amount == nil ? 1 : 0])
            let delta: Val = try amount.map { .constant($0) } ?? value(args[0])
            var source: Int
            switch delta {
            case let .constant(k):
                source = try register()
                code.append(.move(destination: source, source: .immediate(UInt64(bitPattern: subtract ? 0 &- k : k)), bytes: 4))
            case let .register(r):
                source = r
                if subtract {
                    source = try register()
                    code.append(.arithmetic(.sub, destination: source, lhs: Instruction.zeroRegister, rhs: .register(r), bytes: 4))
                }
            }
            if returns == .void {
                note("atomic_add/sub/inc/dec → STADD (sub of the negated value)")
                code.append(.atomic(.add, source: source, destination: Instruction.zeroRegister, address: a, bytes: n, acquire: false, release: false))
                return
            }
            let old = returns == .oldValue ? (try result ?? register()) : try register()
            note("atomic_fetch_add/add_return → LDADD\(Self.suffix(order))\(returns == .oldValue ? "" : "; ADD")")
            code.append(.atomic(.add, source: source, destination: old, address: a, bytes: n,
                                acquire: order == .acquire || order == .full, release: order == .release || order == .full))
            guard returns != .oldValue else { return }
            let new = returns == .newValue ? (try result ?? register()) : try register()
            code.append(.arithmetic(.add, destination: new, lhs: old, rhs: .register(source), bytes: 4))
            if returns == .newIsZero || returns == .newIsNegative {
                let r = try result ?? register()
                code.append(.arithmetic(.subs, destination: Instruction.zeroRegister, lhs: new, rhs: .immediate(0), bytes: 4))
                code.append(.select(.csinc, destination: r, ifTrue: Instruction.zeroRegister, ifFalse: Instruction.zeroRegister,
                                    condition: returns == .newIsZero ? .ne : .ge, bytes: 4))
            }
        }
    }

    static func suffix(_ o: KernelPrimitive.Order) -> String {
        switch o {
        case .relaxed: return ""
        case .acquire: return "A"
        case .release: return "L"
        case .full: return "AL"
        }
    }

    mutating func fence(kernel f: KernelPrimitive.Fence, name: String) throws {
        switch (f, arm) {
        case (.mb, true), (.beforeAtomic, true), (.afterAtomic, true):
            note("\(name) → DMB ISH")
            fence(.dmbFull)
        case (.rmb, true): note("smp_rmb → DMB ISHLD"); fence(.dmbLoad)
        case (.wmb, true): note("smp_wmb → DMB ISHST"); fence(.dmbStore)
        case (.mb, false):
            note("smp_mb → MFENCE (the kernel's lock; addl $0,-4(%rsp), which x86-TSO orders alike)")
            fence(.mfence)
        case (.rmb, false), (.wmb, false), (.beforeAtomic, false), (.afterAtomic, false):
            note("\(name) → nothing (a compiler barrier on x86)")
        case (.compiler, _): note("barrier → nothing (a compiler barrier)")
        case (.rcuReadSide, _): note("\(name) → nothing (a non-preemptible kernel's read-side critical section emits no instruction)")
        }
    }

    /// xchg: SWP{A}{L} on arm64, XCHG on x86 (always fully ordered there).
    mutating func exchange(pointer: CExpression, value e: CExpression, order: KernelPrimitive.Order, result: Int?) throws {
        let (a, n) = try address(pointer)
        if arm {
            let source = try inRegister(try value(e))
            let d = try result ?? register()
            note("xchg → SWP\(Self.suffix(order)) (LSE)")
            code.append(.atomic(.swp, source: source, destination: d, address: a, bytes: n,
                                acquire: order == .acquire || order == .full, release: order == .release || order == .full))
        } else {
            let d = try result ?? register()
            try evaluate(e, into: d)
            note("xchg → XCHG")
            code.append(.exchange(register: d, address: a, bytes: n))
        }
    }
}
