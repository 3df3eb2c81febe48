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
}
