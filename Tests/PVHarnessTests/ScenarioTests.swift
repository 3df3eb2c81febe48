import Foundation
import Testing
import Synchronization
@testable import PVRuntime
@testable import PVHost
@testable import PVResults
@testable import PVExperiments
import PVRecords
import PVABI

@Suite("Run settings and suites")
struct RunSettingsTests {
    @Test func aStrategyThatDoesNotApplyListsTheValidOnes() {
        let s = RunSettings(scenario: .preemptPoll, strategy: .doubleWord)
        #expect(throws: RunSettingsError.self) { try s.validate() }
        do { try s.validate() } catch {
            #expect(error.description.contains("valid: relaxed, acquire-release, seq-cst, straddle"))
        }
    }

    @Test func invalidCombinationsAreRefused() {
        let bad: [RunSettings] = [
            RunSettings(scenario: .stealClock, duration: 0),
            RunSettings(scenario: .stealClock, duration: -1),
            RunSettings(scenario: .stealClock, repetitions: 0),
            RunSettings(scenario: .stealClock, vcpus: 0),
            RunSettings(scenario: .stealClock, layout: .page, vcpus: 1 << 20),
            RunSettings(scenario: .stealClock, vcpus: 2, writers: 3),
            RunSettings(scenario: .stealClock, strategy: .seqCst, implementation: .c),
            RunSettings(scenario: .spinOnOwner, implementation: .c),
            RunSettings(scenario: .c2c, readers: 2),
            RunSettings(scenario: .preemptPoll, runDuration: 0),
        ]
        for s in bad { #expect(throws: RunSettingsError.self, "\(s.name)") { try s.validate() } }
    }

    @Test func cKernelsExistForTheReadLoops() throws {
        for (scenario, strategy) in [(ScenarioKind.stealClock, StrategyKind.relaxed), (.stealClock, .acquireRelease),
                                     (.stealClock, .seqlock), (.stealClock, .ckSequence), (.preemptPoll, .relaxed),
                                     (.preemptPoll, .acquireRelease), (.idleScan, .relaxed)]
        {
            #expect(scenario.implementations(for: strategy).contains(.c))
            try RunSettings(scenario: scenario, strategy: strategy, implementation: .c).validate()
        }
    }

    @Test func namesFollowTheGoogleBenchmarkConvention() {
        let s = RunSettings(scenario: .stealClock, strategy: .seqlock, layout: .page, vcpus: 4, readers: 2, writers: 1)
        #expect(s.name == "steal-clock/seqlock/page/vcpus:4/readers:2/writers:1")
        var c = s
        c.implementation = .c
        #expect(c.name.hasSuffix("/impl:c"))
    }

    @Test(arguments: Suite.allCases)
    func everySuiteCaseIsValid(suite: Suite) throws {
        let cases = suite.cases(base: RunSettings(scenario: .stealClock))
        #expect(!cases.isEmpty)
        for c in cases { try c.validate() }
        #expect(Set(cases.map(\.scenario)) == Set(ScenarioKind.allCases), "every scenario appears")
        #expect(Set(cases.map(\.name)).count == cases.count, "no case twice")
    }

    @Test func suiteBudgets() {
        func seconds(_ suite: Suite) -> Double {
            suite.cases(base: RunSettings(scenario: .stealClock)).reduce(0) { $0 + Double($1.repetitions) * ($1.warmup + $1.duration) }
        }
        #expect(seconds(.smoke) < 10)
        #expect((50 ... 120).contains(seconds(.default)), "default is about 1-2 minutes: \(seconds(.default)) s")
        // A suite-wide --duration overrides every case's.
        #expect(Suite.default.cases(base: RunSettings(scenario: .c2c), duration: 0.1).allSatisfy { $0.duration == 0.1 })
    }

    @Test func defaultIdleScanFlipsAsAKVMHostDoes() {
        let base = RunSettings(scenario: .stealClock)
        let scans = Suite.default.cases(base: base).filter { $0.scenario == .idleScan }
        #expect(scans.count == 12, "3 layouts x 4 vCPU counts")
        for s in scans {
            // Each vCPU out and in once a millisecond: two flips per ms per vCPU.
            // ... and no faster than a flip a microsecond.
            #expect(s.updateInterval == max(500_000 / UInt64(s.vcpus), 1000), "\(s.name)")
            #expect(s.name.hasSuffix("/update:\(RunSettings.intervalText(s.updateInterval))"), "\(s.name)")
            // Tables leave the interval out of the name and say so under them.
            #expect(CaseName.dropsInterval(s.name) && !CaseName.short(s.name).contains("update:"), "\(s.name)")
        }
        #expect(Suite.kvmLikeFlipInterval(vcpus: 256) == 1953)
        #expect(Suite.kvmLikeFlipInterval(vcpus: 500) == 1000)
        #expect(Suite.kvmLikeFlipInterval(vcpus: 4096) == 1000)
        #expect(Suite.kvmLikeFlipInterval(vcpus: 0) == 500_000)
        // The full suite's sweep keeps the writer that races the reader.
        let full = Suite.full.cases(base: base).filter { $0.scenario == .idleScan }
        #expect(!full.isEmpty && full.allSatisfy { $0.updateInterval == 0 })
    }

    @Test func defaultStealClockStressWriterIsPacedAtOneMicrosecond() {
        let base = RunSettings(scenario: .stealClock)
        let cases = Suite.default.cases(base: base).filter { $0.scenario == .stealClock }
        let kvmLike = cases.filter { $0.updateInterval == Suite.kvmLikeUpdateInterval }
        let stress = cases.filter { $0.updateInterval != Suite.kvmLikeUpdateInterval }
        #expect(Set(kvmLike.map(\.strategy)) == [.builtIn(.relaxed), .builtIn(.seqlock)])
        // Every strategy that claims safety, and the two layouts over 4 vCPUs.
        #expect(stress.count == StrategyKind.allCases.filter(\.claimsSafety).count + 2)
        for s in stress {
            #expect(s.updateInterval == 1_000, "\(s.name)")
            #expect(s.name.hasSuffix("/update:1us"), "\(s.name)")
            #expect(CaseName.dropsInterval(s.name) && !CaseName.short(s.name).contains("update:"), "\(s.name)")
        }
        for s in kvmLike {
            #expect(!CaseName.dropsInterval(s.name) && CaseName.short(s.name).hasSuffix("/update:1ms"), "\(s.name)")
        }
        // The full suite keeps the writer that stores back to back.
        let full = Suite.full.cases(base: base).filter { $0.scenario == .stealClock }
        #expect(!full.isEmpty && full.allSatisfy { $0.updateInterval == 0 })
    }

    @Test func seqlockDoesNotFitPackedRecords() {
        #expect(!StealClockScenario.accepts(.packed, for: .seqlock))
        #expect(StealClockScenario.accepts(.cacheline, for: .seqlock))
        #expect(IdleScanScenario.accepts(.packed, for: .relaxed))
    }

    @Test func everyRegisteredScenarioDescribesItself() {
        let names = ScenarioKind.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count, "one name per scenario")
        for kind in ScenarioKind.allCases {
            #expect(ScenarioKind(rawValue: kind.rawValue) == kind)
            #expect(kind.type.kind == kind)
            #expect(!kind.summary.isEmpty)
            #expect(kind.figures.rate.better == .higher && kind.figures.rate.unit == .perSecond)
            for figure in [kind.figures.cost, kind.figures.latencyP50, kind.figures.latencyP99].compactMap({ $0 }) {
                #expect(figure.better == .lower && figure.unit == .nanoseconds, "\(kind): \(figure)")
            }
            // A C kernel is only claimed for a strategy the scenario accepts.
            for s in kind.type.cKernelStrategies { #expect(kind.strategies.contains(s)) }
            #expect(!Suite.smoke.cases(base: RunSettings(scenario: kind)).filter { $0.scenario == kind }.isEmpty)
        }
        #expect(ScenarioKind(rawValue: "steal_clock") == nil)
        // Each registered type's constant names that type (a copied line would name another).
        for type in ScenarioRegistry.all { #expect(ObjectIdentifier(type.kind.type) == ObjectIdentifier(type), "\(type.kind)") }
    }
}

@Suite("Reader figures")
struct ReaderFiguresTests {
    @Test("a protocol whose reads may retry says retries 0, rather than leaving the counter out of one repetition and the aggregates")
    func retriesAlwaysForARetryingProtocol() throws {
        let clock = try CycleClock.calibrate(windows: 1)
        func tally(retries: UInt64) -> ReaderTally {
            ReaderTally(window: MeasuredWindow(operations: 1000, startTicks: 0, endTicks: 1_000_000),
                        recorder: LatencyRecorder(conversion: clock.conversion),
                        counts: ReaderCounts(reads: 1000, torn: 0, backwards: 0, retries: retries), firstViolation: nil)
        }
        func counters(_ t: ReaderTally, retrying: Bool) -> [String: Double] {
            ReaderTally.figures([t], clock: clock, operation: "reads", latencyPrefix: "read_cost_", operationsPerSample: 1,
                                retrying: retrying).counters
        }
        #expect(counters(tally(retries: 0), retrying: true)["retries"] == 0)
        #expect(counters(tally(retries: 0), retrying: true)["retries_per_read"] == 0)
        #expect(counters(tally(retries: 0), retrying: false)["retries"] == nil, "a single access has no retries to count")
        #expect(counters(tally(retries: 5), retrying: false)["retries"] == 5)
        #expect(counters(tally(retries: 5), retrying: true)["retries_per_read"] == 0.005)
        #expect(SequencedStolenTime<SeqLockStrategy>.retriesReads && SequencedStolenTime<CKSequenceStrategy>.retriesReads)
        #expect(!StrategyKind.relaxed.retriesReads)
    }
}

@Suite("Visibility matching")
struct VisibilityMatchingTests {
    @Test func aFlipIsTimedOnlyForReadersWhoseAnswerShowsThePreviousState() {
        let answers = FlipAnswers(readers: 3, writers: 2)
        // Reader 0 saw writer 1's last flip (to 0); reader 1 missed it (still shows 1); reader 2 answers another writer.
        answers.answer(reader: 0, vcpu: 1, state: 0)
        answers.answer(reader: 1, vcpu: 1, state: 1)
        answers.answer(reader: 2, vcpu: 0, state: 1)
        answers.answer(reader: 2, vcpu: 5, state: 1)  // not a writer's first vCPU: no line, no effect
        #expect(answers.armed(writer: 1, previous: 0) == 0b101)
        #expect(answers.armed(writer: 0, previous: 1) == 0b100)
        // Writer 1 flips to 1; only reader 0 answers; the recorded sample is half the round trip.
        var recorder = LatencyRecorder(conversion: TickConversion(frequencyHz: 1e9))
        answers.answer(reader: 0, vcpu: 1, state: 1)
        let start = CycleClock.now() &- 2_000  // a round trip of at least 2 µs
        answers.spin(writer: 1, state: 1, armed: 0b001, start: start, until: CycleClock.now(), into: &recorder) { false }
        #expect(recorder.count == 1)
        // Reader 1's stale answer (1, from before) is not armed, so it can never be taken for an answer to this flip.
        var none = LatencyRecorder(conversion: TickConversion(frequencyHz: 1e9))
        answers.spin(writer: 1, state: 1, armed: 0, start: start, until: CycleClock.now(), into: &none) { false }
        #expect(none.count == 0)
    }

    @Test func eachObservationIsMatchedToTheLatestStoreOfItsState() {
        let conversion = TickConversion(frequencyHz: 1e9)  // 1 tick = 1 ns
        var writer = TransitionLog(capacity: 8)
        for (t, state) in [(100, 1), (200, 0), (300, 1), (400, 0)] as [(UInt64, UInt32)] {
            writer.append(ticks: t, vcpu: 0, state: state)
        }
        var reader = TransitionLog(capacity: 8)
        reader.append(ticks: 130, vcpu: 0, state: 1)   // 30 ns after the store at 100
        reader.append(ticks: 260, vcpu: 0, state: 0)   // 60 after 200
        reader.append(ticks: 410, vcpu: 0, state: 1)   // saw 300's store late (after 400 flipped back): 110
        reader.append(ticks: 50, vcpu: 0, state: 1)    // before any store: unmatched
        defer { writer.deallocate(); reader.deallocate() }
        var recorder = LatencyRecorder(conversion: conversion)
        let (matched, unmatched) = VisibilityMatcher.match(observations: [reader], writerLogs: [writer],
                                                           conversion: conversion, into: &recorder)
        #expect(matched == 3 && unmatched == 1)
        let d = LatencyDistribution(merging: [recorder])
        #expect(d.min == 30 && d.max == 110)
        #expect(d.count == 3)
    }

    @Test func observationsAreMovedOntoTheWritersCounterBeforeTheyAreMatched() {
        let conversion = TickConversion(frequencyHz: 1e9)
        var writer = TransitionLog(capacity: 4)
        writer.append(ticks: 1000, vcpu: 0, state: 1)
        writer.append(ticks: 2000, vcpu: 0, state: 0)
        // The reader's counter runs 25 ticks ahead of the writer's (offset +25).
        var ahead = TransitionLog(capacity: 4)
        ahead.append(ticks: 1075, vcpu: 0, state: 1)
        ahead.append(ticks: 2065, vcpu: 0, state: 0)
        // This one's runs 40 behind: uncorrected, its first sight precedes the store.
        var behind = TransitionLog(capacity: 4)
        behind.append(ticks: 990, vcpu: 0, state: 1)
        defer { writer.deallocate(); ahead.deallocate(); behind.deallocate() }
        var raw = LatencyRecorder(conversion: conversion)
        let uncorrected = VisibilityMatcher.match(observations: [ahead, behind], writerLogs: [writer],
                                                  conversion: conversion, into: &raw)
        #expect(uncorrected.matched == 2 && uncorrected.unmatched == 1)
        var corrected = LatencyRecorder(conversion: conversion)
        let (matched, unmatched) = VisibilityMatcher.match(observations: [ahead, behind], writerLogs: [writer],
                                                           conversion: conversion, into: &corrected,
                                                           readerOffsets: [25, -40], writerOffsets: [0])
        #expect(matched == 3 && unmatched == 0)
        let d = LatencyDistribution(merging: [corrected])
        #expect(d.min == 30 && d.max == 50)
    }

    @Test func anOffsetMeasuredTwiceIsTheirMeanAndTheirDifferenceIsItsDrift() {
        var r = CounterOffsetReading()
        #expect(r.value == nil && r.drift == nil)
        r.before = -7
        #expect(r.value == -7 && r.drift == nil)
        r.after = 13
        #expect(r.value == 3 && r.drift == 20)
        r.before = nil
        #expect(r.value == 13)
    }

    /// Real threads on two CPUs: the exchange answers (timeout 2 s, so a busy
    /// machine still gets there) and its value is within the slowest
    /// possible error, half a round trip: here, far under a millisecond.
    @Test(.enabled(if: HostConditions.hasTwoCPUs, HostConditions.twoCPUsReason))
    func twoThreadsOnTwoCPUsMeasureTheirCountersOffset() throws {
        let cpus = try Topology.live().usableCPUs
        let exchange = CounterOffsetExchange(threads: 2, roundTrips: 32)
        let clock = try HostConditions.clock()
        let timeout = UInt64(2 * clock.frequencyHz)
        let results = Mutex<[Int: Int64?]>([:])
        let specs = [PinnedThreadSpec(role: ThreadRole(custom: "off-hub"), cpu: cpus[0]),
                     PinnedThreadSpec(role: ThreadRole(custom: "off-ask"), cpu: cpus[1])]
        _ = try PinnedThreads.run(specs, stop: StopFlag(), oversubscribe: false) { context in
            let v = exchange.exchange(index: context.index, timeoutTicks: timeout)
            results.withLock { $0[context.index] = v }
        }
        let hub = try #require(results.withLock { $0[0] })
        #expect(hub == 0)
        let offset = try #require(results.withLock { $0[1] } ?? nil, "the asking thread got no answers in 2 s")
        #expect(abs(Double(offset)) / clock.frequencyHz < 1e-3)
    }

    @Test func aFullLogCountsWhatItDrops() {
        var log = TransitionLog(capacity: 2)
        defer { log.deallocate() }
        for t in 0 ..< 5 as Range<UInt64> { log.append(ticks: t, vcpu: 0, state: UInt32(t & 1)) }
        #expect(log.count == 2 && log.dropped == 3)
    }
}

/// Short real runs on this machine: sane, non-zero counts (never timings).
@Suite("Short real runs of each scenario", .serialized)
struct ScenarioRunTests {
    func run(_ settings: RunSettings, seconds: Double = 0.15) throws -> CaseResult {
        let runner = ScenarioRunner(topology: try Topology.live(), clock: try HostConditions.clock())
        var s = settings
        s.duration = seconds
        s.warmup = 0.02
        s.repetitions = 2
        s.placement.oversubscribe = true  // a 1-CPU CI box still runs
        // Small batches: under a sanitizer on a busy machine a batch of 16,384
        // seqlock reads outlasted the whole 0.15 s window (0 reads counted).
        s.readBatch = 256
        return try runner.run(s)
    }

    /// With an update interval: a back-to-back writer may starve a seqlock
    /// reader for a whole short run on a loaded machine (or under TSan), and
    /// reads would then be 0; with one update per 20 µs every reader progresses.
    @Test(arguments: [StrategyKind.relaxed, .seqlock, .doubleWord])
    func stealClock(strategy: StrategyKind) throws {
        let r = try run(RunSettings(scenario: .stealClock, strategy: strategy, updateInterval: 20_000))
        #expect(r.settings.name.hasSuffix("/update:20us"))
        #expect(r.iterations.count == 2)
        let m = try #require(r.median)
        #expect(m.iterations > 0)
        #expect((m.counters["reads_per_second"] ?? 0) > 0)
        #expect((m.counters["updates_per_second"] ?? 0) > 0)
        // Cost percentiles need a whole sampled batch of reads in the window,
        // which a starved reader (TSan, a loaded machine) may not finish.
        for e in r.iterations where (e.counters["read_cost_samples"] ?? 0) > 0 {
            #expect(e.counters["read_cost_p50_ns"] != nil)
        }
        #expect(r.violations.violations == 0, "\(r.firstViolation ?? "")")
        #expect(r.entries.contains { $0.aggregateName == "cv" })
    }

    @Test func stealClockWithTheCKernel() throws {
        let r = try run(RunSettings(scenario: .stealClock, strategy: .seqlock, implementation: .c, updateInterval: 20_000))
        #expect((r.median?.counters["reads_per_second"] ?? 0) > 0)
        #expect(r.settings.name.hasSuffix("/update:20us/impl:c"))
    }

    @Test func preemptPollTimesVisibility() throws {
        var s = RunSettings(scenario: .preemptPoll, runDuration: 50_000, preemptedDuration: 50_000)
        s.vcpus = 2
        let r = try run(s)
        let m = try #require(r.median)
        #expect((m.counters["polls_per_second"] ?? 0) > 0)
        #expect((m.counters["flag_stores"] ?? 0) > 0)
        #expect((m.counters["changes_seen"] ?? 0) > 0)
        #expect((m.counters["visibility_matched"] ?? 0) > 0)
        // The headline: half the writer's round trip to the reader's answer; the one-way figure beside it.
        #expect((m.counters["visibility_samples"] ?? 0) > 0)
        #expect(m.counters["visibility_p50_ns"] != nil)
        #expect(m.counters["visibility_one_way_p50_ns"] != nil)
        #expect(r.violations.torn == 0)
    }

    @Test func spinOnOwnerMeasuresBothWaiters() throws {
        // Long enough for whole episodes even when other suites' pinned threads share the CPUs.
        let r = try run(RunSettings(scenario: .spinOnOwner, runDuration: 20_000, preemptedDuration: 100_000), seconds: 0.5)
        let m = try #require(r.median)
        #expect((m.counters["owner_episodes"] ?? 0) > 0)
        #expect(m.counters["spin_with_pv_p50_ns"] != nil && m.counters["spin_without_pv_p50_ns"] != nil)
        // A break-out, when one was seen, is timed by the owner's round trip to the waiter's answer.
        if (m.counters["preempted_episodes_seen"] ?? 0) >= 10 { #expect((m.counters["breakout_samples"] ?? 0) > 0) }
    }

    @Test(arguments: VCPULayout.allCases)
    func idleScan(layout: VCPULayout) throws {
        let r = try run(RunSettings(scenario: .idleScan, layout: layout, vcpus: 64))
        let m = try #require(r.median)
        #expect((m.counters["scans_per_second"] ?? 0) > 0)
        #expect((m.counters["ns_per_flag"] ?? 0) > 0)
        #expect(m.layout == layout.rawValue)
    }

    @Test func c2cPingPong() throws {
        // A round trip needs both threads on their CPUs at once: give a loaded machine time for some.
        let r = try run(RunSettings(scenario: .c2c), seconds: 0.6)
        let m = try #require(r.median)
        #expect(m.name.hasPrefix("c2c/cpu:"))
        #expect((m.counters["round_trips_per_second"] ?? 0) > 0)
        #expect((m.counters["one_way_ns"] ?? 0) > 0)
    }

    @Test func seqlockOnPackedRecordsIsRefusedBeforeRunning() throws {
        #expect(throws: ScenarioError.layoutTooSmall(strategy: "seqlock", needs: 20, layout: "packed", gives: 16)) {
            try run(RunSettings(scenario: .stealClock, strategy: .seqlock, layout: .packed, vcpus: 2))
        }
    }

    @Test func resultsRoundTripThroughJSON() throws {
        let r = try run(RunSettings(scenario: .stealClock))
        var context = HostDescription.collect().context(pvbenchVersion: "test")
        context.placement = PlacementRecord(r.placement, threads: r.threads)
        let file = ResultFile(context: context, benchmarks: r.entries)
        let data = try file.jsonData()
        #expect(try ResultFile.decode(data, source: "mem") == file)
        #expect(GoogleBenchmarkShape.problems(in: data).isEmpty)
    }
}
