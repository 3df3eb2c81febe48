/// herd7 `X86_64` (AT&T syntax) litmus text of an x86 program — in
/// particular of an AArch64 program as `X86Mapping` runs it under x86-TSO —
/// for the subset `LitmusParser` reads back: `movl`/`movq` between
/// `%reg`, `(x)` and `$imm`, `xchgl`/`xchgq`, `mfence`.
///
/// Addresses become `(x)`: a base register must hold a location's address
/// from the start and never change. Registers are renamed per thread to
/// rax, rbx, rcx, rdx, rsi, rdi, r8...r15 in order of first use. A locked
/// store (the mapped STLR) is written as `xchg` of a copy of the value,
/// which adds a read whose value no condition names; a 64-bit immediate
/// that does not fit a sign-extended 32-bit field goes through a register
/// first, as x86-64 encodes it. Immediates are decimal (herd7's X86_64
/// lexer reads no hexadecimal); a 64-bit value beyond the ±2^62 herd7
/// reads in code is set in the init block in a free register instead.
public enum X86Litmus {
    /// The x86 program an AArch64 program runs as under x86-TSO, with the
    /// mapping notes (see `X86Mapping`); throws `ModelError.notModelled`
    /// for what has no mapping (exclusives).
    public static func mapped(_ p: Program) throws -> (program: Program, notes: [String]) {
        p.architecture == .aarch64 ? try X86Mapping.map(p) : (p, [])
    }

    static let available = [0, 1, 2, 3, 4, 5] + Array(8 ... 15)

    /// `notes` open the file's comment, followed by the types and whether
    /// herd7 needs `-variant mixed`.
    public static func write(_ p0: Program, notes: [String]) throws -> String {
        let p = try mapped(p0).program
        var renamed = p
        renamed.architecture = .x86_64
        var columns: [[String]] = []
        var initial: [String] = p.locations.map { l in
            let ty = AArch64Litmus.typeName(l.type)
            guard l.count == 1 else { return "\(ty) \(l.name)[\(l.count)];" }
            if let v = p.initialMemory[l.name]?.first { return "\(ty) \(l.name)=\(HerdInteger.valueText(v));" }
            return "\(ty) \(l.name);"
        }
        var maps: [[Int: Int]] = []
        for (t, thread) in p.threads.enumerated() {
            var map: [Int: Int] = [:]
            func name(_ r: Int) throws -> Int {
                if let x = map[r] { return x }
                guard map.count < available.count else { throw LitmusWriteError("P\(t) uses more registers than x86-64 has") }
                map[r] = available[map.count]
                return map[r]!
            }
            // Registers in program order, then the condition's, then one scratch.
            for i in thread.instructions {
                for r in i.writtenRegisters + i.readRegisters where !isBase(p, r, thread: t) { _ = try name(r) }
            }
            for case let .register(tt, r) in p.condition.proposition.observables + p.observed where tt == t { _ = try name(r) }
            var spare = available.filter { !map.values.contains($0) }
            let scratch = spare.first
            spare = Array(spare.dropFirst())
            var constants: [UInt64: Int] = [:]
            func constant(_ v: UInt64) throws -> Int {
                if let x = constants[v] { return x }
                guard !spare.isEmpty else { throw LitmusWriteError("P\(t): no register left to hold the constant \(v)") }
                constants[v] = spare.removeFirst()
                return constants[v]!
            }
            var rows: [String] = []
            for (k, i) in thread.instructions.enumerated() {
                rows += try lines(p, t, k, i, rename: { try name($0) }, scratch: scratch, constant: constant)
            }
            columns.append(rows)
            // One binding per register (herd7 refuses a type and a value given apart).
            var values: [Int: UInt64] = [:]
            for (r, v) in thread.initialRegisters where !isBase(p, r, thread: t) {
                guard v.location == nil else { throw LitmusWriteError("P\(t) computes with a location's address") }
                values[try name(r)] = v.bits
            }
            for (v, x) in constants { values[x] = v }
            var types: [Int: ValueType] = [:]
            for (r, ty) in thread.registerTypes where map[r] != nil { types[map[r]!] = ty }
            for x in Set(values.keys).union(types.keys).sorted() {
                let type = types[x].map { AArch64Litmus.typeName($0) + " " } ?? ""
                initial.append("\(type)\(t):\(X86_64Syntax.names64[x])\(values[x].map { "=" + HerdInteger.valueText($0) } ?? "");")
            }
            renamed.threads[t].registerTypes = types
            renamed.threads[t].initialRegisters = [:]
            maps.append(map)
        }
        renamed.condition.proposition = rename(p.condition.proposition, maps)
        renamed.observed = p.observed.map { rename($0, maps) }
        var out = ["X86_64 \(p.name)"]
        let header = p.litmusHeader(notes, registerName: { t, r in maps[t][r].map { X86_64Syntax.names64[$0] } ?? "?" },
                                    typeName: AArch64Litmus.typeName)
        out.append("(* \(header) *)")
        out.append("{")
        out += initial.map { " " + $0 }
        out.append("}")
        out += litmusColumns(columns)
        out += litmusTail(renamed)
        return out.joined(separator: "\n") + "\n"
    }

    /// A register used only to hold a location's address (written as `(x)`).
    static func isBase(_ p: Program, _ r: Int, thread t: Int) -> Bool {
        guard let v = p.threads[t].initialRegisters[r], v.location != nil else { return false }
        return p.threads[t].instructions.allSatisfy { i in
            guard i.readRegisters.contains(r) || i.writtenRegisters.contains(r) else { return true }
            guard let (a, _) = i.access, case .register(r) = a.base, a.index != r else { return false }
            switch i {
            case let .store(.register(s), _, _, _, _): return s != r
            case let .exchange(x, _, _): return x != r
            default: return !i.writtenRegisters.contains(r)
            }
        }
    }

    static func rename(_ o: Observable, _ maps: [[Int: Int]]) -> Observable {
        if case let .register(t, r) = o, let x = maps[t][r] { return .register(thread: t, register: x) }
        return o
    }

    static func rename(_ p: Proposition, _ maps: [[Int: Int]]) -> Proposition {
        switch p {
        case let .equals(o, v): .equals(rename(o, maps), v)
        case let .not(q): .not(rename(q, maps))
        case let .and(qs): .and(qs.map { rename($0, maps) })
        case let .or(qs): .or(qs.map { rename($0, maps) })
        case let .implies(a, b): .implies(rename(a, maps), rename(b, maps))
        case .constant: p
        }
    }

    static func lines(_ p: Program, _ t: Int, _ k: Int, _ i: Instruction, rename: (Int) throws -> Int, scratch: Int?,
                      constant: (UInt64) throws -> Int) throws -> [String] {
        func size(_ n: Int) throws -> String {
            switch n {
            case 4: return "l"
            case 8: return "q"
            default: throw LitmusWriteError("a \(n)-byte access (the X86_64 subset read back moves 4 or 8 bytes)")
            }
        }
        func reg(_ r: Int, _ n: Int) throws -> String {
            let x = try rename(r)
            return "%" + (n == 8 ? X86_64Syntax.names64[x] : X86_64Syntax.names32[x])
        }
        func mem(_ a: Address) throws -> String {
            guard let (l, o) = p.resolve(a, thread: t) else { throw LitmusWriteError("P\(t): an access through a computed address") }
            guard o == 0 else { throw LitmusWriteError("P\(t): an access at offset \(o) into '\(p.locations[l].name)' (the subset read back addresses whole locations)") }
            return "(\(p.locations[l].name))"
        }
        func scratchName(_ n: Int) throws -> String {
            guard let s = scratch else { throw LitmusWriteError("P\(t): no register left for a stored value") }
            return "%" + (n == 8 ? X86_64Syntax.names64[s] : X86_64Syntax.names32[s])
        }
        /// `v` as an `n`-byte source: `$k` in decimal, or the register the init block sets to it.
        func imm(_ v: UInt64, _ n: Int) throws -> String {
            if n == 4 { return "$\(v & 0xFFFF_FFFF)" }
            if let k = HerdInteger.immediateText(Int64(bitPattern: v)) { return "$" + k }
            return "%" + X86_64Syntax.names64[try constant(v)]
        }
        switch i {
        case let .load(d, a, n, _, false):
            return ["mov\(try size(n)) \(try mem(a)),\(try reg(d, n))"]
        case let .store(src, a, n, ord, nil):
            let s = try size(n)
            let locked = ord == .release
            switch src {
            case let .immediate(v) where !locked && (n == 4 || v < 0x8000_0000):
                return ["mov\(s) \(try imm(v, n)),\(try mem(a))"]
            case let .immediate(v):
                let r = try scratchName(n)
                return ["mov\(s) \(try imm(v, n)),\(r)", "\(locked ? "xchg" : "mov")\(s) \(r),\(try mem(a))"]
            case let .register(x) where !locked:
                return ["mov\(s) \(try reg(x, n)),\(try mem(a))"]
            case let .register(x):
                let r = try scratchName(n)
                return ["mov\(s) \(try reg(x, n)),\(r)", "xchg\(s) \(r),\(try mem(a))"]
            case .address:
                throw LitmusWriteError("P\(t): a stored address")
            case .shifted:
                throw LitmusWriteError("P\(t): a stored shifted register")
            }
        case let .exchange(r, a, n):
            return ["xchg\(try size(n)) \(try reg(r, n)),\(try mem(a))"]
        case .fence(.mfence):
            return ["mfence"]
        case let .move(d, .immediate(v), n):
            return ["mov\(try size(n)) \(try imm(v, n)),\(try reg(d, n))"]
        case let .move(d, .register(s), n):
            return ["mov\(try size(n)) \(try reg(s, n)),\(try reg(d, n))"]
        case .branch(.always, k + 1):
            return []  // a fence the mapping dropped
        default:
            throw LitmusWriteError("P\(t): \(i) is outside the X86_64 subset pvbench reads back (mov, xchg, mfence)")
        }
    }
}
