import PVModel
import Testing

/// The verdicts of issue 13's list, from the shipped litmus files: facts of
/// the published models (Arm ARM B2.3 / herd7 aarch64.cat; x86tso.cat).
@Suite("Model verdicts on the shipped litmus tests")
struct VerdictTests {
    /// (file, allowed under the file's own model).
    static let armv8Cases: [(String, Bool)] = [
        ("MP", true), ("MP+dmb.sys", false), ("MP+dmb.st+dmb.ld", false), ("MP+popl+poap", false),
        ("MP+dmb.st+addr", false), ("MP+dmb.st+ctrlisb", false), ("MP+dmb.st+ctrl", true), ("MP+dmb.ld+dmb.ld", true),
        ("LB", true), ("LB+datas", false), ("LB+ctrls", false),
        ("SB", true), ("SB+dmb.sys", false), ("SB+popl+poap", false), ("SB+popl+poapr", true),
        ("2+2W", true), ("2+2W+dmb.sts", false),
        ("WRC+addrs", false), ("WRC+dmb.sy+addr", false), ("ISA2+dmb.st+addr+addr", false),
        ("IRIW", true), ("IRIW+addrs", false), ("IRIW+dmb.lds", false),
        ("CoRR", false), ("CoWR", false), ("CoRW", false), ("CoRW1", false),
        ("S+dmb.st+data", false), ("R+dmb.sys", false),
        ("Tear64+ldr32s", true), ("Tear64+ldr64", false),
        ("ATOM+stxr", false), ("Tear128+ldxp", false), ("Tear128+ldp", true),
    ]

    static let x86Cases: [(String, Bool)] = [
        ("SB", true), ("R", true), ("SB64", true),
        ("SB+mfences", false), ("SB+xchgs", false), ("SB64+mfences", false),
        ("MP", false), ("LB", false), ("2+2W", false), ("IRIW", false),
    ]

    @Test("ARMv8", arguments: armv8Cases)
    func armv8(_ name: String, _ allowed: Bool) throws {
        let r = try ModelChecker.check(try ShippedLitmus.program("AArch64/\(name).litmus"), model: .armv8)
        #expect(r.allowed == allowed, "\(name): \(HerdReport.render(r))")
        #expect(!r.states.isEmpty)
    }

    @Test("x86-TSO", arguments: x86Cases)
    func x86TSO(_ name: String, _ allowed: Bool) throws {
        let r = try ModelChecker.check(try ShippedLitmus.program("X86/\(name).litmus"), model: .x86TSO)
        #expect(r.allowed == allowed, "\(name): \(HerdReport.render(r))")
    }

    /// Under SC only the torn LDP remains: its two 64-bit reads are two
    /// accesses, which SC interleaves with the writer like any others.
    @Test("SC forbids every other shape the tests ask about, on both architectures")
    func scForbidsAll() throws {
        let files = try ShippedLitmus.all()
        #expect(files.count == 44)
        for f in files {
            let r = try ModelChecker.check(try ShippedLitmus.program(f), model: .sc)
            #expect(r.allowed == (f == "AArch64/Tear128+ldp.litmus"), "\(f) under SC: \(HerdReport.render(r))")
        }
    }

    @Test("FEAT_LSE2 makes a 16-byte aligned LDP single-copy atomic")
    func lse2() throws {
        let p = try ShippedLitmus.program("AArch64/Tear128+ldp.litmus")
        #expect(try ModelChecker.check(p, model: .armv8).allowed)
        #expect(try !ModelChecker.check(p, model: .armv8, options: CheckOptions(lse2: true)).allowed)
    }

    @Test("a 64-bit store read back as two 32-bit halves can give either mixed value")
    func mixedHalves() throws {
        let r = try ModelChecker.check(try ShippedLitmus.program("AArch64/Tear64+ldr32s.litmus"), model: .armv8)
        let shown = Set(r.states.map { $0.values.map(\.bits) })
        #expect(shown == [[0, 0], [0, 1], [1, 0], [1, 1]])
    }
}
