/// Runs one C thread for every choice of the values its reads return (from
/// the per-cell value domain, as `ThreadSemantics` does for assembly),
/// producing one `ThreadTrace` per path with the events herd7's C semantics
/// (herd/CSem.ml) generates under linux-kernel.def:
///
/// - each statement is one program-order position: the events of one
///   statement (`r0 = READ_ONCE(*x) + READ_ONCE(*y)`) are unordered by `po`,
///   as herd7 gives them one `program_order_index`;
/// - a read-modify-write's read and write form an `rmw` pair, the write
///   po-after the read; a `{mb}` one has `F[mb]` before and after it;
/// - `addr`, `data`: the reads whose values reach an address or a stored
///   value through registers; `ctrl`: the reads an `if` condition depends
///   on, to the events *inside* its branches only (herd7 C ends a control
///   dependency at the end of the `if`, unlike assembly).
struct LKMMSemantics {
    let program: Program
    let thread: Int
    let layout: CellLayout
    let domain: [[UInt64]]
    let traceLimit: Int

    private struct State {
        var step = 0
        /// herd7's `program_order_index` (`LKMMStatement.advance`).
        var herdIndex = 0
        var regs: [Int: Value]
        var taint: [Int: Taint] = [:]
        var trace = ThreadTrace()
        var ctrl = Taint()
    }

    private typealias Continuation = (State, Value, Taint) throws -> Void

    func traces() throws -> [ThreadTrace] {
        var out: [ThreadTrace] = []
        let start = State(regs: program.threads[thread].initialRegisters)
        try run(program.lkmmThreads[thread].body[...], start) { (s: State) throws in
            if out.count >= traceLimit { throw ModelError.tooLarge("thread P\(thread) has more than \(traceLimit) paths (reads × values)") }
            var s = s
            s.trace.registers = s.regs
            out.append(s.trace)
        }
        return out
    }

    private func run(_ body: ArraySlice<LKMMStatement>, _ s: State, _ done: (State) throws -> Void) throws {
        guard let first = body.first else { return try done(s) }
        if case let .advance(n) = first {
            var s = s
            s.herdIndex += n
            return try run(body.dropFirst(), s, done)
        }
        if s.trace.events.count > 60 { throw ModelError.tooLarge("thread P\(thread) has more than 60 memory events") }
        try execute(first, s) { (s: State) throws in
            var s = s
            s.step += 1
            try run(body.dropFirst(), s, done)
        }
    }

    private func execute(_ statement: LKMMStatement, _ s: State, _ k: (State) throws -> Void) throws {
        switch statement {
        case let .assign(r, e):
            try operands([e], s) { (s: State, v: [Value], t: [Taint]) throws in
                var s = s
                s.regs[r] = v[0]
                s.taint[r] = t[0]
                try k(s)
            }
        case let .evaluate(e):
            try operands([e], s) { (s: State, _: [Value], _: [Taint]) throws in try k(s) }
        case let .store(a, address, value):
            try operands([address, value], s) { (s: State, v: [Value], t: [Taint]) throws in
                var s = s
                guard v[0].location != nil else { s.trace.impossible = true; return try k(s) }  // see `read`
                try write(&s, v[0], v[1], addrTaint: t[0], dataTaint: t[1], tags: LKMMTags(a))
                try k(s)
            }
        case let .fence(f):
            var s = s
            s.trace.lkmmFences.append((s.step, f))
            try k(s)
        case let .atomicOp(address, op, operand):
            // CSem build_atomic_op with a_noreturn for the read and a_once for the write.
            try operands([operand, address], s) { (s: State, v: [Value], t: [Taint]) throws in
                try update(s, v[1], t[1], nil, dataTaint: t[0], new: { (old: Value) throws -> Value in try combine(op, old, v[0]) }) {
                    (s: State, _: Value, _: Value, _: Taint) throws in try k(s)
                }
            }
        case let .lock(address):
            try operands([address], s) { (s: State, v: [Value], t: [Taint]) throws in
                try takeLock(s, v[0], t[0]) { (s: State) throws in try k(s) }
            }
        case let .unlock(address):
            try operands([address], s) { (s: State, v: [Value], t: [Taint]) throws in
                var s = s
                guard v[0].location != nil else { s.trace.impossible = true; return try k(s) }
                try write(&s, v[0], .zero, addrTaint: t[0], dataTaint: Taint(), tags: [.unlock, .release])
                try k(s)
            }
        case .advance: try k(s)
        case let .srcu(kind, address, value):
            try operands([address] + (value.map { [$0] } ?? []), s) { (s: State, v: [Value], _: [Taint]) throws in
                var s = s
                try srcu(&s, kind, v[0], value: v.count > 1 ? v[1] : nil)
                try k(s)
            }
        case let .conditional(c, thenBody, elseBody):
            try operands([c], s) { (s: State, v: [Value], t: [Taint]) throws in
                var inner = s
                let outer = s.ctrl
                inner.ctrl = outer | t[0]
                inner.step += 1
                // herd7 build_cond: `e` is `e != 0`; a pointer is never null here.
                let taken = v[0].location != nil || v[0].bits != 0
                try run((taken ? thenBody : elseBody)[...], inner) { (s: State) throws in
                    var s = s
                    s.ctrl = outer
                    try k(s)
                }
            }
        }
    }

    // MARK: expressions

    /// Evaluates `es` left to right, then continues with their values and taints.
    private func operands(_ es: [LKMMExpression], _ s: State, _ k: (State, [Value], [Taint]) throws -> Void) throws {
        func go(_ i: Int, _ s: State, _ vs: [Value], _ ts: [Taint]) throws {
            if i == es.count { return try k(s, vs, ts) }
            try evaluate(es[i], s) { (s: State, v: Value, t: Taint) throws in try go(i + 1, s, vs + [v], ts + [t]) }
        }
        try go(0, s, [], [])
    }

    private func evaluate(_ e: LKMMExpression, _ s: State, _ k: Continuation) throws {
        switch e {
        case let .constant(c): try k(s, Value(bits: c), Taint())
        case let .register(r): try k(s, s.regs[r] ?? program.threads[thread].initialRegisters[r] ?? .zero, s.taint[r] ?? Taint())
        case let .address(l): try k(s, Value(location: l), Taint())
        case let .load(a, address):
            try operands([address], s) { (s: State, v: [Value], t: [Taint]) throws in
                try read(s, v[0], addrTaint: t[0], tags: LKMMTags(a)) { (s: State, v: Value, _: Int, t: Taint) throws in try k(s, v, t) }
            }
        case let .binary(op, l, r):
            try operands([l, r], s) { (s: State, v: [Value], t: [Taint]) throws in try k(s, try combine(op, v[0], v[1]), t[0] | t[1]) }
        case let .exchange(address, value, order):
            try operands([value, address], s) { (s: State, v: [Value], t: [Taint]) throws in
                try update(s, v[1], t[1], order, dataTaint: t[0], new: { (_: Value) -> Value in v[0] }) {
                    (s: State, old: Value, _: Value, rt: Taint) throws in try k(s, old, rt)
                }
            }
        case let .compareExchange(address, expected, new, order):
            try operands([address, expected, new], s) { (s: State, v: [Value], t: [Taint]) throws in
                // Success: the read equals `expected`; the write stores `new`, with the order.
                try update(s, v[0], t[0], order, dataTaint: t[2], only: { (x: Value) -> Bool in same(x, v[1]) },
                           new: { (_: Value) -> Value in v[2] }) { (s: State, old: Value, _: Value, rt: Taint) throws in try k(s, old, rt) }
                // Failure: one once read of another value, no order at all.
                try read(s, v[0], addrTaint: t[0], tags: .once, only: { (x: Value) -> Bool in !same(x, v[1]) }) {
                    (s: State, old: Value, _: Int, rt: Taint) throws in try k(s, old, rt)
                }
            }
        case let .addUnless(address, add, unless, returnsBool):
            // CSem AtomicAddUnless: linux_add_unless_ok between two F[mb], or linux_add_unless_no.
            try operands([address, add, unless], s) { (s: State, v: [Value], t: [Taint]) throws in
                try update(s, v[0], t[0], .mb, dataTaint: t[1], only: { (x: Value) -> Bool in !same(x, v[2]) },
                           new: { (old: Value) throws -> Value in try combine(.add, old, v[1]) }) {
                    (s: State, old: Value, _: Value, rt: Taint) throws in try k(s, returnsBool ? Value(bits: 1) : old, returnsBool ? Taint() : rt)
                }
                try read(s, v[0], addrTaint: t[0], tags: .once, only: { (x: Value) -> Bool in same(x, v[2]) }) {
                    (s: State, old: Value, _: Int, rt: Taint) throws in try k(s, returnsBool ? Value(bits: 0) : old, returnsBool ? Taint() : rt)
                }
            }
        case let .srcuLock(address):
            try operands([address], s) { (s: State, v: [Value], _: [Taint]) throws in
                var s = s
                let value = Value(bits: UInt64((thread + 1) * 307 + s.herdIndex * 599))
                try srcu(&s, .srcuLock, v[0], value: value)
                try k(s, value, Taint())
            }
        case let .tryLock(address):
            try operands([address], s) { (s: State, v: [Value], t: [Taint]) throws in
                try takeLock(s, v[0], t[0]) { (s: State) throws in try k(s, Value(bits: 1), Taint()) }
                try read(s, v[0], addrTaint: t[0], tags: .lockFail, only: { (x: Value) -> Bool in !same(x, .zero) }) {
                    (s: State, _: Value, _: Int, _: Taint) throws in try k(s, .zero, Taint())
                }
            }
        case let .atomicUpdate(address, op, operand, returnsOld, order):
            try operands([operand, address], s) { (s: State, v: [Value], t: [Taint]) throws in
                try update(s, v[1], t[1], order, dataTaint: t[0], new: { (old: Value) throws -> Value in try combine(op, old, v[0]) }) {
                    (s: State, old: Value, new: Value, rt: Taint) throws in
                    try k(s, returnsOld ? old : new, returnsOld ? rt : rt | t[0])
                }
            }
        }
    }

    /// Adds to every cell's value domain the constants of the threads' code:
    /// herd7 takes each branch of a condition on read values symbolically,
    /// so the path on which `*z2 == 1` (or `READ_ONCE(*x) != 0`) holds
    /// exists even when no other path writes such a value first. A value in
    /// the domain is only a choice of path: a read still takes it only from
    /// a write of that value.
    static func seed(_ domain: inout [[UInt64]], _ p: Program, _ layout: CellLayout) {
        var constants: Set<UInt64> = []
        func expression(_ e: LKMMExpression) {
            switch e {
            case let .constant(c): constants.insert(c)
            case .register, .address: break
            case let .load(_, a): expression(a)
            case let .binary(_, a, b), let .exchange(a, b, _): expression(a); expression(b)
            case let .compareExchange(a, b, c, _): expression(a); expression(b); expression(c)
            case let .atomicUpdate(a, _, b, _, _): expression(a); expression(b)
            case let .addUnless(a, b, c, _): expression(a); expression(b); expression(c)
            case let .tryLock(a), let .srcuLock(a): expression(a)
            }
        }
        func walk(_ body: [LKMMStatement]) {
            for s in body {
                switch s {
                case let .assign(_, e), let .evaluate(e): expression(e)
                case let .store(_, a, v), let .atomicOp(a, _, v): expression(a); expression(v)
                case .fence: break
                case let .conditional(c, t, e): expression(c); walk(t); walk(e)
                case let .lock(a), let .unlock(a): expression(a)
                case let .srcu(_, a, v): expression(a); v.map(expression)
                case .advance: break
                }
            }
        }
        p.lkmmThreads.forEach { walk($0.body) }
        // Not into pointers (kept as 8-byte unsigned): a constant there would only be dereferenced.
        for (l, loc) in p.locations.enumerated() where loc.type != ValueType(bytes: 8, signed: false) {
            for cell in layout.firstCell[l] ..< layout.firstCell[l] + loc.byteSize / layout.cellBytes[l] {
                for c in constants.sorted() where !domain[cell].contains(loc.type.truncate(c)) { domain[cell].append(loc.type.truncate(c)) }
            }
        }
    }

    /// Values some path writes that depend on no read (a constant, or a
    /// register set to one), whatever that path read to get there: herd7
    /// solves a C test's values symbolically, so `if (r0 == 1)
    /// WRITE_ONCE(*y, 1);` writes 1 in an execution where `r0` reads 1 from
    /// a write that depends on that very `y` (kernel dep+plain). The
    /// checker's fixpoint admits a value only when a combination of paths
    /// justifies every read: these are admitted first. Values computed from
    /// reads (and every rmw's) are still justified that way.
    static func readIndependentValues(_ traces: [[ThreadTrace]]) -> [(cell: Int, value: UInt64)] {
        var out: [(Int, UInt64)] = []
        for ts in traces {
            for t in ts {
                for (i, e) in t.events.enumerated() where e.isWrite && t.data[i] == 0 && !t.rmw.contains(where: { $0.write == i }) {
                    out += zip(e.cells, e.values).map { ($0, $1) }
                }
            }
        }
        return out
    }

    /// lock.cat's `LKR` (an Acquire read of the free lock, 0) and `LKW` (taking it, 1), an rmw pair.
    private func takeLock(_ s: State, _ address: Value, _ at: Taint, _ k: (State) throws -> Void) throws {
        try read(s, address, addrTaint: at, tags: [.lockRead, .acquire], only: { (x: Value) -> Bool in same(x, .zero) }) {
            (s: State, _: Value, r: Int, _: Taint) throws in
            var s = s
            guard r >= 0 else { return try k(s) }
            s.step += 1
            let w = try write(&s, address, Value(bits: 1), addrTaint: at, dataTaint: Taint(), tags: .lockWrite)
            s.trace.rmw.append((r, w))
            try k(s)
        }
    }

    /// An SRCU event at this statement: a fence-like event (no memory
    /// access) on the `srcu_struct` at `address`, with its value.
    private func srcu(_ s: inout State, _ kind: LKMMFence, _ address: Value, value: Value?) throws {
        guard let l = address.location else { throw ModelError.notModelled("an SRCU primitive on a value that is not a location's address") }
        s.trace.lkmmFences.append((s.step, kind))
        s.trace.srcu[s.step] = (l, value)
    }

    // MARK: memory

    /// The cell `address` names; nil (the reason kept in the trace) for an
    /// access outside its location, which the checker refuses unless no
    /// execution can take the path (`ThreadTrace.outOfBounds`).
    private func cell(_ address: Value, _ trace: inout ThreadTrace) throws -> (location: Int, cells: [Int], type: ValueType)? {
        guard let l = address.location else { throw ModelError.notModelled("an access through a value that is not a location's address") }
        let loc = program.locations[l]
        let offset = Int(address.bits)
        guard offset >= 0, offset + loc.type.bytes <= loc.byteSize, offset % loc.type.bytes == 0 else {
            trace.outOfBounds = trace.outOfBounds ?? "an access at offset \(offset) of '\(loc.name)'"
            return nil
        }
        guard let cs = layout.cells(location: l, offset: offset, bytes: loc.type.bytes), cs.count == 1 else {
            throw ModelError.notModelled("an access to '\(loc.name)' narrower than its cells")
        }
        return (l, cs, loc.type)
    }

    private func loaded(_ bits: UInt64, _ t: ValueType) -> Value {
        let v = LKMMPointer.decode(bits)
        guard v.location == nil, t.signed, t.bytes < 8, bits & (1 << UInt64(t.bytes * 8 - 1)) != 0 else { return v }
        return Value(bits: bits | ~((1 << UInt64(t.bytes * 8)) - 1))  // sign-extended, as C promotes it
    }

    /// One read event of the cell `address` names, for each value of the domain (`only` filters them).
    private func read(_ s: State, _ address: Value, addrTaint: Taint, tags: LKMMTags, only: (Value) -> Bool = { _ in true },
                      _ k: (State, Value, Int, Taint) throws -> Void) throws {
        // A path that dereferences an integer is one no execution takes (the
        // value came from the domain's seeds, `seed`, not from a write of a
        // pointer): it runs on, without the access, for the values it writes
        // (the checker's fixpoint may need them), and is then left out.
        guard address.location != nil else {
            var t = s
            t.trace.impossible = true
            return try k(t, .zero, -1, Taint())
        }
        var s = s
        guard let (_, cs, type) = try cell(address, &s.trace) else { return try k(s, .zero, -1, Taint()) }
        try checkLimit(s)
        for bits in domain[cs[0]] {
            let v = loaded(bits, type)
            guard only(v) else { continue }
            var t = s
            let id = t.trace.events.count
            var e = Event(kind: .read, thread: thread, instruction: t.step, cells: cs, values: [bits])
            e.lkmm = tags
            t.trace.events.append(e)
            t.trace.pickLrs.append(0)
            t.trace.append(addr: addrTaint, data: Taint(), ctrl: t.ctrl)
            try k(t, v, id, Taint(read: id))
        }
    }

    @discardableResult
    private func write(_ s: inout State, _ address: Value, _ v: Value, addrTaint: Taint, dataTaint: Taint, tags: LKMMTags) throws -> Int {
        guard let (_, cs, type) = try cell(address, &s.trace) else { return -1 }
        let bits = v.location == nil ? type.truncate(v.bits) : LKMMPointer.encode(v)
        var e = Event(kind: .write, thread: thread, instruction: s.step, cells: cs, values: [bits])
        e.lkmm = tags
        let id = s.trace.events.count
        s.trace.events.append(e)
        s.trace.pickLrs.append(0)
        s.trace.append(addr: addrTaint, data: dataTaint, ctrl: s.ctrl)
        return id
    }

    /// A read and a write of one instruction, paired in `rmw`: the write
    /// stores `new(old)`; its data depends on the operand (`dataTaint`) and,
    /// inside the instruction, on the read (herd7 iico, not `data`).
    /// `order` nil: `__atomic_op` (R[noreturn], W[once]); `{mb}`: `F[mb]`
    /// before and after, once accesses; `{acquire}`/`{release}`: that side
    /// annotated, the other once.
    private func update(_ s: State, _ address: Value, _ at: Taint, _ order: LKMMOrder?,
                        dataTaint: Taint, only: (Value) -> Bool = { _ in true },
                        new: (Value) throws -> Value,
                        _ k: (State, _ old: Value, _ new: Value, Taint) throws -> Void) throws {
        var s = s
        if order == .mb {
            s.trace.lkmmFences.append((s.step, .mb))
            s.step += 1
        }
        let readTags: LKMMTags = order == nil ? .noReturn : order == .acquire ? .acquire : .once
        let writeTags: LKMMTags = order == .release ? .release : .once
        try read(s, address, addrTaint: at, tags: readTags, only: only) { (s: State, old: Value, r: Int, t: Taint) throws in
            var s = s
            let n = try new(old)
            // The write is po-after the read (herd7 orders an rmw's events: an
            // rmw reading a write co-after its own write breaks coherence).
            s.step += 1
            guard r >= 0 else { return try k(s, old, n, t) }  // an impossible path (see `read`)
            let w = try write(&s, address, n, addrTaint: at, dataTaint: dataTaint, tags: writeTags)
            s.trace.rmw.append((r, w))
            if order == .mb {
                s.step += 1
                s.trace.lkmmFences.append((s.step, .mb))
            }
            try k(s, old, n, t)
        }
    }

    private func checkLimit(_ s: State) throws {
        if s.trace.events.count >= 60 { throw ModelError.tooLarge("thread P\(thread) has more than 60 memory events") }
    }

    // MARK: values

    private func same(_ a: Value, _ b: Value) -> Bool { a.location == b.location && a.bits == b.bits }

    private func integer(_ v: Value) throws -> UInt64 {
        guard v.location == nil else { throw ModelError.notModelled("arithmetic on a pointer") }
        return v.bits
    }

    private func combine(_ op: LKMMOperator, _ a: Value, _ b: Value) throws -> Value {
        switch op {
        case .equal: return Value(bits: same(a, b) ? 1 : 0)
        case .notEqual: return Value(bits: same(a, b) ? 0 : 1)
        case .add where a.location != nil && b.location == nil: return Value(location: a.location!, offset: a.bits &+ b.bits)
        default: break
        }
        let x = try integer(a), y = try integer(b)
        let sx = Int64(bitPattern: x), sy = Int64(bitPattern: y)
        func flag(_ b: Bool) -> Value { Value(bits: b ? 1 : 0) }
        switch op {
        case .add: return Value(bits: x &+ y)
        case .sub: return Value(bits: x &- y)
        case .mul: return Value(bits: x &* y)
        case .div:
            guard sy != 0 else { throw ModelError.notModelled("a division by zero") }
            return Value(bits: UInt64(bitPattern: sx / sy))
        case .and: return Value(bits: x & y)
        case .or: return Value(bits: x | y)
        case .xor: return Value(bits: x ^ y)
        case .less: return flag(sx < sy)
        case .lessEqual: return flag(sx <= sy)
        case .greater: return flag(sx > sy)
        case .greaterEqual: return flag(sx >= sy)
        case .equal, .notEqual: fatalError("handled above")
        }
    }
}
