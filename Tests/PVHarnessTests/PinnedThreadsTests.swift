import Foundation
import Synchronization
import Testing
@testable import PVHost
@testable import PVExperiments
import PVRuntime
import PVABI

/// Live tests: real threads on this machine's CPUs.
@Suite("PinnedThreads")
struct PinnedThreadsTests {
    /// Up to `count` distinct CPUs this process may use (fewer on a smaller machine).
    static func someAllowedCPUs(_ count: Int) throws -> [Int] {
        Array(try ProcessAffinity.allowedCPUs().prefix(count))
    }

    /// The names of every thread of this process, from /proc/self/task/*/comm.
    static func threadNames() -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { tid in
            (try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .newlines)
        }
    }

    /// Spins (yielding) until `counter` reaches `target` or ten seconds pass.
    static func waitUntil(_ counter: borrowing Atomic<Int>, reaches target: Int) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while counter.load(ordering: .acquiring) < target {
            if Date() > deadline { return false }
            sched_yield()
        }
        return true
    }

    final class Observations: Sendable {
        let entered = Atomic<Int>(0)
        let scanned = Atomic<Int>(0)
        let seen = Mutex<[String: (cpu: Int, ownComm: String, allComms: [String])]>([:])
    }

    @Test("threads run on their planned CPUs and carry their role names")
    func pinnedAndNamed() throws {
        let cpus = try Self.someAllowedCPUs(2)
        var specs = [PinnedThreadSpec(role: ThreadRole(.hypervisorWriter, 0), cpu: cpus[0])]
        if cpus.count > 1 { specs.append(PinnedThreadSpec(role: ThreadRole(.guestReader, 0), cpu: cpus[1])) }
        let observations = Observations()
        let n = specs.count
        let reports = try PinnedThreads.run(specs, stop: StopFlag()) { context in
            observations.entered.add(1, ordering: .acquiringAndReleasing)
            _ = Self.waitUntil(observations.entered, reaches: n)
            let own = (try? String(contentsOfFile: "/proc/self/task/\(context.tid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .newlines) ?? "?"
            let all = Self.threadNames()
            observations.seen.withLock { $0[context.role.name] = (ProcessAffinity.currentCPU() ?? -1, own, all) }
            observations.scanned.add(1, ordering: .acquiringAndReleasing)
            _ = Self.waitUntil(observations.scanned, reaches: n)  // keep every thread alive until all have looked
        }
        #expect(reports.map { $0.name } == specs.map { $0.role.name })
        for (spec, report) in zip(specs, reports) {
            #expect(report.plannedCPU == spec.cpu)
            #expect(report.observedCPUAtStart == spec.cpu)
            #expect(report.observedCPUAtEnd == spec.cpu)
            #expect(report.tid > 0)
        }
        let seen = observations.seen.withLock { $0 }
        for spec in specs {
            let entry = try #require(seen[spec.role.name])
            #expect(entry.cpu == spec.cpu, "\(spec.role) ran on CPU \(entry.cpu), planned \(spec.cpu)")
            #expect(entry.ownComm == spec.role.name)
            for other in specs { #expect(entry.allComms.contains(other.role.name), "\(other.role) not in \(entry.allComms)") }
        }
    }

    @Test("a disallowed CPU is refused before any body runs")
    func disallowedCPU() throws {
        let allowed = try ProcessAffinity.allowedCPUs()
        let bad = (allowed.max() ?? 0) + 1000
        let ran = Atomic<Int>(0)
        let specs = [PinnedThreadSpec(role: ThreadRole(.hypervisorWriter, 0), cpu: allowed[0]),
                     PinnedThreadSpec(role: ThreadRole(.guestReader, 0), cpu: bad)]
        #expect(throws: PinningError.cpuNotAllowed(thread: "gst-r0", cpu: bad, allowed: allowed)) {
            try PinnedThreads.run(specs, stop: StopFlag()) { _ in ran.add(1, ordering: .relaxed) }
        }
        #expect(ran.load(ordering: .relaxed) == 0)
        let message = PinningError.cpuNotAllowed(thread: "gst-r0", cpu: bad, allowed: allowed).description
        #expect(message.contains("CPU \(bad)") && message.contains("gst-r0") && message.contains(CPUList.format(allowed)))
    }

    @Test("two threads on one CPU need oversubscribe")
    func oversubscription() throws {
        let cpu = try ProcessAffinity.allowedCPUs()[0]
        let specs = [PinnedThreadSpec(role: ThreadRole(.hypervisorWriter, 0), cpu: cpu),
                     PinnedThreadSpec(role: ThreadRole(.guestReader, 0), cpu: cpu)]
        #expect(throws: PinningError.oversubscribed(cpu: cpu, threads: ["hv-w0", "gst-r0"])) {
            try PinnedThreads.run(specs, stop: StopFlag()) { _ in }
        }
        let reports = try PinnedThreads.run(specs, stop: StopFlag(), oversubscribe: true) { _ in }
        #expect(reports.map { $0.observedCPUAtStart } == [cpu, cpu])
    }

    @Test("duplicate names and negative CPUs are refused")
    func badSpecs() throws {
        let cpus = try Self.someAllowedCPUs(2)
        let same = ThreadRole(.guestReader, 1)
        #expect(throws: PinningError.duplicateName("gst-r1")) {
            try PinnedThreads.run([PinnedThreadSpec(role: same, cpu: cpus[0]), PinnedThreadSpec(role: same, cpu: cpus.last!)],
                                  stop: StopFlag(), oversubscribe: true) { _ in }
        }
        #expect(throws: PinningError.invalidCPU(thread: "aux0", cpu: -1)) {
            try PinnedThreads.run([PinnedThreadSpec(role: ThreadRole(.auxiliary, 0), cpu: -1)], stop: StopFlag()) { _ in }
        }
    }

    @Test("one stop flag ends every thread's loop")
    func stopFlag() throws {
        let cpus = try Self.someAllowedCPUs(2)
        let specs = [PinnedThreadSpec(role: ThreadRole(.hypervisorWriter, 0), cpu: cpus[0]),
                     PinnedThreadSpec(role: ThreadRole(.guestReader, 0), cpu: cpus.last!)]
        let loops = Mutex<[String: Int]>([:])
        let stop = StopFlag()
        _ = try PinnedThreads.run(specs, stop: stop, oversubscribe: cpus.count < 2) { context in
            var n = 0
            if context.role.kind == .hypervisorWriter {
                while n < 1000 { n += 1; sched_yield() }
                context.stop.stop()
            } else {
                while !context.stop.isStopped { n += 1; sched_yield() }
            }
            loops.withLock { $0[context.role.name] = n }
        }
        #expect(stop.isStopped)
        let counts = loops.withLock { $0 }
        #expect(counts["hv-w0"] == 1000)
        #expect(counts["gst-r0"] != nil, "the reader returned after the stop")
    }

    @Test("role names follow the kernel's comm limit")
    func roleNames() {
        #expect(ThreadRole(.hypervisorWriter, 0).name == "hv-w0")
        #expect(ThreadRole(.guestReader, 3).description == "gst-r3")
        #expect(ThreadRole(custom: "c2c-a").name == "c2c-a")
        #expect(ThreadRole(validating: String(repeating: "x", count: 15)) != nil)
        #expect(ThreadRole(validating: String(repeating: "x", count: 16)) == nil)
        #expect(ThreadRole(validating: "") == nil)
        #expect(ThreadRole(validating: "tab\there") == nil)
    }
}
