import PVModel
import Testing

/// herd7 7.57's text, line for line (its Time/Hash lines left out). The
/// counts are herd7's for the same shapes (diycross MP, SB+dmb.sys, 2+2W;
/// L027's ~exists convention; L031's `=>` parenthesisation).
@Suite("herd7 output format")
struct HerdOutputTests {
    func render(_ file: String, _ model: ModelKind? = nil) throws -> String {
        HerdReport.render(try ModelChecker.check(try ShippedLitmus.program(file), model: model))
    }

    @Test("exists, allowed: MP")
    func mp() throws {
        #expect(try render("AArch64/MP.litmus") == """
            Test MP Allowed
            States 4
            1:X0=0; 1:X2=0;
            1:X0=0; 1:X2=1;
            1:X0=1; 1:X2=0;
            1:X0=1; 1:X2=1;
            Ok
            Witnesses
            Positive: 1 Negative: 3
            Condition exists (1:X0=1 /\\ 1:X2=0)
            Observation MP Sometimes 1 3

            """)
    }

    @Test("exists, forbidden: SB+dmb.sys")
    func sbDMB() throws {
        #expect(try render("AArch64/SB+dmb.sys.litmus") == """
            Test SB+dmb.sys Allowed
            States 3
            0:X2=0; 1:X2=1;
            0:X2=1; 1:X2=0;
            0:X2=1; 1:X2=1;
            No
            Witnesses
            Positive: 0 Negative: 3
            Condition exists (0:X2=0 /\\ 1:X2=0)
            Observation SB+dmb.sys Never 0 3

            """)
    }

    @Test("memory in states and conditions is [x]; x=2 is printed [x]=2")
    func memory() throws {
        let text = try render("AArch64/2+2W+dmb.sts.litmus")
        #expect(text.contains("\n[x]=1; [y]=1;\n"))
        #expect(text.contains("Condition exists ([x]=2 /\\ [y]=2)\n"))
        #expect(text.hasSuffix("Observation 2+2W+dmb.sts Never 0 3\n"))
    }

    @Test("~exists: Forbidden, Ok, Positive counts the executions where the condition holds")
    func notExists() throws {
        let text = try render("AArch64/ATOM+stxr.litmus")
        #expect(text.hasPrefix("Test ATOM+stxr Forbidden\nStates 4\n"))
        #expect(text.contains("\nOk\nWitnesses\nPositive: 7 Negative: 0\nCondition ~exists (0:X2=0 /\\ 1:X2=0 /\\ [x]=1)\nObservation ATOM+stxr Never 0 7\n"))
    }

    @Test("x86: register names, and 64-bit values of typed registers")
    func x86() throws {
        let text = try render("X86/SB64.litmus")
        #expect(text.contains("\n0:rbx=0; 1:rbx=4294967297;\n"))
        #expect(try render("X86/SB+mfences.litmus").contains("Condition exists (0:EAX=0 /\\ 1:EAX=0)\nObservation SB+mfences Never 0 3\n"))
    }

    /// herd7 7.57 -hexa prints this answer (`=>` binds tighter than `/\`).
    @Test("forall with => and \\/ parenthesised as herd7 does; -hexa values")
    func forallImplies() throws {
        let p = try LitmusParser.parse("""
            AArch64 F
            { 0:X1=x; }
             P0          ;
             MOV W0,#17  ;
             STR W0,[X1] ;
            forall (0:X0=17 /\\ x=17 => (x=17 \\/ x=1) /\\ ~(x=2))
            """)
        let r = try ModelChecker.check(p)
        let text = HerdReport.render(r, hexadecimal: true)
        #expect(text == """
            Test F Required
            States 1
            0:X0=0x11; [x]=0x11;
            Ok
            Witnesses
            Positive: 1 Negative: 0
            Condition forall (0:X0=0x11 /\\ ([x]=0x11 => ([x]=0x11 \\/ [x]=0x1)) /\\ not ([x]=0x2))
            Observation F Always 1 0

            """)
    }
}
