import PVModel
import Testing

/// Each class of input outside the subset gets its one-line error, naming
/// the line and the token; none of them yields a verdict.
@Suite("Litmus parser errors")
struct ParserErrorTests {
    static let good = """
        AArch64 T
        { 0:X1=x; }
         P0          ;
         LDR W0,[X1] ;
        exists (0:X0=1)
        """

    /// (what is wrong, text, line, token, message fragment)
    static let cases: [(String, String, Int, String, String)] = [
        ("empty file", "", 1, "", "empty file"),
        ("unknown architecture", good.replacingOccurrences(of: "AArch64 T", with: "PPC T"), 1, "PPC", "unsupported architecture"),
        ("no init block", "AArch64 T\n P0 ;\n", 1, "T", "no init block"),
        ("unclosed init block", "AArch64 T\n{ 0:X1=x;\n", 2, "{", "not closed"),
        ("processor names", good.replacingOccurrences(of: " P0 ", with: " Q0 "), 3, "Q0", "expected processor name P0"),
        ("unsupported instruction", good.replacingOccurrences(of: "LDR W0,[X1]", with: "CAS W0,W2,[X1]"), 4, "CAS", "not in the supported AArch64 subset"),
        ("bad register", good.replacingOccurrences(of: "LDR W0", with: "LDR Q0"), 4, "Q0", "expected a register"),
        ("shifted addressing", good.replacingOccurrences(of: "[X1]", with: "[X1,X2,LSL #3]"), 4, "LSL #3", "shifted addressing"),
        ("operand count", good.replacingOccurrences(of: "LDR W0,[X1]", with: "LDR W0"), 4, "LDR", "expected 2 operands"),
        ("unknown label", good.replacingOccurrences(of: "LDR W0,[X1]", with: "CBZ W0,L9"), 4, "L9", "unknown label"),
        ("backward branch", "AArch64 T\n{ }\n P0 ;\n L0: ;\n B L0 ;\nexists (0:X0=0)\n", 5, "L0", "backward branch"),
        ("bad DMB option", good.replacingOccurrences(of: "LDR W0,[X1]", with: "DMB FOO"), 4, "FOO", "unknown DMB option"),
        ("unsupported type", good.replacingOccurrences(of: "{ 0:X1=x; }", with: "{ intptr_t x; }"), 2, "intptr_t", "unsupported type"),
        ("pointer in memory", good.replacingOccurrences(of: "{ 0:X1=x; }", with: "{ 0:X1=x; x=y; }"), 2, "y", "pointers in memory"),
        ("no processor", good.replacingOccurrences(of: "{ 0:X1=x; }", with: "{ 3:X1=x; }"), 2, "3:X1", "no processor P3"),
        ("missing quantifier", good.replacingOccurrences(of: "exists (0:X0=1)", with: "(0:X0=1)"), 5, "(", "expected exists, ~exists or forall"),
        ("bad condition token", good.replacingOccurrences(of: "(0:X0=1)", with: "(0:X0=1 /\\ )"), 5, ")", "expected a register or location"),
        ("unbalanced condition", good.replacingOccurrences(of: "(0:X0=1)", with: "(0:X0=1"), 5, "end of input", "expected ')'"),
        ("trailing tokens", good.replacingOccurrences(of: "(0:X0=1)", with: "(0:X0=1) 0:X0=2"), 5, "0:X0", "unexpected token after the condition"),
        ("filter", good.replacingOccurrences(of: "exists", with: "filter (0:X0=1)\nexists"), 5, "filter", "filter is not supported"),
        ("whole array observed", "AArch64 T\n{ uint32_t t[2]; 0:X1=t; }\n P0 ;\n LDR W0,[X1] ;\nexists (t=1)\n", 5, "t", "whole array"),
        ("x86 register-indirect", "X86 T\n{ }\n P0 ;\n MOV EAX,[EBX] ;\nexists (0:EAX=0)\n", 4, "[EBX]", "register-indirect"),
        ("x86-64 immediate store without size", "X86_64 T\n{ }\n P0 ;\n mov $1,(x) ;\nexists (x=1)\n", 4, "mov", "movl or movq"),
        ("unexpected character", good.replacingOccurrences(of: "LDR W0,[X1]", with: "LDR W0,[X1]!"), 4, "!", "unexpected character"),
    ]

    @Test("one error per class", arguments: cases)
    func error(_ what: String, _ text: String, _ line: Int, _ token: String, _ fragment: String) {
        do {
            _ = try LitmusParser.parse(text)
            Issue.record("\(what): parsed")
        } catch let e as LitmusError {
            #expect(e.line == line, "\(what): \(e)")
            #expect(e.token == token, "\(what): \(e)")
            #expect(e.message.contains(fragment), "\(what): \(e)")
            #expect(!e.description.contains("\n"))
        } catch {
            Issue.record("\(what): \(error)")
        }
    }

    @Test("the good text parses")
    func good() throws {
        let p = try LitmusParser.parse(Self.good)
        #expect(p.threads.count == 1)
        #expect(p.threads[0].instructions.count == 1)
    }
}
