import Foundation
import Testing
import PVModel
@testable import PVExperiments

/// `pvbench model`'s dispatch, text and JSON, called without the binary.
@Suite("model: request, outcomes and text in the library")
struct ModelSessionTests {
    func file(_ name: String) -> String { shippedLitmus.appendingPathComponent(name).path }

    func outcomes(_ r: ModelRequest) throws -> ([ModelOutcome], ModelSession.Summary) {
        var out: [ModelOutcome] = []
        let summary = try ModelSession.run(r) { out.append($0) }
        return (out, summary)
    }

    @Test("each test under each model, in order; herd7's text; an AArch64 test under x86-tso notes its mapping")
    func eachUnderEach() throws {
        var r = ModelRequest(files: [file("AArch64/MP.litmus"), file("AArch64/MP+dmb.sys.litmus")])
        r.models = [.armv8, .x86TSO]
        let (out, summary) = try outcomes(r)
        #expect(summary == ModelSession.Summary(total: 4, failed: 0) && summary.undecided == nil)
        #expect(out.compactMap { $0.answer.map { "\($0.test) \($0.model) \($0.observation)" } }
            == ["MP armv8 Sometimes", "MP x86-tso Never", "MP+dmb.sys armv8 Never", "MP+dmb.sys x86-tso Never"])
        #expect(out[0].text()?.hasPrefix("Test MP Allowed\nStates 4\n") == true)
        #expect(out[0].diagnostics(unrollOption: "--unroll").isEmpty)
        #expect(out[3].diagnostics(unrollOption: "--unroll") == ["note: MP+dmb.sys under x86-tso runs as x86: DMB (full) → MFENCE"])
    }

    @Test("a C test: lowered under lkmm (no program printed), mapped under armv8 with the mapped program before the answer")
    func cTest() throws {
        var r = ModelRequest(files: [file("C/MP+release+acquire.litmus")])
        r.models = [.lkmm, .armv8]
        let (out, _) = try outcomes(r)
        let texts = out.compactMap { $0.text() }
        #expect(texts.count == 2)
        #expect(texts[0].hasPrefix("Test MP+release+acquire "))
        #expect(texts[1].hasPrefix("AArch64 MP+release+acquire"))
        #expect(out[1].answer?.program?.hasPrefix("AArch64 ") == true)
        #expect(out[1].answer?.mapping.isEmpty == false, "the kernel mapping's notes replace the checker's")
    }

    @Test("what cannot be decided is a failed outcome with its reason, counted, never an answer")
    func undecided() throws {
        var r = ModelRequest(files: [file("X86/SB.litmus"), file("C/LB+ctrl+xchg.litmus")])
        r.models = [.armv8, .x86TSO]
        let (out, summary) = try outcomes(r)
        #expect(summary.total == 4)
        let failed = out.filter { $0.answer == nil }
        #expect(failed.count == summary.failed && summary.failed >= 2)
        #expect(summary.undecided == "\(summary.failed) of 4 checks not decided")
        let lines = failed.map { $0.diagnostics(unrollOption: "--unroll") }
        #expect(failed.allSatisfy { $0.text() == nil } && lines.allSatisfy { $0.count == 1 && $0[0].hasPrefix("error: ") })
        #expect(lines.contains { $0[0].contains("X86/SB.litmus: SB under armv8: not modelled") })
    }

    @Test("bad input: unreadable file, a non-C test with --compile, an unknown target; targets deduplicated in order")
    func badInput() throws {
        let (none, unread) = try outcomes(ModelRequest(files: ["/nonexistent.litmus"]))
        #expect(none.isEmpty && unread.inputErrors == [.unreadable(file: "/nonexistent.litmus")])
        var r = ModelRequest(files: [file("AArch64/MP.litmus")])
        r.compile = [CompileTarget.all[0]]
        #expect(throws: ModelInputError.compileNeedsC(file: file("AArch64/MP.litmus"))) { try ModelSession.compiled(r) { _ in } }
        #expect(throws: ModelInputError.unknownCompileTarget("gcc:z80")) { try ModelRequest.compileTargets(["gcc:z80"]) }
        let t = try ModelRequest.compileTargets(["gcc:x86-64", "all", "gcc:x86-64"])
        #expect(t.first?.description == "gcc:x86-64" && t.count == CompileTarget.all.count)
    }

    @Test("a bad file among several is an input error in its place; the files around it are still answered, as herd7 does")
    func badFileAmongSeveral() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-model-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.litmus").path
        try "AArch64 bad\n{ 0:X0=x; }\n P0 ;\n FROB X0 ;\nexists (0:X0=0)\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let (out, summary) = try outcomes(ModelRequest(files: [file("AArch64/MP.litmus"), bad, "/nonexistent.litmus", file("X86/SB.litmus")]))
        #expect(out.compactMap { $0.answer?.test } == ["MP", "SB"])
        #expect(summary.total == 2 && summary.failed == 0)
        #expect(summary.inputErrors.count == 2)
        #expect(summary.inputErrors.first?.description.hasPrefix("\(bad):4: ") == true)
        #expect(summary.inputErrors.last == .unreadable(file: "/nonexistent.litmus"))
    }

    @Test("--compile: the test's header, then a line for the target (or why it cannot run here)")
    func compiled() throws {
        var r = ModelRequest(files: [file("C/MP+release+acquire.litmus")])
        let target = try #require(CompileTarget("gcc:x86-64"))
        r.compile = [target]
        var lines: [String] = []
        let report = try ModelSession.compiled(r) { lines.append($0) }
        let undecided = report.undecided
        #expect(report.findings.isEmpty, "MP+release+acquire compiled for x86-64 allows nothing LKMM forbids")
        if CompileRunner.present(target) {
            #expect(lines.contains("Test MP+release+acquire (\(file("C/MP+release+acquire.litmus")))"))
            #expect(lines.last?.hasPrefix("  gcc:x86-64       ") == true)
            #expect(undecided == (lines.last?.contains(" refused: ") == true ? 1 : 0))
        } else {
            #expect(lines.first?.hasPrefix("gcc:x86-64: absent") == true)
            #expect(undecided == 0)
        }
        let refused = ModelSession.compiledLines(.refused("why"), target: target, source: nil, names: [])
        #expect(refused == ["  gcc:x86-64       refused: why"])
    }

    @Test("--json: herd7's answer as fields, key-sorted")
    func json() throws {
        var r = ModelRequest(files: [file("AArch64/MP.litmus")])
        r.models = [.sc]
        let (out, _) = try outcomes(r)
        let text = try HerdAnswer.json(out.compactMap(\.answer))
        #expect(text.contains("\"model\" : \"sc\""))
        #expect(text.contains("\"observation\" : \"Never\""))
        #expect(!text.contains("unrollingLimit"), "set only when the bound cut an execution")
    }
}
