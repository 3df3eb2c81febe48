/// herd7 AArch64 litmus text of a program built in code (as
/// `StrategyModel` records strategies), for the subset `LitmusParser`
/// reads back: LDR/LDAR/LDAPR/LDXR/LDAXR (B/H, W/X), STR/STLR/STXR/STLXR,
/// LDP/LDXP/LDAXP, STP/STXP/STLXP, DMB, ISB, MOV, MOVK, ADD, EOR,
/// CBZ/CBNZ/B to labels, and scalar or array locations with their types.
///
/// Every immediate is one herd7 7.57 reads (see `HerdInteger`,
/// `AArch64Immediate`): a value a MOV cannot encode (herd7, like an
/// assembler, takes `MOV Rd,#k` only as one MOVZ or MOVN) is set in the
/// init block in a register the thread does not use (`0:X9=281479271743489;`)
/// and used from there; so is an ADD immediate beyond ±4095. A store of a
/// MOV-able immediate is `MOV` into a free register (X8 when free; a pair
/// takes two), then the store.
public enum AArch64Litmus {
    /// The text; an instruction outside the subset is printed as a comment
    /// (use ``write(_:notes:)`` to refuse such a program instead).
    /// Without a comment, a program herd7 runs only with `-variant mixed` says so in one.
    public static func text(_ p: Program, comment: String? = nil) -> String {
        (try? render(p, comment: comment ?? p.herdVariantNote, strict: false)) ?? ""
    }

    /// The text, or an error naming the first instruction the syntax cannot express.
    /// `notes` open the file's comment, followed by the types and whether
    /// herd7 needs `-variant mixed`.
    public static func write(_ p: Program, notes: [String]) throws -> String {
        try render(p, comment: p.litmusHeader(notes, registerName: { "X\($1)" }, typeName: typeName), strict: true)
    }

    private static func render(_ p: Program, comment: String?, strict: Bool) throws -> String {
        precondition(p.architecture == .aarch64)
        var initial: [String] = []
        for l in p.locations {
            let ty = typeName(l.type)
            let values = (p.initialMemory[l.name] ?? []).map(HerdInteger.valueText)
            if l.count == 1 {
                initial.append("\(ty) \(l.name)\(values.first.map { "=\($0)" } ?? "");")
            } else {
                initial.append("\(ty) \(l.name)[\(l.count)]\(values.isEmpty ? "" : "={\(values.joined(separator: ","))}");")
            }
        }
        var columns: [[String]] = []
        for (t, thread) in p.threads.enumerated() {
            var registers = ThreadRegisters(thread, index: t)
            columns.append(try code(thread, registers: &registers, strict: strict))
            // One binding per register: herd7 refuses a type and a value given apart.
            for r in Set(thread.initialRegisters.keys).union(thread.registerTypes.keys).sorted() {
                let type = thread.registerTypes[r].map { typeName($0) + " " } ?? ""
                let value = thread.initialRegisters[r].map { v in
                    "=" + (v.location.map { "\(p.locations[$0].name)\(v.bits == 0 ? "" : "+\(v.bits)")" } ?? HerdInteger.valueText(v.bits))
                } ?? ""
                initial.append("\(type)\(t):X\(r)\(value);")
            }
            for (v, r) in registers.constants.sorted(by: { $0.value < $1.value }) { initial.append("\(t):X\(r)=\(HerdInteger.valueText(v));") }
        }
        var out = ["AArch64 \(p.name)"]
        if let comment { out.append("(* \(comment) *)") }
        out.append("{")
        out += initial
        out.append("}")
        out += litmusColumns(columns)
        out += litmusTail(p)
        return out.joined(separator: "\n") + "\n"
    }

    static func typeName(_ t: ValueType) -> String { "\(t.signed ? "" : "u")int\(t.bytes * 8)_t" }

    static func address(_ a: Address) -> String {
        guard case let .register(b) = a.base else { return "[?]" }
        if let i = a.index {
            let shift = a.indexShift == 0 ? "" : " #\(a.indexShift)"
            switch a.indexExtension {
            case .none: return a.indexShift == 0 ? "[X\(b),X\(i)]" : "[X\(b),X\(i),LSL\(shift)]"
            case .sxtw: return "[X\(b),W\(i),SXTW\(shift)]"
            case .uxtw: return "[X\(b),W\(i),UXTW\(shift)]"
            }
        }
        switch a.writeback {
        case .preIndex: return "[X\(b),#\(a.offset)]!"
        case .postIndex: return "[X\(b)],#\(a.offset)"
        case nil: return a.offset == 0 ? "[X\(b)]" : "[X\(b),#\(a.offset)]"
        }
    }

    /// The registers a thread's text may add: two scratch registers for a
    /// MOV before a store, and registers holding constants from the init block.
    struct ThreadRegisters {
        var free: [Int]
        var scratch: (Int, Int)
        /// Value → the register the init block sets to it.
        var constants: [UInt64: Int] = [:]

        /// The thread's number: herd7 wants every label unique in the test.
        let thread: Int

        /// The label of instruction `k` of this thread.
        func label(_ k: Int) -> String { "L\(thread)_\(k)" }

        init(_ thread: ProgramThread, index: Int) {
            self.thread = index
            var used = Set(thread.initialRegisters.keys).union(thread.registerTypes.keys)
            for i in thread.instructions { used.formUnion(i.writtenRegisters); used.formUnion(i.readRegisters) }
            free = ([8] + Array((9 ... 30).reversed())).filter { !used.contains($0) }
            scratch = (free.first ?? 8, free.dropFirst().first ?? 9)
            free = Array(free.dropFirst(2))
        }

        /// A register holding `v` from the start.
        mutating func constant(_ v: UInt64) throws -> Int {
            if let r = constants[v] { return r }
            guard !free.isEmpty else { throw unprintable("no register left to hold the constant \(v)") }
            constants[v] = free.removeFirst()
            return constants[v]!
        }
    }

    /// One thread's rows: labels `L<thread>_<index>:` where a branch lands.
    static func code(_ thread: ProgramThread, registers: inout ThreadRegisters, strict: Bool) throws -> [String] {
        let instructions = thread.instructions
        var targets = Set<Int>()
        for i in instructions { if case let .branch(_, t) = i { targets.insert(t) } }
        var rows: [String] = []
        for (k, i) in instructions.enumerated() {
            var ls: [String]
            do { ls = try lines(i, registers: &registers, systemFence: thread.systemFences.contains(k)) } catch let e as LitmusWriteError {
                if strict { throw e }
                ls = ["(* not printable: \(i) *)"]
            }
            if targets.contains(k) { ls[0] = registers.label(k) + ": " + ls[0] }
            rows += ls
        }
        if targets.contains(instructions.count) { rows.append(registers.label(instructions.count) + ":") }
        return rows
    }

    /// `systemFence`: a DMB with the full-system option (SY, LD, ST) as the
    /// program had it; ISH otherwise (the kernel's barriers).
    static func lines(_ i: Instruction, registers: inout ThreadRegisters, systemFence: Bool = false) throws -> [String] {
        func reg(_ r: Int, _ bytes: Int) -> String {
            r == Instruction.zeroRegister ? (bytes == 8 ? "XZR" : "WZR") : "\(bytes == 8 ? "X" : "W")\(r)"
        }
        func suffix(_ n: Int) throws -> String {
            switch n {
            case 1: return "B"
            case 2: return "H"
            case 4, 8: return ""
            default: throw LitmusWriteError("an access of \(n) bytes (AArch64 accesses are 1, 2, 4 or 8 bytes; pairs 2 × 4 or 2 × 8)")
            }
        }
        /// `v` in a `w`-byte register: a MOV into `r` when one can encode it, else the init block's constant.
        func value(_ v: UInt64, _ w: Int, into r: Int) throws -> ([String], String) {
            if let k = AArch64Immediate.movLiteral(v, bytes: w) { return (["MOV \(reg(r, w)),#\(k)"], reg(r, w)) }
            return ([], reg(try registers.constant(v), w))
        }
        /// A source operand as a register, with the MOV it needs for an immediate.
        func source(_ o: Operand, _ n: Int, scratch r: Int) throws -> ([String], String) {
            let w = n == 8 ? 8 : 4
            switch o {
            case let .register(s): return ([], reg(s, w))
            case let .immediate(v): return try value(v, w, into: r)
            case .address: throw unprintable("a stored address")
            case .shifted: throw unprintable("a stored shifted register")
            }
        }
        switch i {
        case let .load(d, a, n, o, excl):
            let op: String = switch (o, excl) {
            case (.plain, false): "LDR"
            case (.acquire, false): "LDAR"
            case (.acquirePC, false): "LDAPR"
            case (.plain, true): "LDXR"
            case (.acquire, true): "LDAXR"
            case (.acquirePC, true): throw unprintable("a load-exclusive acquirePC (no such instruction)")
            }
            return ["\(op)\(try suffix(n)) \(reg(d, n == 8 ? 8 : 4)),\(address(a))"]
        case let .loadSigned(d, a, n, rb):
            guard [1, 2, 4].contains(n), rb == 8 || n < 4 else { throw unprintable("\(i)") }
            return ["LDRS\(n == 1 ? "B" : n == 2 ? "H" : "W") \(reg(d, rb)),\(address(a))"]
        case let .store(s, a, n, o, status):
            let (pre, src) = try source(s, n, scratch: registers.scratch.0)
            if let st = status {
                return pre + ["\(o == .plain ? "STXR" : "STLXR")\(try suffix(n)) \(reg(st, 4)),\(src),\(address(a))"]
            }
            return pre + ["\(o == .plain ? "STR" : "STLR")\(try suffix(n)) \(src),\(address(a))"]
        case let .loadPair(d1, d2, a, n, o, excl):
            guard excl ? o != .acquirePC : o != .acquire, n == 4 || n == 8 else { throw unprintable("\(i)") }
            let op = excl ? (o == .acquire ? "LDAXP" : "LDXP") : (o == .acquirePC ? "LDIAPP" : "LDP")
            return ["\(op) \(reg(d1, n)),\(reg(d2, n)),\(address(a))"]
        case let .storePair(s1, s2, a, n, o, status):
            guard n == 4 || n == 8 else { throw unprintable("\(i)") }
            let (p1, r1) = try source(s1, n, scratch: registers.scratch.0)
            let (p2, r2) = try source(s2, n, scratch: registers.scratch.1)
            let op = status == nil ? (o == .release ? "STILP" : "STP") : (o == .release ? "STLXP" : "STXP")
            return p1 + p2 + ["\(op) \(status.map { reg($0, 4) + "," } ?? "")\(r1),\(r2),\(address(a))"]
        case let .fence(f):
            switch f {
            case .dmbFull: return [systemFence ? "DMB SY" : "DMB ISH"]
            case .dmbLoad: return [systemFence ? "DMB LD" : "DMB ISHLD"]
            case .dmbStore: return [systemFence ? "DMB ST" : "DMB ISHST"]
            case .isb: return ["ISB"]
            case .mfence: throw unprintable("MFENCE in an AArch64 program")
            }
        case let .move(d, .immediate(v), n):
            if let k = AArch64Immediate.movLiteral(v, bytes: n) { return ["MOV \(reg(d, n)),#\(k)"] }
            return ["MOV \(reg(d, n)),\(reg(try registers.constant(v), n))"]
        case let .move(d, .register(s), n): return ["MOV \(reg(d, n)),\(reg(s, n))"]
        case let .move(d, .shifted(s, .sxtw), 8): return ["SXTW \(reg(d, 8)),\(reg(s, 4))"]
        case let .arithmetic(.movk(shift), d, l, .immediate(k), n):
            guard l == d, AArch64Immediate.wideRange.contains(Int64(bitPattern: k)), [0, 16, 32, 48].contains(shift), n == 8 || shift < 32 else {
                throw unprintable("\(i) (MOVK inserts #0 ... #65534 at shift 0, 16, 32 or 48 into its own register)")
            }
            return ["MOVK \(reg(d, n)),#\(k),LSL #\(shift)"]
        case let .arithmetic(op, d, l, r, n):
            let name: String
            switch op {
            case .add: name = "ADD"
            case .sub: name = "SUB"
            case .and: name = "AND"
            case .orr: name = "ORR"
            case .eor: name = "EOR"
            case .bic: name = "BIC"
            case .adds: name = "ADDS"
            case .subs: name = "SUBS"
            case .ands: name = "ANDS"
            case .lsl, .lsr, .asr:
                guard case let .immediate(k) = r, k < UInt64(n * 8) else { throw unprintable("\(i)") }
                return ["\(op == .lsl ? "LSL" : op == .lsr ? "LSR" : "ASR") \(reg(d, n)),\(reg(l, n)),#\(k)"]
            case .movk: throw unprintable("\(i)")
            }
            let addSub = [.add, .sub, .adds, .subs].contains(op)
            let flags = [.adds, .subs, .ands].contains(op)
            let rhs: String
            switch r {
            case let .register(x): rhs = reg(x, n)
            case let .immediate(v):
                // herd7 takes ADD/SUB #k for |k| < 4096 and any logical #k, neither into XZR, nor ADD/SUB from it; BIC takes none.
                let k = AArch64Immediate.literals(v, bytes: n).first { !addSub || AArch64Immediate.addRange.contains($0) }
                if let k, op != .bic, d != Instruction.zeroRegister || flags, !addSub || l != Instruction.zeroRegister { rhs = "#\(k)" } else {
                    rhs = reg(try registers.constant(v), n)
                }
            case let .shifted(x, sh):
                switch sh {
                case let .lsl(k): rhs = "\(reg(x, n)),LSL #\(k)"
                case let .lsr(k): rhs = "\(reg(x, n)),LSR #\(k)"
                case let .asr(k): rhs = "\(reg(x, n)),ASR #\(k)"
                case .sxtw, .uxtw:
                    guard addSub, n == 8 else { throw unprintable("\(i)") }
                    rhs = "\(reg(x, 4)),\(sh == .sxtw ? "SXTW" : "UXTW")"
                }
            case .address: throw unprintable("arithmetic with a location's address")
            }
            if flags, d == Instruction.zeroRegister, op != .adds {
                return ["\(op == .subs ? "CMP" : "TST") \(reg(l, n)),\(rhs)"]
            }
            return ["\(name) \(reg(d, n)),\(reg(l, n)),\(rhs)"]
        case let .branch(c, t):
            switch c {
            case .always: return ["B \(registers.label(t))"]
            case let .zero(r): return ["CBZ \(reg(r, 8)),\(registers.label(t))"]
            case let .nonZero(r): return ["CBNZ \(reg(r, 8)),\(registers.label(t))"]
            case let .flags(cc): return ["B.\(cc.rawValue) \(registers.label(t))"]
            case let .bitZero(r, b): return ["TBZ \(reg(r, 8)),#\(b),\(registers.label(t))"]
            case let .bitNonZero(r, b): return ["TBNZ \(reg(r, 8)),#\(b),\(registers.label(t))"]
            }
        case let .atomic(op, src, d, a, n, acq, rel):
            let size = n == 1 ? "B" : n == 2 ? "H" : ""
            let w = n == 8 ? 8 : 4
            if d == Instruction.zeroRegister, op != .swp, !acq {
                return ["ST\(op.rawValue)\(rel ? "L" : "")\(size) \(reg(src, w)),\(address(a))"]
            }
            let name = op == .swp ? "SWP" : "LD\(op.rawValue)"
            return ["\(name)\(acq ? "A" : "")\(rel ? "L" : "")\(size) \(reg(src, w)),\(reg(d, w)),\(address(a))"]
        case let .compareAndSwap(e, v, a, n, acq, rel):
            let size = n == 1 ? "B" : n == 2 ? "H" : ""
            let w = n == 8 ? 8 : 4
            return ["CAS\(acq ? "A" : "")\(rel ? "L" : "")\(size) \(reg(e, w)),\(reg(v, w)),\(address(a))"]
        case let .compareAndSwapPair(e1, e2, v1, v2, a, n, acq, rel):
            guard n == 4 || n == 8 else { throw unprintable("\(i)") }
            return ["CASP\(acq ? "A" : "")\(rel ? "L" : "") \([e1, e2, v1, v2].map { reg($0, n) }.joined(separator: ",")),\(address(a))"]
        case let .select(op, d, a, b, cc, n):
            let name = switch op {
            case .csel: "CSEL"
            case .csinc: "CSINC"
            case .csinv: "CSINV"
            case .csneg: "CSNEG"
            }
            return ["\(name) \(reg(d, n)),\(reg(a, n)),\(reg(b, n)),\(cc.rawValue)"]
        case .move, .exchange:
            throw unprintable("\(i) (no AArch64 form in the subset; an x86 XCHG is written by X86Litmus)")
        }
    }
}

private func unprintable(_ what: String) -> LitmusWriteError { LitmusWriteError("not expressible as AArch64 litmus: \(what)") }

extension Instruction {
    /// Registers the instruction reads (sources, bases, indices, branch conditions).
    var readRegisters: [Int] {
        func regs(_ a: Address) -> [Int] {
            var out: [Int] = []
            if case let .register(b) = a.base { out.append(b) }
            if let i = a.index { out.append(i) }
            return out
        }
        func op(_ o: Operand) -> [Int] {
            switch o {
            case let .register(r), let .shifted(r, _): [r]
            case .immediate, .address: []
            }
        }
        switch self {
        case let .load(_, a, _, _, _), let .loadPair(_, _, a, _, _, _), let .loadSigned(_, a, _, _): return regs(a)
        case let .store(s, a, _, _, _): return op(s) + regs(a)
        case let .storePair(s1, s2, a, _, _, _): return op(s1) + op(s2) + regs(a)
        case let .exchange(r, a, _): return [r] + regs(a)
        case .fence: return []
        case let .move(_, s, _): return op(s)
        case let .arithmetic(_, _, l, r, _): return [l] + op(r)
        case let .branch(.zero(r), _), let .branch(.nonZero(r), _), let .branch(.bitZero(r, _), _), let .branch(.bitNonZero(r, _), _): return [r]
        case .branch(.flags, _): return [Instruction.flagsRegister]
        case .branch(.always, _): return []
        case let .select(_, _, a, b, _, _): return [a, b, Instruction.flagsRegister]
        case let .atomic(_, src, _, a, _, _, _): return [src] + regs(a)
        case let .compareAndSwap(e, v, a, _, _, _): return [e, v] + regs(a)
        case let .compareAndSwapPair(e1, e2, v1, v2, a, _, _, _): return [e1, e2, v1, v2] + regs(a)
        }
    }
}
