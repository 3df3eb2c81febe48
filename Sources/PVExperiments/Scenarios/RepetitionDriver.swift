import Foundation
import Synchronization
import PVHost
import PVRuntime
import PVABI
import CPVPlatform
import PVRecords

/// Runs the repetitions of one workload: spawns its pinned threads on a
/// helper thread, steers the phases from the calling thread (warm-up,
/// measure, stop) and collects each thread's tally.
struct RepetitionDriver {
    let warmup: Double
    let duration: Double
    let oversubscribe: Bool
    let clock: CycleClock
    /// Polled while waiting; true stops the repetition at once (Ctrl-C).
    let isInterrupted: @Sendable () -> Bool
    /// perf_event counters to open per thread over the measured window.
    var perfEvents: [PerfEvent]? = nil
    /// Hold the threads before warm-up until the user releases them.
    var pauseBeforeStart = false
    /// When the measured window counts as disturbed.
    var disturbanceRule = DisturbanceRule()
    /// For a C strategy file's code: each thread named to the crash
    /// handler, and a watchdog for threads that never return.
    var guarded: ValidationRunner.Guard?

    struct Outcome<Tally> {
        var tallies: [Tally]
        var reports: [PinnedThreadReport]
        var interrupted: Bool
        /// Per thread index: perf readings over the measured window and its operations.
        var perf: [Int: (readings: PerfCounterReadings, operations: UInt64)]
        /// What disturbed the measured threads over the window (nil when the
        /// threads never reached it: they failed to start, or an interrupt).
        var disturbance: Disturbance?
    }

    func run<W: ScenarioWorkload>(_ workload: W) throws -> Outcome<W.Tally> {
        let specs = workload.threads
        let phase = RunPhase(pauseBeforeStart ? .held : .warmup)
        let stop = StopFlag()
        let perf = perfEvents.map { PerfSlots(events: $0) }
        let control = RepetitionControl(phase: phase, conversion: clock.conversion, perf: perf)
        let slots = Mutex<[W.Tally?]>(Array(repeating: nil, count: specs.count))
        let started = Mutex<[(name: String, tid: Int32, cpu: Int)]>([])
        let result = Mutex<Result<[PinnedThreadReport], any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let oversubscribe = oversubscribe
        let guarded = guarded
        let running = Mutex<[String]>([])

        let spawner = Thread {
            let r = Result {
                try PinnedThreads.run(specs, stop: stop, oversubscribe: oversubscribe) { context in
                    started.withLock { $0.append((context.role.name, context.tid, context.cpu)) }
                    if let guarded {
                        guarded.enter(context.role.name)
                        running.withLock { $0.append(context.role.name) }
                    }
                    defer {
                        if guarded != nil {
                            running.withLock { $0.removeAll { $0 == context.role.name } }
                            pv_crash_guard_leave_thread()
                        }
                    }
                    let tally = workload.body(context, control)
                    slots.withLock { $0[context.index] = tally }
                }
            }
            result.withLock { $0 = r }
            finished.signal()
        }
        spawner.stackSize = 1 << 20
        spawner.start()

        // Every thread running before the warm-up counts (a loaded machine
        // may start them late), unless they ended without starting (pinning).
        while started.withLock({ $0.count }) < specs.count, !isInterrupted() {
            if finished.wait(timeout: .now() + .milliseconds(1)) == .success {
                finished.signal()  // the threads ended without starting: keep it signalled
                break
            }
        }
        if pauseBeforeStart {
            if started.withLock({ $0.count }) == specs.count {
                PauseGate.wait(threads: started.withLock { $0 }, isInterrupted: isInterrupted)
            }
            phase.advance(to: .warmup)
        }
        // Warm-up, then measure; a failure to start (pinning) ends the wait early.
        var interrupted = waitWhileRunning(seconds: warmup, finished: finished)
        var disturbance: Disturbance?
        if !interrupted {
            // Read outside the threads' loops, from this (mostly sleeping) thread.
            let measured = started.withLock { $0 }
            let tids = measured.map(\.tid), cpus = Array(Set(measured.map(\.cpu))).sorted()
            let before = DisturbanceSnapshot.take(threads: tids, cpus: cpus)
            phase.advance(to: .measure)
            interrupted = waitWhileRunning(seconds: duration, finished: finished)
            let after = DisturbanceSnapshot.take(threads: tids, cpus: cpus)
            if !interrupted, measured.count == specs.count { disturbance = before.disturbance(until: after, rule: disturbanceRule) }
        }
        phase.advance(to: .stop)
        stop.stop()
        // The hang watchdog starts only now: it judges threads still running
        // `grace` after the stop, and started earlier it would be one more
        // thread waking through the measured window of C-file cases alone.
        let watchdog = guarded.map { g in
            // `running` covers a thread's whole body (its calls into the file,
            // the workload's loop and waits around them), so "still running".
            LoopThread.watchdog(stop: stop, grace: g.grace, stillRunning: "still running",
                                running: { running.withLock { $0 } }, onHang: g.onHang)
        }
        defer { watchdog?.finish() }
        finished.wait()

        let reports = try result.withLock { $0! }.get()
        let tallies = slots.withLock { $0 }.compactMap { $0 }
        precondition(tallies.count == specs.count, "every thread publishes one tally")
        return Outcome(tallies: tallies, reports: reports, interrupted: interrupted, perf: perf?.all ?? [:],
                       disturbance: disturbance)
    }

    /// Sleeps up to `seconds` in small steps; returns true when interrupted.
    /// Returns early (false) when the threads already finished (failed to start).
    private func waitWhileRunning(seconds: Double, finished: DispatchSemaphore) -> Bool {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        while DispatchTime.now().uptimeNanoseconds < deadline {
            if isInterrupted() { return true }
            // Every wake of this thread preempts a measured one (all CPUs may be
            // measured): 5 ms polls cost about 1% of a window in run_delay on a
            // 2-vCPU VM, enough to flag it disturbed; 50 ms ones cost 0.1%.
            let step = min(UInt64(50_000_000), deadline - min(deadline, DispatchTime.now().uptimeNanoseconds))
            if finished.wait(timeout: .now() + .nanoseconds(Int(max(step, 1_000_000)))) == .success {
                finished.signal()  // keep it signalled for the final wait
                return false
            }
        }
        return isInterrupted()
    }
}
