import Foundation
import Synchronization
import Testing
@testable import PVResults
@testable import PVExperiments
import PVHost
import PVRuntime
import PVTestSupport

/// The placement probe around each repetition: a repetition carries the
/// probe before it and the one after it, and one whose two probes fall in
/// different placements is in no class ("placement moved").
@Suite("placement probe around each repetition: before, after, moved")
struct PlacementProbeTests {
    static let fast = [44.0, 45, 46, 47, 48, 45, 44, 46]
    static let slow = [190.0, 200, 205, 210, 198, 202]

    @Test("A repetition is in its probe's class unless the probe after it is in another class or unclassified")
    func membershipFromBothProbes() {
        let classes = PlacementClasses(probes: Self.fast + Self.slow + [600])
        #expect(classes.classes.count == 2 && classes.unclassified == [600])
        #expect(classes.membership(before: 45, after: 47) == .placed(0))
        #expect(classes.membership(before: 45, after: 200) == .moved)
        #expect(classes.membership(before: 200, after: 45) == .moved)
        #expect(classes.membership(before: 200, after: 600) == .moved)
        // A stalled or missing probe after says nothing about the placement.
        #expect(classes.membership(before: 200, after: 416_095) == .placed(1))
        #expect(classes.membership(before: 200, after: nil) == .placed(1))
        // Before decides when it has no class of its own.
        #expect(classes.membership(before: 600, after: 45) == .unclassified)
        #expect(classes.membership(before: 416_095, after: 45) == .stalled)
        #expect(classes.membership(before: nil, after: 45) == nil)
        #expect(classes.classIndex(of: 45, after: 200) == nil && classes.classIndex(of: 45, after: 46) == 0)
        #expect(PlacementClasses.Membership.moved.label(in: classes) == "placement moved")
    }

    /// One run of `cases` × the probes' repetitions, each repetition with the
    /// probe before it and the next one after it (as RoundRunner writes them).
    static func file(_ cases: [String], probes: [Double], values: (Int) -> Double, runID: Int? = nil) -> ResultFile {
        var entries: [BenchmarkEntry] = []
        let reps = probes.count - 1
        for (c, name) in cases.enumerated() {
            for r in 0 ..< reps {
                // Case c of round r ran after r * cases.count + c probes; one probe per repetition.
                let k = (r * cases.count + c) % reps
                var e = BenchmarkEntry(name: name, repetitions: reps, repetitionIndex: r, iterations: 1000, realTime: 1,
                                       cpuTime: 1, scenario: "steal-clock", counters: ["reads_per_second": values(k)])
                e.placementProbeNanoseconds = probes[k]
                e.placementProbeAfterNanoseconds = probes[k + 1]
                e.runID = runID
                entries.append(e)
            }
        }
        var context = ResultsTests.sampleContext()
        context.figures = ["steal-clock": CompareFixtures.steal]
        return ResultFile(context: context, benchmarks: entries)
    }

    @Test("Probed around each repetition, every repetition's probe counts once; moved repetitions are counted apart")
    func summaryOfAFileProbedAroundEachRepetition() throws {
        // 12 probes around 11 repetitions of one case: fast, then slow; the
        // repetition between probe 5 (fast) and 6 (slow) saw the host move.
        let probes: [Double] = [44, 45, 46, 44, 45, 47, 200, 205, 198, 202, 201, 199]
        let file = Self.file([RunComparisonTests.name], probes: probes, values: { probes[$0] < 100 ? 2e9 : 1e9 })
        #expect(PlacementClasses.probeValues([file]).sorted() == Array(probes.dropLast()).sorted())
        #expect(PlacementClasses.probeWords([file]) == "c2c probe around each repetition")
        let summary = try #require(PlacementSummary(file))
        #expect(summary.classes.map(\.count) == [6, 5])
        #expect(summary.moved == 1)
        let row = try #require(summary.cases.first)
        #expect(row.repetitions == ["c2c≈45ns": 5, "c2c≈201ns": 5])
        #expect(row.medians == ["c2c≈45ns": 2e9, "c2c≈201ns": 1e9])
        let text = summary.render(wide: true)
        #expect(text.hasPrefix("placement classes (c2c probe around each repetition): c2c≈45ns 6 probes [44–47 ns], "
            + "c2c≈201ns 5 probes [198–205 ns], placement moved in 1 repetition"))
        // The JSON carries the count and the way it was probed, and reads back.
        let back = try JSONDecoder().decode(PlacementSummary.self, from: JSONEncoder().encode(summary))
        #expect(back == summary)
        let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        #expect(json.contains("\"moved_repetitions\":1") && json.contains("\"probe\":\"c2c probe around each repetition\""))
    }

    @Test("A file merged from runs probed once a round and runs probed around each repetition counts each its own way")
    func olderRunsKeepTheirRoundCount() throws {
        let name = RunComparisonTests.name
        let aroundEach = Self.file([name, "c2c/cpu:0->cpu:1"], probes: [44, 45, 46, 200, 201], values: { _ in 1e9 }, runID: 1)
        // Run 0 as older files have it: 2 cases × 2 rounds, a round's value on each case's repetition.
        var older: [BenchmarkEntry] = []
        for name in [name, "c2c/cpu:0->cpu:1"] {
            for (r, p) in [47.0, 47].enumerated() {
                var e = BenchmarkEntry(name: name, repetitions: 2, repetitionIndex: r, iterations: 1000, realTime: 1,
                                       cpuTime: 1, scenario: "steal-clock", counters: ["reads_per_second": 1e9])
                e.placementProbeNanoseconds = p
                e.runID = 0
                older.append(e)
            }
        }
        let file = ResultFile(context: aroundEach.context, benchmarks: older + aroundEach.benchmarks)
        // Run 0: 2 rounds of 47 ns (not 4 repetitions); run 1: 8 repetitions, one probe each.
        #expect(PlacementClasses.probeValues([file]).count == 2 + 8)
        #expect(PlacementClasses.probeWords([file]) == "c2c probe around each repetition; in older files before each round")
        #expect(PlacementClasses.probeWords([ResultFile(context: file.context, benchmarks: older)]) == "c2c probe before each round")
    }

    @Test("compare: a repetition the host moved under is its own group, never in either class's comparison")
    func movedInCompare() throws {
        let name = RunComparisonTests.name
        let probes: [Double] = [44, 45, 46, 44, 45, 47, 200, 205, 198, 202, 201, 199]
        let values: (Int) -> Double = { probes[$0] < 100 ? 2e9 : 1e9 }
        let old = try RunFixtures.input(Self.file([name], probes: probes, values: values), "old.json")
        let new = try RunFixtures.input(Self.file([name], probes: probes, values: values), "new.json")
        let c = try RunComparison(old: [old], new: [new])
        #expect(c.placementProbe == "c2c probe around each repetition")
        let k = try #require(c.cases.first)
        #expect(k.classes.map(\.placementClass).contains(PlacementClasses.movedLabel))
        let text = RunComparisonRendering.text(c)
        #expect(text.contains("placement classes (c2c probe around each repetition, one-way): "))
        // Every line but the file lists fits 120 columns; --wide leaves them whole.
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("OLD  ") && !$0.hasPrefix("NEW  ") }
        #expect(lines.allSatisfy { $0.count <= 120 }, "\(text)")
        #expect(RunComparisonRendering.text(c, wide: true).split(separator: "\n").contains { $0.count > 120 })
    }

    @Test("latency_p50_over_c2c divides by the probe before, unless the probe after is another placement")
    func latencyOverTheLineBefore() {
        #expect(RoundRunner.latencyOverProbe(55, before: 50, after: 48) == 1.1)
        #expect(RoundRunner.latencyOverProbe(55, before: 50, after: nil) == 1.1)
        // Moved: 50 ns before, 200 ns after; and the other way.
        #expect(RoundRunner.latencyOverProbe(55, before: 50, after: 200) == nil)
        #expect(RoundRunner.latencyOverProbe(180, before: 200, after: 45) == nil)
        // A stalled probe after says nothing; a stalled or missing one before gives no ratio.
        #expect(RoundRunner.latencyOverProbe(55, before: 50, after: 416_095) == 1.1)
        #expect(RoundRunner.latencyOverProbe(55, before: 416_095, after: 50) == nil)
        #expect(RoundRunner.latencyOverProbe(55, before: nil, after: 50) == nil)
    }

    /// Rounds of two short steal-clock cases (relaxed, seqlock; 3 repetitions
    /// of 10 ms, writer and reader on the first two CPUs), without probes.
    static func twoStealClockCases(policy: DisturbedPolicy) throws -> (RoundRunner, [RunSettings]) {
        var runner = ScenarioRunner(topology: try Topology.live(), clock: try CycleClock.calibrate(windows: 1))
        runner.disturbedPolicy = policy
        let cpus = try ProcessAffinity.allowedCPUs()
        func settings(_ strategy: StrategyKind) -> RunSettings {
            var s = RunSettings(scenario: .stealClock, duration: 0.01, warmup: 0, repetitions: 3, updateInterval: 1_000_000)
            s.strategy = .builtIn(strategy)
            s.placement.writerCPUs = [cpus[0]]
            s.placement.readerCPUs = [cpus[1]]
            return s
        }
        return (RoundRunner(runner: runner, seed: 7, policy: policy), [settings(.relaxed), settings(.seqlock)])
    }

    @Test("RoundRunner probes once before the first round and once after every repetition, and hands each on",
          .enabled(if: HostConditions.hasTwoCPUs, HostConditions.twoCPUsReason))
    func roundRunnerProbesAroundEachRepetition() throws {
        let (plain, cases) = try Self.twoStealClockCases(policy: .keep)
        var rounds = plain
        // A stand-in probe: 100, 101, 102 … in the order it is called.
        let calls = Mutex(0)
        rounds.placementProbe = { calls.withLock { n in defer { n += 1 }; return Double(100 + n) } }
        // And a stand-in core probe: 1000, 1001 … (taken first, each time the placement probe is).
        let coreCalls = Mutex(0)
        rounds.coreProbe = { coreCalls.withLock { n in defer { n += 1 }; return Double(1000 + n) } }
        let outcome = try rounds.run(cases)
        // 1 before the first round + 1 after each of 6 repetitions; rounds 2 and 3 start from the last one.
        #expect(outcome.probes == (0 ... 6).map { Double(100 + $0) })
        // In the order they ran, repetition k sits between probes k and k + 1.
        var byRun: [(Double, Double)] = [], coreByRun: [(Double?, Double?)] = []
        for (r, order) in outcome.rounds.enumerated() {
            for i in order {
                let e = try #require(outcome.results[i].iterations.first { $0.repetitionIndex == r })
                byRun.append((try #require(e.placementProbeNanoseconds), try #require(e.placementProbeAfterNanoseconds)))
                coreByRun.append((e.counters["core_probe_ns"], e.counters["core_probe_after_ns"]))
            }
        }
        #expect(byRun.map(\.0) == (0 ..< 6).map { Double(100 + $0) })
        #expect(byRun.map(\.1) == (1 ... 6).map { Double(100 + $0) })
        #expect(coreCalls.withLock { $0 } == 7)
        #expect(coreByRun.map(\.0) == (0 ..< 6).map { Double(1000 + $0) })
        #expect(coreByRun.map(\.1) == (1 ... 6).map { Double(1000 + $0) })
    }

    @Test("The core probe times its loop on each CPU it is given and reports the slowest; a CPU it cannot use gives nothing")
    func coreProbeOnRealCPUs() throws {
        let cpus = try ProcessAffinity.allowedCPUs()
        let one = try #require(CoreProbe.measure(cpus: [cpus[0]]))
        // A time per step, never 0 (no upper bound: a busy machine may slow the loop).
        #expect(one > 0 && one.isFinite, "ns per step \(one)")
        #expect(CoreProbe.measure(cpus: [100_000]) == nil)
        // A CPU it cannot use among ones it can: the others still count.
        #expect(CoreProbe.measure(cpus: [cpus[0], 100_000]) != nil)
    }

    @Test("A repetition beside a core probe above 1.15x the run's floor ran on a shared core")
    func coreSharedRule() {
        #expect(RoundRunner.coreShareLimit == 1.15)
        #expect(RoundRunner.coreShared(before: 0.27, after: 0.14, floor: 0.136))
        #expect(RoundRunner.coreShared(before: 0.14, after: 0.27, floor: 0.136))
        // A sibling busy part of the time: 1.3x.
        #expect(RoundRunner.coreShared(before: 0.136, after: 0.177, floor: 0.136))
        #expect(!RoundRunner.coreShared(before: 0.14, after: 0.15, floor: 0.136))
        // Exactly at the limit is not above it.
        #expect(!RoundRunner.coreShared(before: 1.15, after: nil, floor: 1))
        // No floor, or no value, says nothing.
        #expect(!RoundRunner.coreShared(before: 0.27, after: 0.27, floor: nil))
        #expect(!RoundRunner.coreShared(before: nil, after: nil, floor: 0.136))
    }

    @Test("RoundRunner flags repetitions on a shared core, judges the first ones again once the floor falls, and retries them",
          .enabled(if: HostConditions.hasTwoCPUs, HostConditions.twoCPUsReason),
          arguments: [DisturbedPolicy.keep, .retry])
    func roundRunnerJudgesTheCoreShare(policy: DisturbedPolicy) throws {
        let (plain, cases) = try Self.twoStealClockCases(policy: policy)
        var rounds = plain
        // The run starts on a shared core (2.0) and then has it to itself (1.0).
        let calls = Mutex(0)
        rounds.coreProbe = { calls.withLock { n in defer { n += 1 }; return n < 2 ? 2.0 : 1.0 } }
        let outcome = try rounds.run(cases)
        // The first repetition (2.0 on both sides, judged clean while 2.0 was the
        // floor) and the second (2.0 before) are flagged; the rest are not.
        let first = try #require(outcome.rounds.first)
        var flags: [Bool] = []
        for i in first {
            let e = try #require(outcome.results[i].iterations.first { $0.repetitionIndex == 0 })
            flags.append(e.counters["core_shared"] == 1)
        }
        #expect(flags == [true, true])
        let all = outcome.results.flatMap(\.iterations)
        let shared = all.filter { $0.counters["core_shared"] == 1 }
        #expect(shared.count == 2)
        for e in shared {
            if e.disturbance != nil { #expect(e.disturbance?.disturbed == true) }
            #expect(e.excluded == (policy == .keep ? nil : true))
        }
        if policy == .retry {
            // Each case got its third repetition that counts, unless the machine
            // disturbed more than the budget allows.
            for r in outcome.results where !r.budgetExhausted {
                #expect(r.iterations.filter { $0.excluded != true }.count == 3)
            }
        }
    }
}
