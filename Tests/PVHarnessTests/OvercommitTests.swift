import CPVPlatform
import Foundation
import Synchronization
import Testing
@testable import PVABI
@testable import PVExperiments
@testable import PVHost
@testable import PVRuntime

/// Whether this test binary runs under ThreadSanitizer: its runtime is
/// linked in (an environment variable says nothing about the build).
private let underThreadSanitizer = dlsym(nil, "__tsan_init") != nil

/// Checks that the run made progress (preemptions happened, flags were
/// seen). ThreadSanitizer defers an asynchronous signal to its next
/// interceptor, so a loop without libc calls may not be preempted there:
/// under it these checks still run, and a failure is reported as a known
/// issue with that reason instead of being dropped unseen.
private func liveness(_ body: () -> Void) {
    if underThreadSanitizer {
        withKnownIssue("ThreadSanitizer defers the preempting signal: progress is not guaranteed under it", isIntermittent: true) {
            body()
        }
    } else {
        body()
    }
}

/// One emulated scheduler exists at a time (a second start is EBUSY): both
/// overcommit suites run inside this one, one test after another, even under
/// a plain parallel `swift test`.
@Suite("Overcommit", .serialized)
enum OvercommitTests {}

/// The emulated scheduler driven directly: vCPU threads over one or two host
/// CPUs, each observing the others' flags against their schedule sequence.
/// No timing is asserted; every run is bounded by a deadline.
extension OvercommitTests {
@Suite("Overcommit: the emulated scheduler's invariants", .serialized)
struct OvercommitSchedulerTests {
    final class Records: @unchecked Sendable {
        let base: UnsafeMutableRawPointer
        let count: Int
        init(count: Int, flagValue: UInt32) {
            self.count = count
            base = UnsafeMutableRawPointer.allocate(byteCount: 128 * count, alignment: 64)
            base.initializeMemory(as: UInt8.self, repeating: 0, count: 128 * count)
            for v in 0 ..< count { flag(v).storeBytes(of: flagValue, as: UInt32.self) }
        }
        deinit { base.deallocate() }
        func flag(_ v: Int) -> UnsafeMutableRawPointer { base + 128 * v }
        func stolen(_ v: Int) -> UnsafeMutableRawPointer { base + 128 * v + 64 }
    }

    struct Observed: Sendable {
        var checks: UInt64 = 0
        var mismatches: UInt64 = 0
        var backwards: UInt64 = 0
        /// Why the vCPU could not enter the scheduler (nothing was run).
        var enterFailure: String?
    }

    /// Runs `vcpus` vCPU threads on `cpus` (round robin) for `seconds`; vCPU
    /// `halter` (if any) halts every few iterations and the others kick it.
    func run(vcpus: Int, cpus: [Int], pvSched: Bool = true, halter: Int? = nil, seconds: Double = 0.2,
             dropEvery: Int = 0, body: (VCPUScheduler, Records, [Observed]) throws -> Void) throws
    {
        let records = Records(count: vcpus, flagValue: 7)
        let hostCPU = (0 ..< vcpus).map { cpus[$0 % cpus.count] }
        let scheduler = try VCPUScheduler(
            hostCPU: hostCPU, slice: 200_000, pvSched: pvSched, flags: (0 ..< vcpus).map(records.flag),
            stolen: (0 ..< vcpus).map(records.stolen), kernels: VCPUScheduler.WriterKernels(.relaxed)!,
            episodeCapacity: 100_000, dropEvery: dropEvery)
        let observed = Mutex<[Observed]>(Array(repeating: Observed(), count: vcpus))
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let specs = hostCPU.enumerated().map { PinnedThreadSpec(role: ThreadRole(custom: "vcpu\($0.offset)"), cpu: $0.element) }
        _ = try PinnedThreads.run(specs, stop: StopFlag(), oversubscribe: true) { context in
            let v = context.index
            var o = Observed()
            do { try scheduler.enter(v) } catch {
                o.enterFailure = "\(error)"
                observed.withLock { $0[v] = o }
                return
            }
            var last: UInt64 = 0
            var i: UInt64 = 0
            while DispatchTime.now().uptimeNanoseconds < deadline {
                for w in 0 ..< vcpus where w != v {
                    let before = scheduler.sequence(w)
                    let flag = SharedU32(records.flag(w)).loadRelaxed()
                    pv_vcpu_fence_acquire()
                    if before == scheduler.sequence(w), before & 1 == 0 {
                        o.checks += 1
                        if (flag != 0) != (before & 3 == 2) { o.mismatches += 1 }
                    }
                }
                let s = SharedU64(records.stolen(v)).loadRelaxed()
                if s < last { o.backwards += 1 }
                last = s
                i += 1
                if let halter {
                    if v == halter, i % 64 == 0 { scheduler.halt(v) }
                    if v != halter, scheduler.isHalted(halter) { scheduler.kick(halter) }
                }
            }
            scheduler.exit(v)
            observed.withLock { $0[v] = o }
        }
        let all = observed.withLock { $0 }
        let failed = all.enumerated().compactMap { v, o in o.enterFailure.map { "vCPU \(v): \($0)" } }
        try #require(failed.isEmpty, "a vCPU could not enter the scheduler: \(failed)")
        try body(scheduler, records, all)
    }

    static var cpus: [Int] { (try? Topology.live().usableCPUs) ?? [0] }

    @Test func oneVCPURunsPerHostCPUAndEveryRunnableOneRunsWithinTheBound() throws {
        let cpus = Array(Self.cpus.prefix(2))
        try run(vcpus: 2 * cpus.count + 1, cpus: cpus) { scheduler, _, _ in
            let perCPU = Dictionary(grouping: scheduler.hostCPU, by: { $0 }).values.map(\.count).max()!
            var preemptions: UInt64 = 0
            for v in 0 ..< scheduler.vcpus {
                let s = scheduler.stats(v)
                #expect(s.overlaps == 0, "vCPU \(v) found another vCPU running on its CPU")
                #expect(s.wrong_cpu == 0)
                #expect(s.max_waited_slices <= UInt64(perCPU - 1), "vCPU \(v) waited \(s.max_waited_slices) slices")
                preemptions += s.preemptions
            }
            liveness { #expect(preemptions > 0) }
        }
    }

    @Test func preemptedIsOneExactlyWhileDescheduled() throws {
        try run(vcpus: 3, cpus: [Self.cpus[0]], halter: 2) { scheduler, records, observed in
            #expect(observed.reduce(0) { $0 + $1.mismatches } == 0)
            #expect(observed.reduce(0) { $0 + $1.checks } > 0)
            // After every vCPU exited, each flag says descheduled.
            for v in 0 ..< scheduler.vcpus { #expect(SharedU32(records.flag(v)).loadRelaxed() == 1) }
            liveness { #expect(scheduler.stats(2).halts > 0) }
            #expect(scheduler.stats(2).halts == scheduler.stats(2).kicks)
        }
    }

    @Test func stolenTimeIsExactlyTheSumOfTheEmulatorsDeltas() throws {
        try run(vcpus: 3, cpus: [Self.cpus[0]], halter: 1) { scheduler, records, observed in
            #expect(observed.reduce(0) { $0 + $1.backwards } == 0)
            for v in 0 ..< scheduler.vcpus {
                let s = scheduler.stats(v)
                let record = SharedU64(records.stolen(v)).loadRelaxed()
                #expect(record == s.steal_base &+ s.steal_sum_ns, "vCPU \(v)")
                #expect(s.steal_update_mismatches == 0)
                #expect(s.steal_sum_ns == s.steal_wait_ns + s.steal_run_delay_ns)
                let log = scheduler.episodes(v)
                #expect(s.episodes_dropped == 0)
                #expect(log.reduce(0) { $0 + $1.steal_delta_ns } == s.steal_sum_ns)
                for e in log {
                    #expect(e.granted_ns >= e.runnable_ns && e.load_ns >= e.granted_ns)
                    #expect(e.steal_delta_ns == e.load_ns - e.runnable_ns + e.run_delay_ns)
                }
                #expect(s.loads > 0, "vCPU \(v) never ran: the equalities above held over nothing")
            }
            // Three vCPUs on one CPU wait for it: steal was accounted, so the sums above are not 0 = 0.
            liveness { #expect((0 ..< scheduler.vcpus).reduce(0) { $0 + scheduler.stats($1).steal_sum_ns } > 0) }
        }
    }

    /// drop-writes: each vCPU's stores of `preempted` (one per load, one per
    /// put) are counted down on its own thread, and exactly every Nth is
    /// skipped; the others' reads then see a flag that contradicts the
    /// schedule.
    @Test func dropWritesSkipsExactlyEveryNthStoreOfTheFlag() throws {
        let every = 3
        try run(vcpus: 3, cpus: [Self.cpus[0]], halter: 2, dropEvery: every) { scheduler, _, observed in
            var skipped: UInt64 = 0
            for v in 0 ..< scheduler.vcpus {
                let s = scheduler.stats(v)
                // Stores: every load, every preemption and halt, and the exit.
                let stores = s.loads + s.preemptions + s.halts + 1
                #expect(s.flag_stores_skipped == stores / UInt64(every), "vCPU \(v): \(stores) stores")
                skipped += s.flag_stores_skipped
            }
            #expect(skipped > 0)
            liveness { #expect(observed.reduce(0) { $0 + $1.mismatches } > 0, "a skipped store shows") }
        }
        try run(vcpus: 2, cpus: [Self.cpus[0]], pvSched: false, dropEvery: every) { scheduler, _, _ in
            for v in 0 ..< scheduler.vcpus { #expect(scheduler.stats(v).flag_stores_skipped == 0, "off: no store to skip") }
        }
    }

    @Test func pvSchedOffNeverWritesTheFlag() throws {
        try run(vcpus: 2, cpus: [Self.cpus[0]], pvSched: false) { scheduler, records, _ in
            for v in 0 ..< scheduler.vcpus {
                #expect(SharedU32(records.flag(v)).loadRelaxed() == 7, "the sentinel is untouched")
                #expect(scheduler.stats(v).loads > 0)
            }
        }
    }

    @Test func aSecondSchedulerIsRefusedWhileOneExists() throws {
        let records = Records(count: 1, flagValue: 0)
        let make = {
            try VCPUScheduler(hostCPU: [0], slice: 1_000_000, pvSched: true, flags: [records.flag(0)],
                              stolen: [records.stolen(0)], kernels: VCPUScheduler.WriterKernels(.relaxed)!,
                              episodeCapacity: 0)
        }
        do {
            let first = try make()
            #expect(throws: VCPUScheduler.SetupError.self) { _ = try make() }
            withExtendedLifetime(first) {}
        }
        _ = try make()  // the first one is gone
    }

    /// The handler's translation unit calls only async-signal-safe C: its
    /// undefined symbols, as the linker sees them, are a short allow-list
    /// (sanitizer hooks aside), and none is a Swift symbol.
    @Test func theSwitchPathReferencesOnlyAsyncSignalSafeC() throws {
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "Contents" || dir.lastPathComponent == "MacOS" {
            dir.deleteLastPathComponent()
        }
        let object = dir.appendingPathComponent("CPVPlatform.build/pv_vcpu_switch.c.o").path
        try #require(FileManager.default.fileExists(atPath: object), "no \(object)")
        let nm = Process()
        nm.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        nm.arguments = ["nm", "-u", "--format=posix", object]
        let pipe = Pipe()
        nm.standardOutput = pipe
        try nm.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        nm.waitUntilExit()
        #expect(nm.terminationStatus == 0)
        let symbols = out.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(symbols.contains("clock_gettime"), "the listing is the handler's: \(symbols)")
        let allowed: Set = ["clock_gettime", "syscall", "timer_settime", "pread", "pread64", "pthread_sigmask",
                            "sigaddset", "sigemptyset", "__errno_location", "memset", "memcpy"]
        // Instrumentation a sanitizer build adds (its hooks and the section
        // bounds of its globals table), not calls the handler's code makes.
        let sanitizer = ["__tsan_", "__asan_", "__ubsan_", "__sanitizer_", "__msan_", "__start_asan", "__stop_asan"]
        for s in symbols where !sanitizer.contains(where: s.hasPrefix) {
            #expect(allowed.contains(s), "the switch path calls \(s)")
            #expect(!s.hasPrefix("$s") && !s.lowercased().contains("swift"))
        }
    }
}
}

extension OvercommitTests {
@Suite("Overcommit: the scenario", .serialized)
struct OvercommitScenarioTests {
    func settings(vcpus: Int = 4) -> RunSettings {
        var s = RunSettings(scenario: .overcommit, vcpus: vcpus, duration: 0.3, warmup: 0.05, repetitions: 2)
        s.overcommit.hostCPUs = Array(OvercommitTests.OvercommitSchedulerTests.cpus.prefix(2))
        return s
    }

    @Test func aProbeRunKeepsEveryInvariant() throws {
        let runner = ScenarioRunner(topology: try Topology.live(), clock: try HostConditions.clock())
        let r = try runner.run(settings())
        #expect(r.settings.name.contains("/probe/") && r.settings.name.contains("/overcommit:4:"))
        #expect(r.iterations.count == 2, "the scheduler resets between repetitions")
        for m in r.iterations {
            #expect(m.counters["stolen_time_error_ns_max"] == 0)
            #expect(m.counters["steal_update_mismatches"] == 0)
            #expect(m.counters["backwards_reads"] == 0)
            #expect(m.counters["flag_mismatches"] == 0)
            #expect(m.counters["overlapping_loads"] == 0)
            #expect(m.counters["wrong_cpu_loads"] == 0)
            #expect((m.counters["max_waited_slices"] ?? 99) <= (m.counters["max_waited_slices_bound"] ?? 0))
            #expect((m.counters["iterations_per_second"] ?? 0) > 0)
            liveness {
                #expect((m.counters["preemptions"] ?? 0) > 0)
                #expect(m.counters["slice_p50_ns"] != nil && m.counters["handoff_p50_ns"] != nil)
                #expect(m.counters["preemptions_in_region_fraction"] != nil)
            }
        }
        #expect(r.violations.violations == 0)
    }

    /// A run stops while waiters spin on an owner that waits for their CPU:
    /// preemption must go on until every vCPU has exited (it once stopped
    /// at the first exit, and such a run never ended).
    @Test(.timeLimit(.minutes(1)))
    func aLockRunWithManyWaitersPerCPUEnds() throws {
        let runner = ScenarioRunner(topology: try Topology.live(), clock: try HostConditions.clock())
        var s = settings(vcpus: 8)
        s.overcommit.workload = .lock
        s.duration = 0.1
        s.repetitions = 4
        for mode in [OvercommitSettings.PVSched.on, .off] {
            s.overcommit.pvSched = mode
            #expect(try runner.run(s).iterations.count == 4)
        }
    }

    /// PV sched on: waiters block on a preempted owner and barely spin on
    /// one; off: they never block and spin on it for whole slices.
    @Test func lockSpinWasteMovesTheRightWay() throws {
        let runner = ScenarioRunner(topology: try Topology.live(), clock: try HostConditions.clock())
        var s = settings()
        s.overcommit.workload = .lock
        s.repetitions = 1
        s.overcommit.pvSched = .on
        let on = try #require(try runner.run(s).median)
        s.overcommit.pvSched = .off
        let off = try #require(try runner.run(s).median)
        #expect(on.name.contains("/lock/") && on.name.contains("/pv-sched:on/") && on.name.contains("/cs:2us"))
        for m in [on, off] {
            #expect(m.counters["stolen_time_error_ns_max"] == 0)
            #expect(m.counters["backwards_reads"] == 0)
            #expect(m.counters["overlapping_loads"] == 0)
            #expect((m.counters["acquisitions_per_second"] ?? 0) > 0)
            #expect(m.counters["acquisition_p99_ns"] != nil)
            #expect(m.counters["preemptions_in_cs_fraction"] != nil)
        }
        #expect(off.counters["blocks_on_preempted_owner"] == 0, "with PV sched off nobody sees a preempted owner")
        liveness {
            #expect((on.counters["blocks_on_preempted_owner"] ?? 0) > 0)
            #expect((on.counters["spin_on_preempted_owner_ns_total"] ?? 0) < (off.counters["spin_on_preempted_owner_ns_total"] ?? 0))
        }
    }

    /// drop-writes with PV sched on: the skipped stores are counted, and
    /// waiters spin on preempted owners whose flag still says running. The
    /// direction holds on a loaded machine too: without the fault waiters
    /// block at the first sight of a preempted owner, with it every 4th
    /// put (N = 8: the stores alternate load, put) hides one.
    @Test func dropWritesHidesPreemptedOwnersFromTheWaiters() throws {
        let runner = ScenarioRunner(topology: try Topology.live(), clock: try HostConditions.clock())
        var s = settings()
        s.overcommit.workload = .lock
        s.repetitions = 1
        let clean = try #require(try runner.run(s).median)
        s.faults = [.dropWrites(every: 8)]
        let dropped = try #require(try runner.run(s).median)
        #expect(clean.counters["preempt_stores_skipped"] == nil, "no fault, no counter")
        #expect((dropped.counters["preempt_stores_skipped"] ?? 0) > 0)
        for m in [clean, dropped] {
            #expect(m.counters["stolen_time_error_ns_max"] == 0)
            #expect(m.counters["overlapping_loads"] == 0)
            let p99 = try #require(m.counters["acquisition_p99_ns"])
            let p999 = try #require(m.counters["acquisition_p999_ns"])
            #expect(p999 >= p99)
        }
        liveness {
            #expect((dropped.counters["spin_on_preempted_owner_ns_total"] ?? 0)
                > (clean.counters["spin_on_preempted_owner_ns_total"] ?? 0))
        }
        #expect(OvercommitScenario.faults.contains(.dropWrites))
        #expect(InjectedFault.dropWrites(every: 8).scenarios.contains(.overcommit))
    }

    /// The full suite sweeps the flags' layouts; smoke and default keep
    /// their one cacheline case (their time budgets).
    @Test func theFullSuiteSweepsLayoutsAndTheShortSuitesDoNot() {
        let full = OvercommitScenario.cases(in: .full).filter { $0.overcommit?.workload == .lock }
        #expect(Set(full.map(\.layout)) == [.cacheline, .packed])
        for layout in [VCPULayout.cacheline, .packed] {
            let cases = full.filter { $0.layout == layout }
            #expect(Set(cases.map(\.vcpus)) == Set(OvercommitScenario.vcpuSweep))
            #expect(Set(cases.compactMap(\.overcommit?.pvSched)) == [.on, .off])
        }
        for suite in [Suite.smoke, .default] {
            let cases = OvercommitScenario.cases(in: suite)
            #expect(cases.count == 1 && cases[0].layout == .cacheline)
        }
    }

    @Test func pvSchedBothInterleavesTheRoundsAndReportsTheRatio() throws {
        let runner = ScenarioRunner(topology: try Topology.live(), clock: try HostConditions.clock())
        var s = settings(vcpus: 3)
        s.overcommit.workload = .lock
        s.overcommit.pvSched = .both
        s.duration = 0.1
        #expect(throws: ScenarioError.self) { _ = try runner.run(s) }
        let c = try OvercommitComparison.run(s, on: runner)
        #expect(c.on.iterations.count == 2 && c.off.iterations.count == 2)
        #expect(c.on.settings.name.contains("pv-sched:on") && c.off.settings.name.contains("pv-sched:off"))
        #expect(c.ratios.count == 2)
        #expect(c.ratioInterval == nil, "no CI from two rounds")
        #expect(c.summary.contains("pv-sched:on/off") && c.summary.contains("fewer than 6 rounds"))
        #expect(c.on.median?.counters["pv_sched_throughput_ratio"] != nil)
        #expect(c.summary.contains("acquisition p99 on/off") && c.summary.contains("p99.9 on/off"))
        #expect(!c.summary.contains("stores skipped"), "no fault: no skipped-store figure")
    }

    @Test func theGuestAccountsTheStealTheEmulatorAdded() throws {
        var s = settings()
        s.overcommit.workload = .steal
        s.overcommit.tick = 200_000
        s.repetitions = 1
        let r = try ScenarioRunner(topology: try Topology.live(), clock: try HostConditions.clock()).run(s)
        let m = try #require(r.median)
        #expect(m.name.contains("/steal/") && m.name.contains("/tick:200us"))
        #expect(m.counters["stolen_time_error_ns_max"] == 0)
        #expect(m.counters["backwards_reads"] == 0)
        #expect((m.counters["guest_ticks"] ?? 0) > 0)
        // Every ns the guest accounted was added by the emulator: the clamp
        // can only hold some back, never invent any.
        #expect((m.counters["guest_steal_ns_total"] ?? 1) <= (m.counters["steal_truth_ns_total"] ?? 0))
        s.overcommit.tick = 5_000
        #expect(throws: RunSettingsError.self) { try s.validate() }
    }

    @Test func pvSchedOffRuns() throws {
        var s = settings(vcpus: 3)
        s.overcommit.pvSched = .off
        s.repetitions = 1
        let r = try ScenarioRunner(topology: try Topology.live(), clock: try HostConditions.clock()).run(s)
        #expect(r.settings.name.contains("/pv-sched:off/"))
        #expect(r.median?.counters["flag_checks"] == 0)
        #expect(r.median?.counters["stolen_time_error_ns_max"] == 0)
    }

    @Test func badInputIsRefusedBeforeAnythingRuns() throws {
        var s = settings()
        s.strategy = .builtIn(.seqlock)
        #expect(throws: RunSettingsError.self) { try s.validate() }
        s = settings()
        s.overcommit.slice = 5_000
        let error = #expect(throws: RunSettingsError.self) { try s.validate() }
        #expect(error?.description.contains("20us") == true)
        s = settings(vcpus: 1000)
        #expect(throws: RunSettingsError.self) { try s.validate() }
        s = settings()
        s.overcommit.hostCPUs = [0, 0]
        #expect(throws: RunSettingsError.self) { try s.validate() }

        let topology = try Topology.live()
        s = settings()
        s.overcommit.hostCPUs = [4000]
        #expect(throws: OvercommitScenario.SetupError.cpusNotUsable([4000], usable: topology.usableCPUs)) {
            _ = try OvercommitScenario.preflight(s, topology: topology)
        }
        let tooShort = OvercommitScenario.SetupError.sliceTooShort(slice: 20_000, handoff: 9_000, factor: 4)
        #expect(tooShort.description.contains("9000 ns") && tooShort.description.contains("36us"))
        // M >= N: allowed, reported as the control.
        s = settings(vcpus: 1)
        #expect(try OvercommitScenario.preflight(s, topology: topology).contains { $0.contains("the control") })
    }

    @Test func vCPUsGoRoundRobinOverTheHostCPUs() throws {
        var s = settings(vcpus: 5)
        s.overcommit.hostCPUs = [3, 7]
        #expect(try OvercommitScenario.hostCPUs(s, usable: [3, 7, 9]) == [3, 7, 3, 7, 3])
        s.overcommit.hostCPUs = nil
        #expect(try OvercommitScenario.hostCPUs(s, usable: [1, 2, 5]) == [1, 2, 1, 2, 1])
    }
}
}
