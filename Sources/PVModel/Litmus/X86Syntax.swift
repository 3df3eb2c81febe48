/// herd7's `X86` (Intel syntax) subset: `MOV` between registers, `[x]` and
/// `$imm`; `MFENCE`; `XCHG` of a register with `[x]` (a locked RMW).
/// Registers EAX, EBX, ECX, EDX, ESI, EDI (32-bit).
enum X86Syntax: AssemblySyntax {
    static let architecture = Architecture.x86
    static let names = ["EAX", "EBX", "ECX", "EDX", "ESI", "EDI"]

    static func register(_ name: String) -> (index: Int, bytes: Int)? {
        names.firstIndex(of: name.uppercased()).map { ($0, 4) }
    }

    static func name(ofRegister r: Int) -> String { names[r] }

    enum Arg { case reg(Int), mem(Int), imm(UInt64) }

    static func arg(_ o: [Token], line: Int, builder: inout Builder) throws -> Arg {
        let txt = o.map(\.text).joined()
        if o.count == 3, o[0].text == "[", o[2].text == "]" {
            if register(o[1].text) != nil { throw LitmusError(line: line, token: txt, "register-indirect addressing is not supported") }
            return .mem(try builder.location(o[1].text, line: line))
        }
        if o.count == 1, let v = try x86Immediate(o[0], bytes: 4) { return .imm(v) }
        if o.count == 1, let r = register(o[0].text) { return .reg(r.index) }
        throw LitmusError(line: line, token: txt, "expected a register, [location] or $immediate")
    }

    static func lower(_ tokens: [Token], line: Int, index: Int, labels: [String: Int], builder: inout Builder) throws -> Instruction? {
        guard let m = tokens.first else { return nil }
        var args: [[Token]] = [[]]
        for t in tokens.dropFirst() { if t.text == "," { args.append([]) } else { args[args.count - 1].append(t) } }
        if args.count == 1, args[0].isEmpty { args = [] }
        let op = m.text.uppercased()
        switch op {
        case "NOP": return nil
        case "MFENCE":
            guard args.isEmpty else { throw LitmusError(line: line, token: m.text, "MFENCE takes no operands") }
            return .fence(.mfence)
        case "MOV", "XCHG":
            guard args.count == 2 else { throw LitmusError(line: line, token: m.text, "expected 2 operands") }
            let a = try arg(args[0], line: line, builder: &builder), b = try arg(args[1], line: line, builder: &builder)
            if op == "XCHG" {
                switch (a, b) {
                case let (.reg(r), .mem(l)), let (.mem(l), .reg(r)):
                    return .exchange(register: r, address: Address(base: .location(l)), bytes: 4)
                default: throw LitmusError(line: line, token: m.text, "XCHG needs a register and a [location]")
                }
            }
            switch (a, b) {
            case let (.mem(l), .imm(v)): return .store(source: .immediate(v), address: Address(base: .location(l)), bytes: 4, ordering: .plain, status: nil)
            case let (.mem(l), .reg(r)): return .store(source: .register(r), address: Address(base: .location(l)), bytes: 4, ordering: .plain, status: nil)
            case let (.reg(r), .mem(l)): return .load(destination: r, address: Address(base: .location(l)), bytes: 4, ordering: .plain, exclusive: false)
            case let (.reg(r), .imm(v)): return .move(destination: r, source: .immediate(v), bytes: 4)
            case let (.reg(r), .reg(s)): return .move(destination: r, source: .register(s), bytes: 4)
            default: throw LitmusError(line: line, token: m.text, "unsupported MOV operands")
            }
        default:
            throw LitmusError(line: line, token: m.text, "instruction not in the supported X86 subset")
        }
    }
}

/// herd7's `X86_64` (AT&T syntax) subset: `mov`/`movl`/`movq` (source
/// first) between `%reg`, `(x)`, `(%reg)`, `k(%reg)` (a register holding a
/// location's address, `0:rdi=x;`) and `$imm`; `mfence`; `xchg`/`xchgl`/`xchgq`;
/// `add`/`and`/`cmp` of registers and constants, and `jmp`/`je`/`jne` to
/// labels (ZF only: the lifted retry of a compiled reader).
/// Registers rax...rdi (r8...r15), with their 32-bit names eax...edi.
enum X86_64Syntax: AssemblySyntax {
    static let architecture = Architecture.x86_64
    static let names64 = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]
    static let names32 = ["eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp", "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"]

    static func register(_ name: String) -> (index: Int, bytes: Int)? {
        var n = name.lowercased()
        if n.hasPrefix("%") { n.removeFirst() }
        if let i = names64.firstIndex(of: n) { return (i, 8) }
        if let i = names32.firstIndex(of: n) { return (i, 4) }
        return nil
    }

    static func name(ofRegister r: Int) -> String { names64[r] }

    static func lower(_ tokens: [Token], line: Int, index: Int, labels: [String: Int], builder: inout Builder) throws -> Instruction? {
        guard let m = tokens.first else { return nil }
        var args: [[Token]] = [[]]
        var depth = 0
        for t in tokens.dropFirst() {
            if t.text == "(" { depth += 1 }
            if t.text == ")" { depth -= 1 }
            if t.text == ",", depth == 0 { args.append([]) } else { args[args.count - 1].append(t) }
        }
        if args.count == 1, args[0].isEmpty { args = [] }
        let op = m.text.lowercased()
        enum Arg { case reg(Int, Int), mem(Address), imm(UInt64) }
        func arg(_ o: [Token]) throws -> Arg {
            let txt = o.map(\.text).joined()
            if o.count == 3, o[0].text == "(", o[2].text == ")", !o[1].text.hasPrefix("%") {
                return .mem(Address(base: .location(try builder.location(o[1].text, line: line))))
            }
            // `(%reg)` and `k(%reg)`: through a 64-bit register (herd7's Rm64_deref), k decimal.
            if o.count >= 3, o[o.count - 3].text == "(", o.last?.text == ")", o.count <= 4 {
                guard let r = register(o[o.count - 2].text), r.bytes == 8, o[o.count - 2].text.hasPrefix("%") else {
                    throw LitmusError(line: line, token: txt, "expected (location), (%register) or k(%register) with a 64-bit register")
                }
                var k: Int64 = 0
                if o.count == 4 {
                    guard let v = try HerdInteger.immediate(Substring(o[0].text), o[0], plusSign: false) else {
                        throw LitmusError(line: line, token: txt, "expected a decimal offset before (%register)")
                    }
                    k = v
                }
                return .mem(Address(base: .register(r.index), offset: k))
            }
            if o.count == 1, let v = try x86Immediate(o[0], bytes: 8) { return .imm(v) }
            if o.count == 1, o[0].text.hasPrefix("%"), let r = register(o[0].text) { return .reg(r.index, r.bytes) }
            throw LitmusError(line: line, token: txt, "expected %register, (location) or $immediate")
        }
        switch op {
        case "nop": return nil
        case "jmp", "je", "jne":
            // ZF only: what `cmp` and `and` set alike here and in herd7 (Z of NZCV).
            guard args.count == 1, args[0].count == 1, let t = labels[args[0][0].text] else {
                throw LitmusError(line: line, token: args.first.map { $0.map(\.text).joined() } ?? m.text, "unknown label")
            }
            return .branch(op == "jmp" ? .always : .flags(op == "je" ? .eq : .ne), target: t)
        case "add", "addl", "addq", "and", "andl", "andq", "cmp", "cmpl", "cmpq":
            // Between registers and constants (AT&T: `cmp a,b` sets the flags of b-a); every one writes ZF, as herd7's.
            guard args.count == 2, case let .reg(d, n) = try arg(args[1]) else {
                throw LitmusError(line: line, token: m.text, "expected \(op) $imm or %register, %register")
            }
            let suffix: Int? = op.count == 4 ? (op.hasSuffix("l") ? 4 : 8) : nil
            if let suffix, suffix != n { throw LitmusError(line: line, token: m.text, "operand size does not match the suffix") }
            let rhs: Operand
            switch try arg(args[0]) {
            case let .reg(r, w) where w == n: rhs = .register(r)
            case let .imm(v) where n == 8 || v <= UInt64(UInt32.max): rhs = .immediate(v)
            default: throw LitmusError(line: line, token: args[0].map(\.text).joined(), "expected $imm or a %register of the destination's size")
            }
            let kind: ArithmeticOperation = op.hasPrefix("add") ? .adds : op.hasPrefix("and") ? .ands : .subs
            return .arithmetic(kind, destination: op.hasPrefix("cmp") ? Instruction.zeroRegister : d, lhs: d, rhs: rhs, bytes: n)
        case "mfence":
            guard args.isEmpty else { throw LitmusError(line: line, token: m.text, "mfence takes no operands") }
            return .fence(.mfence)
        case "mov", "movl", "movq", "xchg", "xchgl", "xchgq":
            guard args.count == 2 else { throw LitmusError(line: line, token: m.text, "expected 2 operands") }
            let src = try arg(args[0]), dst = try arg(args[1])
            let suffix: Int? = op.hasSuffix("l") ? 4 : op.hasSuffix("q") ? 8 : nil
            func width(_ r: Int) throws -> Int {
                if let s = suffix, s != r { throw LitmusError(line: line, token: m.text, "operand size does not match the suffix") }
                return r
            }
            if op.hasPrefix("xchg") {
                switch (src, dst) {
                case let (.reg(r, n), .mem(a)), let (.mem(a), .reg(r, n)):
                    return .exchange(register: r, address: a, bytes: try width(n))
                default: throw LitmusError(line: line, token: m.text, "xchg needs a %register and a (location)")
                }
            }
            func immediate(_ v: UInt64, _ n: Int) throws -> Operand {
                guard n == 8 || v <= UInt64(UInt32.max) else {
                    throw LitmusError(line: line, token: args[0].map(\.text).joined(), x86Wide32)
                }
                return .immediate(v)
            }
            switch (src, dst) {
            case let (.imm(v), .mem(a)):
                guard let n = suffix else { throw LitmusError(line: line, token: m.text, "a store of an immediate needs movl or movq") }
                return .store(source: try immediate(v, n), address: a, bytes: n, ordering: .plain, status: nil)
            case let (.reg(r, n), .mem(a)):
                return .store(source: .register(r), address: a, bytes: try width(n), ordering: .plain, status: nil)
            case let (.mem(a), .reg(r, n)):
                return .load(destination: r, address: a, bytes: try width(n), ordering: .plain, exclusive: false)
            case let (.imm(v), .reg(r, n)): return .move(destination: r, source: try immediate(v, try width(n)), bytes: n)
            case let (.reg(s, _), .reg(r, n)): return .move(destination: r, source: .register(s), bytes: try width(n))
            default: throw LitmusError(line: line, token: m.text, "unsupported mov operands")
            }
        default:
            throw LitmusError(line: line, token: m.text, "instruction not in the supported X86_64 subset")
        }
    }
}

/// `$k` or `k` (herd7 reads both as an immediate): decimal (its x86 lexers
/// read no hexadecimal), 0 ... 2^32-1 for 32 bits, -2^62 ... 2^62-1 for 64.
private func x86Immediate(_ t: Token, bytes: Int) throws -> UInt64? {
    let digits = t.text.hasPrefix("$") ? t.text.dropFirst() : Substring(t.text)
    guard let k = try HerdInteger.immediate(digits, t, plusSign: false) else { return nil }
    guard bytes == 8 || (0 ... Int64(UInt32.max)).contains(k) else { throw LitmusError(line: t.line, token: t.text, x86Wide32) }
    return UInt64(bitPattern: k)
}

private let x86Wide32 = "a 32-bit immediate is 0 ... 4294967295 here (herd7 7.57 keeps a wider or negative one whole, where the architecture truncates)"
