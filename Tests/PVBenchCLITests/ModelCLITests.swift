import Foundation
import Testing

/// `pvbench model` as a user runs it: herd7 text, exit statuses, JSON.
@Suite("pvbench model")
struct ModelCLITests {
    static let litmus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("litmus")

    func file(_ name: String) -> String { Self.litmus.appendingPathComponent(name).path }

    @Test("herd7 text for a test, each test under each model")
    func text() throws {
        let r = try CLI.run(["model", file("AArch64/MP.litmus"), "--model", "armv8", "--model", "sc"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Test MP Allowed\nStates 4\n"))
        #expect(r.stdout.contains("Observation MP Sometimes 1 3\n"))
        #expect(r.stdout.contains("Observation MP Never 0 3\n"))
    }

    @Test("an AArch64 test under x86-tso says how it was mapped")
    func mapping() throws {
        let r = try CLI.run(["model", "--model", "x86-tso", file("AArch64/SB+popl+poapr.litmus")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Observation SB+popl+poapr Never 0 3\n"))
        #expect(r.stderr.contains("STLR → XCHG (locked store); LDAR/LDAPR → MOV"))
    }

    @Test("a syntax error: one line naming file, line and token; exit 64")
    func syntaxError() throws {
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-model-\(getpid()).litmus")
        try "AArch64 T\n{ 0:X1=x; }\n P0 ;\n LDPSW X0,X2,[X1] ;\nexists (0:X0=0)\n".write(to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        let r = try CLI.run(["model", bad.path])
        #expect(r.status == 64)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "pvbench: error: \(bad.path):4: instruction not in the supported AArch64 subset at 'LDPSW'\n")
    }

    /// A temporary litmus file holding `text`, removed by the caller's `defer`.
    func temporary(_ text: String, _ tag: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-model-\(tag)-\(getpid()).litmus")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("a loop: --unroll bounds it as herd7 -unroll, the answer says Loop, a warning names the bound")
    func loop() throws {
        // The LL/SC exchange of the corpus (aarch64-loops, aarch64-loops-unroll1: herd7 7.57 says Loop No, 0 36 at
        // its default -unroll 2).
        let url = try temporary("""
            AArch64 XCHG
            { 0:X0=x; 0:X2=1; 1:X0=x; 1:X2=2; }
             P0              | P1              ;
             L0:             | L1:             ;
             LDXR W1,[X0]    | LDXR W1,[X0]    ;
             STXR W3,W2,[X0] | STXR W3,W2,[X0] ;
             CBNZ W3,L0      | CBNZ W3,L1      ;
            exists (0:X1=0 /\\ 1:X1=0)
            """, "loop")
        defer { try? FileManager.default.removeItem(at: url) }
        let r = try CLI.run(["model", url.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\nLoop No\n"))
        #expect(r.stdout.contains("Observation XCHG Never 0 36\n"))
        #expect(r.stderr.contains("unrolling limit (--unroll 2) exceeded"))
        let bad = try CLI.run(["model", "--unroll=-1", url.path])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--unroll must be 0 or more"))
    }

    @Test("an out-of-scope test (MTE tags) is refused with its reason, exit 64, no verdict")
    func outOfScope() throws {
        let url = try temporary("AArch64 T\n{ 0:X1=x:red; }\n P0 ;\n LDR W0,[X1] ;\nexists (0:X0=0)\n", "mte")
        defer { try? FileManager.default.removeItem(at: url) }
        let r = try CLI.run(["model", url.path])
        #expect(r.status == 64)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "pvbench: error: \(url.path):2: out of scope: memory tags (MTE) are outside the model at '=x:red'\n")
    }

    @Test("a test the model cannot take is refused, exit 1, no verdict")
    func refused() throws {
        let r = try CLI.run(["model", "--model", "armv8", file("X86/SB.litmus")])
        #expect(r.status == 1)
        #expect(!r.stdout.contains("Observation"))
        #expect(r.stderr.contains("not modelled: an X86 program under armv8"))
    }

    @Test("--json")
    func json() throws {
        let r = try CLI.run(["model", "--json", file("X86/SB+mfences.litmus")])
        #expect(r.status == 0)
        let v = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        #expect(v?.first?["observation"] as? String == "Never")
        #expect(v?.first?["model"] as? String == "x86-tso")
        #expect(v?.first?["negative"] as? Int == 3)
    }

    @Test("a kernel C test under armv8: the mapped AArch64 program, then its answer")
    func kernelC() throws {
        let r = try CLI.run(["model", "--model", "armv8", "--model", "x86-tso", file("C/MP+release+acquire.litmus")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("AArch64 MP+release+acquire\n"))
        #expect(r.stdout.contains(" STLR W8,[X1] "))
        #expect(r.stdout.contains(" LDAR W2,[X1] "))
        #expect(r.stdout.contains("X86_64 MP+release+acquire\n"))
        #expect(r.stdout.components(separatedBy: "Observation MP+release+acquire Never 0 3\n").count == 3)
    }

    @Test("a C test: answered under the kernel's model by default (herd7 -conf linux-kernel.cfg: Never 0 2); a C syntax error is exit 64")
    func kernelCRefusals() throws {
        let r = try CLI.run(["model", file("C/LB+ctrl+xchg.litmus")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Observation LB+ctrl+xchg Never 0 2\n"))
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-model-c-\(getpid()).litmus")
        try "C T\n{}\nP0(int *x)\n{\n\tint r0 = !READ_ONCE(*x);\n}\nexists (0:r0=1)\n".write(to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        let e = try CLI.run(["model", "--model", "armv8", bad.path])
        #expect(e.status == 64)
        #expect(e.stderr == "pvbench: error: \(bad.path):5: unexpected character (herd7's C has no such operator) at '!'\n")
    }
}
