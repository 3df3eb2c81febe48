import Foundation
import Testing

/// `pvbench model --compile`: the line per target, the lifted files, and
/// the refusals of bad options.
@Suite("pvbench model --compile")
struct ModelCompileCLITests {
    static let example = ModelCLITests.litmus.appendingPathComponent("C/MP+release+acquire.litmus").path
    static let crossGCC = ["/usr/bin", "/usr/local/bin"].contains { FileManager.default.isExecutableFile(atPath: "\($0)/aarch64-linux-gnu-gcc") }
        && ["/usr/bin", "/usr/local/bin"].contains { FileManager.default.isExecutableFile(atPath: "\($0)/aarch64-linux-gnu-objdump") }

    @Test("bad options: one line, exit 64")
    func badOptions() throws {
        let r = try CLI.run(["model", "--compile", "gcc:armv9-a", Self.example])
        #expect(r.status == 64)
        #expect(r.stderr.contains("unknown compile target 'gcc:armv9-a'; valid: all, gcc:armv8-a"))
        let e = try CLI.run(["model", "--emit-lifted", "/tmp/x", Self.example])
        #expect(e.status == 64)
        #expect(e.stderr.contains("--emit-lifted needs --compile"))
        let w = try CLI.run(["model", "--fail-on-weaker", Self.example])
        #expect(w.status == 64)
        #expect(w.stderr.contains("--fail-on-weaker needs --compile"))
        let a = try CLI.run(["model", "--compile", "all", ModelCLITests.litmus.appendingPathComponent("AArch64/MP.litmus").path])
        #expect(a.status == 64)
        #expect(a.stderr.contains("--compile takes C tests"))
    }

    @Test("gcc for arm64 with LSE: the verdict beside LKMM's, and the lifted file written",
          .enabled(if: crossGCC, "aarch64-linux-gnu-gcc/objdump not installed (Debian gcc-aarch64-linux-gnu, binutils-aarch64-linux-gnu)"))
    func compiled() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-lifted-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["model", "--compile", "gcc:armv8.1-a", "--emit-lifted", dir.path, Self.example])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("  source (LKMM): Forbidden, 3 final states\n"))
        #expect(r.stdout.contains("  gcc:armv8.1-a    Forbidden under armv8, 3 final states; within LKMM's states\n"))
        let lifted = try String(contentsOf: dir.appendingPathComponent("MP+release+acquire+gcc-armv8.1-a.litmus"), encoding: .utf8)
        #expect(lifted.hasPrefix("AArch64 MP+release+acquire+gcc-armv8.1-a\n"))
        #expect(lifted.contains("STLR") && lifted.contains("LDAR"))
    }

    static let samestore = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("PVHarnessTests/Fixtures/compiled/LB+ctrl-samestore.litmus").path

    @Test("--fail-on-weaker: exit 2 when compiled code allows what LKMM forbids, 0 when it does not or the source races",
          .enabled(if: crossGCC, "aarch64-linux-gnu-gcc/objdump not installed (Debian gcc-aarch64-linux-gnu, binutils-aarch64-linux-gnu)"))
    func failOnWeaker() throws {
        let found = try CLI.run(["model", "--compile", "gcc:armv8-a", "--fail-on-weaker", Self.example, Self.samestore])
        #expect(found.status == 2, "\(found.stderr)")
        #expect(found.stderr == "pvbench: error: compiled code allows what the kernel model forbids: LB+ctrl-samestore gcc:armv8-a\n")
        #expect(found.stdout.contains("compiled code allows what the kernel model forbids (LKMM): 1 state, witness { 0:r0=1; 1:r0=1; }"))
        // Without the flag the same finding is an answer, exit 0 (as herd7: an answer is not a failure).
        let plain = try CLI.run(["model", "--compile", "gcc:armv8-a", Self.samestore])
        #expect(plain.status == 0, "\(plain.stderr)")
        let clean = try CLI.run(["model", "--compile", "gcc:armv8-a", "--fail-on-weaker", Self.example])
        #expect(clean.status == 0, "\(clean.stderr)")
        // An LL/SC retry loop (xchg without LSE) cut by the unrolling bound: no finding is not proven, so the gate
        // does not pass (1, with the reason); with LSE there is no loop and it passes.
        let xchg = URL(fileURLWithPath: Self.samestore).deletingLastPathComponent().appendingPathComponent("SB+xchg.litmus").path
        let cut = try CLI.run(["model", "--compile", "gcc:armv8-a", "--fail-on-weaker", xchg])
        #expect(cut.status == 1, "\(cut.stderr)")
        #expect(cut.stderr == "pvbench: error: no finding is not proven where a loop was cut by --unroll 2 (states may be missing): SB+xchg gcc:armv8-a\n")
        let lse = try CLI.run(["model", "--compile", "gcc:armv8.1-a", "--fail-on-weaker", xchg])
        #expect(lse.status == 0, "\(lse.stderr)")
        // The same shape with a plain (racy) z: LKMM flags data-race, so the state beyond it is no finding.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-race-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let race = dir.appendingPathComponent("LB+ctrl-samestore+race.litmus")
        try Self.racy.write(to: race, atomically: true, encoding: .utf8)
        let ub = try CLI.run(["model", "--compile", "gcc:armv8-a", "--fail-on-weaker", race.path])
        #expect(ub.status == 0, "\(ub.stderr)")
        #expect(ub.stdout.contains("source (LKMM): Forbidden, 3 final states; flags data-race"))
        #expect(ub.stdout.contains("(LKMM flags data-race: undefined behaviour, not a finding)"))
    }

    @Test("--compile --json: the source and each target as fields, no text lines",
          .enabled(if: crossGCC, "aarch64-linux-gnu-gcc/objdump not installed (Debian gcc-aarch64-linux-gnu, binutils-aarch64-linux-gnu)"))
    func json() throws {
        let r = try CLI.run(["model", "--compile", "gcc:armv8-a", "--json", Self.samestore])
        #expect(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
        #expect(root["weaker"] as? Int == 1)
        #expect(root["undecided"] as? Int == 0)
        let test = try #require((root["tests"] as? [[String: Any]])?.first)
        #expect(test["name"] as? String == "LB+ctrl-samestore")
        let source = try #require(test["source"] as? [String: Any])
        #expect(source["verdict"] as? String == "Forbidden")
        #expect(source["states"] as? Int == 3)
        let target = try #require((test["targets"] as? [[String: Any]])?.first)
        #expect(target["target"] as? String == "gcc:armv8-a")
        #expect(target["status"] as? String == "decided")
        #expect(target["verdict"] as? String == "Allowed")
        #expect(target["undefined_behaviour"] as? Bool == false)
        let weaker = try #require(target["weaker"] as? [String: Any])
        #expect(weaker["states"] as? Int == 1)
        #expect(weaker["witness"] as? String == "0:r0=1; 1:r0=1;")
        #expect((weaker["execution"] as? [String])?.first == "P0 e0: R x=1 rf P1 e1")
    }

    static let racy = """
        C LB+ctrl-samestore+race

        {}

        P0(int *x, int *y, int *z)
        {
        \tint r0;

        \tr0 = READ_ONCE(*x);
        \tif (r0)
        \t\tWRITE_ONCE(*y, 1);
        \telse
        \t\tWRITE_ONCE(*y, 1);
        \t*z = 1;
        }

        P1(int *x, int *y, int *z)
        {
        \tint r0;
        \tint r1;

        \tr0 = READ_ONCE(*y);
        \tsmp_mb();
        \tWRITE_ONCE(*x, 1);
        \tr1 = *z;
        }

        exists (0:r0=1 /\\ 1:r0=1)

        """
}
