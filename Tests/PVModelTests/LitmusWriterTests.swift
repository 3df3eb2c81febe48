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
