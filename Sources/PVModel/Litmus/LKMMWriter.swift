/// Linux-kernel-memory-model C litmus text of a program (what
/// `herd7 -conf linux-kernel.cfg` in the kernel's tools/memory-model runs).
///
/// Each access and barrier is written as the LKMM primitive arm64
/// implements with that instruction (arch/arm64/include/asm/barrier.h):
///
/// | instruction  | LKMM                  |
/// |--------------|-----------------------|
/// | LDR / MOV load | `READ_ONCE(*x)`     |
/// | STR / MOV store | `WRITE_ONCE(*x, v)` |
/// | LDAR, LDAPR  | `smp_load_acquire(x)` |
/// | STLR         | `smp_store_release(x, v)` (a C11 seq_cst store is recorded as STLR too) |
/// | DMB ISH, MFENCE | `smp_mb()`         |
/// | DMB ISHLD    | `smp_rmb()` (orders loads before loads only; DMB ISHLD also orders them before stores) |
/// | DMB ISHST    | `smp_wmb()`           |
/// | XCHG         | `xchg(x, v)` (fully ordered) |
///
/// LKMM accesses a variable only whole, so a program with mixed-size
/// accesses is refused, as are exclusives, conditional branches and
/// arithmetic (write those as an LKMM atomic by hand).
///
/// Constants are decimal: herd7's C lexer reads no hexadecimal, and its C
/// values are 32-bit unless it runs with `-variant s128`, which a file
/// with a 64-bit constant then says it needs.
public enum LKMMLitmus {
    public static func write(_ p: Program, notes: [String]) throws -> String {
        let mixed = p.mixedSizeLocations()
        guard mixed.isEmpty else {
            throw LitmusWriteError("mixed-size accesses to \(mixed.joined(separator: ", ")): LKMM C litmus accesses a variable only whole")
        }
        let accesses = try p.litmusAccesses()
        func type(_ t: ValueType) -> String { AArch64Litmus.typeName(t) }
        var out = ["C \(p.name)", ""]
        let run = needs128Bits(p) ? "Run with herd7 -conf linux-kernel.cfg -variant s128 (tools/memory-model; s128: a constant is wider than herd7's 32-bit C values)."
            : "Run with herd7 -conf linux-kernel.cfg (tools/memory-model)."
        let header = p.litmusHeader(notes + [run], registerName: { "r\($1)" }, typeName: type)
        out += ["(* \(header) *)", "", "{"]
        for l in p.locations {
            let v = p.initialMemory[l.name]?.first.map { " = \(literal($0, l.type.bytes))" } ?? ""
            out.append("\t\(type(l.type)) \(l.name)\(v);")
        }
        out += ["}", ""]
        for (t, thread) in p.threads.enumerated() {
            let used = p.locations.indices.filter { l in accesses.contains { $0.thread == t && $0.location == l } }
            out.append("P\(t)(\(used.map { "\(type(p.locations[$0].type)) *\(p.locations[$0].name)" }.joined(separator: ", ")))")
            out.append("{")
            var declared: [Int] = []
            var body: [String] = []
            for (k, i) in thread.instructions.enumerated() {
                for r in i.writtenRegisters where !declared.contains(r) { declared.append(r) }
                if let s = try statement(p, t, k, i) { body.append("\t" + s) }
            }
            for r in declared { out.append("\t\(type(registerType(thread, r))) r\(r);") }
            if !declared.isEmpty { out.append("") }
            out += body
            out += ["}", ""]
        }
        out.append("\(quantifier(p.condition.quantifier)) (\(proposition(p.condition.proposition, bytes: { observedBytes(p, $0) })))")
        return out.joined(separator: "\n") + "\n"
    }

    /// A register's C type: its declared type, else unsigned of the width first written to it.
    static func registerType(_ thread: ProgramThread, _ r: Int) -> ValueType {
        thread.registerTypes[r] ?? widthOf(thread, r).map { ValueType(bytes: $0, signed: false) } ?? .int
    }

    static func observedBytes(_ p: Program, _ o: Observable) -> Int {
        switch o {
        case let .register(t, r): registerType(p.threads[t], r).bytes
        case let .memory(l, _): p.locations[p.locationIndex(l)!].type.bytes
        }
    }

    /// Every constant with the width herd7 holds it at.
    static func constants(_ p: Program) -> [(UInt64, Int)] {
        var out: [(UInt64, Int)] = []
        for l in p.locations { for v in p.initialMemory[l.name] ?? [] { out.append((v, l.type.bytes)) } }
        for th in p.threads {
            for i in th.instructions {
                switch i {
                case let .store(.immediate(v), _, n, _, _), let .move(_, .immediate(v), n): out.append((v, n))
                default: break
                }
            }
        }
        func walk(_ x: Proposition) {
            switch x {
            case let .equals(o, v) where v.location == nil: out.append((v.bits, observedBytes(p, o)))
            case let .not(q): walk(q)
            case let .and(qs), let .or(qs): qs.forEach(walk)
            case let .implies(a, b): walk(a); walk(b)
            default: break
            }
        }
        walk(p.condition.proposition)
        return out
    }

    static func needs128Bits(_ p: Program) -> Bool {
        constants(p).contains { v, n in n == 8 && !(Int64(Int32.min) ... Int64(Int32.max)).contains(Int64(bitPattern: v)) }
    }

    static func widthOf(_ thread: ProgramThread, _ r: Int) -> Int? {
        for i in thread.instructions {
            switch i {
            case let .load(d, _, n, _, _) where d == r: return n
            case let .exchange(x, _, n) where x == r: return n
            case let .move(d, _, n) where d == r: return n
            default: continue
            }
        }
        return nil
    }

    /// `v` held in `bytes`, in decimal: a 32-bit (or narrower) value as herd7's signed 32-bit C
    /// value; a 64-bit one as signed while it fits 32 bits, else unsigned (read under -variant s128).
    static func literal(_ v: UInt64, _ bytes: Int) -> String {
        guard bytes == 8 else { return String(Int32(truncatingIfNeeded: ValueType(bytes: bytes, signed: false).truncate(v))) }
        let s = Int64(bitPattern: v)
        return (Int64(Int32.min) ... Int64(Int32.max)).contains(s) ? String(s) : String(v)
    }

    static func statement(_ p: Program, _ t: Int, _ k: Int, _ i: Instruction) throws -> String? {
        func loc(_ a: Address) throws -> String {
            guard let (l, _) = p.resolve(a, thread: t) else { throw LitmusWriteError("P\(t): an access through a computed address") }
            return p.locations[l].name
        }
        func value(_ o: Operand, _ n: Int) throws -> String {
            switch o {
            case let .immediate(v): return literal(v, n)
            case let .register(r): return "r\(r)"
            case .address: throw LitmusWriteError("P\(t): a stored address")
            case .shifted: throw LitmusWriteError("P\(t): a stored shifted register")
            }
        }
        switch i {
        case let .load(d, a, _, ord, false):
            return ord == .plain ? "r\(d) = READ_ONCE(*\(try loc(a)));" : "r\(d) = smp_load_acquire(\(try loc(a)));"
        case let .store(s, a, n, .plain, nil):
            return "WRITE_ONCE(*\(try loc(a)), \(try value(s, n)));"
        case let .store(s, a, n, .release, nil) where p.architecture == .aarch64:
            return "smp_store_release(\(try loc(a)), \(try value(s, n)));"
        case let .exchange(r, a, _):
            return "r\(r) = xchg(\(try loc(a)), r\(r));"
        case .fence(.dmbFull), .fence(.mfence): return "smp_mb();"
        case .fence(.dmbLoad): return "smp_rmb();"
        case .fence(.dmbStore): return "smp_wmb();"
        case let .move(d, s, n):
            return "r\(d) = \(try value(s, n));"
        case .branch(.always, k + 1):
            return nil
        default:
            throw LitmusWriteError("P\(t): \(i) has no LKMM form here (exclusives, locked stores, ISB, branches and arithmetic are written by hand)")
        }
    }

    static func quantifier(_ q: Condition.Quantifier) -> String {
        switch q {
        case .exists: "exists"
        case .notExists: "~exists"
        case .forall: "forall"
        }
    }

    static func proposition(_ x: Proposition, bytes: (Observable) -> Int) -> String {
        func sub(_ q: Proposition) -> String {
            if case .equals = q { return proposition(q, bytes: bytes) }
            if case .not = q { return proposition(q, bytes: bytes) }
            return "(\(proposition(q, bytes: bytes)))"
        }
        switch x {
        case let .equals(o, v):
            let name: String = switch o {
            case let .register(t, r): "\(t):r\(r)"
            case let .memory(l, nil): l
            case let .memory(l, e?): "\(l)[\(e)]"
            }
            return "\(name)=\(literal(v.bits, bytes(o)))"
        case let .not(q): return "~\(sub(q))"
        case let .and(qs): return qs.map(sub).joined(separator: " /\\ ")
        case let .or(qs): return qs.map(sub).joined(separator: " \\/ ")
        case let .implies(a, b): return "\(sub(a)) => \(sub(b))"
        case let .constant(b): return b ? "true" : "false"
        }
    }
}
