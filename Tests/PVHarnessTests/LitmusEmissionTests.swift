import Foundation
import PVExperiments
import PVModel
import PVRuntime
import Testing

@Suite("validate --emit-litmus: files and read-back")
struct LitmusEmissionTests {
    static let checks = LitmusEmission.checksAndOmissions(strategies: StrategyKind.allCases, records: SharedRecordKind.allCases).checks

    @Test("every AArch64 and X86 file pvbench emits reads back to the direct check's verdicts")
    func readBack() throws {
        var rechecked = 0, aarch64 = 0
        for c in Self.checks {
            for f in LitmusEmission.files(c) {
                guard let text = f.text else {
                    #expect(f.flavour != .aarch64, "\(f.fileName) not written: \(f.notWritten ?? "")")
                    #expect(f.notWritten?.isEmpty == false)
                    continue
                }
                #expect(text.contains("(* pvbench validate: "), "\(f.fileName)")
                guard f.flavour != .lkmm else { continue }
                rechecked += 1
                if f.flavour == .aarch64 { aarch64 += 1 }
                #expect(LitmusEmission.recheck(text, as: f.flavour, of: c) == nil)
            }
        }
        // Every recordable strategy × record × question and the lost-update pair; each has its
        // AArch64 file (an X86 one may be refused, with its reason, e.g. for exclusives).
        // (Recordable code that calls C has no program: it is not modelled, and not emitted.)
        let questions = StrategyKind.allCases.flatMap { k in
            k.targets.compactMap { r in StrategyModel.recordable(k, r).flatMap { s in
                (try? StrategyModel.program(s, record: r, .torn)).map { _ in StrategyModel.questions(s).count } } }
        }.reduce(0, +)
        #expect(Self.checks.count == questions + PreemptClear.allCases.count)
        #expect(aarch64 == Self.checks.count)
        #expect(rechecked > aarch64, "some X86 files are re-checked too")
    }

    @Test("a changed verdict is caught: a file with its condition negated does not read back the same")
    func mismatchDetected() throws {
        let c = try #require(Self.checks.first { $0.name == "preempt-clear-plain+lost-update" })
        let text = try #require(LitmusEmission.files(c).first { $0.flavour == .aarch64 }?.text)
        let changed = text.replacingOccurrences(of: "[preempted]=0)", with: "[preempted]=7)")
        #expect(changed != text)
        #expect(LitmusEmission.recheck(changed, as: .aarch64, of: c) != nil)
    }

    @Test("files are written into a created directory; a path that is a file is refused")
    func writing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-emit-\(getpid())/sub").path
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        let files = Self.checks.prefix(2).flatMap(LitmusEmission.files)
        let written = try LitmusEmission.write(files, to: dir)
        #expect(written.count == files.filter { $0.text != nil }.count)
        let listed = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(Set(listed) == Set(written.map { ($0 as NSString).lastPathComponent }), "no temporary file left: \(listed)")
        #expect(throws: EmissionError.self) { try LitmusEmission.write(files, to: written[0]) }
    }
}
