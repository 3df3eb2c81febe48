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
        try "AArch64 T\n{ 0:X1=x; }\n P0 ;\n LDSMAX W0,W1,[X1] ;\nexists (0:X0=0)\n".write(to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        let r = try CLI.run(["model", bad.path])
        #expect(r.status == 64)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "pvbench: error: \(bad.path):4: instruction not in the supported AArch64 subset at 'LDSMAX'\n")
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

    @Test("a C test: not answered without a model that maps it (exit 1); a C syntax error is exit 64")
    func kernelCRefusals() throws {
        let r = try CLI.run(["model", file("C/LB+ctrl+xchg.litmus")])
        #expect(r.status == 1)
        #expect(!r.stdout.contains("Observation"))
        #expect(r.stderr.contains("give --model armv8 or x86-tso"))
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-model-c-\(getpid()).litmus")
        try "C T\n{}\nP0(int *x)\n{\n\tint r0 = !READ_ONCE(*x);\n}\nexists (0:r0=1)\n".write(to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        let e = try CLI.run(["model", "--model", "armv8", bad.path])
        #expect(e.status == 64)
        #expect(e.stderr == "pvbench: error: \(bad.path):5: unexpected character (herd7's C has no such operator) at '!'\n")
    }
}
