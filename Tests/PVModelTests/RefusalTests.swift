import PVModel
import Testing

/// What cannot be decided is refused, never called forbidden.
@Suite("Refusals: not modelled, too large")
struct RefusalTests {
    @Test("an x86 test under armv8, and AArch64 exclusives under x86-tso, are refused, not mapped")
    func crossArchitecture() throws {
        let x86 = try ShippedLitmus.program("X86/SB.litmus")
        let exclusives = try ShippedLitmus.program("AArch64/ATOM+stxr.litmus")
        #expect(throws: ModelError.self) { try ModelChecker.check(x86, model: .armv8) }
        #expect(throws: ModelError.notModelled("a load-exclusive under x86-tso (no x86 mapping)")) {
            try ModelChecker.check(exclusives, model: .x86TSO)
        }
    }

    @Test("storing an address to memory is not modelled")
    func pointerStore() throws {
        let p = try LitmusParser.parse("""
            AArch64 P
            { 0:X1=x; 0:X2=y; }
             P0          ;
             STR X2,[X1] ;
            exists (x=0)
            """)
        #expect(throws: ModelError.notModelled("storing an address to memory")) { try ModelChecker.check(p) }
    }

    @Test("an access outside its location is not modelled")
    func outOfBounds() throws {
        let p = try LitmusParser.parse("""
            AArch64 O
            { 0:X1=x; }
             P0              ;
             LDR X0,[X1]     ;
            exists (0:X0=0)
            """)
        do {
            _ = try ModelChecker.check(p)
            Issue.record("checked")
        } catch let ModelError.notModelled(why) {
            #expect(why.contains("8 bytes at offset 0 of 'x' (4 bytes)"))
        }
    }

    /// A C path that reaches past a scalar is refused when some execution
    /// can take it; one that exists only because the code's constants seed
    /// the value domains (no write gives the value it read) is left out.
    @Test("a C access past a scalar: refused when reachable, left out when no write gives the value that leads there")
    func cOutOfBounds() throws {
        func check(_ written: Int) throws -> CheckResult {
            try ModelChecker.check(try LitmusParser.program("""
                C past
                {}
                P0(int *x, int *y) { int r1; int *r2; r1 = READ_ONCE(*x); r2 = (y + (r1 & 8)); WRITE_ONCE(*r2, 1); }
                P1(int *x) { WRITE_ONCE(*x, \(written)); }
                exists (0:r1=1)
                """))
        }
        #expect(try check(1).states.count == 2)
        do {
            _ = try check(8)
            Issue.record("checked")
        } catch let ModelError.notModelled(why) {
            #expect(why == "an access at offset 8 of 'y'")
        }
    }

    @Test("a program too large to enumerate is refused with its size, quickly")
    func tooLarge() throws {
        // Six threads each storing twice to x then reading it: 12 writes to one cell.
        var rows = [Array(repeating: "P", count: 6).enumerated().map { "P\($0.offset)" }.joined(separator: " | ") + " ;"]
        for line in ["MOV W0,#1", "STR W0,[X1]", "MOV W0,#2", "STR W0,[X1]", "LDR W2,[X1]"] {
            rows.append(Array(repeating: line, count: 6).joined(separator: " | ") + " ;")
        }
        let text = "AArch64 Big\n{ " + (0 ..< 6).map { "\($0):X1=x;" }.joined(separator: " ") + " }\n"
            + rows.joined(separator: "\n") + "\nexists (0:X2=0)\n"
        let p = try LitmusParser.parse(text)
        do {
            _ = try ModelChecker.check(p)
            Issue.record("checked")
        } catch let ModelError.tooLarge(size) {
            #expect(!size.isEmpty)
        }
    }
}
