import Foundation
import Synchronization
import Testing
@testable import PVHost
@testable import PVExperiments
import PVResults
import PVRuntime
import PVABI
import PVRecords

@Suite("Disturbance accounting: procfs parsing and the rule")
struct DisturbanceParsingTests {
    @Test("status and sched fields, /proc/interrupts columns and /proc/stat steal")
    func parsing() {
        let status = "Name:\tx\nvoluntary_ctxt_switches:\t12\nnonvoluntary_ctxt_switches:\t3\n"
        #expect(DisturbanceSnapshot.field("voluntary_ctxt_switches", in: status) == 12)
        #expect(DisturbanceSnapshot.field("nonvoluntary_ctxt_switches", in: status) == 3)
        #expect(DisturbanceSnapshot.field("se.nr_migrations", in: "se.nr_migrations    :   7\n") == 7)
        #expect(DisturbanceSnapshot.field("absent", in: status) == nil)
        let interrupts = """
                       CPU0       CPU1
              24:          1          5  IO-APIC   5-edge      ACPI:Ged
             NMI:         10         20   Non-maskable interrupts
             ERR:          0
            """
        #expect(DisturbanceSnapshot.interrupts(cpus: [1], in: interrupts) == 25)
        #expect(DisturbanceSnapshot.interrupts(cpus: [0, 1], in: interrupts) == 36)
        #expect(DisturbanceSnapshot.interrupts(cpus: [3], in: interrupts) == nil)
        let stat = "cpu  1 2 3 4 5 6 7 8 0 0\ncpu0 1 1 1 1 1 1 1 40 0 0\ncpu1 1 1 1 1 1 1 1 2 0 0\nintr 5\n"
        #expect(DisturbanceSnapshot.steal(cpus: [0, 1], in: stat) == 42)
        // A kernel without the steal column: absent, never a made-up 0.
        #expect(DisturbanceSnapshot.steal(cpus: [0], in: "cpu0 1 2 3 4 5 6 7\n") == nil)
    }

    @Test("a window is disturbed when a thread was off its CPU for more than the fraction, not for a switch")
    func rule() {
        let rule = DisturbanceRule(offCPUFraction: 0.01)
        func snapshot(on: UInt64, delay: UInt64, involuntary: UInt64, at t: UInt64) -> DisturbanceSnapshot {
            DisturbanceSnapshot(threads: [7: .init(onCPU: on, runDelay: delay, voluntary: 0, involuntary: involuntary, migrations: 0)],
                                interrupts: 100, steal: 5, taken: t)
        }
        let start = snapshot(on: 0, delay: 0, involuntary: 0, at: 1_000_000_000)
        // 100 ms window, 0.5 ms off CPU, two switches: not disturbed.
        let quiet = start.disturbance(until: snapshot(on: 99_500_000, delay: 400_000, involuntary: 2, at: 1_100_000_000), rule: rule)
        #expect(!quiet.disturbed && quiet.offCPUNanoseconds == 500_000 && quiet.involuntarySwitches == 2)
        #expect(quiet.interrupts == 0 && quiet.stealTicks == 0 && quiet.migrations == 0)
        // 100 ms window, 30 ms off CPU: disturbed.
        let slow = start.disturbance(until: snapshot(on: 70_000_000, delay: 29_000_000, involuntary: 1, at: 1_100_000_000), rule: rule)
        #expect(slow.disturbed && slow.offCPUNanoseconds == 30_000_000 && slow.runDelayNanoseconds == 29_000_000)
    }

    @Test("the JSON keeps every field, and leaves out what the machine could not read")
    func json() throws {
        var e = BenchmarkEntry(name: "x", iterations: 1, realTime: 1, cpuTime: 1)
        e.disturbance = Disturbance(windowNanoseconds: 10, offCPUNanoseconds: 2, runDelayNanoseconds: 1, involuntarySwitches: 3,
                                    voluntarySwitches: 0, migrations: nil, interrupts: 4, stealTicks: nil, disturbed: true)
        e.excluded = true
        let text = String(decoding: try JSONEncoder().encode(e), as: UTF8.self)
        #expect(text.contains("\"disturbed\":true") && text.contains("\"off_cpu_ns\":2") && text.contains("\"run_delay_ns\":1"))
        #expect(!text.contains("steal_ticks") && !text.contains("migrations"))
        let back = try JSONDecoder().decode(BenchmarkEntry.self, from: Data(text.utf8))
        #expect(back.disturbance == e.disturbance && back.excluded == true && back.counters.isEmpty)
    }
}

/// A one-repetition part as the round runner leaves it: one entry of `ns`
/// per operation, disturbed or not, with the part's own aggregate warning
/// (``BenchmarkEntry/aggregates(of:largeSpreadThreshold:)``) and `warnings`.
func onePart(_ ns: Double, disturbed: Bool, runName: String = "c", flagged: Bool = false,
             warnings: [RunWarning] = []) -> CaseResult {
    var e = BenchmarkEntry(name: "c", runName: runName, iterations: 1, realTime: ns, cpuTime: ns,
                           counters: ["reads_per_second": 1e9 / ns])
    e.disturbance = Disturbance(windowNanoseconds: 100, offCPUNanoseconds: disturbed ? 50 : 0, runDelayNanoseconds: 0,
                                involuntarySwitches: 0, voluntarySwitches: 0, migrations: 0, interrupts: 0,
                                stealTicks: 0, disturbed: disturbed)
    if flagged { e.excluded = disturbed ? true : nil }
    let own = flagged ? BenchmarkEntry.aggregates(of: [e]).warnings : []
    return CaseResult(settings: RunSettings(scenario: .stealClock), entries: [e],
                      placement: Placement(writerCPUs: [0], readerCPUs: [1], relation: "x", memoryPolicy: "x",
                                           memoryNodes: [0], sharesCPUs: false, distance: 10, notes: []),
                      threads: [], pages: nil, warnings: own + warnings, violations: ReaderCounts(), firstViolation: nil,
                      interrupted: false)
}

@Suite("Interleaved rounds", .serialized)
struct RoundTests {
    @Test("round order is a permutation, reproducible from its seed, and differs between seeds")
    func order() {
        for round in 0 ..< 20 {
            let a = RoundRunner.order(round: round, count: 27, seed: 42)
            #expect(a.sorted() == Array(0 ..< 27))
            #expect(a == RoundRunner.order(round: round, count: 27, seed: 42))
        }
        let rounds = (0 ..< 9).map { RoundRunner.order(round: $0, count: 27, seed: 42) }
        #expect(Set(rounds.map { $0.description }).count == 9, "rounds are shuffled anew")
        #expect(rounds != (0 ..< 9).map { RoundRunner.order(round: $0, count: 27, seed: 43) })
        #expect(RoundRunner.order(round: 0, count: 1, seed: 1) == [0])
    }

    @Test("merging: disturbed repetitions stay in the JSON, flagged, and out of the aggregates; CIs from 6 up")
    func merge() throws {
        var settings = RunSettings(scenario: .stealClock)
        settings.repetitions = 7
        let parts = [1.0, 2, 100, 3, 4, 5, 6, 7].enumerated().map { i, ns in onePart(ns, disturbed: i == 2) }
        let r = RoundRunner.merge(parts, settings, policy: .retry)
        #expect(r.iterations.count == 8 && r.iterations.filter { $0.excluded == true }.count == 1)
        #expect(r.disturbedRepetitions == 1 && r.retries == 1 && !r.budgetExhausted)
        let median = try #require(r.entries.first { $0.aggregateName == "median" })
        #expect(median.realTime == 4 && median.repetitions == 7)  // 1 … 7 without the disturbed 100
        let low = try #require(r.entries.first { $0.aggregateName == "ci_low" })
        let high = try #require(r.entries.first { $0.aggregateName == "ci_high" })
        #expect(low.realTime == 1 && high.realTime == 7)  // n = 7: [x(1), x(7)], 98.4 %
        let kept = RoundRunner.merge(parts, settings, policy: .keep)
        #expect(try #require(kept.entries.first { $0.aggregateName == "median" }).realTime == 4.5)
        #expect(kept.iterations.allSatisfy { $0.excluded == nil })
        let few = RoundRunner.merge(Array(parts.prefix(4)), settings, policy: .drop)
        #expect(few.budgetExhausted && !few.entries.contains { $0.aggregateName == "ci_low" })
    }

    @Test("one repetition that counts: the table shows its figure, marked, not 'all disturbed'")
    func loneRepetition() throws {
        var settings = RunSettings(scenario: .stealClock)
        settings.repetitions = 3
        func part(_ ns: Double, _ disturbed: Bool) -> CaseResult { onePart(ns, disturbed: disturbed, runName: "steal-clock/relaxed") }
        let one = RoundRunner.merge([part(1, true), part(2, false), part(3, true)], settings, policy: .retry)
        #expect(!one.entries.contains { $0.runType == .aggregate }, "one value: no median, interval or spread in the JSON")
        #expect(try #require(one.median).realTime == 2 && one.lone?.realTime == 2)
        let table = RunSummaryTable.render([one])
        #expect(table.contains("500.0M reads/s") && !table.contains("all disturbed"))
        #expect(RunSummaryTable.marks(one, cv: nil) == [.short, .lone])
        #expect(RunSummaryTable.legend([one])?.contains("1 one undisturbed repetition: its figure, no median or spread") == true)
        let none = RoundRunner.merge([part(1, true), part(3, true)], settings, policy: .retry)
        #expect(none.median == nil && RunSummaryTable.render([none]).contains("all disturbed"))
        let two = RoundRunner.merge([part(1, false), part(3, false)], settings, policy: .retry)
        #expect(two.median?.aggregateName == "median" && !RunSummaryTable.marks(two, cv: nil).contains(.lone))
    }

    @Test("merging: a retried repetition's own all-disturbed warning does not reach a case whose other repetitions count")
    func mergeWarnings() {
        var settings = RunSettings(scenario: .stealClock)
        settings.repetitions = 3
        func noted(_ ns: Double, _ disturbed: Bool) -> CaseResult {
            onePart(ns, disturbed: disturbed, flagged: true, warnings: [RunWarning(.runCase, "a note")])
        }
        let disturbed = noted(9, true)
        #expect(disturbed.warnings.contains { $0.category == .allDisturbed }, "the part alone has nothing that counts")
        let merged = RoundRunner.merge([noted(1, false), disturbed, noted(2, false), noted(3, false)],
                                       settings, policy: .retry)
        #expect(!merged.warnings.contains { $0.category == .allDisturbed })
        #expect(merged.warnings.filter { $0.text == "a note" }.count == 1, "a case's note once, not once a repetition")
        let lost = RoundRunner.merge([disturbed, disturbed, disturbed], settings, policy: .retry)
        #expect(lost.warnings.filter { $0.category == .allDisturbed }.count == 1, "every repetition disturbed: said once")
        let kept = RoundRunner.merge([noted(1, false), disturbed], settings, policy: .keep)
        #expect(!kept.warnings.contains { $0.category == .allDisturbed })
    }

    @Test("a run's retry budget is half its planned repetitions, rounded up: one repetition gets one retry")
    func retryBudget() {
        #expect(RoundRunner.retryBudget(planned: 0) == 0)
        #expect(RoundRunner.retryBudget(planned: 1) == 1)
        #expect(RoundRunner.retryBudget(planned: 4) == 2)
        #expect(RoundRunner.retryBudget(planned: 28) == 14, "scripts/bench's runs: 28 cases of one repetition")
        #expect(RoundRunner.retryBudget(planned: 252) == 126, "the default suite's 28 cases of 9")
    }

    @Test("a retry round runs the short cases with the fewest repetitions that count, while they have attempts left")
    func retryRoundFewestFirst() {
        func round(_ counted: [Int], _ attempts: [Int], _ repetitions: [Int] = [3, 3, 3, 3, 3], round r: Int = 4) -> [Int] {
            RoundRunner.retryRound(r, seed: 7, counted: counted, attempts: attempts, repetitions: repetitions)
        }
        #expect(round([0, 1, 3, 2, 0], [3, 3, 3, 3, 3]).sorted() == [0, 4], "none counted: they go first")
        #expect(round([1, 1, 3, 2, 1], [4, 4, 3, 4, 4]).sorted() == [0, 1, 4])
        // In the round's own shuffled order, as the planned rounds run.
        let order = RoundRunner.order(round: 4, count: 5, seed: 7)
        #expect(round([1, 1, 1, 1, 1], [4, 4, 4, 4, 4]) == order)
        #expect(round([1, 2, 3, 2, 1], [6, 3, 3, 3, 4]) == [4], "case 0 spent its attempts (twice its 3)")
        #expect(round([0, 1, 3, 2, 1], [9, 3, 3, 3, 4]) == [0], "none counts: past twice its 3, the run's budget bounds it")
        #expect(round([3, 3, 3, 3, 3], [3, 3, 3, 3, 3]).isEmpty && round([1, 3, 3, 3, 3], [6, 3, 3, 3, 3]).isEmpty)
        // Fewest in number: a lone repetition planned with none counted goes before a case of 9 with 1.
        #expect(round([1, 0, 5], [9, 1, 9], [9, 1, 9]) == [1])
    }

    @Test("a busy thread on a measured CPU gets its repetitions flagged and retried",
          .enabled(if: HostConditions.hasTwoCPUs, HostConditions.twoCPUsReason))
    func realDisturbance() throws {
        let topology = try Topology.live()
        var runner = ScenarioRunner(topology: topology, clock: try CycleClock.calibrate(windows: 1))
        runner.disturbedPolicy = .retry
        var settings = RunSettings(scenario: .stealClock, duration: 0.1, warmup: 0.02, repetitions: 4, updateInterval: 1_000_000)
        settings.placement.writerCPUs = [try ProcessAffinity.allowedCPUs()[0]]
        let readerCPU = try ProcessAffinity.allowedCPUs()[1]
        settings.placement.readerCPUs = [readerCPU]

        // Control first: whatever else the machine is doing, each flag follows the rule.
        let control = try RoundRunner(runner: runner, seed: 1, policy: .retry).run([settings]).results[0]
        for e in control.iterations {
            let d = try #require(e.disturbance)
            #expect(d.disturbed == runner.disturbanceRule.isDisturbed(offCPU: d.offCPUNanoseconds, window: d.windowNanoseconds))
        }

        // A thread spinning on the reader's CPU for the whole run takes about half of it.
        let disturbed = try withBusyThread(on: readerCPU) {
            try RoundRunner(runner: runner, seed: 1, policy: .retry).run([settings]).results[0]
        }
        print("control: \(control.disturbedRepetitions) of \(control.iterations.count) disturbed; with a busy thread on CPU "
            + "\(readerCPU): \(disturbed.disturbedRepetitions) of \(disturbed.iterations.count), off CPU "
            + disturbed.iterations.map { "\(($0.disturbance?.offCPUFraction ?? 0) * 100)%" }.joined(separator: ", "))
        #expect(disturbed.iterations.count == 6, "4 planned + 2 retries (the run's budget: half the planned 4)")
        #expect(disturbed.iterations.allSatisfy { $0.disturbance?.disturbed == true && $0.excluded == true })
        #expect(disturbed.iterations.allSatisfy { ($0.disturbance?.offCPUFraction ?? 0) > 0.2 })
        #expect(disturbed.retries == 2 && disturbed.budgetExhausted)
        #expect(RunSummaryTable.legend([disturbed])?.contains("* disturbed repetitions were run again") == true)
        #expect(RunSummaryTable.render([disturbed]).contains("all disturbed"))
    }
}

/// Runs `body` while a thread spins on `cpu`.
/// Runs `body` while a thread pinned to `cpu` spins, once that thread is
/// running there: on a busy machine a fixed sleep could end before the
/// pinned thread first ran, and part of `body` then had the CPU to itself.
func withBusyThread<T>(on cpu: Int, _ body: () throws -> T) throws -> T {
    // A second StopFlag as a one-way "has run" signal.
    let stop = StopFlag(), started = StopFlag()
    let busy = Thread {
        _ = try? PinnedThreads.run([PinnedThreadSpec(role: ThreadRole(custom: "busy"), cpu: cpu)], stop: stop,
                                   oversubscribe: true) { context in
            started.stop()
            while !context.stop.isStopped {}
        }
    }
    busy.start()
    defer {
        stop.stop()
        while !busy.isFinished { usleep(1_000) }
    }
    let deadline = Date().addingTimeInterval(10)
    while !started.isStopped {
        guard Date() < deadline else { throw BusyThreadNotStarted(cpu: cpu) }
        usleep(1_000)
    }
    return try body()
}

struct BusyThreadNotStarted: Error, CustomStringConvertible {
    let cpu: Int
    var description: String { "the busy thread pinned to CPU \(cpu) did not start running within 10 s" }
}

@Suite("The idle floor: what the machine takes from a pinned thread at rest")
struct IdleFloorTests {
    @Test("disturbed means more than the limit above the floor")
    func ruleAboveTheFloor() {
        let rule = DisturbanceRule(offCPUFraction: 0.01, floor: 0.2)
        #expect(!rule.isDisturbed(offCPU: 20_500_000, window: 100_000_000))
        #expect(rule.isDisturbed(offCPU: 21_500_000, window: 100_000_000))
        #expect(rule.description.hasSuffix("above the idle floor of 20.00%"))
        #expect(!DisturbanceRule(offCPUFraction: 0.01).description.contains("floor"))
        // A floor measured as zero (a quiet machine) is named, as the run's text names it.
        #expect(DisturbanceRule(offCPUFraction: 0.01, floor: 0).description.hasSuffix("above the idle floor of 0.00%"))
        #expect(DisturbanceRule(offCPUFraction: 0.01, floor: 0).isDisturbed(offCPU: 1_000_001, window: 100_000_000))
        #expect(IdleFloor(cpus: [0], windowNanoseconds: 1, windows: [0.03, 0.01, 0.02]).fraction == 0.02)
        #expect(IdleFloor(cpus: [0], windowNanoseconds: 1, windows: [0.04, 0.01, 0.02, 0.03]).fraction == 0.025)
    }

    @Test("measured as a repetition is: every window counted; a thread spinning beside the probe raises it past 30%")
    func measured() throws {
        let cpu = try ProcessAffinity.allowedCPUs()[0]
        let runner = ScenarioRunner(topology: try Topology.live(), clock: try CycleClock.calibrate(windows: 1))
        let rest = try #require(try runner.measureIdleFloor(cpus: [cpu], windows: 3, duration: 0.02, warmup: 0.005))
        // A share, 1 included: on a saturated machine a whole window can go to others.
        #expect(rest.windows.count == 3 && rest.windows.allSatisfy { (0 ... 1).contains($0) }, "\(rest)")
        #expect(rest.fraction == rest.windows.sorted()[1])
        #expect(rest.windowNanoseconds >= 20_000_000, "the window is the repetition's: \(rest)")
        // Two runnable threads on one CPU: the probe gets at most about half of it.
        // Windows of 100 ms: a share of a CPU between two threads evens out over
        // several scheduler slices, not within one 20 ms window.
        let shared = try #require(try withBusyThread(on: cpu) { try runner.measureIdleFloor(cpus: [cpu], windows: 3, duration: 0.1, warmup: 0.005) })
        print("idle floor on CPU \(cpu): \(rest); with a busy thread beside it: \(shared)")
        #expect(shared.fraction > 0.3, "\(shared)")
        #expect(shared.isBusy)
    }
}
