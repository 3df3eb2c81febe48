import Foundation
@testable import PVExperiments
import PVModel
import PVRuntime
import Testing

/// The project's own C kernels (Sources/CPVReference) compiled with the
/// package's flags, lifted and checked beside the recorded programs
/// (`validate --model compiled`'s "C kernel compiled" column). herd7 7.57's
/// answers for every lifted file are in Fixtures/compiled/kernels-herd7.txt.
@Suite("The CPVReference kernels compiled, lifted and checked")
struct CKernelModelTests {
    static let gccArm = CompileTarget(compiler: .gcc, arch: .armv8)
    static let targets = CompileTarget.all.filter(CompileRunner.present)
    static let noGcc: Comment = "aarch64-linux-gnu-gcc/objdump not installed (Debian gcc-aarch64-linux-gnu, binutils-aarch64-linux-gnu)"

    static let fixture = Herd7Fixture(CompiledLitmusTests.fixtures.appendingPathComponent("kernels-herd7.txt"))
    static let herd7 = fixture.observations

    /// Lifted files herd7 gave no answer for here (the fixture's `unfinished` lines): pvbench's verdict stands alone.
    static let unfinished = fixture.names(after: "unfinished")

    /// Strategy × record with a C writer or reader.
    static let pairs: [(StrategyKind, SharedRecordKind)] = StrategyKind.allCases.flatMap { k in
        SharedRecordKind.allCases.filter { k.applies(to: $0) && (CKernel.pair(k, $0).writer != nil || CKernel.pair(k, $0).reader != nil) }.map { (k, $0) }
    }

    @Test("the kernel table names every kernel pv_reference.h declares, or says why it is left out")
    func everyKernel() throws {
        let header = try String(contentsOf: CompiledKernelModel.sourceDirectory.appendingPathComponent("include/pv_reference.h"), encoding: .utf8)
        let declared = Set(header.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }).map(String.init).filter { $0.hasPrefix("pvref_") && $0 != "pvref_steal_reader" })
        #expect(declared == Set(CKernel.allCases.map(\.rawValue)).union(CKernel.leftOut.keys), "\(declared.sorted())")
        #expect(Self.pairs.count == 7, "\(Self.pairs)")
    }

    @Test("the kernels are compiled with Package.swift's cSettings for CPVReference")
    func packageFlags() throws {
        let package = try String(contentsOf: Tool.packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let start = try #require(package.range(of: "name: \"CPVReference\""))
        // The target's declaration: up to the blank line after it.
        let rest = String(package[start.upperBound...])
        let target = String(rest[..<(rest.range(of: "\n\n")?.lowerBound ?? rest.endIndex)])
        let settings = try #require(target.range(of: "cSettings: [")).upperBound
        let line = target[settings...].prefix { $0 != "\n" }
        var flags: [String] = []
        for m in line.matches(of: /\.define\("([^"]+)"\)/) { flags.append("-D\(m.1)") }
        for m in line.matches(of: /\.unsafeFlags\(\[([^\]]*)\]\)/) {
            flags += m.1.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        #expect(!flags.isEmpty, "no cSettings read from: \(target)")
        #expect(Set(flags) == Set(CompiledKernelModel.packageFlags), "Package.swift: \(flags), the model compiles with \(CompiledKernelModel.packageFlags)")
    }

    @Test("gcc armv8-a: every strategy with a C kernel gets the recorded program's verdict; what is not asked says why; herd7 agrees",
          .enabled(if: CompileRunner.present(CKernelModelTests.gccArm), noGcc))
    func gccArmv8() throws {
        for (kind, record) in Self.pairs {
            let vs = CompiledKernelModel.check(kind, record, targets: [Self.gccArm])
            #expect(!vs.isEmpty)
            for v in vs {
                #expect(!v.differs, "\(kind)/\(record) \(v.question): \(v.verdict) vs recorded \(v.recorded)")
                let poll = record == .preempted && CKernel.pair(kind, record).reader != nil
                let unaskable = v.question == .inconsistent || v.question == .torn && poll
                guard !unaskable else {
                    #expect(v.verdict == .notModelled && v.reason != nil, "\(kind)/\(record) \(v.question)")
                    continue
                }
                #expect(v.verdict == .forbidden, "\(kind)/\(record) \(v.question): \(v.verdict) \(v.reason ?? "")")
                let lifted = try #require(v.witness)
                // The kernel's own instructions: LDAR where it has smp_load_acquire, DMB ISHLD for smp_rmb, STLR for release/seq_cst stores.
                let reader = CKernel.pair(kind, record).reader, writer = CKernel.pair(kind, record).writer
                if reader == .stealReadSeqlock { #expect(lifted.contains("DMB ISHLD") && lifted.contains("LDAR"), "\(lifted)") }
                if reader == .stealReadAcquire || reader == .preemptPollAcquire { #expect(lifted.contains("LDAR"), "\(lifted)") }
                if writer == .stealUpdateRelease || writer == .preemptedWriteRelease || writer == .stealUpdateSeqCst { #expect(lifted.contains("STLR"), "\(lifted)") }
                try expectHerd7(lifted)
            }
        }
    }

    /// pvbench's Observation line for `lifted` is herd7's recorded one.
    func expectHerd7(_ lifted: String) throws {
        let name = String(lifted.split(separator: "\n")[0].split(separator: " ")[1])
        if Self.unfinished.contains(name) { return }
        let program = try LitmusParser.parse(lifted)
        let r = try ModelChecker.check(program, model: lifted.hasPrefix("AArch64") ? .armv8 : .x86TSO)
        let mine = HerdReport.render(r).split(separator: "\n").first { $0.hasPrefix("Observation ") }.map(String.init)
        #expect(mine == Self.herd7[name], "\(name): pvbench \(mine ?? "-") vs herd7 \(Self.herd7[name] ?? "not recorded")")
    }

    @Test("every installed target: no kernel differs from its recorded program; every decided lifted file is herd7's answer",
          .enabled(if: !CKernelModelTests.targets.isEmpty, "no compiler and disassembler installed for any target (docs/compiled.md)"))
    func everyTarget() throws {
        for (kind, record) in Self.pairs {
            for v in CompiledKernelModel.check(kind, record, targets: Self.targets) {
                #expect(!v.differs, "\(kind)/\(record) \(v.question) on \(v.target): \(v.verdict) vs recorded \(v.recorded)")
                if v.verdict != .notModelled { try expectHerd7(try #require(v.witness)) } else { #expect(v.reason != nil) }
            }
        }
    }

    /// reference.c with the relaxed steal update storing the value as two
    /// 32-bit halves (as a 32-bit host would): its readers can see a tear.
    static func brokenKernels() throws -> URL {
        let dir = try Tool.temporaryDirectory()
        let source = CompiledKernelModel.sourceDirectory
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("include"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source.appendingPathComponent("include/pv_reference.h"), to: dir.appendingPathComponent("include/pv_reference.h"))
        let real = try String(contentsOf: source.appendingPathComponent("reference.c"), encoding: .utf8)
        let whole = """
            uint64_t pvref_steal_update_relaxed(uint64_t *stolen, uint64_t delta) {
                uint64_t steal = READ_ONCE(*stolen) + delta;
                WRITE_ONCE(*stolen, steal);
                return steal;
            }
            """
        let halves = """
            uint64_t pvref_steal_update_relaxed(uint64_t *stolen, uint64_t delta) {
                uint64_t steal = READ_ONCE(*stolen) + delta;
                uint32_t *half = (uint32_t *)stolen;
                WRITE_ONCE(half[0], (uint32_t)steal);
                WRITE_ONCE(half[1], (uint32_t)(steal >> 32));
                return steal;
            }
            """
        #expect(real.contains(whole), "reference.c's relaxed steal update is no longer the one this test breaks")
        try real.replacingOccurrences(of: whole, with: halves).write(to: dir.appendingPathComponent("reference.c"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test("a kernel that differs from its recorded program fails validate, said plainly",
          .enabled(if: CompileRunner.present(CKernelModelTests.gccArm), noGcc))
    func differenceFails() throws {
        let broken = try Self.brokenKernels()
        defer { try? FileManager.default.removeItem(at: broken) }
        let vs = CompiledKernelModel.check(.relaxed, .stolenTime, targets: [Self.gccArm], kernels: broken)
        let torn = try #require(vs.first { $0.question == .torn })
        #expect(torn.verdict == .allowed && torn.recorded == .forbidden, "\(torn.verdict) \(torn.reason ?? "")")
        #expect(torn.differs)
        let report = ValidateReport(race: nil, models: StrategyModel.check(.relaxed, .stolenTime), machine: .current, lostUpdates: [], kernels: vs)
        let exit = ValidateExit(report, strict: false)
        #expect(exit.status == 1)
        guard case let .fail(why) = exit.outcome else { Issue.record("not a failure: \(exit.outcome)"); return }
        #expect(why.contains("the C kernel as compiled differs from the recorded program: relaxed/stolen-time torn compiled by gcc:armv8-a allowed under armv8"), "\(why)")
        let text = ValidateText.render(report, models: [.armv8], other: nil, explain: nil)
        #expect(text.contains("the C kernel as compiled differs from the recorded program: relaxed/stolen-time torn, gcc:armv8-a"), "\(text)")
    }

    @Test("a synthetic pair: a kernel stronger than its recorded program differs too; not modelled on either side does not")
    func differsBothWays() {
        var v = CompiledStrategyVerdict(strategy: .relaxed, record: .stolenTime, question: .torn, target: "gcc:armv8-a", model: .armv8,
                                        verdict: .forbidden, recorded: .allowed)
        #expect(!v.differs, "the recorded program's C: stronger is normal")
        v.kernel = "writer pvref_steal_update_relaxed, reader pvref_steal_read_relaxed"
        #expect(v.differs)
        v.verdict = .notModelled
        #expect(!v.differs)
    }
}
