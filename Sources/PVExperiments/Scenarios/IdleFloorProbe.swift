import PVHost
import PVRuntime
import PVRecords

/// `--idle-floor auto`: the idle floor measured the way every repetition is
/// measured. One thread per CPU does nothing but spin, through the same
/// ``RepetitionDriver`` as a case: the same warm-up and window, the same
/// controller waking to poll, the same snapshots read before and after.
///
/// The harness takes its own share of a window (its controller preempts a
/// measured thread when it wakes, its snapshots read /proc on a measured
/// CPU), and that share is in every repetition. A probe that times itself
/// from inside the spinning thread does not pay it: on a quiet 2-vCPU KVM
/// guest such a probe read 0.07–1.81 % over nine runs of the default suite
/// (median of 5 × 60 ms windows, single windows 0.02–14.9 %), while the
/// repetitions of those same runs lost 0.93–1.06 % (median) every time, so
/// how many repetitions were called disturbed (22 to 155 of about 300)
/// depended on how lucky the probe was.
extension ScenarioRunner {
    /// Spins one pinned thread on each of `cpus` for `windows` repetitions of
    /// `duration` seconds after `warmup`; the floor is the median of the
    /// windows' largest off-CPU share; nil when no window was measured (the
    /// run interrupted first), rather than a floor of 0 nothing measured.
    public func measureIdleFloor(cpus: [Int], windows: Int, duration: Double, warmup: Double) throws -> IdleFloor? {
        precondition(windows > 0 && !cpus.isEmpty, "an idle floor needs at least one window and one CPU")
        var driver = RepetitionDriver(warmup: warmup, duration: duration, oversubscribe: false, clock: clock,
                                      isInterrupted: isInterrupted)
        driver.disturbanceRule = .never
        let workload = SpinWorkload(threads: cpus.enumerated().map {
            PinnedThreadSpec(role: ThreadRole(.auxiliary, $0.offset), cpu: $0.element)
        })
        var shares: [Double] = []
        var window: UInt64 = 0
        for _ in 0 ..< windows {
            let outcome = try driver.run(workload)
            if outcome.interrupted { break }
            guard let d = outcome.disturbance else { continue }
            shares.append(d.offCPUFraction)
            window = max(window, d.windowNanoseconds)
        }
        return shares.isEmpty ? nil : IdleFloor(cpus: cpus, windowNanoseconds: window, windows: shares)
    }
}

/// Threads that only spin: what a measured thread loses when it measures nothing.
struct SpinWorkload: ScenarioWorkload {
    let threads: [PinnedThreadSpec]

    func body(_ context: PinnedThreadContext, _ control: RepetitionControl) -> UInt64 {
        measuredLoop(control, thread: context.index) { _ in
            for _ in 0 ..< 256 { _ = CycleClock.now() }
            return 256
        }.operations
    }

    func summarize(_ tallies: [UInt64], clock: CycleClock) -> RepetitionFigures {
        RepetitionFigures(iterations: Int64(tallies.reduce(0, &+)), nanosecondsPerOperation: 0, counters: [:])
    }
}
