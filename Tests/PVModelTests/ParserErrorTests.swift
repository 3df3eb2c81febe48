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

    /// `good` with its one instruction replaced by `instruction`.
    static func goodWith(instruction: String) -> String { good.replacingOccurrences(of: "LDR W0,[X1]", with: instruction) }

    /// `good` with its init block replaced by `initBlock`.
    static func goodWith(initBlock: String) -> String { good.replacingOccurrences(of: "{ 0:X1=x; }", with: initBlock) }

    /// (what is wrong, text, line, token, message fragment)
    static let cases: [(String, String, Int, String, String)] = [
        ("empty file", "", 1, "", "empty file"),
        ("unknown architecture", good.replacingOccurrences(of: "AArch64 T", with: "PPC T"), 1, "PPC", "unsupported architecture"),
        ("no init block", "AArch64 T\n P0 ;\n", 1, "T", "no init block"),
        ("unclosed init block", "AArch64 T\n{ 0:X1=x;\n", 2, "{", "not closed"),
        ("processor names", good.replacingOccurrences(of: " P0 ", with: " Q0 "), 3, "Q0", "expected processor name P0"),
        ("unsupported instruction", goodWith(instruction: "LDPSW X0,X2,[X1]"), 4, "LDPSW", "not in the supported AArch64 subset"),
        // herd7 7.57's parser: LDIAPP at offset 0 or post-index by the pair's size; pairs take mem_idx; CASP of W registers takes [Xn].
        ("LDIAPP offset", goodWith(instruction: "LDIAPP W0,W2,[X1,#4]"), 4, "LDIAPP", "LDIAPP takes [Xn] or [Xn],#8"),
        ("STILP post-index", goodWith(instruction: "STILP W0,W2,[X1],#8"), 4, "STILP", "STILP takes [Xn] or [Xn,#-8]!"),
        ("pair with an index register", goodWith(instruction: "LDP W0,W2,[X1,X3]"), 4, "LDP", "LDP takes [Xn], [Xn,#imm]"),
        ("CASP W with an offset", goodWith(instruction: "CASP W2,W3,W4,W5,[X1,#0]"), 4, "CASP", "CASP of W registers takes [Xn]"),
        ("bad register", good.replacingOccurrences(of: "LDR W0", with: "LDR Q0"), 4, "Q0", "expected a register"),
        ("index extension", good.replacingOccurrences(of: "[X1]", with: "[X1,W2,LSL #3]"), 4, "W2 LSL #3", "an index Wm takes SXTW or UXTW"),
        ("operand count", goodWith(instruction: "LDR W0"), 4, "LDR", "expected 2 operands"),
        ("unknown label", goodWith(instruction: "CBZ W0,L9"), 4, "L9", "unknown label"),
        ("bad DMB option", goodWith(instruction: "DMB FOO"), 4, "FOO", "unknown DMB option"),
        ("unsupported type", goodWith(initBlock: "{ intptr_t x; }"), 2, "intptr_t", "unsupported type"),
        ("pointer in memory", goodWith(initBlock: "{ 0:X1=x; x=y; }"), 2, "y", "pointers in memory"),
        ("no processor", goodWith(initBlock: "{ 3:X1=x; }"), 2, "3:X1", "no processor P3"),
        ("missing quantifier", good.replacingOccurrences(of: "exists (0:X0=1)", with: "(0:X0=1)"), 5, "(", "expected exists, ~exists or forall"),
        ("bad condition token", good.replacingOccurrences(of: "(0:X0=1)", with: "(0:X0=1 /\\ )"), 5, ")", "expected a register or location"),
        ("unbalanced condition", good.replacingOccurrences(of: "(0:X0=1)", with: "(0:X0=1"), 5, "end of input", "expected ')'"),
        ("trailing tokens", good.replacingOccurrences(of: "(0:X0=1)", with: "(0:X0=1) 0:X0=2"), 5, "0:X0", "unexpected token after the condition"),
        ("filter", good.replacingOccurrences(of: "exists", with: "filter (0:X0=1)\nexists"), 5, "filter", "filter is not supported"),
        ("whole array observed", "AArch64 T\n{ uint32_t t[2]; 0:X1=t; }\n P0 ;\n LDR W0,[X1] ;\nexists (t=1)\n", 5, "t", "whole array"),
        ("x86 register-indirect", "X86 T\n{ }\n P0 ;\n MOV EAX,[EBX] ;\nexists (0:EAX=0)\n", 4, "[EBX]", "register-indirect"),
        ("x86-64 immediate store without size", "X86_64 T\n{ }\n P0 ;\n mov $1,(x) ;\nexists (x=1)\n", 4, "mov", "movl or movq"),
        ("unexpected character", goodWith(instruction: "LDR W0,[X1]@"), 4, "@", "unexpected character"),
        ("store without operands", goodWith(instruction: "STR"), 4, "STR", "expected 2 operands"),
        ("post-index into its own base", goodWith(instruction: "LDR X1,[X1],#4"), 4, "[X1],#4", "constrained unpredictable"),
        ("post-index with a register offset", goodWith(instruction: "LDR W0,[X1],X2"), 4, "[X1],X2", "post-index takes [Xn],#imm"),
        ("MOV immediate neither MOVZ nor MOVN", goodWith(instruction: "MOV W8,#65537"), 4, "#65537", "not a MOV immediate"),
        ("MOV immediate, X register", goodWith(instruction: "MOV X8,#281479271743489"), 4, "#281479271743489", "not a MOV immediate"),
        ("MOV W immediate at shift 32", goodWith(instruction: "MOV W8,#4294967296"), 4, "#4294967296", "not a MOV immediate"),
        ("hexadecimal immediate in code", goodWith(instruction: "MOV W8,#0x10"), 4, "#0x10", "decimal only (write 16)"),
        ("hexadecimal offset", good.replacingOccurrences(of: "[X1]", with: "[X1,#0x4]"), 4, "#0x4", "decimal only"),
        ("immediate beyond herd7's OCaml int", goodWith(instruction: "MOV X8,#4611686018427387904"), 4, "#4611686018427387904", "outside -2^62"),
        ("MOVZ #65535 stops herd7", goodWith(instruction: "MOVZ W8,#65535"), 4, "#65535", "#0 ... #65534"),
        ("MOVK of a W register at shift 32", goodWith(instruction: "MOVK W8,#1,LSL #32"), 4, "LSL #32", "shifts by 0 or 16"),
        ("MOVZ shift not a multiple of 16", goodWith(instruction: "MOVZ X8,#1,LSL #8"), 4, "LSL #8", "0, 16, 32 or 48"),
        ("MOVN of a W register", goodWith(instruction: "MOVN W8,#1"), 4, "MOVN", "computes it as 64 bits"),
        ("ADD immediate beyond 12 bits", goodWith(instruction: "ADD W8,W8,#4096"), 4, "#4096", "-4095 ... 4095"),
        ("ADD immediate from WZR", goodWith(instruction: "ADD W8,WZR,#1"), 4, "ADD", "that encoding is SP"),
        ("MOV between widths", goodWith(instruction: "MOV X8,W1"), 4, "W1", "mixed widths"),
        ("EOR of mixed widths", goodWith(instruction: "EOR W8,X1,X1"), 4, "X1", "mixed widths"),
        ("XZR as a base", good.replacingOccurrences(of: "[X1]", with: "[XZR]"), 4, "[ XZR ]", "not a base register"),
        ("register typed and initialised apart", goodWith(initBlock: "{ uint64_t 0:X1; 0:X1=x; }"), 2, "0:X1", "initialised more than once"),
        ("decimal init value beyond Int64", goodWith(initBlock: "{ 0:X1=x; uint64_t y=18446744073709551615; }"), 2, "18446744073709551615", "outside -2^63"),
        ("signed hexadecimal", goodWith(initBlock: "{ 0:X1=x; 0:X2=-0x1; }"), 2, "-0x1", "no sign"),
        ("binary literal", goodWith(initBlock: "{ 0:X1=x; 0:X2=0b1; }"), 2, "0b1", "not a number herd7 reads"),
        ("x86-64 hexadecimal immediate", "X86_64 T\n{ }\n P0 ;\n movl $0x10,(x) ;\nexists (x=16)\n", 4, "$0x10", "decimal only (write 16)"),
        ("x86-64 32-bit immediate beyond 32 bits", "X86_64 T\n{ }\n P0 ;\n movl $4294967296,(x) ;\nexists (x=0)\n", 4, "$4294967296", "32-bit immediate"),
        ("x86-64 negative 32-bit immediate", "X86_64 T\n{ }\n P0 ;\n movl $-1,%eax ;\nexists (0:rax=0)\n", 4, "$-1", "32-bit immediate"),
        ("x86 hexadecimal immediate", "X86 T\n{ }\n P0 ;\n MOV [x],$0x1 ;\nexists (x=1)\n", 4, "$0x1", "decimal only"),
        // Outside the model: refused with the reason, before anything else is read.
        ("MTE tag", goodWith(initBlock: "{ 0:X1=x:red; }"), 2, "=x:red", "out of scope: memory tags (MTE)"),
        ("MTE instruction", goodWith(instruction: "STG X0,[X1]"), 4, "STG ", "out of scope: memory tags (MTE)"),
        ("page-table entry", goodWith(initBlock: "{ 0:X1=PTE(x); }"), 2, "PTE(", "out of scope: page tables"),
        ("page-table initial value", goodWith(initBlock: "{ [PTE(x)]=(valid:0); 0:X1=x; }"), 2, "PTE(", "out of scope: page tables"),
        ("TLBI", goodWith(instruction: "TLBI VAE1IS,X1"), 4, "TLBI", "out of scope: page tables"),
        ("TTHM header", good.replacingOccurrences(of: "AArch64 T\n", with: "AArch64 T\nTTHM=HA\n"), 2, "TTHM=HA", "out of scope: hardware update of page-table flags"),
        ("Variant header", good.replacingOccurrences(of: "AArch64 T\n", with: "AArch64 T\nVariant=precise\n"), 2, "Variant=precise", "out of scope: the header sets herd7 variants"),
        ("instruction as data", goodWith(initBlock: "{ 0:X1=x; 0:X2=instr:\"NOP\"; }"), 2, "instr:\"", "out of scope: instruction fetch"),
        ("label as data", goodWith(initBlock: "{ 0:X1=x; 0:X2=P0:L0; }"), 2, "=P0:L", "out of scope: instruction fetch (a code label as data)"),
        ("cache maintenance", goodWith(instruction: "DC CVAU,X1"), 4, " DC CVAU,", "out of scope: cache maintenance"),
        ("fault in the condition", good.replacingOccurrences(of: "exists (0:X0=1)", with: "exists (fault(P0,x))"), 5, "fault(", "out of scope: faults"),
        ("SVE register", goodWith(instruction: "LD1W {Z0.S},P0/Z,[X1]"), 4, "Z0.S", "out of scope: SVE and SME"),
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
