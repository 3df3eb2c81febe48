import Foundation
import Testing
import PVHost
import PVModel
import PVRuntime
@testable import PVExperiments

/// validate's report, exit policy and text, called as a library (no binary,
/// no race: the race results are made up, the model verdicts are real).
@Suite("Validate: report, exit policy and text")
struct ValidateReportTests {
    static let placement = Placement(writerCPUs: [0], readerCPUs: [1], relation: "farthest", memoryPolicy: "writer-node",
                                     memoryNodes: [0], sharesCPUs: false, distance: 10, notes: [])

    /// A race result for `strategy` on the stolen-time field with these counts.
    static func result(_ strategy: StrategyKind, _ counts: ReaderCounts, undecided: String? = nil) -> ValidationCaseResult {
        ValidationCaseResult(validationCase: ValidationCase(strategy: strategy, target: .stolenTime, mode: .stress),
                             claimsSafety: strategy.claimsSafety,
                             readers: [ReaderVerdict(counts: counts, firstViolation: nil, firstUndecided: undecided)],
                             writes: 9, elapsedNanoseconds: 1, timeToFirstViolationNanoseconds: nil, threads: [])
    }

    static func report(_ cases: [ValidationCaseResult], strategies: [StrategyKind]) -> ValidateReport {
        var request = ValidateRequest()
        request.strategies = strategies
        request.records = [.stolenTime]
        return ValidateReport(race: .init(placement: placement, budget: .duration(seconds: 1), clock: "test", cases: cases, warnings: []),
                              models: request.modelVerdicts, machine: ValidationMachine(hostName: "h", architecture: "x86_64"),
                              lostUpdates: [])
    }

    @Test("a clean race passes; a torn safe strategy fails (1); an unsafe one tearing is expected")
    func exitStatus() {
        let clean = Self.report([Self.result(.relaxed, ReaderCounts(reads: 9)), Self.result(.splitHalves, ReaderCounts(reads: 9, torn: 2))],
                                strategies: [.relaxed, .splitHalves])
        #expect(ValidateExit(clean, strict: false).outcome == .pass)
        // LKMM C has no mixed-size accesses: split-halves is not modelled under lkmm, which --strict does not pass.
        #expect(ValidateExit(clean, strict: true).outcome == .undecided(nil))
        #expect(ValidateExit(clean, strict: true).warnings == ["not modelled (no model verdict): split-halves/stolen-time"])
        let torn = Self.report([Self.result(.relaxed, ReaderCounts(reads: 9, torn: 1))], strategies: [.relaxed])
        let exit = ValidateExit(torn, strict: false)
        #expect(exit.status == 1)
        guard case let .fail(why) = exit.outcome else { Issue.record("\(exit)"); return }
        #expect(why.hasPrefix("a strategy that claims safety showed violations: relaxed/stolen-time/stress (violation)"))
        #expect(torn.failed.count == 1)
    }

    @Test("inconclusive is a warning, and exit 2 only when strict")
    func inconclusive() {
        let r = Self.report([Self.result(.relaxed, ReaderCounts(reads: 9, unexplained: 1), undecided: "value [..]")], strategies: [.relaxed])
        let lax = ValidateExit(r, strict: false), strict = ValidateExit(r, strict: true)
        #expect(lax.outcome == .pass && lax.warnings.count == 1)
        #expect(lax.warnings.first?.hasPrefix("1 case(s) inconclusive (see their reasons): relaxed/stolen-time/stress") == true)
        #expect(strict.outcome == .undecided("1 case(s) inconclusive") && strict.status == 2)
    }

    @Test("models only: not modelled is a warning, exit 2 when strict; nothing applicable is an error")
    func modelsOnly() throws {
        var request = ValidateRequest()
        request.strategies = [.ckSequence]
        let report = try ValidateReport.models(request)
        #expect(report.race == nil && !report.models.isEmpty)
        #expect(report.models.allSatisfy { $0.verdict == .notModelled })
        let exit = ValidateExit(report, strict: true)
        #expect(exit.warnings == ["not modelled (no model verdict): ck-sequence/record, ck-sequence/stolen-time"])
        #expect(exit.outcome == .undecided(nil))
        #expect(ValidateExit(report, strict: false).outcome == .pass)
        request.strategies = [.doubleWord]
        request.records = [.preempted]
        #expect(throws: ValidateError.self) { try ValidateReport.models(request) }
    }

    @Test("the JSON has the race's keys only with a race; verdicts and models keep their spellings")
    func json() throws {
        var request = ValidateRequest()
        request.strategies = [.seqlockNoFence]
        request.records = [.record]
        func keys(_ r: ValidateReport) throws -> [String: Any] {
            try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(r)) as? [String: Any])
        }
        let modelsOnly = try keys(try ValidateReport.models(request))
        #expect(Set(modelsOnly.keys) == ["models", "machine", "lostUpdates"])
        let first = try #require((modelsOnly["models"] as? [[String: Any]])?.first)
        #expect(first["strategy"] as? String == "seqlock-nofence" && first["record"] as? String == "record")
        #expect(first["model"] as? String == "armv8" && first["verdict"] as? String == "allowed")
        let race = try keys(Self.report([Self.result(.relaxed, ReaderCounts(reads: 9))], strategies: [.relaxed]))
        #expect(Set(race.keys) == ["placement", "budget", "clock", "cases", "models", "machine", "lostUpdates", "failed", "warnings"])
        #expect(race["budget"] as? String == "1.0 s per case")
    }

    @Test("the text: race table, model table with the hardware column, a witness for an allowed failure")
    func text() {
        let r = Self.report([Self.result(.splitHalves, ReaderCounts(reads: 9, torn: 2))], strategies: [.splitHalves])
        var text = ValidateText(models: StrategyModel.models, hardware: [HardwareColumn(title: "hardware here", results: r.race!.cases)],
                                explain: nil)
        let out = text.render(r)
        #expect(out.hasPrefix("writer on CPU 0, reader(s) on CPU 1 (farthest); memory on node 0; 1.0 s per case\n"))
        #expect(out.contains("split-halves/stolen-time/stress"))
        #expect(out.contains("strategy/record           can the reader see  ARMv8"))
        #expect(out.contains("allowed (torn as expected)"))
        #expect(out.contains("Sometimes"), "the hardware column: a tear was seen")
        #expect(out.contains("witness: split-halves/stolen-time torn, allowed under armv8:\nAArch64 split-halves+stolen-time+torn"))
        #expect(out.hasSuffix("\n"))
    }
}
