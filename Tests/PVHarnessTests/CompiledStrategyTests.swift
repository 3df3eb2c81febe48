import Foundation
import PVExperiments
import PVModel
import PVRuntime
import Testing

/// The project's own seqlock reader as the compilers ship it: the recorded
/// `seqlock` and `seqlock-nofence` programs, written as LKMM C, compiled
/// for every installed target, lifted and checked — the column `validate
/// --model compiled` prints. Without its barrier the reader can accept a
/// value older than the sequence it read (stolen-time) or a torn record on
/// every arm64 target and on no x86-64 one; with it, on none. For the
/// `inconsistent` question each lifted program's answer is herd7 7.57's on
/// the same file (Fixtures/compiled/strategies-herd7.txt); the torn ones
/// are checked for their verdict only (herd7 did not finish the arm64 ones
/// in 200 s on the busy 2-core machine the fixtures were recorded on).
@Suite("The seqlock reader compiled, lifted and checked")
struct CompiledStrategyTests {
    static let herd7 = Herd7Fixture(CompiledLitmusTests.fixtures.appendingPathComponent("strategies-herd7.txt")).observations

    static let targets = CompileTarget.all.filter(CompileRunner.present)

    /// Compiles `kind`'s program for `question` on `record` for every target: the decided ones.
    func compiled(_ kind: StrategyKind, _ record: SharedRecordKind, _ question: ModelQuestion) throws -> [(CompileTarget, CompiledComparison.Decided)] {
        let s = try #require(StrategyModel.recordable(kind, record))
        let c = try StrategyModel.lkmm(try StrategyModel.program(s, record: record, question)).test
        return try Self.targets.compactMap { target in
            switch try CompiledComparison.check(c, target: target, source: nil) {
            case let .decided(d): return (target, d)
            case let .refused(why):
                // The x86-64 reader of the record takes arguments on the stack and saves registers with push: refused, said.
                #expect(!target.arch.isArm64, "\(kind)/\(record) \(question) on \(target): \(why)")
                return nil
            }
        }
    }

    @Test("stolen-time: an inconsistent value allowed on every arm64 target without smp_rmb, forbidden on x86-64 and with it; no tear; herd7 agrees",
          .enabled(if: !CompiledStrategyTests.targets.isEmpty, "no compiler and disassembler installed for any target (docs/compiled.md)"))
    func stolenTime() throws {
        for (kind, unsafe) in [(StrategyKind.seqlockNoFence, true), (.seqlock, false)] {
            for q in [ModelQuestion.torn, .inconsistent] {
                let decided = try compiled(kind, .stolenTime, q)
                #expect(decided.filter { $0.0.arch.isArm64 }.count == Self.targets.filter(\.arch.isArm64).count, "\(kind) \(q): \(decided.map(\.0))")
                for (target, d) in decided {
                    // A 64-bit field cannot tear; the barrier-less reader can return data older than its sequence on arm64.
                    #expect(d.result.allowed == (unsafe && q == .inconsistent && target.arch.isArm64), "\(kind) \(q) on \(target)")
                    guard q == .inconsistent else { continue }
                    let name = String(d.compiled.lifted.text.split(separator: "\n")[0].split(separator: " ")[1])
                    let mine = HerdReport.render(d.result).split(separator: "\n").first { $0.hasPrefix("Observation ") }.map(String.init)
                    #expect(mine == Self.herd7[name], "\(name): pvbench \(mine ?? "-") vs herd7 \(Self.herd7[name] ?? "not recorded")")
                }
            }
        }
    }

    @Test("record: torn allowed on every arm64 target without smp_rmb, forbidden on x86-64; forbidden everywhere with it",
          .enabled(if: !CompiledStrategyTests.targets.isEmpty, "no compiler and disassembler installed for any target (docs/compiled.md)"))
    func record() throws {
        for (kind, unsafe) in [(StrategyKind.seqlockNoFence, true), (.seqlock, false)] {
            let decided = try compiled(kind, .record, .torn)
            #expect(decided.filter { $0.0.arch.isArm64 }.count == Self.targets.filter(\.arch.isArm64).count)
            for (target, d) in decided { #expect(d.result.allowed == (unsafe && target.arch.isArm64), "\(kind) torn on \(target)") }
        }
    }
}
