import Testing
@testable import PVRuntime
@testable import PVHost
@testable import PVExperiments

@Suite("Fault injection: parsing")
struct FaultParsingTests {
    @Test func acceptsTheDocumentedSpellings() {
        #expect(InjectedFault.parse("drop-writes") == .dropWrites(every: 8))
        #expect(InjectedFault.parse("drop-writes:3") == .dropWrites(every: 3))
        #expect(InjectedFault.parse("stall-writer") == .stallWriter(nanoseconds: 100_000, every: 1000))
        #expect(InjectedFault.parse("stall-writer:2ms:10") == .stallWriter(nanoseconds: 2_000_000, every: 10))
        #expect(InjectedFault.parse("release:5ms") == .release(intervalNanoseconds: 5_000_000))
        // No "3th": the context's detail counts without an ordinal.
        #expect(InjectedFault.dropWrites(every: 3).record.detail == "1 of every 3 hypervisor stores to a preempted flag skipped (page not resident)")
        #expect(InjectedFault.stallWriter(nanoseconds: 500, every: 2).record.detail == "1 of every 2 stolen-time updates stalled 500 ns mid-update")
        #expect(InjectedFault.parse("unpinnable") == .unpinnable)
    }

    @Test(arguments: ["", "drop", "drop-writes:0", "drop-writes:-1", "drop-writes:x", "stall-writer:0", "stall-writer:1h",
                      "stall-writer:1ms:0", "release:nan", "release:1:2", "unpinnable:1", "drop-writes:1:2"])
    func refusesEverythingElse(text: String) {
        #expect(InjectedFault.parse(text) == nil)
    }

    @Test func cKernelsTakeNoFaults() {
        var s = RunSettings(scenario: .stealClock, implementation: .c)
        s.faults = [.stallWriter(nanoseconds: 1000, every: 10)]
        #expect(throws: RunSettingsError.self) { try s.validate() }
    }
}

/// Each injected fault produces its documented report (bounded runs).
@Suite("Fault injection: what the scenarios report", .serialized)
struct FaultInjectionTests {
    func run(_ settings: RunSettings, _ faults: [InjectedFault], seconds: Double = 0.3) throws -> CaseResult {
        var s = settings
        s.faults = faults
        s.duration = seconds
        s.warmup = 0.02
        s.repetitions = 1
        s.placement.oversubscribe = true
        return try ScenarioRunner(topology: try Topology.live(), clock: try HostConditions.clock()).run(s)
    }

    @Test func droppedWritesLeavePreemptPollWithStaleFlags() throws {
        let r = try run(RunSettings(scenario: .preemptPoll, runDuration: 20_000, preemptedDuration: 20_000), [.dropWrites(every: 4)])
        let c = try #require(r.median?.counters)
        #expect((c["flag_stores_skipped"] ?? 0) > 0)
        #expect((c["stale_ns_total"] ?? 0) > 0)
        #expect(r.violations.violations == 0, "a skipped store makes a flag stale, not torn")
    }

    @Test func droppedWritesHidePreemptionsFromSpinningWaiters() throws {
        let r = try run(RunSettings(scenario: .spinOnOwner, runDuration: 20_000, preemptedDuration: 100_000),
                        [.dropWrites(every: 2)], seconds: 0.5)
        let c = try #require(r.median?.counters)
        #expect((c["preempt_stores_skipped"] ?? 0) > 0)
        #expect((c["stale_ns_total"] ?? 0) > 0)
    }

    /// 1024 attempts: far less than a 60 ms stall even where an attempt's
    /// PAUSE exits to the hypervisor (~1 µs; 2^18 attempts then outlast it).
    static func givingUpEarly(_ strategy: StrategyKind) -> RunSettings {
        var s = RunSettings(scenario: .stealClock, strategy: strategy)
        s.readGiveUpAttempts = 1024
        return s
    }

    @Test func aWriterStalledWithTheSequenceOddMakesReadersGiveUpNotHang() throws {
        // 60 ms stalls outlast a reader's retry budget: reads are abandoned and counted.
        let r = try run(Self.givingUpEarly(.seqlock), [.stallWriter(nanoseconds: 60_000_000, every: 2)])
        let c = try #require(r.median?.counters)
        #expect((c["writer_stalls"] ?? 0) > 0)
        #expect((c["reads_given_up"] ?? 0) > 0, "\(c) \(r.placement)")
        #expect(r.violations.violations == 0, "\(r.firstViolation ?? "")")
    }

    @Test func ckSequenceReadersGiveUpToo() throws {
        let r = try run(Self.givingUpEarly(.ckSequence), [.stallWriter(nanoseconds: 60_000_000, every: 2)])
        #expect((r.median?.counters["reads_given_up"] ?? 0) > 0, "\(r.median?.counters ?? [:])")
    }

    @Test func reissuedPVTimeSTIsARestartNotABackwardsValue() throws {
        let r = try run(RunSettings(scenario: .stealClock), [.release(intervalNanoseconds: 5_000_000)])
        let c = try #require(r.median?.counters)
        #expect((c["records_reissued"] ?? 0) > 0)
        #expect((c["stolen_time_restarts"] ?? 0) > 0)
        #expect(r.violations.backwards == 0 && r.violations.torn == 0, "\(r.firstViolation ?? "") \(c)")
    }

    @Test func releasedPVSchedBlocksLeaveFlagsStale() throws {
        let r = try run(RunSettings(scenario: .preemptPoll, runDuration: 20_000, preemptedDuration: 20_000),
                        [.release(intervalNanoseconds: 5_000_000)])
        #expect((r.median?.counters["flag_stores_skipped"] ?? 0) > 0)
    }

    @Test func anUnpinnableThreadStopsTheRunBeforeItStarts() throws {
        #expect(throws: PinningError.self) { try run(RunSettings(scenario: .stealClock), [.unpinnable]) }
    }
}

@Suite("Soak")
struct SoakTests {
    @Test func aShortenedSoakRotatesEveryScenarioAndReportsPerInterval() throws {
        let clock = try CycleClock.calibrate(windows: 3, windowNanoseconds: 2_000_000)
        var base = RunSettings(scenario: .stealClock)
        base.placement.oversubscribe = true
        let soak = SoakRun(base: base, total: 8)
        #expect(Set(soak.cases.map(\.scenario)) == Set(ScenarioKind.allCases))
        let results = try soak.run(on: ScenarioRunner(topology: try Topology.live(), clock: clock))
        #expect(results.count == ScenarioKind.allCases.count, "every scenario ran at least one interval")
        for r in results {
            #expect(!r.iterations.isEmpty)
            #expect(r.iterations.allSatisfy { $0.counters["interval_start_s"] != nil })
            #expect(r.violations.violations == 0, "\(r.settings.name): \(r.firstViolation ?? "")")
        }
        let starts = results[0].iterations.compactMap { $0.counters["interval_start_s"] }
        #expect(starts == starts.sorted(), "intervals in time order")
        #expect(SoakRun.driftTable(results).contains("drift"))
    }
}
