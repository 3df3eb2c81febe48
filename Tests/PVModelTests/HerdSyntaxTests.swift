import PVModel
import Testing

/// Forms herd7 7.57 reads that the parser must read too, each checked
/// against herd7 itself when it was written (the answers below are herd7's).
@Suite("herd7's lexical forms")
struct HerdSyntaxTests {
    static let mp = """
        AArch64 MP
        (* message passing *)
        { 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }
         P0          | P1          ;
         MOV W0,#1   | LDR W0,[X1] ;
         STR W0,[X1] | LDR W2,[X3] ;
         MOV W2,#1   |             ;
         STR W2,[X3] |             ;
        exists (1:X0=1 /\\ 1:X2=0)
        """

    static func answer(_ text: String) throws -> String {
        HerdReport.render(try ModelChecker.check(try LitmusParser.parse(text), model: .armv8))
    }

    /// lib/stateParser.mly: `%left OR`, `%left AND`, `%right IMPLIES`,
    /// `%nonassoc NOT`: `=>` binds tighter than `/\` and `\/`. Each
    /// condition with herd7 7.57's Condition line and Positive/Negative.
    @Test("'=>' binds tighter than '/\\' and '\\/', to the right, as herd7 reads it", arguments: [
        ("0:X0=1 /\\ 0:X0=0 => 0:X0=5 \\/ ~0:X0=1 => 0:X0=0",
         "Condition exists (0:X0=1 /\\ (0:X0=0 => 0:X0=5) \\/ (not (0:X0=1) => 0:X0=0))", "Positive: 2 Negative: 0"),
        ("0:X0=1 /\\ 0:X0=0 => 0:X0=5", "Condition exists (0:X0=1 /\\ (0:X0=0 => 0:X0=5))", "Positive: 1 Negative: 1"),
        ("0:X0=0 => 0:X0=5 /\\ 0:X0=1", "Condition exists ((0:X0=0 => 0:X0=5) /\\ 0:X0=1)", "Positive: 1 Negative: 1"),
        ("0:X0=1 \\/ 0:X0=0 => 0:X0=5 => 0:X0=1", "Condition exists (0:X0=1 \\/ (0:X0=0 => 0:X0=5 => 0:X0=1))", "Positive: 2 Negative: 0"),
        ("~0:X0=1 => 0:X0=5 /\\ (0:X0=1 => 0:X0=0)",
         "Condition exists ((not (0:X0=1) => 0:X0=5) /\\ (0:X0=1 => 0:X0=0))", "Positive: 0 Negative: 2"),
    ])
    func impliesPrecedence(_ condition: String, _ herdCondition: String, _ herdWitnesses: String) throws {
        let answer = try Self.answer("""
            AArch64 imp
            { 0:X1=x; 1:X1=x; }
             P0          | P1          ;
             LDR W0,[X1] | MOV W2,#1   ;
                         | STR W2,[X1] ;
            exists (\(condition))
            """)
        #expect(answer.contains(herdCondition + "\n"), "\(answer)")
        #expect(answer.contains(herdWitnesses + "\n"), "\(answer)")
    }

    @Test("CRLF and CR line ends, tabs, spaces in bindings, optional '#', '#+k', '==', a final ';': the same test")
    func sameTest() throws {
        let reference = try Self.answer(Self.mp)
        #expect(reference.contains("Observation MP Sometimes 1 3"), "\(reference)")
        let variants: [(String, String)] = [
            ("CRLF", Self.mp.replacingOccurrences(of: "\n", with: "\r\n")),
            ("CRLF, final line end", Self.mp.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"),
            ("CR", Self.mp.replacingOccurrences(of: "\n", with: "\r")),
            ("tabs", Self.mp.replacingOccurrences(of: " | ", with: "\t|\t").replacingOccurrences(of: "STR W0", with: "STR\tW0")),
            ("spaces in bindings", Self.mp.replacingOccurrences(of: "{ 0:X1=x; 0:X3=y;", with: "{ 0: X1 = x ; 0 :X3= y;")),
            ("'#' omitted", Self.mp.replacingOccurrences(of: "MOV W0,#1", with: "MOV W0,1")),
            ("'#+1'", Self.mp.replacingOccurrences(of: "MOV W2,#1", with: "MOV W2,#+1")),
            ("'==' and a spaced register", Self.mp.replacingOccurrences(of: "1:X0=1", with: "1: X0 == 1")),
            ("';' after the condition", Self.mp.replacingOccurrences(of: "1:X2=0)", with: "1:X2=0);")),
            ("a comment in the code", Self.mp.replacingOccurrences(of: "MOV W2,#1   |", with: "MOV W2,#1 (* y *) |")),
            ("';' after the condition", Self.mp.replacingOccurrences(of: "1:X2=0)", with: "1:X2=0);")),
        ]
        for (what, text) in variants {
            #expect(try Self.answer(text) == reference, "\(what)")
        }
    }

    @Test("'!=' and '<>' are the negated equality herd7 reads")
    func notEqual() throws {
        for op in ["!=", "<>"] {
            let text = Self.mp.replacingOccurrences(of: "1:X2=0", with: "1:X2\(op)1")
            #expect(try Self.answer(text).contains("Observation MP Sometimes 1 3"), "\(op)")
        }
    }

    /// herd7 7.57 reads a bare decimal as an x86 immediate too: both tests `Always 1 0`.
    @Test("x86 immediates without '$'")
    func x86BareImmediates() throws {
        for text in ["X86 t\n{ }\n P0 ;\n MOV [x],1 ;\n MOV EAX,[x] ;\nexists (0:EAX=1)\n",
                     "X86_64 t\n{ }\n P0 ;\n movl 1,(x) ;\n movl (x),%eax ;\nexists (0:rax=1)\n"] {
            let p = try LitmusParser.parse(text)
            #expect(HerdReport.render(try ModelChecker.check(p, model: .x86TSO)).contains("Observation t Always 1 0"), "\(text)")
        }
    }

    /// herd7 7.57, `herd7 MOVZ+MOVK+MOVN.litmus`:
    /// `0:X9=18446462598732840959; 0:X10=4294901759; 0:X11=18446744073709486080; 0:X12=262143; [x]=4294967297;`
    @Test("MOVZ, MOVK and MOVN, and MOV's MOVN forms, compute herd7's values")
    func wideMoves() throws {
        let text = """
            AArch64 MOVZ+MOVK+MOVN
            { uint64_t x; 0:X1=x; uint64_t 0:X12=0xffffffffffffffff; uint64_t 0:X9; uint64_t 0:X10; uint64_t 0:X11; }
             P0                 ;
             MOVZ X8,#1         ;
             MOVK X8,#1,LSL #32 ;
             MOVK W12,#3,LSL #16;
             MOVN X9,#1,LSL #48 ;
             MOV W10,#-65537    ;
             MOV X11,#-65536    ;
             STR X8,[X1]        ;
            locations [0:X9; 0:X10; 0:X11; 0:X12;]
            exists (x=4294967297)
            """
        let herd7 = "0:X9=18446462598732840959; 0:X10=4294901759; 0:X11=18446744073709486080; 0:X12=262143; [x]=4294967297;"
        let out = try Self.answer(text)
        #expect(out.contains("States 1\n\(herd7)\n"), "\(out)")
        #expect(out.contains("Observation MOVZ+MOVK+MOVN Always 1 0"), "\(out)")
    }

    /// herd7 7.57: LB+movk+data `Never 0 3` (states 65536/0, 65536/65536, 65537/0);
    /// LB+movk+po, the stored value built in another register, `Sometimes 1 3`.
    @Test("a MOVK reads its register: the store of its result depends on the load, as in herd7")
    func movkDependency() throws {
        let dependent = """
            AArch64 LB+movk+data
            { 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }
             P0                 | P1           ;
             LDR W0,[X1]        | LDR W0,[X1]  ;
             MOVK W0,#1,LSL #16 | EOR W2,W0,W0 ;
             STR W0,[X3]        | ADD W2,W2,#1 ;
                                | STR W2,[X3]  ;
            exists (0:X0=65537 /\\ 1:X0=65537)
            """
        let out = try Self.answer(dependent)
        #expect(out.contains("States 3\n0:X0=65536; 1:X0=0;\n0:X0=65536; 1:X0=65536;\n0:X0=65537; 1:X0=0;\n"), "\(out)")
        #expect(out.contains("Observation LB+movk+data Never 0 3"), "\(out)")
        let independent = """
            AArch64 LB+movk+po
            { 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }
             P0                 | P1           ;
             LDR W0,[X1]        | LDR W0,[X1]  ;
             MOVZ W4,#1         | EOR W2,W0,W0 ;
             MOVK W4,#1,LSL #16 | ADD W2,W2,#1 ;
             STR W4,[X3]        | STR W2,[X3]  ;
            exists (0:X0=1 /\\ 1:X0=65537)
            """
        #expect(try Self.answer(independent).contains("Observation LB+movk+po Sometimes 1 3"), "\(independent)")
    }
}
