import Foundation
import Testing
import PVHost
import PVRecords
import PVResults
import PVRuntime
@testable import PVExperiments

/// `run`'s and `compare`'s report, text and exit policy, called without the binary.
@Suite("run and compare: report, text and exit status in the library")
struct RunReportTests {
    /// A steal-clock case with one repetition of `ns` per read and the reader counts given.
    static func result(_ strategy: StrategyKind, ns: Double = 10, counts: ReaderCounts = ReaderCounts()) -> CaseResult {
        var settings = RunSettings(scenario: .stealClock, strategy: strategy)
        settings.repetitions = 1
        let e = BenchmarkEntry(name: settings.name, iterations: 1, realTime: ns, cpuTime: ns, counters: ["reads_per_second": 1e9 / ns])
        return CaseResult(settings: settings, entries: [e],
                          placement: Placement(writerCPUs: [0], readerCPUs: [1], relation: "x", memoryPolicy: "x",
                                               memoryNodes: [0], sharesCPUs: false, distance: 10, notes: []),
                          threads: [], pages: nil, warnings: [], violations: counts,
                          firstViolation: counts.violations > 0 ? "torn 0x01" : nil, interrupted: false)
    }

    static let host = Result { RunHost(topology: try TopologyFixtures.load("one-node-2cpu"), clock: try CycleClock.calibrate()) }

    static func report(_ results: [CaseResult], request: RunRequest? = nil, signal: InterruptSignal? = nil) throws -> RunReport {
        var outcome = RunOutcome()
        outcome.results = results
        outcome.rounds = [[0]]
        return RunReport(request: request ?? RunRequest(cases: results.map(\.settings)), outcome: outcome, host: try host.get(),
                         overhead: HarnessOverhead(instrumentedNanosecondsPerOperation: 10, uninstrumentedNanosecondsPerOperation: 10),
                         idleFloor: nil, rule: DisturbanceRule(offCPUFraction: 0.01), signal: signal)
    }

    @Test("exit: 0 clean, 1 when a strategy that claims safety tore (with the case named), 130/143 after a signal")
    func exit() throws {
        let clean = RunExit(try Self.report([Self.result(.seqlock)]))
        #expect(clean.status == 0 && clean.messages.isEmpty)
        let torn = try Self.report([Self.result(.seqlock, counts: ReaderCounts(reads: 10, torn: 2))])
        let failed = RunExit(torn)
        #expect(failed.status == 1)
        #expect(failed.messages == ["steal-clock/seqlock/cacheline/vcpus:1/readers:1/writers:1: 2 torn and 0 backwards values "
                                    + "under a strategy that claims safety; first: torn 0x01"])
        // A strategy that makes no claim may tear: no failure.
        #expect(RunExit(try Self.report([Self.result(.splitHalves, counts: ReaderCounts(reads: 10, torn: 2))])).status == 0)
        let cut = RunExit(try Self.report([Self.result(.seqlock)], signal: .terminate))
        #expect(cut.status == 143 && cut.messages == ["interrupted by SIGTERM; partial results are marked \"interrupted\": true"])
        #expect(try Self.report([Self.result(.seqlock)], signal: .interrupt).resultFile().context.interrupted == true)
    }

    @Test("text: strategies side by side get the ratio table; a suite does not; the clock and rounds lines follow")
    func text() throws {
        let two = [Self.result(.relaxed, ns: 10), Self.result(.acquireRelease, ns: 20)]
        let report = try Self.report(two)
        let side = RunText(report, context: report.resultFile().context, wide: false, jsonPath: nil).standardOutput
        #expect(side.contains("time per operation, per round") && side.contains("acquire-release / relaxed"))
        #expect(side.contains("\nclock: ") && side.contains("\nrounds: 1 (seed 0, --disturbed retry); "))
        var suite = RunRequest(cases: two.map(\.settings))
        suite.suite = .smoke
        let inSuite = try Self.report(two, request: suite)
        #expect(!RunText(inSuite, context: inSuite.resultFile().context, wide: false, jsonPath: nil).standardOutput
            .contains("time per operation, per round"))
    }

    @Test("text: a run that lost repetitions says when the host shared their core, and what to do; a run that lost none does not")
    func coreSharedHint() throws {
        var lost = Self.result(.relaxed), kept = Self.result(.seqlock)
        lost.entries[0].counters["core_shared"] = 1
        lost.entries[0].excluded = true
        lost.budgetExhausted = true
        let report = try Self.report([lost, kept])
        let said = RunText(report, context: report.resultFile().context, wide: false, jsonPath: nil).standardError
        let line = said.first { $0.hasPrefix("warning: 1 of the 2 repetitions ran while the host shared their core") }
        #expect(line?.replacingOccurrences(of: "\n  ", with: " ").hasSuffix("or --disturbed keep counts them (with the host's spread in them)") == true,
                "\(said)")
        #expect(line?.split(separator: "\n").allSatisfy { $0.count <= RunFootnotes.width } == true)
        // The same core flags, no case short: nothing lost, nothing to explain.
        lost.budgetExhausted = false
        let whole = try Self.report([lost, kept])
        #expect(!RunText(whole, context: whole.resultFile().context, wide: false, jsonPath: nil).standardError
            .contains { $0.contains("shared their core") })
        // Short, but no core flagged: the off-CPU rule lost them, and the rounds line says so already.
        lost.budgetExhausted = true
        lost.entries[0].counters["core_shared"] = nil
        let offCPU = try Self.report([lost, kept])
        #expect(!RunText(offCPU, context: offCPU.resultFile().context, wide: false, jsonPath: nil).standardError
            .contains { $0.contains("shared their core") })
    }

    @Test("compare: same, slower (1), inconclusive only failing with the gate (2), no common case refused")
    func compare() throws {
        let old = try CompareFixtures.input(CompareFixtures.file(CompareFixtures.suite(2)), path: "old.json")
        let same = try CompareFixtures.input(CompareFixtures.file(CompareFixtures.suite(2, seed: 9)), path: "new.json")
        let slow = try CompareFixtures.input(CompareFixtures.file(CompareFixtures.suite(2), scale: 0.8), path: "slow.json")
        #expect(try CompareSession.compare(old: [old], new: [same], severalRuns: false).status == 0)
        let slower = try CompareSession.compare(old: [old], new: [slow], severalRuns: false, format: .json)
        #expect(slower.status == 1 && slower.output.contains("\"exit_status\" : 1") && slower.error == nil)

        let few = try CompareFixtures.input(CompareFixtures.file(CompareFixtures.suite(2, reps: 3)), path: "few.json")
        #expect(try CompareSession.compare(old: [few], new: [few], severalRuns: false).status == 0)
        let gated = try CompareSession.compare(old: [few], new: [few], severalRuns: false, failOnInconclusive: true)
        #expect(gated.status == 2 && gated.error == "--fail-on-inconclusive: 2 cases inconclusive (see the reasons above)")

        let other = try CompareFixtures.input(CompareFixtures.file([("steal-clock/other/cacheline/vcpus:1/readers:1/writers:1",
                                                                     CompareFixtures.values(1e9, seed: 3))]), path: "other.json")
        #expect(throws: CompareRefusal.self) { try CompareSession.compare(old: [old], new: [other], severalRuns: false) }

        // Several runs a side: --alpha sets each case's interval level, 1 − α.
        let runs = try CompareSession.compare(old: [old, same], new: [slow, slow], severalRuns: true, alpha: 0.2, format: .json)
        #expect(runs.output.contains("\"level\" : 0.8"), "\(runs.output.prefix(400))")
        let defaults = try CompareSession.compare(old: [old, same], new: [slow, slow], severalRuns: true, format: .json)
        #expect(defaults.output.contains("\"level\" : 0.95"))
    }
}
