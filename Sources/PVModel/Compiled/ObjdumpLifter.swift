/// Object code back into a herd7 litmus test: the disassembly
/// `objdump -dr` prints for the functions `P0`, `P1`, … of a compiled C
/// test becomes an AArch64 or X86_64 test whose threads are those
/// functions. AArch64: the argument registers X0… start as the addresses of
/// the function's arguments (globals, then result locations); X86_64: the
/// access through an argument register (%rdi, %rsi, …) that the function
/// has not overwritten is written as an access to the location it points
/// to, `(x)`, and one at an offset (`0x10(%rdi)`, a field) as `16(%r15)`
/// through a register the function never names that holds `x`'s address.
/// `ret` ends the thread. Refused, with the instruction and its address:
/// calls, relocations (a reference to a symbol), stack accesses (the
/// kernel's x86 `smp_mb`, `lock; addl $0,-4(%rsp)`, excepted: x86-TSO orders
/// it as MFENCE, and it is written so), backward branches (loops: LL/SC),
/// and — when the litmus is read back — any instruction outside the
/// checker's subset.
public struct LiftedTest: Sendable {
    /// The herd7 text.
    public var text: String
    /// The lifting facts used, one line each (dropped hints, rewritten fences).
    public var notes: [String]
    /// Per thread, per row of the program table: the instruction's address and objdump text.
    public var origins: [[(address: String, text: String)]]
    /// Threads whose retry was lifted as one attempt (`lift`'s `oneAttempt`): a verdict covers that attempt.
    public var oneAttempt: [Int] = []
    /// With `oneAttempt`: the condition that some execution completes the
    /// attempt (no retry taken). A "forbidden" means something only if it holds.
    public var attemptCompletes: String?
}

public enum ObjdumpLifter {
    public struct Instruction: Sendable {
        public var address: Int
        public var text: String
    }

    /// The functions of a disassembly, by name, each with its instructions;
    /// a relocation line is refused.
    public static func functions(_ objdump: String) throws -> [String: [Instruction]] {
        var out: [String: [Instruction]] = [:]
        var current: String?
        for raw in objdump.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if let lt = line.firstIndex(of: "<"), line.hasSuffix(">:"), line[..<lt].trimmed.allSatisfy(\.isHexDigit) {
                current = String(line[line.index(after: lt) ..< line.index(line.endIndex, offsetBy: -2)])
                out[current!] = []
                continue
            }
            guard let f = current else { continue }
            // A relocation: "\t\t\tc: R_AARCH64_ADR_PREL_PG_HI21\tsym".
            let t = line.trimmed
            if let colon = t.firstIndex(of: ":"), t[..<colon].allSatisfy(\.isHexDigit), t[t.index(after: colon)...].trimmed.hasPrefix("R_") {
                let what = t[t.index(after: colon)...].trimmed.split(separator: "\t").joined(separator: " ")
                throw ModelError.notModelled("\(f) at 0x\(t[..<colon]): relocation \(what) (a reference to a symbol)")
            }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 2, fields[0].hasSuffix(":") else { continue }
            let addrText = fields[0].dropLast().trimmed
            guard let addr = Int(addrText, radix: 16) else { continue }
            // (Disassembled with --no-show-raw-insn: address, mnemonic, operands.)
            let text = fields[1...].joined(separator: " ").trimmed
            guard !text.isEmpty else { continue }
            out[f, default: []].append(Instruction(address: addr, text: text))
        }
        return out
    }

    /// The lifted test for `source` compiled for `arch`, named `name`.
    ///
    /// `oneAttempt`: threads whose backward branches are a retry (a
    /// sequence-counter reader's loop). Each such branch ends the thread
    /// instead, setting a register the function never names to 1, and the
    /// condition requires it 0: the reader makes one attempt and an
    /// execution in which it would retry is left out, as herd7's own seqlock
    /// tests do — a retry starts afresh, and one attempt has the outcomes
    /// of the last.
    public static func lift(_ test: CLitmusTest, source: CompiledSource, objdump: String, arch: CompileTarget.Arch, name: String,
                            oneAttempt: Set<Int> = []) throws -> LiftedTest {
        try lift(test, source: source, functions: try functions(objdump), arch: arch, name: name, oneAttempt: oneAttempt)
    }

    /// The same from functions already read (``functions(_:)``): threads may
    /// come from different objects (one built with other flags).
    public static func lift(_ test: CLitmusTest, source: CompiledSource, functions fs: [String: [Instruction]], arch: CompileTarget.Arch,
                            name: String, oneAttempt: Set<Int> = []) throws -> LiftedTest {
        var notes: [String] = []
        var columns: [[String]] = []
        var origins: [[(address: String, text: String)]] = []
        var initial: [String] = []
        var retried: [String] = [], attempted: [Int] = []
        for t in test.threads {
            guard var body = fs["P\(t.index)"] else { throw ModelError.notModelled("P\(t.index) is not in the object code") }
            // Alignment padding after the last instruction is not the thread's.
            while let l = body.last, isPadding(l.text) { body.removeLast() }
            let args = source.arguments[t.index]
            let (rows, o, n, regs, flag) = arch.isArm64
                ? try aarch64(body, thread: t.index, arguments: args, oneAttempt: oneAttempt.contains(t.index))
                : try x86(body, thread: t.index, arguments: args, oneAttempt: oneAttempt.contains(t.index))
            if let flag { retried.append("\(t.index):\(flag)=0"); attempted.append(t.index) }
            columns.append(rows)
            origins.append(o)
            for x in n where !notes.contains(x) { notes.append(x) }
            initial += regs
        }
        var locations: [String] = []
        for g in test.globalNames {
            let i = test.initializations.first { $0.name == g && $0.thread == nil }
            let base = i?.type?.base ?? test.threads.flatMap(\.parameters).first { $0.name == g }?.type.base ?? "int"
            var v = "0"
            if case let .integer(k)? = i?.value { v = "\(k)" }
            locations.append("\(CompiledSource.scalarTypes[base] ?? "int") \(g)=\(v);")
        }
        for t in test.threads {
            for l in t.locals {
                let r = CompiledSource.resultName(thread: t.index, local: l.name)
                if source.results.values.contains(r) { locations.append("\(CompiledSource.scalarTypes[l.type.base] ?? "int") \(r)=0;") }
            }
        }
        // herd7's X86_64 takes an untyped location as an int: only the others keep their type.
        if !arch.isArm64 { locations = locations.map { $0.hasPrefix("int ") ? String($0.dropFirst(4)) : $0 } }
        let header = arch.isArm64 ? "AArch64" : "X86_64"
        var out = "\(header) \(name)\n\"Lifted from the object code: \(notes.isEmpty ? "no rewrites" : notes.joined(separator: "; "))\"\n{\n"
        out += (locations + initial).joined(separator: "\n") + "\n}\n"
        let rowCount = columns.map(\.count).max() ?? 0
        var table: [[String]] = [test.threads.map { "P\($0.index)" }]
        for r in 0 ..< rowCount { table.append(columns.map { r < $0.count ? $0[r] : "" }) }
        let widths = test.threads.indices.map { c in table.map { $0[c].count }.max() ?? 0 }
        for row in table {
            out += " " + row.enumerated().map { $0.element + String(repeating: " ", count: widths[$0.offset] - $0.element.count) }.joined(separator: " | ") + " ;\n"
        }
        func obs(_ o: CObservable) throws -> String {
            switch o {
            case let .global(n, nil): return n
            case let .global(n, k?): return "\(n)[\(k)]"
            case .local: guard let r = source.results[o] else { throw ModelError.notModelled("the observable \(o)") }; return r
            }
        }
        func prop(_ p: CProposition) throws -> String {
            switch p {
            case let .equals(o, .integer(v)): return "\(try obs(o))=\(v)"
            case let .equals(o, .observable(q)): return "\(try obs(o))=\(try obs(q))"
            case .equals(_, .address): throw ModelError.notModelled("a condition on a pointer value")
            case let .not(q): return "~\(try prop(q))"
            case let .and(qs): return "(" + (try qs.map(prop).joined(separator: " /\\ ")) + ")"
            case let .or(qs): return "(" + (try qs.map(prop).joined(separator: " \\/ ")) + ")"
            case let .implies(a, b): return "(\(try prop(a)) => \(try prop(b)))"
            case let .constant(b): return b ? "true" : "false"
            }
        }
        if !test.locations.isEmpty { out += "locations [\(try test.locations.map(obs).joined(separator: "; "));]\n" }
        if let f = test.filter { out += "filter \(try prop(f))\n" }
        let q: String
        switch test.condition.quantifier {
        case .exists: q = "exists"
        case .notExists: q = "~exists"
        case .forall: q = "forall"
        }
        // One attempt: the executions in which a reader retried are not asked about.
        var condition = try prop(test.condition.proposition)
        if !retried.isEmpty {
            let once = retried.joined(separator: " /\\ ")
            condition = test.condition.quantifier == .forall ? "(\(once) => \(condition))" : "(\(once) /\\ \(condition))"
        }
        out += "\(q) \(condition)\n"
        return LiftedTest(text: out, notes: notes, origins: origins, oneAttempt: attempted,
                          attemptCompletes: retried.isEmpty ? nil : "exists (\(retried.joined(separator: " /\\ ")))")
    }

    private static func isPadding(_ text: String) -> Bool {
        let m = text.split(separator: " ").first.map { String($0) } ?? ""
        return m.hasPrefix("nop") || m == "cs" || m == "data16" || m == "int3" || m == "udf" || text.hasPrefix("xchg %ax,%ax")
    }

    private static func refuse(_ t: Int, _ i: Instruction, _ why: String) -> ModelError {
        .notModelled("P\(t) at 0x\(String(i.address, radix: 16)): '\(i.text)': \(why)")
    }

    /// Drops an objdump comment and the symbolic form of a branch target.
    private static func clean(_ s: String, comment: String) -> String {
        var s = s
        s = s.cut(before: comment)
        s = s.cut(before: " <")
        return s.trimmed
    }

    private static func aarch64(_ body: [Instruction], thread t: Int, arguments: [String], oneAttempt: Bool) throws
        -> ([String], [(address: String, text: String)], [String], [String], String?) {
        var notes: [String] = []
        var regs = arguments.prefix(8).enumerated().map { "\(t):X\($0.offset)=\($0.element);" }
        // Arguments 9… arrive on the stack ([sp], [sp, #8], …): each is given
        // to a register the function never names, which the load becomes a MOV from.
        let named = body.map { $0.text.lowercased() }.joined(separator: " ")
        var spare = (9 ... 28).reversed().filter { !named.contains("x\($0)") && !named.contains("w\($0)") }
        var stackArgument: [Int: String] = [:]
        func fromStack(_ offset: Int, _ i: Instruction) throws -> String {
            guard offset % 8 == 0, 8 + offset / 8 < arguments.count else { throw refuse(t, i, "a stack access") }
            if let r = stackArgument[offset] { return r }
            guard let f = spare.popLast() else { throw refuse(t, i, "a stack-passed argument and no spare register to hold it") }
            stackArgument[offset] = "X\(f)"
            regs.append("\(t):X\(f)=\(arguments[8 + offset / 8]);")
            return "X\(f)"
        }
        var targets: Set<Int> = []
        var retryFlag: String?
        var lines: [(Instruction, String)] = []
        let end = (body.last?.address ?? 0) + 4
        // A branch to a `ret` ends the thread as the `ret` does.
        let returns = Set(body.filter { $0.text.split(separator: " ").first == "ret" }.map(\.address))
        for (k, i) in body.enumerated() {
            let s = clean(i.text, comment: "//")
            let parts = s.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            let m = parts.first.map(String.init)?.lowercased() ?? ""
            var ops = parts.count > 1 ? String(parts[1]) : ""
            if ["bl", "blr", "br", "b.l"].contains(m) || m.hasPrefix("bl") && !m.hasPrefix("b.") { throw refuse(t, i, "a call") }
            if ["ldr", "ldp"].contains(m), let open = ops.firstIndex(of: "["), ops[open...].hasPrefix("[sp"), ops.hasSuffix("]") {
                // A stack-passed argument pointer loaded: a MOV from the register holding it.
                let dests = ops[..<open].split(separator: ",").map { $0.trimmed }.filter { !$0.isEmpty }
                let inside = ops[ops.index(after: open) ..< ops.index(before: ops.endIndex)].split(separator: ",").map { $0.trimmed }
                var base: Int? = inside.count == 1 ? 0 : nil
                if inside.count == 2, inside[1].hasPrefix("#") {
                    base = inside[1].hasPrefix("#0x") ? Int(inside[1].dropFirst(3), radix: 16) : Int(inside[1].dropFirst())
                }
                guard let base, dests.allSatisfy({ $0.hasPrefix("x") }) else { throw refuse(t, i, "a stack access") }
                for (k, d) in dests.enumerated() { lines.append((i, "MOV \(d.uppercased()),\(try fromStack(base + 8 * k, i))")) }
                notes.append("stack-passed argument pointers read as MOVs from spare registers holding them (not shared accesses)")
                continue
            }
            if ops.contains("sp") && (ops.contains("[sp") || ops.hasPrefix("sp") || ops.contains(", sp")) { throw refuse(t, i, "a stack access") }
            if m == "mov", let expanded = movImmediate(ops) {
                for e in expanded { lines.append((i, e)) }
                notes.append("MOV of a bitmask immediate written MOVZ/MOVK (the same register value; herd7 reads no bitmask MOV)")
                continue
            }
            if m == "ret" {
                if k == body.count - 1 { continue }
                targets.insert(end)
                lines.append((i, "B L\(t)_end"))
                continue
            }
            if m == "prfm" { notes.append("PRFM dropped (a prefetch hint: no memory effect)"); continue }
            // cpu_relax() in a retry loop; a branch may target it, so it stays as the NOP herd7 reads every hint as.
            if m == "yield" { notes.append("YIELD written NOP (a hint: no memory effect; herd7 reads hints as NOP)"); lines.append((i, "NOP")); continue }
            if m == "b" || m.hasPrefix("b.") || m == "cbz" || m == "cbnz" || m == "tbz" || m == "tbnz" {
                var o = ops.split(separator: ",").map { $0.trimmed }
                guard let last = o.last, var a = Int(last, radix: 16) else { throw refuse(t, i, "a branch without a target address") }
                // A backward branch (an LL/SC retry, a `while`) is kept: the checker unrolls it as herd7 -unroll does.
                guard a >= (body.first?.address ?? 0) else { throw refuse(t, i, "a branch out of the function") }
                if returns.contains(a) { a = end }
                guard a <= end else { throw refuse(t, i, "a branch out of the function") }
                if oneAttempt, a <= i.address {
                    // A retry: the thread ends here, marked (see `lift`'s oneAttempt).
                    if retryFlag == nil {
                        guard let f = spare.popLast() else { throw refuse(t, i, "a retry and no spare register to mark it") }
                        retryFlag = "X\(f)"
                        notes.append("P\(t)'s backward branches (its retry) end the thread with \(retryFlag!)=1, which the condition excludes: one attempt")
                    }
                    o[o.count - 1] = "L\(t)_retried"
                } else {
                    targets.insert(a)
                    o[o.count - 1] = a == end ? "L\(t)_end" : "L\(t)_\(String(a, radix: 16))"
                }
                ops = o.joined(separator: ",")
            }
            // Registers and hex immediates as herd7 reads them.
            var words: [String] = []
            var cur = ""
            for ch in ops {
                if ch.isLetter || ch.isNumber || ch == "_" || ch == "#" { cur.append(ch) } else {
                    words.append(cur); cur = ""; words.append(String(ch))
                }
            }
            words.append(cur)
            let rewritten = words.map { w -> String in
                if w.hasPrefix("#0x"), let v = UInt64(w.dropFirst(3), radix: 16) { return "#\(v)" }
                if w.hasPrefix("L\(t)_") { return w }
                if let f = w.first, "wx".contains(f), w.dropFirst().allSatisfy(\.isNumber) || w.dropFirst() == "zr" { return w.uppercased() }
                if w.hasPrefix("#") { return w }
                return w.count <= 5 && w.allSatisfy(\.isLetter) ? w.uppercased() : w
            }.joined()
            // Blanks go, but the one before a shift amount stays: herd7 reads `[X1,W2,SXTW #2]`, `[X1,X2,LSL #3]`.
            var compact = ""
            for ch in rewritten where ch != " " {
                if ch == "#", compact.last?.isLetter == true { compact.append(" ") }
                compact.append(ch)
            }
            lines.append((i, m.uppercased() + (compact.isEmpty ? "" : " " + compact)))
        }
        let (rows, origins) = try litmusRows(lines, thread: t, targets: targets, end: end, unlifted: "a hint",
                                             retry: retryFlag.map { ["B L\(t)_end", "L\(t)_retried: MOV \($0),#1"] })
        return (rows, origins, notes, regs, retryFlag)
    }

    /// A thread's lifted lines as litmus rows, each with the objdump line it
    /// came from: a branch target is labelled `L<t>_<address>` (an
    /// instruction written as several rows, on its first), and a branch to
    /// an instruction not lifted (`unlifted` says what they are) is refused.
    /// `retry`, the rows of a retry marker: the attempt that completes jumps
    /// over the marker to the end label; a retry lands on it.
    private static func litmusRows(_ lines: [(Instruction, String)], thread t: Int, targets: Set<Int>, end: Int, unlifted: String,
                                 retry: [String]?) throws -> ([String], [(address: String, text: String)]) {
        let kept = Set(lines.map(\.0.address))
        for a in targets where a != end && !kept.contains(a) {
            throw ModelError.notModelled("P\(t): a branch to 0x\(String(a, radix: 16)), an instruction not lifted (\(unlifted))")
        }
        var rows: [String] = [], origins: [(address: String, text: String)] = []
        var labelled: Set<Int> = []
        for (i, text) in lines {
            rows.append((targets.contains(i.address) && labelled.insert(i.address).inserted ? "L\(t)_\(String(i.address, radix: 16)): " : "") + text)
            origins.append((String(i.address, radix: 16), i.text))
        }
        if let retry {
            rows += retry
            origins += [(String(end, radix: 16), "(end of the attempt)"), (String(end, radix: 16), "(a retry: the attempt is left out)")]
        }
        if retry != nil || targets.contains(end) { rows.append("L\(t)_end:"); origins.append((String(end, radix: 16), "(end)")) }
        return (rows, origins)
    }

    /// `mov x8, #0x1000100010001` (an ORR bitmask immediate) as MOVZ and
    /// MOVKs, one per non-zero 16-bit chunk; nil when the value, or its
    /// complement, is one chunk (a MOV herd7 reads as it is).
    static func movImmediate(_ ops: String) -> [String]? {
        let o = ops.split(separator: ",").map { $0.trimmed }
        guard o.count == 2, let r = o[0].first, "xw".contains(r), o[1].hasPrefix("#"),
              let v = o[1].hasPrefix("#0x") ? UInt64(o[1].dropFirst(3), radix: 16) : UInt64(o[1].dropFirst()) else { return nil }
        let bits = r == "x" ? 64 : 32
        let mask: UInt64 = bits == 64 ? ~0 : 0xffff_ffff
        func chunks(_ x: UInt64) -> [(UInt64, Int)] { stride(from: 0, to: bits, by: 16).map { ((x >> UInt64($0)) & 0xffff, $0) }.filter { $0.0 != 0 } }
        guard chunks(v).count > 1, chunks(~v & mask).count > 1 else { return nil }
        let reg = o[0].uppercased()
        return chunks(v).enumerated().map { k, c in "\(k == 0 ? "MOVZ" : "MOVK") \(reg),#\(c.0)\(c.1 == 0 ? "" : ",LSL #\(c.1)")" }
    }

    /// The general registers, each with its 32-, 16- and 8-bit names.
    private static let x86Registers: [[String]] = [
        ["%rdi", "%edi", "%di", "%dil"], ["%rsi", "%esi", "%si", "%sil"], ["%rdx", "%edx", "%dx", "%dl"], ["%rcx", "%ecx", "%cx", "%cl"],
        ["%r8", "%r8d", "%r8w", "%r8b"], ["%r9", "%r9d", "%r9w", "%r9b"], ["%rax", "%eax", "%ax", "%al"], ["%rbx", "%ebx", "%bx", "%bl"],
    ] + (10 ... 15).map { ["%r\($0)", "%r\($0)d", "%r\($0)w", "%r\($0)b"] }

    private static func x86(_ body: [Instruction], thread t: Int, arguments: [String], oneAttempt: Bool) throws
        -> ([String], [(address: String, text: String)], [String], [String], String?) {
        var notes: [String] = []
        var lines: [(Instruction, String)] = []
        func emit(_ i: Instruction, _ text: String) { lines.append((i, text)) }
        // A 64-bit register still holding an argument pointer: the first six
        // arrive in registers, the others at 8(%rsp), 16(%rsp), … on entry.
        var pointer: [String: String] = [:]
        for (k, a) in arguments.prefix(6).enumerated() { pointer[x86Registers[k][0]] = a }
        func family(_ r: String) -> String? { x86Registers.first { $0.contains(r) }?[0] }
        func named32(_ r: String) -> String? { x86Registers.first { $0.contains(r) }?[1] }
        // A field at an offset (`0x10(%rdi)`) goes through a register the
        // function never names, holding the location's address from the start
        // (`0:r15=st;`): herd7's `16(%r15)`; herd7 has no `k(x)`.
        var initial: [String] = []
        let named = body.map(\.text).joined(separator: " ")
        var spare = x86Registers.reversed().filter { f in !f.contains { named.contains($0) } }.map { $0[0] }
        func takeSpare(_ i: Instruction, _ what: String) throws -> String {
            guard let r = spare.first else { throw refuse(t, i, "\(what) and no spare register") }
            spare.removeFirst()
            return r
        }
        var base: [String: String] = [:]
        func through(_ location: String, _ i: Instruction) throws -> String {
            if let r = base[location] { return r }
            let r = try takeSpare(i, "an access at an offset")
            base[location] = r
            initial.append("\(t):\(r.dropFirst())=\(location);")
            return r
        }
        // Branches: to labels; a branch to a `ret` ends the thread; a backward
        // one is a retry under oneAttempt (see `lift`), refused otherwise.
        let first = body.first?.address ?? 0
        let end = (body.last?.address ?? 0) + 1
        let returns = Set(body.filter { ["ret", "retq"].contains($0.text.split(separator: " ").first ?? "") }.map(\.address))
        var targets: Set<Int> = []
        var retryFlag: String?, scratch: String?
        /// x86 instructions that write the flags, and those that read them (the subset's conditional jumps).
        func mnemonic(_ i: Instruction) -> String { String(i.text.split(separator: " ").first ?? "") }
        func writesFlags(_ m: String) -> Bool { ["cmp", "test", "add", "sub", "and", "or", "xor", "inc", "dec", "neg"].contains { m.hasPrefix($0) } }
        func readsFlags(_ m: String) -> Bool { m.hasPrefix("j") && m != "jmp" || m.hasPrefix("cmov") || m.hasPrefix("set") || m.hasPrefix("adc") || m.hasPrefix("sbb") }
        for (k, i) in body.enumerated() {
            let s = clean(i.text, comment: "#")
            let parts = s.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            var m = parts.first.map(String.init) ?? ""
            let ops = parts.count > 1 ? String(parts[1].filter { $0 != " " }) : ""
            // A 64-bit immediate into a register: herd7's X86_64 writes it MOVQ.
            if m == "movabs" { m = "movq" }
            if m == "ret" || m == "retq" {
                if k == body.count - 1 { continue }
                targets.insert(end)
                emit(i, "jmp L\(t)_end")
                continue
            }
            if m.hasPrefix("call") || m.hasPrefix("jmp") && ops.hasPrefix("*") { throw refuse(t, i, "a call") }
            if m == "lock", ops == "addl$0x0,-0x4(%rsp)" {
                notes.append("lock addl $0,-4(%rsp) written MFENCE (the kernel's smp_mb; x86-TSO orders both as a full fence)")
                emit(i, "MFENCE")
                continue
            }
            // Alignment padding between blocks (never executed) and hints.
            if isPadding(i.text) || m == "endbr64" || m == "xchg" && ops == "%ax,%ax" { continue }
            if m == "pause" {
                // cpu_relax() in a retry loop; a branch may target it: the NOP herd7 reads.
                notes.append("PAUSE written nop (a hint: no memory effect)")
                emit(i, "nop")
                continue
            }
            if m == "mov" || m == "movq", ops.hasSuffix(")") == false, let paren = ops.firstIndex(of: "("),
               ops[paren...].hasPrefix("(%rsp),"), let off = Int(ops[..<paren].dropFirst(2), radix: 16), ops.hasPrefix("0x"),
               off % 8 == 0, off >= 8, arguments.count > 5 + off / 8, let d = family(String(ops[ops.index(after: ops.lastIndex(of: ",")!)...])) {
                // A stack-passed argument pointer loaded into a register: no memory effect on shared locations.
                pointer[d] = arguments[5 + off / 8]
                notes.append("stack-passed argument pointers read into registers (not shared accesses)")
                continue
            }
            if m == "mov" || m == "movq", let comma = ops.firstIndex(of: ","), let from = pointer[String(ops[..<comma])],
               let d = family(String(ops[ops.index(after: comma)...])), d == String(ops[ops.index(after: comma)...]) {
                // An argument pointer copied between registers: no memory effect.
                pointer[d] = from
                continue
            }
            if ops.contains("%rsp") || ops.contains("%rbp") || m.hasPrefix("push") || m.hasPrefix("pop") { throw refuse(t, i, "a stack access") }
            if m.hasPrefix("j") {
                // The subset's jumps: jmp, je/jz, jne/jnz (ZF only: what cmp and and set alike in both models).
                let jump = ["jmp": "jmp", "je": "je", "jz": "je", "jne": "jne", "jnz": "jne"][m]
                guard let jump else { throw refuse(t, i, "a conditional jump on flags other than ZF (the lifted x86 has jmp, je, jne)") }
                guard var a = Int(ops, radix: 16) else { throw refuse(t, i, "a branch without a target address") }
                guard a >= first, a < end else { throw refuse(t, i, "a branch out of the function") }
                if returns.contains(a) { a = end }
                if a <= i.address {
                    guard oneAttempt else { throw refuse(t, i, "a backward branch (a loop: x86 loops are not lifted)") }
                    if retryFlag == nil {
                        retryFlag = try takeSpare(i, "a retry to mark")
                        notes.append("P\(t)'s backward branches (its retry) end the thread with \(retryFlag!.dropFirst())=1, which the condition excludes: one attempt")
                    }
                    emit(i, "\(jump) L\(t)_retried")
                } else {
                    targets.insert(a)
                    emit(i, "\(jump) L\(t)_\(a == end ? "end" : String(a, radix: 16))")
                }
                continue
            }
            // The checker's x86 is MOV, XCHG, MFENCE, ADD/AND/CMP on registers and the jumps above.
            if m == "lock" || m.hasPrefix("lock") { throw refuse(t, i, "a LOCK'd read-modify-write (the checker's x86 has XCHG only: no LOCK CMPXCHG, XADD, ADD)") }
            if m.hasPrefix("cmov") || m.hasPrefix("set") {
                throw refuse(t, i, "a flag-dependent instruction other than a jump (the lifted x86 has jmp, je, jne)")
            }
            // Operands, split at top-level commas.
            var args: [String] = [], depth = 0, cur = ""
            for ch in ops {
                if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
                if ch == ",", depth == 0 { args.append(cur); cur = "" } else { cur.append(ch) }
            }
            if !cur.isEmpty { args.append(cur) }
            func immediate(_ a: String) -> String? {
                guard a.hasPrefix("$0x"), let v = UInt64(a.dropFirst(3), radix: 16) else { return a.hasPrefix("$") ? a : nil }
                return "$\(v)"
            }
            let registerOnly = args.allSatisfy { family($0) != nil || immediate($0) != nil }
            if m == "lea" || m == "leal" || m == "leaq" {
                // `lea k(%rax),%edx` computes rax+k: a MOV and an ADD (herd7's X86_64 has no LEA). ADD sets
                // the flags LEA leaves alone: refused when a flag reader follows before a flag writer.
                guard args.count == 2, let open = args[0].firstIndex(of: "("), args[0].hasSuffix(")"),
                      let src = family(String(args[0][args[0].index(after: open)...].dropLast())), pointer[src] == nil,
                      let dst = family(args[1]), pointer[dst] == nil else {
                    throw refuse(t, i, "an address computation (LEA) other than a register plus a constant, or on an argument pointer")
                }
                let off = args[0][..<open]
                let kk = off.isEmpty ? 0 : off.hasPrefix("0x") ? Int(off.dropFirst(2), radix: 16) : off.hasPrefix("-0x") ? Int(off.dropFirst(3), radix: 16).map { -$0 } : nil
                guard let kk, kk >= 0 else { throw refuse(t, i, "a LEA with a negative or unreadable offset") }
                // Along the straight line after it: an unconditional jump before a flag writer leaves
                // the flags to code this scan does not follow, so it is refused as a reader would be.
                let next = body[(k + 1)...].map(mnemonic).first { writesFlags($0) || readsFlags($0) || $0.hasPrefix("jmp") }
                if let next, readsFlags(next) || next.hasPrefix("jmp") {
                    throw refuse(t, i, "a LEA followed by a flag reader or a jump before the flags are set again: written as ADD it would change the flags")
                }
                guard args[1] == dst || named32(dst) == args[1] else {
                    throw refuse(t, i, "a LEA into a 16- or 8-bit register (a 32-bit MOV and ADD would clear the bits it keeps)")
                }
                let wide = args[1] == dst
                let (mv, ad) = wide ? ("movq", "addq") : ("movl", "addl")
                let (s2, d2) = wide ? (src, dst) : (named32(src)!, named32(dst)!)
                notes.append("LEA of a register plus a constant written MOV and ADD (the flags it sets are read by nothing)")
                emit(i, "\(mv) \(s2),\(d2)")
                emit(i, "\(ad) $\(kk),\(d2)")
                continue
            }
            if m.hasPrefix("test") {
                // herd7's X86_64 has no TEST: the AND it is, into a spare register (ZF as TEST sets it).
                // (An 8-bit register TESTed against a register: ZF of 8 bits, not of the 32-bit copy: refused.)
                guard args.count == 2, registerOnly, let r = family(args[1]), pointer[r] == nil,
                      args[0].hasPrefix("$") || [args[0], args[1]].allSatisfy({ a in [0, 1].contains(x86Registers.first { $0.contains(a) }!.firstIndex(of: a)!) }) else {
                    throw refuse(t, i, "a TEST other than of a register with a constant or two 32- or 64-bit registers")
                }
                if scratch == nil { scratch = try takeSpare(i, "a TEST to rewrite") }
                notes.append("TEST written as MOV and AND into a spare register (herd7's X86_64 has no TEST; the same ZF)")
                if args[1] == r, !args[0].hasPrefix("$") {
                    // Two 64-bit registers: the AND of all 64 bits (a 32-bit copy would miss a
                    // value whose low half is zero, e.g. a torn high half over a zero low half).
                    emit(i, "movq \(r),\(scratch!)")
                    emit(i, "and \(family(args[0])!),\(scratch!)")
                    continue
                }
                // A constant: sign-extended to the register's width, so a 64-bit register's high
                // half is masked out only when the constant is below 2^31 (objdump prints it unsigned).
                if args[1] == r, let v = immediate(args[0]).flatMap({ UInt64($0.dropFirst()) }), v >= 1 << 31 {
                    throw refuse(t, i, "a 64-bit TEST with a constant that reaches the high half")
                }
                let sc32 = named32(scratch!)!
                // An 8- or 16-bit TEST: the constant masks the low bits of the 32-bit copy alike.
                let lhs = immediate(args[0]) ?? named32(family(args[0])!)!
                emit(i, "movl \(named32(r)!),\(sc32)")
                emit(i, "and \(lhs),\(sc32)")
                continue
            }
            if ["add", "addl", "addq", "and", "andl", "andq", "cmp", "cmpl", "cmpq"].contains(m) {
                guard args.count == 2, registerOnly, let d = family(args[1]), pointer[d] == nil,
                      args[0].hasPrefix("$") || pointer[family(args[0])!] == nil,
                      [0, 1].contains(x86Registers.first { $0.contains(args[1]) }!.firstIndex(of: args[1])!) else {
                    throw refuse(t, i, "\(m) other than between 32- or 64-bit registers and constants (the lifted x86 subset)")
                }
                let converted = args.map { immediate($0) ?? $0 }
                // With its size suffix (herd7's `cmpl`, `addq`; it has no `andl`).
                let sized = m.hasPrefix("and") ? "and" : String(m.prefix(3)) + (named32(args[1]) == args[1] ? "l" : "q")
                emit(i, "\(sized) " + converted.joined(separator: ","))
                continue
            }
            if !["mov", "movl", "movq", "xchg", "xchgl", "xchgq", "mfence"].contains(m) {
                throw refuse(t, i, "outside the checker's x86 subset (MOV, XCHG, MFENCE, ADD/AND/CMP of registers, TEST, LEA, jmp/je/jne)")
            }
            args = try args.map { a -> String in
                if let v = immediate(a) { return v }
                guard let open = a.firstIndex(of: "(") else { return a }
                let reg = String(a[a.index(after: open) ..< (a.firstIndex(of: ")") ?? a.endIndex)])
                guard let loc = pointer[reg] else {
                    throw refuse(t, i, "an access through \(a) (only an argument pointer, or a copy of one, is lifted)")
                }
                let off = a[..<open]
                if off.isEmpty { return "(\(loc))" }
                guard off.hasPrefix("0x"), let k = Int(off.dropFirst(2), radix: 16) else {
                    throw refuse(t, i, "an access at the offset \(off) from \(loc) (a field of the location is at 0x… from its start)")
                }
                return "\(k)(\(try through(loc, i)))"
            }
            // The destination (AT&T: last operand) of anything but a store or xchg-with-memory is overwritten.
            for a in args.dropLast() + (m.hasPrefix("xchg") ? args.suffix(1) : []) where family(a).map({ pointer[$0] != nil }) ?? false {
                throw refuse(t, i, "an argument pointer used as a value")
            }
            if let d = args.last, let r = family(d) { pointer[r] = nil }
            if m.hasPrefix("xchg"), let f = args.first, let r = family(f) { pointer[r] = nil }
            // The size said (herd7 7.57 reads an unsuffixed `mov 8(%r15),%rcx` as a 4-byte access).
            if m == "mov" || m == "xchg" {
                let widths = args.compactMap { a in x86Registers.first { $0.contains(a) }?.firstIndex(of: a) }
                if widths.contains(where: { $0 >= 2 }) { throw refuse(t, i, "an 8- or 16-bit register (the lifted x86 has 32- and 64-bit ones)") }
                if let w = widths.first { m += w == 0 ? "q" : "l" }
            }
            emit(i, m + (args.isEmpty ? "" : " " + args.joined(separator: ",")))
        }
        let (rows, origins) = try litmusRows(lines, thread: t, targets: targets, end: end, unlifted: "padding",
                                             retry: retryFlag.map { ["jmp L\(t)_end", "L\(t)_retried: movq $1,\($0)"] })
        if !initial.isEmpty { notes.append("a field at an offset reached through a register holding the location's address (herd7's k(%reg))") }
        // herd7's X86_64 keeps an undeclared register as an int: a 64-bit one is declared so (its value whole, as the checker's).
        let holding = Set(base.values)
        for f in x86Registers.map(\.[0]) where !holding.contains(f) && rows.contains(where: { $0.contains(f + ",") || $0.hasSuffix(f) || $0.contains(f + ")") }) {
            initial.append("int64_t \(t):\(f.dropFirst());")
        }
        return (rows, origins, notes, initial, retryFlag.map { String($0.dropFirst()) })
    }
}

private extension StringProtocol {
    /// Without leading and trailing blanks.
    var trimmed: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// The text before the first occurrence of `marker` (all of it when absent).
    func cut(before marker: String) -> String {
        let s = String(self), m = Array(marker)
        let cs = Array(s)
        guard cs.count >= m.count else { return s }
        for i in 0 ... cs.count - m.count where Array(cs[i ..< i + m.count]) == m { return String(cs[..<i]) }
        return s
    }
}
