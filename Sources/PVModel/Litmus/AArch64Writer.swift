/// herd7 AArch64 litmus text of a program built in code (as
/// `StrategyModel` records strategies), for the subset `LitmusParser`
/// reads back: LDR/LDAR/LDAPR/LDXR/LDAXR (B/H, W/X), STR/STLR/STXR/STLXR,
/// LDP/LDXP/LDAXP, STP/STXP/STLXP, DMB, ISB, MOV, ADD, EOR, CBZ/CBNZ/B to
/// labels, and scalar or array locations with their types. A store of an
/// immediate is written as `MOV` into a register the thread does not use
/// (X8 when free; a pair of immediates takes two), then the store.
public enum AArch64Litmus {
    /// The text; an instruction outside the subset is printed as a comment
    /// (use ``write(_:notes:)`` to refuse such a program instead).
    public static func text(_ p: Program, comment: String? = nil) -> String {
        (try? render(p, comment: comment, strict: false)) ?? ""
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
            initial.append(l.count == 1 ? "\(ty) \(l.name);" : "\(ty) \(l.name)[\(l.count)];")
            if let v = p.initialMemory[l.name], !v.isEmpty {
                initial[initial.count - 1] = l.count == 1 ? "\(ty) \(l.name)=\(v[0]);"
                    : "\(ty) \(l.name)[\(l.count)]={\(v.map(String.init).joined(separator: ","))};"
            }
        }
        var columns: [[String]] = []
        for (t, thread) in p.threads.enumerated() {
            for (r, v) in thread.initialRegisters.sorted(by: { $0.key < $1.key }) {
                initial.append(v.location.map { "\(t):X\(r)=\(p.locations[$0].name)\(v.bits == 0 ? "" : "+\(v.bits)");" } ?? "\(t):X\(r)=\(v.bits);")
            }
            for (r, ty) in thread.registerTypes.sorted(by: { $0.key < $1.key }) {
                initial.append("\(typeName(ty)) \(t):X\(r);")
            }
            columns.append(try code(thread, strict: strict))
        }
        var out = ["AArch64 \(p.name)"]
        if let comment { out.append("(* \(comment) *)") }
        out.append("{")
        out += initial
        out.append("}")
        out += litmusColumns(columns)
        out.append(HerdReport.condition(p).replacingNot())
        return out.joined(separator: "\n") + "\n"
    }

    static func typeName(_ t: ValueType) -> String { "\(t.signed ? "" : "u")int\(t.bytes * 8)_t" }

    static func address(_ a: Address) -> String {
        guard case let .register(b) = a.base else { return "[?]" }
        if let i = a.index { return "[X\(b),X\(i)]" }
        return a.offset == 0 ? "[X\(b)]" : "[X\(b),#\(a.offset)]"
    }

    /// One thread's rows: labels `L<index>:` where a branch lands.
    static func code(_ thread: ProgramThread, strict: Bool) throws -> [String] {
        let instructions = thread.instructions
        var used = Set(thread.initialRegisters.keys).union(thread.registerTypes.keys)
        for i in instructions { used.formUnion(i.writtenRegisters); used.formUnion(i.readRegisters) }
        let free = ([8] + Array((9 ... 30).reversed())).filter { !used.contains($0) }
        let scratch = (free.first ?? 8, free.dropFirst().first ?? 9)
        var targets = Set<Int>()
        for i in instructions { if case let .branch(_, t) = i { targets.insert(t) } }
        var rows: [String] = []
        for (k, i) in instructions.enumerated() {
            var ls: [String]
            do { ls = try lines(i, scratch: scratch) } catch let e as LitmusWriteError {
                if strict { throw e }
                ls = ["(* not printable: \(i) *)"]
            }
            if targets.contains(k) { ls[0] = "L\(k): " + ls[0] }
            rows += ls
        }
        if targets.contains(instructions.count) { rows.append("L\(instructions.count):") }
        return rows
    }

    static func lines(_ i: Instruction, scratch: (Int, Int)) throws -> [String] {
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
        /// A source operand as a register, with the MOV it needs for an immediate.
        func source(_ o: Operand, _ n: Int, scratch r: Int) throws -> ([String], String) {
            let w = n == 8 ? 8 : 4
            switch o {
            case let .register(s): return ([], reg(s, w))
            case let .immediate(v): return (["MOV \(reg(r, w)),#\(v)"], reg(r, w))
            case .address: throw unprintable("a stored address")
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
            if n < 4, excl { throw unprintable("a byte or halfword load-exclusive (outside the subset read back)") }
            return ["\(op)\(try suffix(n)) \(reg(d, n == 8 ? 8 : 4)),\(address(a))"]
        case let .store(s, a, n, o, status):
            let (pre, src) = try source(s, n, scratch: scratch.0)
            if let st = status {
                if n < 4 { throw unprintable("a byte or halfword store-exclusive (outside the subset read back)") }
                return pre + ["\(o == .plain ? "STXR" : "STLXR") \(reg(st, 4)),\(src),\(address(a))"]
            }
            return pre + ["\(o == .plain ? "STR" : "STLR")\(try suffix(n)) \(src),\(address(a))"]
        case let .loadPair(d1, d2, a, n, o, excl):
            guard o != .acquirePC, excl || o == .plain, n == 4 || n == 8 else { throw unprintable("\(i)") }
            return ["\(excl ? (o == .acquire ? "LDAXP" : "LDXP") : "LDP") \(reg(d1, n)),\(reg(d2, n)),\(address(a))"]
        case let .storePair(s1, s2, a, n, o, status):
            guard n == 4 || n == 8, status != nil || o == .plain else { throw unprintable("\(i)") }
            let (p1, r1) = try source(s1, n, scratch: scratch.0)
            let (p2, r2) = try source(s2, n, scratch: scratch.1)
            let op = status == nil ? "STP" : (o == .release ? "STLXP" : "STXP")
            return p1 + p2 + ["\(op) \(status.map { reg($0, 4) + "," } ?? "")\(r1),\(r2),\(address(a))"]
        case let .fence(f):
            switch f {
            case .dmbFull: return ["DMB ISH"]
            case .dmbLoad: return ["DMB ISHLD"]
            case .dmbStore: return ["DMB ISHST"]
            case .isb: return ["ISB"]
            case .mfence: throw unprintable("MFENCE in an AArch64 program")
            }
        case let .move(d, .immediate(v), n): return ["MOV \(reg(d, n)),#\(v)"]
        case let .move(d, .register(s), n): return ["MOV \(reg(d, n)),\(reg(s, n))"]
        case let .arithmetic(op, d, l, r, n):
            let rhs: String = switch r {
            case let .register(x): reg(x, n)
            case let .immediate(v): "#\(v)"
            case .address: throw unprintable("arithmetic with a location's address")
            }
            return ["\(op == .add ? "ADD" : "EOR") \(reg(d, n)),\(reg(l, n)),\(rhs)"]
        case let .branch(c, t):
            switch c {
            case .always: return ["B L\(t)"]
            case let .zero(r): return ["CBZ \(reg(r, 8)),L\(t)"]
            case let .nonZero(r): return ["CBNZ \(reg(r, 8)),L\(t)"]
            }
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
        func op(_ o: Operand) -> [Int] { if case let .register(r) = o { [r] } else { [] } }
        switch self {
        case let .load(_, a, _, _, _), let .loadPair(_, _, a, _, _, _): return regs(a)
        case let .store(s, a, _, _, _): return op(s) + regs(a)
        case let .storePair(s1, s2, a, _, _, _): return op(s1) + op(s2) + regs(a)
        case let .exchange(r, a, _): return [r] + regs(a)
        case .fence: return []
        case let .move(_, s, _): return op(s)
        case let .arithmetic(_, _, l, r, _): return [l] + op(r)
        case let .branch(.zero(r), _), let .branch(.nonZero(r), _): return [r]
        case .branch(.always, _): return []
        }
    }
}
