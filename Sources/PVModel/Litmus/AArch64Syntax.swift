/// herd7's AArch64 syntax, for the subset: LDR/STR (B/H, W/X), LDAR,
/// LDAPR, STLR, LDXR/STXR, LDAXR/STLXR, LDXP/STXP, LDAXP/STLXP, LDP/STP
/// (LDNP/STNP, LDIAPP/STILP; pre- and post-index), CASP,
/// DMB, ISB, MOV, MOVZ/MOVN/MOVK, ADD/SUB/AND/ORR/EOR/BIC (immediate,
/// shifted register; ADD/SUB extended register), LSL/LSR/ASR #k, SXTW,
/// addresses [Xn], [Xn,#k], [Xn,Xm{,LSL #k}], [Xn,Wm,SXTW|UXTW {#k}], CBZ/CBNZ/B (to any label of
/// the thread: a backward one is a loop, unrolled by the checker), NOP. X0...X30 are registers
/// 0...30, XZR is 31. What herd7 7.57 refuses (or stops on) is refused
/// with its reason: immediates as `HerdInteger` and `AArch64Immediate`
/// state, registers of mixed widths, XZR where the encoding means SP.
enum AArch64Syntax: AssemblySyntax {
    static let architecture = Architecture.aarch64

    static func register(_ name: String) -> (index: Int, bytes: Int)? {
        let u = name.uppercased()
        if u == "XZR" { return (Instruction.zeroRegister, 8) }
        if u == "WZR" { return (Instruction.zeroRegister, 4) }
        guard let f = u.first, f == "X" || f == "W", let n = Int(u.dropFirst()), n >= 0, n <= 30,
              String(n) == String(u.dropFirst()) else { return nil }
        return (n, f == "X" ? 8 : 4)
    }

    static func name(ofRegister r: Int) -> String { r == Instruction.zeroRegister ? "XZR" : "X\(r)" }

    /// Operands split at top-level commas: [[tokens]].
    private static func operands(_ t: ArraySlice<Token>) -> [[Token]] {
        var out: [[Token]] = [[]]
        var depth = 0
        for x in t {
            if x.text == "[" { depth += 1 }
            if x.text == "]" { depth -= 1 }
            if x.text == ",", depth == 0 { out.append([]) } else { out[out.count - 1].append(x) }
        }
        return out.count == 1 && out[0].isEmpty ? [] : out
    }

    private static func reg(_ o: [Token], line: Int) throws -> (index: Int, bytes: Int) {
        guard o.count == 1, let r = register(o[0].text) else {
            throw LitmusError(line: o.first?.line ?? line, token: o.map(\.text).joined(separator: " "), "expected a register")
        }
        return r
    }

    /// `#k` or `k` (herd7's `#` is optional), decimal.
    private static func immediate(_ o: [Token]) throws -> Int64? {
        guard o.count == 1 else { return nil }
        let t = o[0].text
        return try HerdInteger.immediate(t.hasPrefix("#") ? t.dropFirst() : Substring(t), o[0], plusSign: true)
    }

    /// A register of `bytes`, or an immediate.
    private static func regOrImm(_ o: [Token], bytes: Int, line: Int) throws -> Operand {
        if let i = try immediate(o) { return .immediate(UInt64(bitPattern: i)) }
        let r = try reg(o, line: line)
        guard r.bytes == bytes else { throw LitmusError(line: line, token: o[0].text, "registers of mixed widths (herd7 refuses them)") }
        return .register(r.index)
    }

    /// `#k` or `#k,LSL #s` of MOVZ/MOVN/MOVK: (k, s), checked as herd7 7.57 checks them.
    private static func wide(_ op: String, _ args: [[Token]], bytes: Int, line: Int) throws -> (UInt64, Int) {
        guard args.count == 2 || args.count == 3 else { throw LitmusError(line: line, token: op, "expected 2 operands and an optional LSL #shift") }
        guard let k = try immediate(args[1]) else { throw LitmusError(line: line, token: args[1].map(\.text).joined(), "expected #imm16") }
        guard AArch64Immediate.wideRange.contains(k) else {
            throw LitmusError(line: line, token: args[1][0].text, "\(op) takes #0 ... #65534 in herd7 7.57 (#65535 stops it)")
        }
        var shift: Int64 = 0
        if args.count == 3 {
            guard args[2].count == 2, args[2][0].text.uppercased() == "LSL", let s = try immediate([args[2][1]]) else {
                throw LitmusError(line: line, token: args[2].map(\.text).joined(separator: " "), "expected LSL #shift")
            }
            shift = s
        }
        guard [0, 16, 32, 48].contains(shift), bytes == 8 || shift < 32 else {
            throw LitmusError(line: line, token: "LSL #\(shift)", "\(op) of a \(bytes == 8 ? "X" : "W") register shifts by \(bytes == 8 ? "0, 16, 32 or 48" : "0 or 16")")
        }
        return (UInt64(k), Int(shift))
    }

    /// `[Xn]`, `[Xn,Xm]`, `[Xn,#imm]`.
    /// The address operand of LDR/STR (`args[1...]`): `[...]`, and for the
    /// plain forms pre-index `[Xn,#k]!` and post-index `[Xn],#k`.
    private static func indexedAddress(_ args: [[Token]], line: Int, mnemonic: String, plain: Bool, data: Int) throws -> Address {
        let txt = args.dropFirst().map { $0.map(\.text).joined() }.joined(separator: ",")
        var a: Address
        switch args.count {
        case 2 where plain && args[1].last?.text == "!":
            a = try address(Array(args[1].dropLast()), line: line)
            guard a.index == nil else { throw LitmusError(line: line, token: txt, "pre-index takes [Xn,#imm]!") }
            a.writeback = .preIndex
        case 2:
            return try address(args[1], line: line)
        case 3 where plain:
            a = try address(args[1], line: line)
            guard a.index == nil, a.offset == 0, let k = try immediate(args[2]) else {
                throw LitmusError(line: line, token: txt, "post-index takes [Xn],#imm")
            }
            a.offset = k
            a.writeback = .postIndex
        default:
            throw LitmusError(line: line, token: mnemonic, "expected 2 operands")
        }
        if case let .register(b) = a.base, b == data {
            throw LitmusError(line: line, token: txt, "the base register written back is the data register (constrained unpredictable)")
        }
        return a
    }

    private static func address(_ o: [Token], line: Int) throws -> Address {
        let txt = o.map(\.text).joined(separator: " ")
        guard o.first?.text == "[", o.last?.text == "]" else { throw LitmusError(line: o.first?.line ?? line, token: txt, "expected an address [Xn...]") }
        let inner = operands(o.dropFirst().dropLast())
        guard let first = inner.first, let b = register(first.first?.text ?? ""), first.count == 1, b.bytes == 8 else {
            throw LitmusError(line: line, token: txt, "expected a base register Xn")
        }
        guard b.index != Instruction.zeroRegister else {
            throw LitmusError(line: line, token: txt, "XZR is not a base register (that encoding is SP; herd7 refuses it)")
        }
        switch inner.count {
        case 1: return Address(base: .register(b.index))
        case 2:
            if let i = try immediate(inner[1]) { return Address(base: .register(b.index), offset: i) }
            guard inner[1].count == 1, let x = register(inner[1][0].text), x.bytes == 8 else {
                throw LitmusError(line: line, token: inner[1].map(\.text).joined(separator: " "), "expected an index register Xm or #imm")
            }
            return Address(base: .register(b.index), index: x.index)
        case 3: return try extendedAddress(base: b.index, inner[1], inner[2], line: line)
        default:
            throw LitmusError(line: line, token: txt, "expected an address [Xn], [Xn,#imm], [Xn,Xm], [Xn,Xm,LSL #k] or [Xn,Wm,SXTW|UXTW #k]")
        }
    }

    /// `[Xn,Wm,SXTW]`, `[Xn,Wm,UXTW #k]`, `[Xn,Xm,LSL #k]`, `[Xn,Xm,SXTX]`:
    /// the index extended, then shifted (herd7's `memext_sext`).
    private static func extendedAddress(base: Int, _ index: [Token], _ modifier: [Token], line: Int) throws -> Address {
        let txt = (index + modifier).map(\.text).joined(separator: " ")
        guard index.count == 1, let x = register(index[0].text), let kind = modifier.first?.text.uppercased(), modifier.count <= 2 else {
            throw LitmusError(line: line, token: txt, "expected an index register and an extension")
        }
        var shift: Int64 = 0
        if modifier.count == 2 {
            guard let k = try immediate([modifier[1]]), (0 ... 4).contains(k) else {
                throw LitmusError(line: line, token: modifier[1].text, "expected a shift amount #0 ... #4")
            }
            shift = k
        }
        let ext: IndexExtension
        switch (kind, x.bytes) {
        case ("SXTW", 4): ext = .sxtw
        case ("UXTW", 4): ext = .uxtw
        case ("LSL", 8), ("SXTX", 8): ext = .none
        default:
            throw LitmusError(line: line, token: txt, "an index Wm takes SXTW or UXTW, an index Xm LSL or SXTX")
        }
        return Address(base: .register(base), index: x.index, indexExtension: ext, indexShift: Int(shift))
    }

    /// The third operand of ADD/SUB/AND/ORR/EOR/BIC with its optional
    /// shift (`Xm,LSL #k`, `Xm,LSR #k`, `Xm,ASR #k`) or, for ADD/SUB of an
    /// X register, extension (`Wm,SXTW`, `Wm,UXTW`).
    private static func operand3(_ op: String, _ args: [[Token]], bytes: Int, line: Int) throws -> Operand {
        guard args.count == 4 else { return try regOrImm(args[2], bytes: bytes, line: line) }
        let r = try reg(args[2], line: line)
        let sh = args[3]
        let kind = sh.first?.text.uppercased() ?? ""
        var k: Int64 = 0
        if sh.count == 2 {
            guard let n = try immediate([sh[1]]) else { throw LitmusError(line: line, token: sh[1].text, "expected #amount") }
            k = n
        } else if sh.count != 1 || !["SXTW", "UXTW"].contains(kind) {
            throw LitmusError(line: line, token: sh.map(\.text).joined(separator: " "), "expected LSL|LSR|ASR #k, SXTW or UXTW")
        }
        switch kind {
        case "SXTW", "UXTW":
            guard op == "ADD" || op == "SUB", bytes == 8, r.bytes == 4 else {
                throw LitmusError(line: line, token: kind, "\(kind) extends a W register for ADD/SUB of X registers only")
            }
            // herd7 7.57 shifts an extended register before extending it, unlike the architecture.
            guard k == 0 else { throw LitmusError(line: line, token: "#\(k)", "a shifted extended register: herd7 7.57 shifts before extending, unlike the architecture") }
            return .shifted(r.index, kind == "SXTW" ? .sxtw : .uxtw)
        case "LSL", "LSR", "ASR":
            guard r.bytes == bytes else { throw LitmusError(line: line, token: args[2][0].text, "registers of mixed widths (herd7 refuses them)") }
            guard k >= 0, k < bytes * 8 else { throw LitmusError(line: line, token: "#\(k)", "a shift of a \(bytes * 8)-bit register by 0 ... \(bytes * 8 - 1)") }
            let amount = Int(k)
            return .shifted(r.index, kind == "LSL" ? .lsl(amount) : kind == "LSR" ? .lsr(amount) : .asr(amount))
        default:
            throw LitmusError(line: line, token: kind, "expected LSL|LSR|ASR #k, SXTW or UXTW")
        }
    }

    /// ADDS/SUBS/ANDS and their aliases CMP (SUBS into XZR) and TST (ANDS);
    /// NEG/NEGS (SUB/SUBS from XZR). They write NZCV (`Instruction.flagsRegister`).
    /// herd7 7.57 has no CMN (write ADDS XZR,...).
    private static func flagSetting(_ op: String, _ args: [[Token]], line: Int) throws -> Instruction {
        let compare = ["CMP", "TST"].contains(op)
        let negate = op.hasPrefix("NEG")
        guard args.count >= (compare || negate ? 2 : 3) else { throw LitmusError(line: line, token: op, "expected more operands") }
        let first = try reg(args[0], line: line)
        let zr = [Token(text: first.bytes == 8 ? "XZR" : "WZR", line: line)]
        // As ADD/SUB/AND: destination, first source, operand (with its shift or extension).
        let full: [[Token]] = compare ? [zr] + args : negate ? [args[0], zr] + args.dropFirst() : args
        guard full.count == 3 || full.count == 4 else { throw LitmusError(line: line, token: op, "expected 3 operands and an optional shift or extension") }
        let d = try reg(full[0], line: line), a = try reg(full[1], line: line)
        guard a.bytes == d.bytes else { throw LitmusError(line: line, token: full[1][0].text, "registers of mixed widths (herd7 refuses them)") }
        let base = ["ADDS": "ADD", "SUBS": "SUB", "CMP": "SUB", "NEG": "SUB", "NEGS": "SUB"][op] ?? "AND"
        if let k = try immediate(full[2]) {
            guard !negate, full.count == 3 else { throw LitmusError(line: line, token: op, "a shifted immediate is not in the subset") }
            guard base == "AND" || a.index != Instruction.zeroRegister else {
                throw LitmusError(line: line, token: op, "\(op) of an immediate from \(a.bytes == 8 ? "XZR" : "WZR") (that encoding is SP; herd7 refuses it)")
            }
            guard base == "AND" || AArch64Immediate.addRange.contains(k) else {
                throw LitmusError(line: line, token: full[2][0].text, "\(op) takes an immediate of -4095 ... 4095 (herd7 refuses others); put it in a register")
            }
        }
        let rhs = try operand3(base, full, bytes: d.bytes, line: line)
        let operation: ArithmeticOperation = switch (base, op) {
        case (_, "NEG"): .sub
        case ("ADD", _): .adds
        case ("SUB", _): .subs
        default: .ands
        }
        return .arithmetic(operation, destination: d.index, lhs: a.index, rhs: rhs, bytes: d.bytes)
    }

    /// CSEL/CSINC/CSINV/CSNEG and the aliases herd7 reads: CINC Rd,Rn,cc
    /// (CSINC Rd,Rn,Rn,!cc), CSET Rd,cc (CSINC Rd,ZR,ZR,!cc), CSETM (CSINV).
    private static func select(_ op: String, _ args: [[Token]], line: Int) throws -> Instruction {
        let n = ["CSET": 2, "CSETM": 2, "CINC": 3][op] ?? 4
        guard args.count == n else { throw LitmusError(line: line, token: op, "expected \(n) operands") }
        let regs = try args.dropLast().map { try reg($0, line: line) }
        guard regs.allSatisfy({ $0.bytes == regs[0].bytes }) else { throw LitmusError(line: line, token: op, "registers of mixed widths (herd7 refuses them)") }
        let c = args[n - 1].map(\.text).joined()
        guard let cc = ConditionCode(rawValue: c.uppercased()), c == c.uppercased() || c == c.lowercased() else {
            throw LitmusError(line: line, token: c, "unknown condition (EQ NE CS CC MI PL VS VC HI LS GE LT GT LE AL)")
        }
        let d = regs[0].index, bytes = regs[0].bytes
        switch op {
        case "CSEL", "CSINC", "CSINV", "CSNEG":
            let kind: SelectOperation = op == "CSEL" ? .csel : op == "CSINC" ? .csinc : op == "CSINV" ? .csinv : .csneg
            return .select(kind, destination: d, ifTrue: regs[1].index, ifFalse: regs[2].index, condition: cc, bytes: bytes)
        default:
            guard let inverse = cc.inverse else { throw LitmusError(line: line, token: c, "\(op) with AL (the architecture forbids AL and NV here)") }
            guard cc != .ge else { throw LitmusError(line: line, token: c, "\(op) with GE: herd7 7.57 inverts GE as GT, unlike the architecture (write CSINC/CSINV with LT)") }
            let src = op == "CINC" ? regs[1].index : Instruction.zeroRegister
            return .select(op == "CSETM" ? .csinv : .csinc, destination: d, ifTrue: src, ifFalse: src, condition: inverse, bytes: bytes)
        }
    }

    /// SWP{A}{L}{B|H}, LD<op>{A}{L}{B|H}, ST<op>{L}{B|H} (op: ADD, CLR, SET,
    /// EOR, SMAX, SMIN, UMAX, UMIN) → (operation, acquire, release, bytes if B/H, store form).
    private static func lse(_ op: String) -> (AtomicOperation, Bool, Bool, Int?, Bool)? {
        var rest = Substring(op)
        let kind: AtomicOperation, store: Bool
        if rest.hasPrefix("SWP") {
            kind = .swp; store = false; rest = rest.dropFirst(3)
        } else if rest.hasPrefix("LD") || rest.hasPrefix("ST"),
                  let k = AtomicOperation(rawValue: String(rest.dropFirst(2).prefix(4))) ?? AtomicOperation(rawValue: String(rest.dropFirst(2).prefix(3))),
                  k != .swp {
            kind = k; store = rest.hasPrefix("ST"); rest = rest.dropFirst(2 + k.rawValue.count)
        } else {
            return nil
        }
        var bytes: Int?
        if rest.hasSuffix("B") { bytes = 1; rest = rest.dropLast() } else if rest.hasSuffix("H") { bytes = 2; rest = rest.dropLast() }
        let forms: [Substring: (Bool, Bool)] = store ? ["": (false, false), "L": (false, true)]
            : ["": (false, false), "A": (true, false), "L": (false, true), "AL": (true, true)]
        guard let (acq, rel) = forms[rest] else { return nil }
        return (kind, acq, rel, bytes, store)
    }

    /// CAS{A}{L}{B|H} → (acquire, release, bytes if B/H).
    private static func cas(_ op: String) -> (Bool, Bool, Int?)? {
        guard op.hasPrefix("CAS"), !op.hasPrefix("CASP") else { return nil }
        var rest = op.dropFirst(3)
        var bytes: Int?
        if rest.hasSuffix("B") { bytes = 1; rest = rest.dropLast() } else if rest.hasSuffix("H") { bytes = 2; rest = rest.dropLast() }
        let forms: [Substring: (Bool, Bool)] = ["": (false, false), "A": (true, false), "L": (false, true), "AL": (true, true)]
        guard let (acq, rel) = forms[rest] else { return nil }
        return (acq, rel, bytes)
    }

    static func lower(_ tokens: [Token], line: Int, index: Int, labels: [String: Int], builder: inout Builder) throws -> Instruction? {
        guard let m = tokens.first else { return nil }
        let op = m.text.uppercased()
        let args = operands(tokens.dropFirst())
        func need(_ n: Int) throws {
            guard args.count == n else {
                throw LitmusError(line: line, token: m.text, "expected \(n) operand\(n == 1 ? "" : "s")")
            }
        }
        func target(_ o: [Token]) throws -> Int {
            guard o.count == 1, let t = labels[o[0].text] else {
                throw LitmusError(line: line, token: o.map(\.text).joined(), "unknown label")
            }
            return t
        }
        switch op {
        case "NOP": return nil
        case "LDR", "LDAR", "LDAPR", "LDXR", "LDAXR", "LDRB", "LDRH", "LDARB", "LDARH",
             "LDXRB", "LDXRH", "LDAXRB", "LDAXRH", "LDAPRB", "LDAPRH":
            try need(args.count == 3 ? 3 : 2)  // 3: post-index
            let r = try reg(args[0], line: line)
            let bytes = op.hasSuffix("B") ? 1 : op.hasSuffix("H") ? 2 : r.bytes
            if bytes < 4, r.bytes != 4 { throw LitmusError(line: line, token: m.text, "byte and halfword loads take a W register") }
            let stem = bytes < 4 ? String(op.dropLast()) : op
            let ord: LoadOrdering = stem == "LDAR" || stem == "LDAXR" ? .acquire : stem.hasPrefix("LDAP") ? .acquirePC : .plain
            return .load(destination: r.index, address: try indexedAddress(args, line: line, mnemonic: m.text, plain: stem == "LDR", data: r.index),
                         bytes: bytes, ordering: ord, exclusive: stem == "LDXR" || stem == "LDAXR")
        case "LDRSB", "LDRSH", "LDRSW":
            // herd7 7.57: LDRSB/LDRSH into W or X, LDRSW into X, with LDR's addressing (mem_ea).
            try need(args.count == 3 ? 3 : 2)
            let r = try reg(args[0], line: line)
            let bytes = op == "LDRSB" ? 1 : op == "LDRSH" ? 2 : 4
            guard op != "LDRSW" || r.bytes == 8 else { throw LitmusError(line: line, token: m.text, "LDRSW takes an X register") }
            return .loadSigned(destination: r.index, address: try indexedAddress(args, line: line, mnemonic: m.text, plain: true, data: r.index),
                               bytes: bytes, registerBytes: r.bytes)
        case "LDUR":
            // herd7 7.57: LDUR Rt,[Xn{,#k}], read as LDR with an immediate offset.
            try need(2)
            let r = try reg(args[0], line: line)
            let a = try address(args[1], line: line)
            guard a.index == nil else { throw LitmusError(line: line, token: m.text, "LDUR takes [Xn] or [Xn,#imm] (herd7 7.57)") }
            return .load(destination: r.index, address: a, bytes: r.bytes, ordering: .plain, exclusive: false)
        case "STUR", "STURB", "STURH":
            throw LitmusError(line: line, token: m.text, "herd7 7.57 reads \(op) only with SIMD registers (write STR Rt,[Xn,#imm])")
        case "LDAPUR", "STLUR", "LDAPURB", "LDAPURH", "STLURB", "STLURH":
            throw LitmusError(line: line, token: m.text, "herd7 7.57 reads \(op) only with SIMD registers (write LDAPR/STLR with the address in a register)")
        case "STR", "STLR", "STRB", "STRH", "STLRB", "STLRH":
            try need(args.count == 3 ? 3 : 2)  // 3: post-index
            let r = try reg(args[0], line: line)
            let bytes = op.hasSuffix("B") ? 1 : op.hasSuffix("H") ? 2 : r.bytes
            return .store(source: .register(r.index), address: try indexedAddress(args, line: line, mnemonic: m.text, plain: !op.hasPrefix("STL"), data: r.index),
                          bytes: bytes,
                          ordering: op.hasPrefix("STL") ? .release : .plain, status: nil)
        case "STXR", "STLXR", "STXRB", "STXRH", "STLXRB", "STLXRH":
            try need(3)
            let s = try reg(args[0], line: line)
            let r = try reg(args[1], line: line)
            let bytes = op.hasSuffix("B") ? 1 : op.hasSuffix("H") ? 2 : r.bytes
            if bytes < 4, r.bytes != 4 { throw LitmusError(line: line, token: m.text, "byte and halfword stores take a W register") }
            return .store(source: .register(r.index), address: try address(args[2], line: line), bytes: bytes,
                          ordering: op.hasPrefix("STLXR") ? .release : .plain, status: s.index)
        case "LDXP", "LDAXP":
            try need(3)
            let a = try reg(args[0], line: line), b = try reg(args[1], line: line)
            guard a.bytes == b.bytes else { throw LitmusError(line: line, token: m.text, "mixed register widths") }
            return .loadPair(first: a.index, second: b.index, address: try address(args[2], line: line), bytes: a.bytes,
                             ordering: op == "LDAXP" ? .acquire : .plain, exclusive: true)
        case "LDP", "LDNP", "LDIAPP", "STP", "STNP", "STILP":
            // herd7 7.57 `mem_idx`: [Xn], [Xn,#k], [Xn],#k, [Xn,#k]!; LDNP/STNP
            // are LDP/STP (their non-temporal hint orders nothing).
            guard args.count == 3 || args.count == 4 else { throw LitmusError(line: line, token: m.text, "expected 3 operands") }
            let a = try reg(args[0], line: line), b = try reg(args[1], line: line)
            guard a.bytes == b.bytes else { throw LitmusError(line: line, token: m.text, "mixed register widths") }
            let load = op.hasPrefix("LD")
            let addr = try indexedAddress(Array(args.dropFirst()), line: line, mnemonic: m.text, plain: true, data: b.index)
            guard addr.index == nil else {
                throw LitmusError(line: line, token: m.text, "\(op) takes [Xn], [Xn,#imm], [Xn],#imm or [Xn,#imm]! (herd7 7.57)")
            }
            if addr.writeback != nil, case let .register(base) = addr.base, base == a.index {
                throw LitmusError(line: line, token: m.text, "the base register written back is a data register (constrained unpredictable)")
            }
            if load, a.index == b.index, a.index != Instruction.zeroRegister {
                throw LitmusError(line: line, token: m.text, "\(op) loading one register twice (constrained unpredictable)")
            }
            if op == "LDIAPP" || op == "STILP" {
                // herd7 7.57's parser: offset 0, or LDIAPP post-index / STILP pre-index by the pair's size.
                let wb: Writeback = op == "LDIAPP" ? .postIndex : .preIndex
                let k = Int64(2 * a.bytes) * (op == "LDIAPP" ? 1 : -1)
                guard (addr.writeback == nil && addr.offset == 0) || (addr.writeback == wb && addr.offset == k) else {
                    throw LitmusError(line: line, token: m.text, "\(op) takes [Xn] or \(op == "LDIAPP" ? "[Xn],#\(k)" : "[Xn,#\(k)]!") (herd7 7.57)")
                }
            }
            if load {
                return .loadPair(first: a.index, second: b.index, address: addr, bytes: a.bytes,
                                 ordering: op == "LDIAPP" ? .acquirePC : .plain, exclusive: false)
            }
            return .storePair(first: .register(a.index), second: .register(b.index), address: addr,
                              bytes: a.bytes, ordering: op == "STILP" ? .release : .plain, status: nil)
        case "STXP", "STLXP":
            try need(4)
            let s = try reg(args[0], line: line)
            let a = try reg(args[1], line: line), b = try reg(args[2], line: line)
            guard a.bytes == b.bytes else { throw LitmusError(line: line, token: m.text, "mixed register widths") }
            return .storePair(first: .register(a.index), second: .register(b.index), address: try address(args[3], line: line),
                              bytes: a.bytes, ordering: op == "STLXP" ? .release : .plain, status: s.index)
        case "DMB", "DSB":
            // aarch64fences.cat: a DSB orders as the DMB with its option (no
            // litmus test tells them apart), and the NSH options are in none
            // of dmb.full, dmb.ld, dmb.st: they order nothing. Nor does DSB OSHLD
            // in herd7 7.57 (`let DSB.OSHLD = try DSB.OSH with emptyset`).
            try need(1)
            let o = args[0].map(\.text).joined().uppercased()
            // aarch64fences.cat: `flag ~empty (dmb.full | dmb.ld | dmb.st) \ (DMB.SY | … | DSB.ST)`
            // as Assuming-common-inner-shareable-domain: the ISH and OSH options raise it.
            if ["SY", "LD", "ST"].contains(o) { builder.threads[builder.thread].systemFences.insert(index) }
            switch o {
            case "OSHLD" where op == "DSB": return nil
            case "SY", "ISH", "OSH": return .fence(.dmbFull)
            case "LD", "ISHLD", "OSHLD": return .fence(.dmbLoad)
            case "ST", "ISHST", "OSHST": return .fence(.dmbStore)
            case "NSH", "NSHLD", "NSHST": return nil
            default: throw LitmusError(line: line, token: o, "unknown \(op) option")
            }
        case "ISB":
            guard args.isEmpty || args[0].map(\.text).joined().uppercased() == "SY" else {
                throw LitmusError(line: line, token: args[0].map(\.text).joined(), "unknown ISB option")
            }
            return .fence(.isb)
        case "MOV":
            try need(2)
            let d = try reg(args[0], line: line)
            if let k = try immediate(args[1]), !AArch64Immediate.movEncodable(k, bytes: d.bytes) {
                throw LitmusError(line: line, token: args[1][0].text, "not a MOV immediate: neither it nor its complement is one 16-bit chunk at shift 0, 16\(d.bytes == 8 ? ", 32 or 48" : "") (herd7 refuses it); set the register in the init block or use MOVZ/MOVK")
            }
            return .move(destination: d.index, source: try regOrImm(args[1], bytes: d.bytes, line: line), bytes: d.bytes)
        case "MOVZ", "MOVN", "MOVK":
            let d = try reg(args.first ?? [], line: line)
            let (k, s) = try wide(op, args, bytes: d.bytes, line: line)
            switch op {
            case "MOVZ": return .move(destination: d.index, source: .immediate(k << s), bytes: d.bytes)
            case "MOVN":
                // herd7 7.57 inverts all 64 bits for a W register too, where the architecture gives a 32-bit result.
                guard d.bytes == 8 else { throw LitmusError(line: line, token: m.text, "MOVN of a W register: herd7 7.57 computes it as 64 bits, unlike the architecture") }
                return .move(destination: d.index, source: .immediate(~(k << s)), bytes: 8)
            default: return .arithmetic(.movk(shift: s), destination: d.index, lhs: d.index, rhs: .immediate(k), bytes: d.bytes)
            }
        case "ADD", "SUB", "EOR", "AND", "ORR", "BIC":
            guard args.count == 3 || args.count == 4 else { throw LitmusError(line: line, token: m.text, "expected 3 operands and an optional shift or extension") }
            let d = try reg(args[0], line: line)
            let a = try reg(args[1], line: line)
            guard a.bytes == d.bytes else { throw LitmusError(line: line, token: args[1][0].text, "registers of mixed widths (herd7 refuses them)") }
            let addSub = op == "ADD" || op == "SUB"
            if let k = try immediate(args[2]) {
                guard args.count == 3 else { throw LitmusError(line: line, token: m.text, "a shifted immediate is not in the subset") }
                guard op != "BIC" else { throw LitmusError(line: line, token: m.text, "BIC takes no immediate (herd7 refuses it)") }
                guard d.index != Instruction.zeroRegister, !addSub || a.index != Instruction.zeroRegister else {
                    throw LitmusError(line: line, token: m.text, "\(op) of an immediate with \(d.bytes == 8 ? "XZR" : "WZR") (that encoding is SP; herd7 refuses it)")
                }
                guard !addSub || AArch64Immediate.addRange.contains(k) else {
                    throw LitmusError(line: line, token: args[2][0].text, "\(op) takes an immediate of -4095 ... 4095 (herd7 refuses others); put it in a register")
                }
            }
            let rhs = try operand3(op, args, bytes: d.bytes, line: line)
            if case let .shifted(_, sh) = rhs, sh == .sxtw || sh == .uxtw,
               d.index == Instruction.zeroRegister || a.index == Instruction.zeroRegister {
                throw LitmusError(line: line, token: m.text, "an extended-register \(op) with XZR (that encoding is SP)")
            }
            let operation: ArithmeticOperation = switch op {
            case "ADD": .add
            case "SUB": .sub
            case "AND": .and
            case "ORR": .orr
            case "BIC": .bic
            default: .eor
            }
            return .arithmetic(operation, destination: d.index, lhs: a.index, rhs: rhs, bytes: d.bytes)
        case "LSL", "LSR", "ASR":
            try need(3)
            let d = try reg(args[0], line: line)
            let a = try reg(args[1], line: line)
            guard a.bytes == d.bytes else { throw LitmusError(line: line, token: args[1][0].text, "registers of mixed widths (herd7 refuses them)") }
            guard let k = try immediate(args[2]) else {
                throw LitmusError(line: line, token: m.text, "a shift by a register is not in the subset (shift by #k)")
            }
            guard k >= 0, k < d.bytes * 8 else { throw LitmusError(line: line, token: "#\(k)", "a shift of a \(d.bytes * 8)-bit register by 0 ... \(d.bytes * 8 - 1)") }
            guard op != "ASR" || d.bytes == 8 else {
                throw LitmusError(line: line, token: m.text, "ASR of a W register: herd7 7.57 shifts its zero-extended value as 64 bits, unlike the architecture")
            }
            return .arithmetic(op == "LSL" ? .lsl : op == "LSR" ? .lsr : .asr, destination: d.index, lhs: a.index,
                               rhs: .immediate(UInt64(k)), bytes: d.bytes)
        case "EON":
            throw LitmusError(line: line, token: m.text, "herd7 7.57 reads EON as EOR, unlike the architecture")
        case "SXTW":
            try need(2)
            let d = try reg(args[0], line: line), r = try reg(args[1], line: line)
            guard d.bytes == 8, r.bytes == 4 else { throw LitmusError(line: line, token: m.text, "expected SXTW Xd,Wn") }
            return .move(destination: d.index, source: .shifted(r.index, .sxtw), bytes: 8)
        case "ADDS", "SUBS", "ANDS", "CMP", "TST", "NEG", "NEGS":
            return try flagSetting(op, args, line: line)
        case "CSEL", "CSINC", "CSINV", "CSNEG", "CINC", "CSET", "CSETM":
            return try select(op, args, line: line)
        case "TBZ", "TBNZ":
            try need(3)
            let r = try reg(args[0], line: line)
            guard let b = try immediate(args[1]), b >= 0, b < r.bytes * 8 else {
                throw LitmusError(line: line, token: args[1].map(\.text).joined(), "expected a bit number #0 ... #\(r.bytes * 8 - 1)")
            }
            return .branch(op == "TBZ" ? .bitZero(r.index, bit: Int(b)) : .bitNonZero(r.index, bit: Int(b)), target: try target(args[2]))
        case _ where op.hasPrefix("B.") && m.text.dropFirst(2).allSatisfy(\.isUppercase) == m.text.first!.isUppercase:
            guard let cc = ConditionCode(rawValue: String(op.dropFirst(2))) else {
                throw LitmusError(line: line, token: m.text, "unknown condition (EQ NE CS CC MI PL VS VC HI LS GE LT GT LE AL)")
            }
            try need(1)
            return .branch(.flags(cc), target: try target(args[0]))
        case "CASP", "CASPA", "CASPL", "CASPAL":
            // herd7 7.57 reads the two pairs as named; it does not check that they are even/odd.
            try need(5)
            let rs = try (0 ..< 4).map { try reg(args[$0], line: line) }
            guard rs.allSatisfy({ $0.bytes == rs[0].bytes }) else { throw LitmusError(line: line, token: m.text, "registers of mixed widths (herd7 refuses them)") }
            let a = try address(args[4], line: line)
            guard a.index == nil, a.offset == 0 else { throw LitmusError(line: line, token: m.text, "CASP takes a base register only: [Xn]") }
            // herd7 7.57's grammar: [Xn,#0] for X registers only.
            guard rs[0].bytes == 8 || args[4].count == 3 else { throw LitmusError(line: line, token: m.text, "CASP of W registers takes [Xn] (herd7 7.57)") }
            return .compareAndSwapPair(expected: rs[0].index, expected2: rs[1].index, new: rs[2].index, new2: rs[3].index, address: a,
                                       bytes: rs[0].bytes, acquire: op.hasPrefix("CASPA"), release: op.hasSuffix("L"))
        case _ where cas(op) != nil:
            let (acq, rel, bytes) = cas(op)!
            try need(3)
            let e = try reg(args[0], line: line), v = try reg(args[1], line: line)
            guard e.bytes == v.bytes, bytes == nil || e.bytes == 4 else {
                throw LitmusError(line: line, token: m.text, bytes == nil ? "registers of mixed widths (herd7 refuses them)" : "byte and halfword atomics take W registers")
            }
            let a = try address(args[2], line: line)
            guard a.index == nil, a.offset == 0 else { throw LitmusError(line: line, token: m.text, "CAS takes a base register only: [Xn]") }
            return .compareAndSwap(expected: e.index, new: v.index, address: a, bytes: bytes ?? e.bytes, acquire: acq, release: rel)
        case _ where lse(op) != nil:
            let (kind, acq, rel, bytes, store) = lse(op)!
            try need(store ? 2 : 3)
            let s = try reg(args[0], line: line)
            let d = store ? (index: Instruction.zeroRegister, bytes: s.bytes) : try reg(args[1], line: line)
            guard s.bytes == d.bytes, bytes == nil || s.bytes == 4 else {
                throw LitmusError(line: line, token: m.text, bytes == nil ? "registers of mixed widths (herd7 refuses them)" : "byte and halfword atomics take W registers")
            }
            let a = try address(args[store ? 1 : 2], line: line)
            guard a.index == nil, a.offset == 0 else { throw LitmusError(line: line, token: m.text, "an atomic takes a base register only: [Xn]") }
            return .atomic(kind, source: s.index, destination: d.index, address: a, bytes: bytes ?? s.bytes, acquire: acq, release: rel)
        case "CBZ", "CBNZ":
            try need(2)
            let r = try reg(args[0], line: line)
            return .branch(op == "CBZ" ? .zero(r.index) : .nonZero(r.index), target: try target(args[1]))
        case "B":
            try need(1)
            return .branch(.always, target: try target(args[0]))
        default:
            throw LitmusError(line: line, token: m.text, "instruction not in the supported AArch64 subset")
        }
    }
}
