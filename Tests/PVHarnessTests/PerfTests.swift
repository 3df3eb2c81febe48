#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Testing
@testable import PVHost
@testable import PVExperiments

/// Work the counters can see: strided writes over a buffer larger than any
/// L2 (so there are cache misses on a machine that counts them) plus
/// arithmetic. Returns a checksum so nothing is optimised away.
@inline(never)
private func busyWork(rounds: Int = 4) -> UInt64 {
    let bytes = 16 << 20
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes, alignment: 64)
    defer { buffer.deallocate() }
    var sum: UInt64 = 0
    for r in 0 ..< rounds {
        for offset in stride(from: 0, to: bytes, by: 64) {
            buffer.storeBytes(of: UInt64(offset &+ r), toByteOffset: offset, as: UInt64.self)
            sum &+= buffer.load(fromByteOffset: offset, as: UInt64.self) &* 0x9E37_79B9
        }
    }
    return sum
}

private func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

@Suite("perf_event_open counters")
struct PerfTests {
    @Test("software events count a busy loop with plausible values, or say why they cannot")
    func softwareEvents() throws {
        let set = PerfCounterSet.open(events: PerfEvent.software)
        let t0 = monotonicNanoseconds()
        set.start()
        let checksum = busyWork()
        set.stop()
        let elapsed = monotonicNanoseconds() - t0
        let readings = set.read()
        #expect(checksum != 0)
        #expect(readings.readings.map(\.event) == PerfEvent.software)

        switch readings[.taskClock]! {
        case let .value(count):
            // The loop ran on this thread, so it took CPU time, at most the wall time around it.
            #expect(count.raw > 0, "task-clock counted 0 ns for a busy loop")
            #expect(count.value <= Double(elapsed) * 1.05 + 1_000_000, "task-clock \(count.value) ns > wall \(elapsed) ns")
            #expect(count.value >= Double(elapsed) / 100, "task-clock \(count.value) ns is implausibly small for \(elapsed) ns")
        case let .unavailable(reason):
            // Only a kernel or sandbox that refuses perf_event_open as a whole may lack task-clock.
            #expect([EACCES, EPERM, ENOSYS].contains(reason.errno ?? 0), "task-clock unavailable: \(reason)")
            try Test.cancel("perf_event_open refuses even task-clock here: \(reason)")
        }
        for event in [PerfEvent.contextSwitches, .cpuMigrations] {
            if let reason = readings[event]!.unavailableReason {
                #expect(!reason.text.isEmpty)
            }
        }
    }

    @Test("hardware events give a positive count or an unavailable reason, never 0")
    func hardwareEvents() throws {
        let set = PerfCounterSet.open(events: PerfEvent.hardware)
        set.start()
        let checksum = busyWork()
        set.stop()
        let readings = set.read()
        #expect(checksum != 0)
        for (event, reading) in readings.readings {
            switch reading {
            case let .value(count):
                #expect(count.raw > 0, "\(event) counted as available but read 0 over a busy loop")
            case let .unavailable(reason):
                #expect(reason.text.count > 20, "\(event) unavailable with no usable reason: '\(reason)'")
                #expect(reason.text.contains(PerfUnavailableReason.errnoName(reason.errno ?? 0)) || reason.errno == nil)
            }
        }
        let perOp = readings.perOperation(1_000)
        for event in PerfEvent.hardware {
            let counted = perOp.counters[event.perOperationKey] != nil
            let missing = perOp.unavailable.contains { $0.event == event }
            #expect(counted != missing, "\(event) must be exactly one of counted or unavailable")
            if let v = perOp.counters[event.perOperationKey] { #expect(v > 0) }
        }
        // The reasons were checked; with no event counted, the counting was not.
        if perOp.counters.isEmpty, let first = perOp.unavailable.first {
            try Test.cancel("no hardware event counts here (\(perOp.unavailable.count) unavailable), e.g. \(first.event): \(first.reason)")
        }
    }

    @Test("group members are read with the group: a thread that sleeps counts its context switches")
    func groupMembers() throws {
        let set = PerfCounterSet.open(events: [.taskClock, .contextSwitches])
        set.start()
        for _ in 0 ..< 3 { usleep(2_000) }
        set.stop()
        let readings = set.read()
        switch readings[.contextSwitches]! {
        case let .value(count):
            // Sleeping leaves the CPU (the kernel may miss the switch racing the enable, so not exactly 3).
            #expect(count.raw >= 1, "context-switches \(count.raw) after 3 sleeps")
            #expect(!count.isScaled, "software events are never multiplexed")
        case let .unavailable(reason):
            #expect(reason.text.contains("perf_event_paranoid") || [EACCES, EPERM, ENOSYS].contains(reason.errno ?? 0),
                    "context-switches unavailable: \(reason)")
            try Test.cancel("context-switches cannot be counted here: \(reason)")
        }
    }

    @Test("a stopped set does not count on")
    func stopFreezes() throws {
        let set = PerfCounterSet.open(events: [.taskClock])
        guard set.hasAnyCounter else {
            let reason = try #require(set.availability.first?.unavailable, "no counter and no reason")
            try Test.cancel("task-clock cannot be counted here: \(reason)")
        }
        set.start()
        _ = busyWork(rounds: 1)
        set.stop()
        let first = try #require(set.read()[.taskClock]?.count)
        _ = busyWork(rounds: 2)
        let second = try #require(set.read()[.taskClock]?.count)
        #expect(first.raw > 0)
        #expect(first == second)
        set.start()   // start zeroes: a new window
        set.stop()
        #expect(try #require(set.read()[.taskClock]?.count).raw < first.raw)
    }

    @Test("per-operation figures: scaled counts are scaled and noted, missing ones keep their reason")
    func perOperation() {
        let reason = PerfUnavailableReason.openFailed(.cycles, errno: ENOENT, paranoid: 2)
        let readings = PerfCounterReadings([
            (.cycles, .unavailable(reason)),
            (.instructions, .value(PerfCount(raw: 1_000, timeEnabled: 400, timeRunning: 100))),
            (.taskClock, .value(PerfCount(raw: 5_000, timeEnabled: 5_000, timeRunning: 5_000))),
        ])
        let perOp = readings.perOperation(100)
        #expect(perOp.counters == ["instructions_per_op": 40, "task_clock_ns_per_op": 50])
        #expect(perOp.unavailable == [.init(event: .cycles, reason: reason.text)])
        #expect(perOp.notes.count == 1)
        #expect(perOp.notes.first?.contains("instructions was multiplexed: counted 25%") == true)
        #expect(perOp.contextLines.first?.hasPrefix("perf counter cycles unavailable: ENOENT") == true)
        #expect(perOp.counters["cycles_per_op"] == nil, "an unavailable counter must not appear as a figure")

        let none = readings.perOperation(0)
        #expect(none.counters.isEmpty)
        #expect(none.unavailable.map(\.event) == [.cycles, .instructions, .taskClock])
    }

    @Test("scaling follows enabled/running time, as perf stat does")
    func scaling() {
        let full = PerfCount(raw: 700, timeEnabled: 1_000, timeRunning: 1_000)
        #expect(!full.isScaled)
        #expect(full.value == 700)
        let half = PerfCount(raw: 700, timeEnabled: 1_000, timeRunning: 500)
        #expect(half.isScaled)
        #expect(half.value == 1_400)
        #expect(half.runningFraction == 0.5)
    }

    @Test("reasons name the errno and what to do about it")
    func reasons() {
        let noPMU = PerfUnavailableReason.openFailed(.cycles, errno: ENOENT, paranoid: 2)
        #expect(noPMU.text.hasPrefix("ENOENT: no PMU here counts cycles"))
        #expect(noPMU.text.contains("pmu=on"))
        let notSupported = PerfUnavailableReason.openFailed(.l1dReadMisses, errno: EOPNOTSUPP, paranoid: nil)
        #expect(notSupported.text.hasPrefix("EOPNOTSUPP"))
        let denied = PerfUnavailableReason.openFailed(.instructions, errno: EACCES, paranoid: 3)
        #expect(denied.text.contains("kernel.perf_event_paranoid is 3"))
        #expect(denied.text.contains("CAP_PERFMON"))
        let kernelOnly = PerfUnavailableReason.kernelOnly(.contextSwitches, paranoid: 2)
        #expect(kernelOnly.text.contains("perf_event_paranoid is 2"))
    }

    @Test("the probe lists every event as counted or unavailable with a reason")
    func probe() {
        let probe = PerfCounters.probe()
        let lines = probe.summaryLines
        #expect(lines.count == PerfEvent.allCases.count + 1)
        #expect(lines[0].hasPrefix("perf counters (perf_event_open, per thread;"))
        for (line, event) in zip(lines.dropFirst(), PerfEvent.allCases) {
            #expect(line.contains(event.rawValue))
            #expect(line.contains("counted") || line.contains("unavailable: "), "\(line)")
        }
        #expect(Set(probe.available).isDisjoint(with: Set(probe.unavailable.map(\.event))))
        #expect(probe.available.count + probe.unavailable.count == PerfEvent.allCases.count)
        print(lines.joined(separator: "\n"))
    }
}
