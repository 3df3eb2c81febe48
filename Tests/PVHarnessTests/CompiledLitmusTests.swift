import Foundation
import PVExperiments
import PVModel
import Testing

/// Classic C shapes compiled by the real compilers with the kernel's
/// primitives, lifted back from the object code and checked: each
/// target's verdict as recorded when the suite was written (Debian gcc
/// 12.2, aarch64-linux-gnu-gcc 12.2, the Swift toolchain's clang 21), and
/// the answer pvbench gives for each lifted file equal to herd7 7.57's on
/// the same file (Fixtures/compiled/herd7.txt). A target whose compiler is
/// not installed is disabled, with its reason.
@Suite("C tests compiled, lifted and checked")
struct CompiledLitmusTests {
    /// Per test: the expected answer for arm64 armv8-a, arm64 armv8.1-a and
    /// x86-64 — "Allowed"/"Forbidden" (the condition under the target's
    /// model), or "refused: <text the refusal contains>".
    static let expected: [String: (v80: String, v81: String, x86: String)] = [
        "MP+once": ("Allowed", "Allowed", "Forbidden"),
        "MP+wmb+rmb": ("Forbidden", "Forbidden", "Forbidden"),
        "MP+release+acquire": ("Forbidden", "Forbidden", "Forbidden"),
        "SB+once": ("Allowed", "Allowed", "Allowed"),
        "SB+mb": ("Forbidden", "Forbidden", "Forbidden"),
        "LB+once": ("Allowed", "Allowed", "Forbidden"),
        "LB+ctrl": ("Forbidden", "Forbidden", "Forbidden"),
        "LB+ctrl-samestore": ("Allowed", "Allowed", "Forbidden"),
        "seqlock-reader": ("Allowed", "Allowed", "Forbidden"),
        "seqlock-reader+rmb": ("Forbidden", "Forbidden", "Forbidden"),
        // armv8-a: the LL/SC loops, lifted with their backward branches and unrolled.
        "SB+xchg": ("Forbidden", "Forbidden", "Forbidden"),
        "SB+cmpxchg": ("Forbidden", "Forbidden", "refused: 'xor"),
    ]

    /// Only this test's compiled code allows a state LKMM forbids (on arm64: every compiler hoists the store out of the `if`).
    static let findings: Set<String> = ["LB+ctrl-samestore"]

    static let fixtures = Tool.packageRoot.appendingPathComponent("Tests/PVHarnessTests/Fixtures/compiled")

    static let herd7 = Herd7Fixture(fixtures.appendingPathComponent("herd7.txt")).observations

    static func load(_ name: String) throws -> CLitmusTest {
        try CLitmusParser.parse(String(contentsOf: fixtures.appendingPathComponent("\(name).litmus"), encoding: .utf8))
    }

    func check(_ target: CompileTarget) throws {
        var decided = 0
        for (name, e) in Self.expected.sorted(by: { $0.key < $1.key }) {
            let want = target.arch == .armv8 ? e.v80 : target.arch == .armv81 ? e.v81 : e.x86
            let test = try Self.load(name)
            // The source side: the C test under LKMM, which decides every one of these.
            let source = try CompiledComparison.lkmm(test)
            switch try CompiledComparison.check(test, target: target, source: source) {
            case let .refused(why):
                #expect(want.hasPrefix("refused: ") && why.contains(want.dropFirst(9)), "\(name) on \(target): refused: \(why); expected \(want)")
            case let .decided(d):
                decided += 1
                #expect((d.result.allowed ? "Allowed" : "Forbidden") == want, "\(name) on \(target)")
                #expect(d.extra.isEmpty != (target.arch.isArm64 && Self.findings.contains(name)), "\(name) on \(target): states beyond LKMM's: \(d.extra)")
                // A finding comes with the compiled program's execution reaching it: both loads read the other thread's store.
                if !d.extra.isEmpty {
                    #expect(d.witness.filter { $0.contains(": R ") && $0.contains(" rf P") }.count == 2, "\(name) on \(target): \(d.witness)")
                }
                let lifted = d.compiled.lifted.text.split(separator: "\n")[0].split(separator: " ")[1]
                let mine = HerdReport.render(d.result).split(separator: "\n").first { $0.hasPrefix("Observation ") }.map(String.init)
                #expect(mine == Self.herd7[String(lifted)], "\(lifted): pvbench \(mine ?? "-") vs herd7 \(Self.herd7[String(lifted)] ?? "not recorded")")
            }
        }
        #expect(decided >= Self.expected.count - (target.arch.isArm64 ? 0 : 2), "\(target): only \(decided) of \(Self.expected.count) decided")
    }

    @Test("gcc for arm64 (LL/SC and LSE)",
          .enabled(if: CompileRunner.present(CompileTarget("gcc:armv8-a")!),
                   "aarch64-linux-gnu-gcc/objdump not installed (Debian gcc-aarch64-linux-gnu, binutils-aarch64-linux-gnu; scripts/lib/setup.sh installs them where apt can)"))
    func gccArm64() throws {
        try check(CompileTarget("gcc:armv8-a")!)
        try check(CompileTarget("gcc:armv8.1-a")!)
    }

    @Test("clang for arm64 (LL/SC and LSE)",
          .enabled(if: CompileRunner.present(CompileTarget("clang:armv8-a")!), "clang (on PATH or /opt/swift/usr/bin) or an aarch64 objdump not installed"))
    func clangArm64() throws {
        try check(CompileTarget("clang:armv8-a")!)
        try check(CompileTarget("clang:armv8.1-a")!)
    }

    @Test("gcc and clang for x86-64",
          .enabled(if: CompileRunner.present(CompileTarget("gcc:x86-64")!) && CompileRunner.present(CompileTarget("clang:x86-64")!),
                   "gcc, clang or objdump for x86-64 not installed"))
    func x86() throws {
        try check(CompileTarget("gcc:x86-64")!)
        try check(CompileTarget("clang:x86-64")!)
    }

    @Test("every fixture has an expectation")
    func fixturesCovered() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path).filter { $0.hasSuffix(".litmus") }
        #expect(Set(files.map { String($0.dropLast(7)) }) == Set(Self.expected.keys))
    }
}
