import PVModel
import Testing

/// AArch64 tests under x86-TSO run as their C11-mapped x86 program.
@Suite("AArch64 → x86 mapping under x86-TSO")
struct MappingTests {
    @Test("on every shipped AArch64 test that maps, SC ⊆ mapped x86-TSO ⊆ ARMv8")
    func inclusion() throws {
        var mapped = 0
        for f in try ShippedLitmus.all() where f.hasPrefix("AArch64/") {
            let p = try ShippedLitmus.program(f)
            guard let tso = try? ModelChecker.check(p, model: .x86TSO) else {
                // Only exclusives are refused.
                #expect(f.contains("ATOM+stxr") || f.contains("Tear128"), "\(f) refused under x86-tso")
                continue
            }
            mapped += 1
            let sc = Set(try ModelChecker.check(p, model: .sc).states)
            let arm = Set(try ModelChecker.check(p, model: .armv8).states)
            #expect(sc.isSubset(of: Set(tso.states)), "\(f)")
            #expect(Set(tso.states).isSubset(of: arm), "\(f)")
        }
        #expect(mapped == 31)
    }

    @Test("STLR is mapped to a locked store, so SB+popl+poapr is forbidden on x86; SB stays allowed")
    func stlr() throws {
        let r = try ModelChecker.check(try ShippedLitmus.program("AArch64/SB+popl+poapr.litmus"), model: .x86TSO)
        #expect(!r.allowed)
        #expect(r.mapping.contains("STLR → XCHG (locked store)"))
        let sb = try ModelChecker.check(try ShippedLitmus.program("AArch64/SB.litmus"), model: .x86TSO)
        #expect(sb.allowed)
        #expect(sb.mapping.isEmpty)
    }

    @Test("DMB full becomes MFENCE; DMB ST/LD are dropped and said so")
    func fences() throws {
        let r = try ModelChecker.check(try ShippedLitmus.program("AArch64/SB+dmb.sys.litmus"), model: .x86TSO)
        #expect(!r.allowed)
        #expect(r.mapping == ["DMB (full) → MFENCE"])
        let m = try ModelChecker.check(try ShippedLitmus.program("AArch64/MP+dmb.ld+dmb.ld.litmus"), model: .x86TSO)
        #expect(!m.allowed)
        #expect(m.mapping == ["DMB LD/ST and ISB dropped (TSO order)"])
    }
}
