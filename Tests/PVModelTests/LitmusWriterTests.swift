import Foundation
import PVModel
import Testing

@Suite("litmus writers: AArch64, X86_64, LKMM")
struct LitmusWriterTests {
    /// Allowed or forbidden, as `pvbench model` would answer. A refusal
    /// fails the test: two refusals would compare nothing.
    static func allowed(_ p: Program, _ m: ModelKind) throws -> Bool { try ModelChecker.check(p, model: m).allowed }

    @Test("every shipped AArch64 test written back as AArch64 reads back to the same ARMv8 and SC verdicts")
    func aarch64RoundTrip() throws {
        let files = try ShippedLitmus.all().filter { $0.hasPrefix("AArch64/") }
        #expect(!files.isEmpty)
        for f in files {
            let p = try ShippedLitmus.program(f)
            let back = try LitmusParser.parse(try AArch64Litmus.write(p, notes: ["round trip of \(f)"]))
            for m in [ModelKind.armv8, .sc] { #expect(try Self.allowed(back, m) == Self.allowed(p, m), "\(f) under \(m)") }
        }
    }

    @Test("the hand-written corpus tests (operands, flags, LSE, CAS, loops, pairs) written back as AArch64 read back to the same answer",
          arguments: [("aarch64-hand", 20), ("aarch64-loops", 15), ("aarch64-pairs", 15)])
    func aarch64RoundTripInstructions(_ family: String, _ atLeast: Int) throws {
        let dir = HerdCorpusTests.root.appendingPathComponent(family)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".litmus") }.sorted()
        #expect(files.count >= atLeast)
        for f in files {
            let p = try LitmusParser.parse(try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8))
            let text = try AArch64Litmus.write(p, notes: [])
            let back = try LitmusParser.parse(text)
            #expect(HerdReport.render(try ModelChecker.check(back)) == HerdReport.render(try ModelChecker.check(p)), "\(f):\n\(text)")
        }
    }

    @Test("every shipped test the X86_64 writer accepts reads back to the same x86-TSO verdict; refusals say why")
    func x86RoundTrip() throws {
        var written = 0
        for f in try ShippedLitmus.all() {
            let p = try ShippedLitmus.program(f)
            let text: String
            do { text = try X86Litmus.write(p, notes: []) } catch {
                #expect(!"\(error)".isEmpty, "\(f): a refusal names its reason")
                continue
            }
            written += 1
            let back = try LitmusParser.parse(text)
            #expect(back.architecture == .x86_64)
            #expect(try Self.allowed(back, .x86TSO) == Self.allowed(p, .x86TSO), "\(f)\n\(text)")
        }
        // Every X86 file and the AArch64 ones without dependencies or exclusives.
        #expect(written >= 20, "only \(written) shipped tests written as X86_64")
    }

    @Test("the X86_64 file states types and -variant mixed where an access is narrower than its location")
    func mixedHeader() throws {
        let tear = try ShippedLitmus.program("AArch64/Tear64+ldr32s.litmus")
        let aarch64 = try AArch64Litmus.write(tear, notes: [])
        #expect(aarch64.contains("-variant mixed"), "\(aarch64)")
        let sb = try ShippedLitmus.program("X86/SB.litmus")
        let x86 = try X86Litmus.write(sb, notes: ["store buffering"])
        #expect(x86.contains("herd7 needs no -variant mixed"))
        #expect(x86.contains("(* store buffering"))
        #expect(x86.hasPrefix("X86_64 SB\n"))
    }

    /// Stores and moves of values herd7 reads only from the init block: a 64-bit pattern and a W value
    /// no MOVZ/MOVN encodes, a value beyond ±2^62, an ADD beyond ±4095; and ones a MOV encodes.
    static func immediates(_ arch: Architecture) -> Program {
        let u64 = ValueType(bytes: 8, signed: false), u32 = ValueType(bytes: 4, signed: false)
        let x = Address(base: .register(1)), y = Address(base: .register(2))
        let pattern: UInt64 = 0x1_0001_0001_0001, huge: UInt64 = 0x8000_0000_0000_0005
        var code: [Instruction] = [
            .store(source: .immediate(pattern), address: x, bytes: 8, ordering: .plain, status: nil),
            .store(source: .immediate(65537), address: y, bytes: 4, ordering: .plain, status: nil),
            .move(destination: 3, source: .immediate(0xFFFF_FFFF_FFFF_FFFE), bytes: 8),
            .move(destination: 4, source: .immediate(huge), bytes: 8),
            .move(destination: 5, source: .immediate(0xFFFE_FFFF), bytes: 4),
        ]
        if arch == .aarch64 { code.append(.arithmetic(.add, destination: 6, lhs: 3, rhs: .immediate(5000), bytes: 8)) }
        func reg(_ r: Int, _ v: UInt64) -> Proposition { .equals(.register(thread: 0, register: r), Value(bits: v)) }
        var regs = [reg(3, 0xFFFF_FFFF_FFFF_FFFE), reg(4, huge), reg(5, 0xFFFE_FFFF)]
        if arch == .aarch64 { regs.append(reg(6, 0xFFFF_FFFF_FFFF_FFFE &+ 5000)) }
        return Program(
            name: "immediates", architecture: arch,
            locations: [Location(name: "x", type: u64), Location(name: "y", type: u32)],
            threads: [ProgramThread(instructions: code, initialRegisters: [1: Value(location: 0), 2: Value(location: 1)],
                                    registerTypes: [3: u64, 4: u64, 5: u32, 6: u64])],
            condition: Condition(.exists, .and([.equals(.memory(location: "x", element: nil), Value(bits: pattern)),
                                                .equals(.memory(location: "y", element: nil), Value(bits: 65537))] + regs)))
    }

    @Test("values no MOV or $imm herd7 reads can carry are set in the init block; the text reads back to the same answer")
    func immediatesHerdReads() throws {
        let p = Self.immediates(.aarch64)
        let a = try AArch64Litmus.write(p, notes: [])
        for pattern in [#"0:X\d+=281479271743489;"#, #"0:X\d+=65537;"#, #"0:X\d+=0x8000000000000005;"#, #"STR X\d+,\[X1\]"#,
                        "MOV X3,#-2", "MOV W5,#-65537", #"0:X4=0x8000000000000005 /\\"#] {
            #expect(a.range(of: pattern, options: .regularExpression) != nil, "\(pattern) in\n\(a)")
        }
        #expect(!a.contains("#65537") && !a.contains("#281479271743489") && !a.contains("#0x"), "\(a)")
        #expect(a.contains("ADD X6,X3,X"), "ADD #5000 is beyond herd7's ±4095: \(a)")
        let answer = { (q: Program, m: ModelKind) in HerdReport.render(try ModelChecker.check(q, model: m)) }
        #expect(try answer(LitmusParser.parse(a), .armv8) == answer(p, .armv8), "\(a)")

        let q = Self.immediates(.x86_64)
        let x = try X86Litmus.write(q, notes: [])
        #expect(!x.contains("$0x") && x.contains("movq $281479271743489,") && x.contains("movl $65537,(y)"), "\(x)")
        #expect(x.range(of: #"0:r\w+=0x8000000000000005;"#, options: .regularExpression) != nil, "beyond ±2^62: in the init block: \(x)")
        #expect(try ModelChecker.check(LitmusParser.parse(x), model: .x86TSO).allowed, "\(x)")
    }

    @Test("LKMM: orderings become READ_ONCE/WRITE_ONCE, acquire/release and the arm64 barriers' LKMM names")
    func lkmm() throws {
        let mp = try ShippedLitmus.program("AArch64/MP+dmb.st+dmb.ld.litmus")
        let text = try LKMMLitmus.write(mp, notes: ["message passing"])
        #expect(text.hasPrefix("C MP+dmb.st+dmb.ld\n"))
        for s in ["WRITE_ONCE(*", "smp_wmb();", "smp_rmb();", "READ_ONCE(*", "P0(", "P1(", "exists ("] {
            #expect(text.contains(s), "\(s) in\n\(text)")
        }
        let acqrel = try ShippedLitmus.program("AArch64/MP+popl+poap.litmus")
        let t2 = try LKMMLitmus.write(acqrel, notes: [])
        #expect(t2.contains("smp_store_release(") && t2.contains("smp_load_acquire("), "\(t2)")
        let sb = try LKMMLitmus.write(try ShippedLitmus.program("AArch64/SB+dmb.sys.litmus"), notes: [])
        #expect(sb.contains("smp_mb();"))
        // Mixed sizes and exclusives have no LKMM form: refused with the reason.
        #expect(throws: LitmusWriteError.self) { try LKMMLitmus.write(try ShippedLitmus.program("AArch64/Tear64+ldr32s.litmus"), notes: []) }
        #expect(throws: LitmusWriteError.self) { try LKMMLitmus.write(try ShippedLitmus.program("AArch64/ATOM+stxr.litmus"), notes: []) }
    }
}
