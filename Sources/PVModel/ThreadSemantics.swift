/// Runs one thread's code for every choice of the values its reads return
/// (drawn from a per-cell value domain), producing one `ThreadTrace` per
/// path. Control flow is resolved per path, as herd7 resolves it per
/// candidate execution. Misaligned accesses are split into bytes (Arm ARM
/// B2.2.1: no single-copy atomicity above the byte for a misaligned access
/// without FEAT_LSE2; x86: only when the access crosses a 64-byte line).
struct ThreadSemantics {
    let program: Program
    let thread: Int
    let layout: CellLayout
    let domain: [[UInt64]]
    let options: CheckOptions
    let traceLimit: Int

    /// Instructions one path may run: a loop on a determined condition is
    /// not cut by the unrolling bound (herd7 would run it to its end, or forever).
    static let stepLimit = 10_000

    /// Thrown (internally) when a location needs finer cells.
    struct NeedFinerCells: Error { var location: Int; var cellBytes: Int }

    private struct State {
        var pc = 0
        var step = 0
        var regs: [Int: Value]
        var taint: [Int: Taint] = [:]
        var trace = ThreadTrace()
        var ctrl = Taint()
        /// Source taint (iico_data) of each write event, for dependencies through memory (lrs).
        var writeTaint: [Int: Taint] = [:]
        var monitor: (reads: [Int], location: Int, offset: Int, bytes: Int)?
        /// What herd7 knows of each register while it builds the thread's
        /// events (mem.ml's register environment); absent: killed, a fresh
        /// variable on each read.
        var known: [Int: Known] = [:]
        /// Taken backward jumps counted against the unrolling bound, by target (mem.ml `see`).
        var seen: [Int: Int] = [:]
        var nextVariable = 0
    }

    /// A register's value as herd7 sees it before solving: a constant, or a
    /// variable bound by an ALU instruction on an undetermined input.
    /// Determined values do not count against the unrolling bound (mem.ml
    /// `add_tgt` is called with `check_back = not (V.is_var_determined v)`).
    enum Known: Equatable {
        case constant
        case variable(Int)
    }

    func traces() throws -> [ThreadTrace] {
        var out: [ThreadTrace] = []
        let code = program.threads[thread].instructions
        var start = State(regs: program.threads[thread].initialRegisters)
        start.regs[Instruction.zeroRegister] = nil
        for r in start.regs.keys { start.known[r] = .constant }
        try run(start, code, &out)
        return out
    }

    /// The thread has an instruction whose control edge carries a pick
    /// dependency (CSEL, CAS). Without one pick-dtrm is dtrm and the
    /// lrs-ending pick paths (`ThreadTrace.pickLrs`) are already in lob
    /// (`(addr|data); lrs`): they are left empty.
    private var hasPickOnlyEdges: Bool {
        program.threads[thread].instructions.contains {
            switch $0 {
            case .select, .compareAndSwap, .compareAndSwapPair: true
            default: false
            }
        }
    }

    private func read(_ s: State, _ r: Int) -> Value {
        r == Instruction.zeroRegister ? .zero : (s.regs[r] ?? .zero)
    }

    private func taint(_ s: State, _ r: Int) -> Taint { r == Instruction.zeroRegister ? Taint() : (s.taint[r] ?? Taint()) }

    /// Writes a register. Unless `known` says otherwise the register is
    /// killed, as herd7 kills every register a load, a store-exclusive, an
    /// atomic or a CSEL writes (AArch64Arch_herd.ml `killed`).
    private func write(_ s: inout State, _ r: Int, _ v: Value, taint t: Taint, known k: Known? = nil) {
        guard r != Instruction.zeroRegister else { return }
        s.regs[r] = v
        s.taint[r] = t
        s.known[r] = k
    }

    /// What herd7 binds an ALU instruction's result to (AArch64Sem.ml's
    /// `nextSet`): a constant when every input is one; else a variable,
    /// the same one for `x EOR x` (symbValue.ml `xor`: zero) and `x + 0`, `x | 0`.
    private func knownResult(_ s: inout State, _ op: ArithmeticOperation?, _ inputs: [Operand], bytes: Int) -> Known {
        func known(_ o: Operand) -> Known? {
            switch o {
            case let .register(r), let .shifted(r, _):
                return r == Instruction.zeroRegister ? .constant : s.known[r]
            case .immediate, .address: return .constant
            }
        }
        let ks = inputs.map(known)
        if ks.allSatisfy({ $0 == .constant }) { return .constant }
        // A W register is read through a zero-extension, a fresh variable each time.
        guard bytes == 8 else {
            s.nextVariable += 1
            return .variable(s.nextVariable)
        }
        if op == .eor, inputs.count == 2, case .register = inputs[0], case .register = inputs[1],
           let a = ks[0], a == ks[1] { return .constant }
        if op == nil || op == .add || op == .orr, inputs.count <= 2 {
            if inputs.count == 1, case .register = inputs[0], let a = ks[0] { return a }
            if inputs.count == 2, case .immediate(0) = inputs[1], case .register = inputs[0], let a = ks[0] { return a }
        }
        s.nextVariable += 1
        return .variable(s.nextVariable)
    }

    private func mask(_ bits: UInt64, _ bytes: Int) -> UInt64 {
        bytes >= 8 ? bits : bits & ((1 << UInt64(bytes * 8)) - 1)
    }

    /// An operand's value for an operation of `bytes`, with its taint.
    private func operand(_ s: State, _ o: Operand, bytes: Int = 8) throws -> (Value, Taint) {
        switch o {
        case let .register(r): return (read(s, r), taint(s, r))
        case let .immediate(i): return (Value(bits: i), Taint())
        case let .address(l): return (Value(location: l), Taint())
        case let .shifted(r, sh):
            let v = read(s, r)
            guard v.location == nil else { throw ModelError.notModelled("a shifted or extended register that holds an address") }
            return (Value(bits: shifted(v.bits, sh, bytes)), taint(s, r))
        }
    }

    /// AArch64's shifted/extended register operand, for an operation of `bytes`.
    private func shifted(_ bits: UInt64, _ sh: RegisterShift, _ bytes: Int) -> UInt64 {
        let width = UInt64(bytes * 8)
        let v = mask(bits, bytes)
        switch sh {
        case let .lsl(k): return v << UInt64(k)
        case let .lsr(k): return v >> UInt64(k)
        case let .asr(k):
            let signed = width >= 64 ? Int64(bitPattern: v) : Int64(bitPattern: v << (64 - width)) >> Int64(64 - width)
            return UInt64(bitPattern: signed >> Int64(k))
        case .sxtw: return UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: bits)))
        case .uxtw: return bits & 0xFFFF_FFFF
        }
    }

    /// The location and byte offset an address names, with its register taint.
    private func resolve(_ s: State, _ a: Address) throws -> (Int, Int, Taint) {
        var t = Taint()
        var base: Value
        switch a.base {
        case let .register(r): base = read(s, r); t |= taint(s, r)
        case let .location(l): base = Value(location: l)
        }
        guard let loc = base.location else {
            throw ModelError.notModelled("an access through a register that holds no location's address")
        }
        var off = Int64(bitPattern: base.bits) &+ (a.writeback == .postIndex ? 0 : a.offset)
        if let i = a.index {
            let iv = read(s, i)
            guard iv.location == nil else { throw ModelError.notModelled("an index register holding an address") }
            let ib: UInt64 = switch a.indexExtension {
            case .none: iv.bits
            case .sxtw: UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: iv.bits)))
            case .uxtw: iv.bits & 0xFFFF_FFFF
            }
            off = off &+ Int64(bitPattern: ib << UInt64(a.indexShift))
            t |= taint(s, i)
        }
        return (loc, Int(truncatingIfNeeded: off), t)
    }

    /// Pre- and post-index: the base register becomes base + offset, with
    /// the base's dependencies (herd7 binds it, AArch64Sem.ml `B.Next [rs,a]`).
    private func writeBack(_ s: inout State, _ a: Address) {
        guard a.writeback != nil, case let .register(r) = a.base else { return }
        let v = read(s, r)
        let moved = v.location.map { Value(location: $0, offset: v.bits &+ UInt64(bitPattern: a.offset)) }
            ?? Value(bits: v.bits &+ UInt64(bitPattern: a.offset))
        write(&s, r, moved, taint: taint(s, r), known: knownResult(&s, .add, [.register(r), .immediate(UInt64(bitPattern: a.offset))], bytes: 8))
    }

    /// Single-copy-atomic pieces of an access (offset, bytes).
    private func pieces(_ loc: Int, _ offset: Int, _ bytes: Int, atomicPair: Bool = false) throws -> [(Int, Int)] {
        let size = program.locations[loc].byteSize
        guard offset >= 0, offset + bytes <= size else {
            throw ModelError.notModelled("an access of \(bytes) bytes at offset \(offset) of '\(program.locations[loc].name)' (\(size) bytes)")
        }
        let aligned: Bool
        switch program.architecture {
        case .aarch64:
            aligned = offset % bytes == 0 || (options.lse2 && offset / 16 == (offset + bytes - 1) / 16)
        case .x86, .x86_64, .c:
            aligned = offset / 64 == (offset + bytes - 1) / 64
        }
        return aligned ? [(offset, bytes)] : (0 ..< bytes).map { (offset + $0, 1) }
    }

    private func cells(_ loc: Int, _ off: Int, _ bytes: Int) throws -> [Int] {
        guard let c = layout.cells(location: loc, offset: off, bytes: bytes) else {
            throw NeedFinerCells(location: loc, cellBytes: gcd(gcd(layout.cellBytes[loc], off), bytes))
        }
        return c
    }

    /// Appends read events for `pieces` and continues with every combination
    /// of cell values; `k` receives the little-endian bytes read.
    private func reads(_ s: State, loc: Int, pieces: [(Int, Int)], instr: Int, addrTaint: Taint,
                       annotate: (inout Event) -> Void,
                       _ k: (State, _ bytes: [UInt8], _ events: [Int]) throws -> Void) throws {
        var s = s
        var evs: [Int] = []
        var choices: [[UInt64]] = []
        var cellList: [Int] = []
        for (piece, (off, n)) in pieces.enumerated() {
            let cs = try cells(loc, off, n)
            for group in eventCells(cs) {
                var e = Event(kind: .read, thread: thread, instruction: instr, piece: piece, cells: group, values: [])
                annotate(&e)
                evs.append(s.trace.events.count)
                s.trace.pickLrs.append(hasPickOnlyEdges ? lrsSources(s, s.trace.events.count, cells: group).pick : 0)
                s.trace.events.append(e)
                s.trace.append(addr: addrTaint, data: Taint(), ctrl: s.ctrl)
            }
            cellList += cs
            for c in cs { choices.append(domain[c]) }
        }
        let cb = layout.cellBytes[loc]
        var picked = [UInt64](repeating: 0, count: cellList.count)
        func go(_ i: Int) throws {
            if i == cellList.count {
                var t = s
                var ci = 0
                var bytes: [UInt8] = []
                for e in evs {
                    let n = t.trace.events[e].cells.count
                    t.trace.events[e].values = Array(picked[ci ..< ci + n])
                    ci += n
                }
                for v in picked { for b in 0 ..< cb { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * b))) } }
                try k(t, bytes, evs)
                return
            }
            for v in choices[i] {
                picked[i] = v
                try go(i + 1)
            }
        }
        try go(0)
    }

    /// Taint a load's destination gets: the reads themselves, plus the
    /// sources of the po-latest same-thread write to each cell (herd7 lrs in dtrm).
    private func loadTaint(_ s: State, _ evs: [Int]) -> Taint {
        var t = Taint()
        for e in evs { t = t | Taint(read: e) | lrsSources(s, e, cells: s.trace.events[e].cells) }
        return t
    }

    /// The sources of the po-latest same-thread write before event `e` to each of `cells` (herd7 `lrs`).
    private func lrsSources(_ s: State, _ e: Int, cells: [Int]) -> Taint {
        var t = Taint()
        for c in cells {
            if let w = s.trace.events.indices.last(where: { $0 < e && s.trace.events[$0].isWrite && s.trace.events[$0].cells.contains(c) }) {
                t = t | (s.writeTaint[w] ?? Taint())
            }
        }
        return t
    }

    /// The cells of one single-copy-atomic piece, as events: one event for
    /// all of them, or one per cell (byte) in the reference enumeration.
    private func eventCells(_ cs: [Int]) -> [[Int]] {
        options.byteEvents ? cs.map { [$0] } : [cs]
    }

    /// Appends the write events of one single-copy-atomic piece; returns their ids.
    @discardableResult
    private func appendWrite(_ s: inout State, loc: Int, offset: Int, bytes: [UInt8], instr: Int, piece: Int = 0,
                             addrTaint: Taint, dataTaint: Taint, annotate: (inout Event) -> Void) throws -> [Int] {
        let cs = try cells(loc, offset, bytes.count)
        let cb = layout.cellBytes[loc]
        var value: [Int: UInt64] = [:]
        for (i, c) in cs.enumerated() {
            var v: UInt64 = 0
            for b in 0 ..< cb { v |= UInt64(bytes[i * cb + b]) << UInt64(8 * b) }
            value[c] = v
        }
        var ids: [Int] = []
        for group in eventCells(cs) {
            var e = Event(kind: .write, thread: thread, instruction: instr, piece: piece, cells: group, values: group.map { value[$0]! })
            annotate(&e)
            let id = s.trace.events.count
            s.trace.events.append(e)
            s.trace.pickLrs.append(0)
            s.trace.append(addr: addrTaint, data: dataTaint, ctrl: s.ctrl)
            s.writeTaint[id] = addrTaint | dataTaint
            ids.append(id)
        }
        return ids
    }

    /// herd7 `iico_order` between the two halves of a pair's events: every
    /// event of the half at `off` (`firstLow`) or at `off + bytes` before
    /// every event of the other half.
    private func orderHalves(_ s: inout State, _ evs: [Int], loc: Int, off: Int, bytes: Int, firstLow: Bool) {
        let end = layout.firstCell[loc] + (off + bytes) / layout.cellBytes[loc]  // the high half's first cell
        let low = evs.filter { e in s.trace.events[e].cells.allSatisfy { $0 < end } }
        let high = evs.filter { !low.contains($0) }
        for a in firstLow ? low : high { for b in firstLow ? high : low { s.trace.iicoOrder.append((a, b)) } }
    }

    /// `bits` of `bytes` bytes as a signed integer.
    private func signed(_ bits: UInt64, _ bytes: Int) -> Int64 {
        bytes >= 8 ? Int64(bitPattern: bits) : Int64(bitPattern: bits << UInt64(64 - 8 * bytes)) >> Int64(64 - 8 * bytes)
    }

    private func leBytes(_ v: UInt64, _ n: Int) -> [UInt8] { (0 ..< n).map { UInt8(truncatingIfNeeded: v >> UInt64(8 * $0)) } }
    private func fromLE(_ b: ArraySlice<UInt8>) -> UInt64 {
        var v: UInt64 = 0
        for (i, x) in b.enumerated() { v |= UInt64(x) << UInt64(8 * i) }
        return v
    }

    private func storedBits(_ s: State, _ o: Operand, _ bytes: Int) throws -> (UInt64, Taint) {
        let (v, t) = try operand(s, o, bytes: bytes)
        guard v.location == nil else { throw ModelError.notModelled("storing an address to memory") }
        return (mask(v.bits, bytes), t)
    }

    /// `a op b` on integers, truncated to `bytes`.
    private func compute(_ op: ArithmeticOperation, _ a: UInt64, _ b: UInt64, _ n: Int) -> UInt64 {
        switch op {
        case .add: return mask(a &+ b, n)
        case .sub: return mask(a &- b, n)
        case .and: return mask(a & b, n)
        case .orr: return mask(a | b, n)
        case .eor: return mask(a ^ b, n)
        case .bic: return mask(a & ~b, n)
        case .lsl: return mask(a << (b & 63), n)
        case .lsr: return shifted(a, .lsr(Int(b & 63)), n)
        case .asr: return mask(shifted(a, .asr(Int(b & 63)), n), n)
        case let .movk(sh): return mask(a & ~(0xFFFF << UInt64(sh)) | b << UInt64(sh), n)
        case .adds: return mask(a &+ b, n)
        case .subs: return mask(a &- b, n)
        case .ands: return mask(a & b, n)
        }
    }

    /// NZCV after ADDS/SUBS/ANDS of `bytes` (herd7's `op_set_flags`: carry
    /// and overflow as Hacker's Delight 2-13 computes them at the sign bit).
    private func nzcv(_ op: ArithmeticOperation, _ x: UInt64, _ y: UInt64, _ res: UInt64, _ bytes: Int) -> UInt64 {
        let sign = UInt64(bytes * 8 - 1)
        func bit(_ v: UInt64) -> UInt64 { v >> sign & 1 }
        let n = bit(res), z: UInt64 = res == 0 ? 1 : 0
        var c: UInt64 = 0, v: UInt64 = 0
        switch op {
        case .adds:
            c = bit((x & y) | ((x | y) & ~res))
            v = bit((res ^ x) & (res ^ y))
        case .subs:
            c = bit((x & ~y) | ((x | ~y) & ~res))
            v = bit((x ^ y) & (res ^ x))
        default: break
        }
        return n << 3 | z << 2 | c << 1 | v
    }

    private func checkLimits(_ s: State, _ out: [ThreadTrace]) throws {
        if s.trace.events.count > 60 { throw ModelError.tooLarge("thread P\(thread) has more than 60 memory events") }
        if s.step > Self.stepLimit {
            throw ModelError.tooLarge("thread P\(thread) runs more than \(Self.stepLimit) instructions on one path (a loop whose condition does not depend on memory is not bounded by the unrolling, as in herd7)")
        }
        if out.count >= traceLimit {
            throw ModelError.tooLarge("thread P\(thread) has more than \(traceLimit) paths (reads × values)")
        }
    }

    private func run(_ s0: State, _ code: [Instruction], _ out: inout [ThreadTrace]) throws {
        var s = s0
        while s.pc < code.count {
            try checkLimits(s, out)
            let instr = s.step
            s.step += 1
            let here = s.pc
            s.pc += 1
            switch code[here] {
            case let .move(d, src, n):
                let (v, t) = try operand(s, src, bytes: n)
                if v.location != nil, n < 8 { throw ModelError.notModelled("a 32-bit move of an address") }
                write(&s, d, v.location == nil ? Value(bits: mask(v.bits, n)) : v, taint: t,
                      known: knownResult(&s, nil, [src], bytes: n))
            case let .arithmetic(op, d, lhs, rhs, n):
                let a = read(s, lhs)
                let (b, tb) = try operand(s, rhs, bytes: n)
                let t = taint(s, lhs) | tb
                let r: Value
                switch (op, a.location, b.location) {
                case let (.add, l?, nil) where n == 8: r = Value(location: l, offset: a.bits &+ b.bits)
                case let (.add, nil, l?) where n == 8: r = Value(location: l, offset: a.bits &+ b.bits)
                case let (.sub, l?, nil) where n == 8: r = Value(location: l, offset: a.bits &- b.bits)
                case let (.eor, l?, m?) where l == m: r = Value(bits: mask(a.bits ^ b.bits, n))
                case let (.sub, l?, m?) where l == m: r = Value(bits: mask(a.bits &- b.bits, n))
                case (_, nil, nil): r = Value(bits: compute(op, a.bits, b.bits, n))
                default: throw ModelError.notModelled("arithmetic on addresses other than address±integer, x EOR x or x SUB x")
                }
                let inputs: [Operand] = [.register(lhs), rhs]
                write(&s, d, r, taint: t, known: knownResult(&s, op, inputs, bytes: n))
                if [.adds, .subs, .ands].contains(op) {
                    guard a.location == nil, b.location == nil else { throw ModelError.notModelled("flags from an address") }
                    write(&s, Instruction.flagsRegister, Value(bits: nzcv(op, a.bits, b.bits, r.bits, n)), taint: t,
                          known: knownResult(&s, .adds, inputs, bytes: 4))
                }
            case let .select(op, d, ifTrue, ifFalse, cond, n):
                let flags = read(s, Instruction.flagsRegister)
                let taken = cond.holds(nzcv: flags.bits)
                let src = taken ? ifTrue : ifFalse
                let v = read(s, src)
                guard v.location == nil || (taken || op == .csel) && n == 8 else {
                    throw ModelError.notModelled("a conditional select computing on an address")
                }
                let r: Value = switch (taken, op) {
                case (true, _), (false, .csel): v.location == nil ? Value(bits: mask(v.bits, n)) : v
                case (false, .csinc): Value(bits: mask(v.bits &+ 1, n))
                case (false, .csinv): Value(bits: mask(~v.bits, n))
                case (false, .csneg): Value(bits: mask(0 &- v.bits, n))
                }
                // herd7: NZCV → commit (iico_data), commit → the register write (iico_ctrl):
                // the flags' reads reach the result through pick-dtrm only.
                write(&s, d, r, taint: taint(s, src) | Taint(pickOnly: taint(s, Instruction.flagsRegister)))
            case let .branch(cond, target):
                let taken: Bool
                // herd7 counts a backward jump against the bound when it is
                // unconditional or its condition is undetermined (mem.ml next_instr).
                var counted = true
                func tested(_ r: Int) throws -> UInt64 {
                    let v = read(s, r)
                    guard v.location == nil else { throw ModelError.notModelled("a branch on an address") }
                    s.ctrl = s.ctrl | taint(s, r)
                    counted = r != Instruction.zeroRegister && s.known[r] != .constant
                    return v.bits
                }
                switch cond {
                case .always: taken = true
                case let .zero(r): taken = try tested(r) == 0
                case let .nonZero(r): taken = try tested(r) != 0
                case let .bitZero(r, bit): taken = try tested(r) >> UInt64(bit) & 1 == 0
                case let .bitNonZero(r, bit): taken = try tested(r) >> UInt64(bit) & 1 != 0
                case let .flags(c): taken = c.holds(nzcv: try tested(Instruction.flagsRegister))
                }
                guard taken else { break }
                if target <= here, counted {
                    // mem.ml fetch_addr: the (unroll+1)-th taken jump to one target ends
                    // the path with herd7's TooFar event instead.
                    let x = (s.seen[target] ?? 0) + 1
                    s.seen[target] = x
                    if x > options.unroll {
                        s.trace.cut = true
                        out.append(s.trace)
                        return
                    }
                }
                s.pc = target
            case let .fence(f):
                s.trace.fences.append((instr, f, s.ctrl.dtrm, s.ctrl.pick))
                if f != .isb, f != .mfence, !program.threads[thread].systemFences.contains(here) { s.trace.sharedDomainFence = true }
            case let .loadSigned(d, a, n, rb):
                // herd7 `ldrs`: the value sign-extended from `n` bytes, then cut to the register's width.
                try runLoad(s, code, &out, d, a, n, .plain, false, instr: instr) { mask(UInt64(bitPattern: signed($0, n)), rb) }
                return
            case let .load(d, a, n, ord, excl):
                try runLoad(s, code, &out, d, a, n, ord, excl, instr: instr) { $0 }
                return
            case let .loadPair(d1, d2, a, n, ord, excl):
                let (loc, off, at) = try resolve(s, a)
                let ps: [(Int, Int)]
                if excl {
                    // herd7 7.57 reads an LDXP pair as one single-copy-atomic access, even on a path
                    // where the STXP then fails (the Arm ARM promises atomicity only if it succeeds).
                    ps = [(off, 2 * n)]
                } else if options.lse2, n == 8, off % 16 == 0, ord == .plain {
                    ps = [(off, 16)]  // FEAT_LSE2: 16-byte aligned LDP is single-copy atomic
                } else {
                    ps = try pieces(loc, off, n) + pieces(loc, off + n, n)
                }
                if excl, off % (2 * n) != 0 {
                    throw ModelError.notModelled("a misaligned load-exclusive pair (alignment fault)")
                }
                try reads(s, loc: loc, pieces: ps, instr: instr, addrTaint: at, annotate: {
                    $0.acquire = ord == .acquire; $0.acquirePC = ord == .acquirePC; $0.exclusive = excl
                }) { t0, bytes, evs in
                    var t = t0
                    let tt = loadTaint(t, evs)
                    write(&t, d1, Value(bits: fromLE(bytes[0 ..< n])), taint: tt)
                    write(&t, d2, Value(bits: fromLE(bytes[n ..< 2 * n])), taint: tt)
                    // LDIAPP: herd7's `seq_mem` orders the read at Xn before the one at Xn+size.
                    if ord == .acquirePC, !excl { orderHalves(&t, evs, loc: loc, off: off, bytes: n, firstLow: true) }
                    writeBack(&t, a)
                    if excl { t.monitor = (evs, loc, off, 2 * n) }
                    try run(t, code, &out)
                }
                return
            case let .store(src, a, n, ord, status):
                let (loc, off, at) = try resolve(s, a)
                let (bits, dt) = try storedBits(s, src, n)
                if let st = status {
                    try storeExclusive(s, code, &out, status: st, loc: loc, off: off, bytes: leBytes(bits, n),
                                       instr: instr, at: at, dt: dt, release: ord == .release)
                    return
                }
                for (piece, (po, pn)) in try pieces(loc, off, n).enumerated() {
                    try appendWrite(&s, loc: loc, offset: po, bytes: Array(leBytes(bits, n)[(po - off) ..< (po - off + pn)]),
                                        instr: instr, piece: piece, addrTaint: at, dataTaint: dt, annotate: {
                                            $0.release = ord == .release
                                            // On x86 a releasing store is the mapped STLR: a locked XCHG (X86Mapping).
                                            $0.locked = ord == .release && program.architecture != .aarch64
                                        })
                }
                writeBack(&s, a)
            case let .storePair(o1, o2, a, n, ord, status):
                let (loc, off, at) = try resolve(s, a)
                let (b1, t1) = try storedBits(s, o1, n)
                let (b2, t2) = try storedBits(s, o2, n)
                let bytes = leBytes(b1, n) + leBytes(b2, n)
                if let st = status {
                    guard off % (2 * n) == 0 else { throw ModelError.notModelled("a misaligned store-exclusive pair (alignment fault)") }
                    try storeExclusive(s, code, &out, status: st, loc: loc, off: off, bytes: bytes,
                                       instr: instr, at: at, dt: t1 | t2, release: ord == .release)
                    return
                }
                let ps: [(Int, Int)]
                if options.lse2, n == 8, off % 16 == 0, ord == .plain {
                    ps = [(off, 16)]
                } else {
                    ps = try pieces(loc, off, n) + pieces(loc, off + n, n)
                }
                var ws: [Int] = []
                for (piece, (po, pn)) in ps.enumerated() {
                    let dt = po < off + n ? t1 : t2
                    ws += try appendWrite(&s, loc: loc, offset: po, bytes: Array(bytes[(po - off) ..< (po - off + pn)]),
                                          instr: instr, piece: piece, addrTaint: at, dataTaint: pn == 2 * n ? t1 | t2 : dt,
                                          annotate: { $0.release = ord == .release })
                }
                // STILP: herd7 7.57 orders the write at Xn first, but with pre-index the one at Xn+size first.
                if ord == .release { orderHalves(&s, ws, loc: loc, off: off, bytes: n, firstLow: a.writeback != .preIndex) }
                writeBack(&s, a)
            case let .atomic(op, src, d, a, n, acq, rel):
                let (loc, off, at) = try resolve(s, a)
                let ps = try pieces(loc, off, n)
                guard ps.count == 1 else { throw ModelError.notModelled("a misaligned atomic (alignment fault)") }
                let (operand, dt) = try storedBits(s, .register(src), n)
                let noReturn = d == Instruction.zeroRegister
                try reads(s, loc: loc, pieces: ps, instr: instr, addrTaint: at, annotate: {
                    $0.acquire = acq && !noReturn; $0.noReturn = noReturn
                }) { t0, bytes, evs in
                    var t = t0
                    let old = fromLE(bytes[0 ..< n])
                    let new: UInt64 = switch op {
                    case .swp: operand
                    case .add: mask(old &+ operand, n)
                    case .clr: old & ~operand
                    case .set: old | operand
                    case .eor: old ^ operand
                    case .smax: signed(old, n) >= signed(operand, n) ? old : operand
                    case .smin: signed(old, n) <= signed(operand, n) ? old : operand
                    case .umax: max(old, operand)
                    case .umin: min(old, operand)
                    }
                    let readTaint = loadTaint(t, evs)
                    let ws = try appendWrite(&t, loc: loc, offset: off, bytes: leBytes(new, n), instr: instr,
                                             addrTaint: at, dataTaint: dt, annotate: { $0.release = rel })
                    // The old value reaches the new one inside the instruction (iico_data, not `data`):
                    // a later read of the location depends on it through lrs.
                    for w in ws where op != .swp { t.writeTaint[w] = at | dt | readTaint }
                    for r in evs { for w in ws { t.trace.rmw.append((r, w)) } }
                    write(&t, d, Value(bits: old), taint: readTaint)
                    try run(t, code, &out)
                }
                return
            case let .compareAndSwap(e, v, a, n, acq, rel):
                let (loc, off, at) = try resolve(s, a)
                let ps = try pieces(loc, off, n)
                guard ps.count == 1 else { throw ModelError.notModelled("a misaligned CAS (alignment fault)") }
                let (expected, et) = try storedBits(s, .register(e), n)
                let (new, nt) = try storedBits(s, .register(v), n)
                let noReturn = e == Instruction.zeroRegister
                // A failing CAS reads with A only for CASA/CASAL; a succeeding one is an amo read (A for A/AL).
                try reads(s, loc: loc, pieces: ps, instr: instr, addrTaint: at, annotate: {
                    $0.acquire = acq && !noReturn; $0.noReturn = noReturn
                }) { t0, bytes, evs in
                    let old = fromLE(bytes[0 ..< n])
                    let readTaint = loadTaint(t0, evs)
                    // herd7's commit (branch) event: iico_data from Rs and the read; its iico_ctrl edges are pick-only.
                    let branch = Taint(pickOnly: et | readTaint)
                    if old == expected {
                        for returnedFromRegister in [true, false] {
                            var t = t0
                            let ws = try appendWrite(&t, loc: loc, offset: off, bytes: leBytes(new, n), instr: instr,
                                                     addrTaint: at, dataTaint: nt | branch, annotate: { $0.release = rel })
                            for r in evs { for w in ws { t.trace.rmw.append((r, w)) } }
                            write(&t, e, Value(bits: old), taint: returnedFromRegister ? et | branch : readTaint)
                            try run(t, code, &out)
                        }
                    } else {
                        for controlled in [true, false] {
                            var t = t0
                            write(&t, e, Value(bits: old), taint: controlled ? readTaint | branch : readTaint)
                            try run(t, code, &out)
                        }
                    }
                }
                return
            case let .compareAndSwapPair(e1, e2, v1, v2, a, n, acq, rel):
                let (loc, off, at) = try resolve(s, a)
                let ps = try pieces(loc, off, n) + pieces(loc, off + n, n)
                guard ps.count == 2 else { throw ModelError.notModelled("a misaligned CASP (alignment fault)") }
                let (x1, t1) = try storedBits(s, .register(e1), n), (x2, t2) = try storedBits(s, .register(e2), n)
                let (n1, u1) = try storedBits(s, .register(v1), n), (n2, u2) = try storedBits(s, .register(v2), n)
                // As CAS (herd7's aarch64_cas_ok/no), each register and read standing for both of its pair.
                let et = t1 | t2, nt = u1 | u2
                try reads(s, loc: loc, pieces: ps, instr: instr, addrTaint: at, annotate: { $0.acquire = acq }) { t0, bytes, evs in
                    let old1 = fromLE(bytes[0 ..< n]), old2 = fromLE(bytes[n ..< 2 * n])
                    let readTaint = loadTaint(t0, evs)
                    let branch = Taint(pickOnly: et | readTaint)
                    if old1 == x1, old2 == x2 {
                        for returnedFromRegister in [true, false] {
                            var t = t0
                            var ws: [Int] = []
                            for (piece, v) in [n1, n2].enumerated() {
                                ws += try appendWrite(&t, loc: loc, offset: off + piece * n, bytes: leBytes(v, n), instr: instr, piece: piece,
                                                      addrTaint: at, dataTaint: nt | branch, annotate: { $0.release = rel })
                            }
                            // herd7 pairs an atomic read with the atomic write to its location.
                            for r in evs { for w in ws where t.trace.events[r].piece == t.trace.events[w].piece { t.trace.rmw.append((r, w)) } }
                            let rt = returnedFromRegister ? et | branch : readTaint
                            write(&t, e1, Value(bits: old1), taint: rt)
                            write(&t, e2, Value(bits: old2), taint: rt)
                            try run(t, code, &out)
                        }
                    } else {
                        for controlled in [true, false] {
                            var t = t0
                            let rt = controlled ? readTaint | branch : readTaint
                            write(&t, e1, Value(bits: old1), taint: rt)
                            write(&t, e2, Value(bits: old2), taint: rt)
                            try run(t, code, &out)
                        }
                    }
                }
                return
            case let .exchange(r, a, n):
                let (loc, off, at) = try resolve(s, a)
                let ps = try pieces(loc, off, n)
                guard ps.count == 1 else { throw ModelError.notModelled("a locked exchange that crosses a cache line") }
                let (bits, dt) = try storedBits(s, .register(r), n)
                try reads(s, loc: loc, pieces: ps, instr: instr, addrTaint: at, annotate: { $0.locked = true }) { t0, bytes, evs in
                    var t = t0
                    let ws = try appendWrite(&t, loc: loc, offset: off, bytes: leBytes(bits, n), instr: instr,
                                             addrTaint: at, dataTaint: dt, annotate: { $0.locked = true })
                    for r in evs { for w in ws { t.trace.rmw.append((r, w)) } }
                    write(&t, r, Value(bits: fromLE(bytes[0 ..< n])), taint: loadTaint(t, evs))
                    try run(t, code, &out)
                }
                return
            }
        }
        s.trace.registers = s.regs
        out.append(s.trace)
    }

    /// LDR and its forms: the read events, then `d` = `value(bits read)`.
    private func runLoad(_ s: State, _ code: [Instruction], _ out: inout [ThreadTrace], _ d: Int, _ a: Address, _ n: Int,
                         _ ord: LoadOrdering, _ excl: Bool, instr: Int, value: (UInt64) -> UInt64) throws {
        let (loc, off, at) = try resolve(s, a)
        let ps = try pieces(loc, off, n)
        if excl, ps.count > 1 { throw ModelError.notModelled("a misaligned load-exclusive (alignment fault)") }
        try reads(s, loc: loc, pieces: ps, instr: instr, addrTaint: at, annotate: {
            $0.acquire = ord == .acquire; $0.acquirePC = ord == .acquirePC; $0.exclusive = excl
        }) { t0, bytes, evs in
            var t = t0
            // The pieces are contiguous from `off`: bytes are in address order.
            write(&t, d, Value(bits: value(fromLE(bytes[0 ..< n]))), taint: loadTaint(t, evs))
            writeBack(&t, a)
            if excl { t.monitor = (evs, loc, off, n) }
            try run(t, code, &out)
        }
    }

    /// STXR/STXP: success (paired with the monitor's load-exclusive at the
    /// same address and size, herd7 lxsx) or failure (no write); both paths.
    /// A store-exclusive with no matching load-exclusive only fails (herd7
    /// excludes the constrained-unpredictable success without -variant CU).
    private func storeExclusive(_ s: State, _ code: [Instruction], _ out: inout [ThreadTrace], status: Int,
                                loc: Int, off: Int, bytes: [UInt8], instr: Int, at: Taint, dt: Taint,
                                release: Bool) throws {
        if let m = s.monitor, m.location == loc, m.offset == off, m.bytes == bytes.count {
            var t = s
            t.monitor = nil
            let ws = try appendWrite(&t, loc: loc, offset: off, bytes: bytes, instr: instr, addrTaint: at, dataTaint: dt,
                                     annotate: { $0.exclusive = true; $0.release = release })
            for r in m.reads { for w in ws { t.trace.rmw.append((r, w)) } }
            write(&t, status, .zero, taint: Taint())
            try run(t, code, &out)
        }
        var f = s
        f.monitor = nil
        write(&f, status, Value(bits: 1), taint: Taint())
        try run(f, code, &out)
    }
}
