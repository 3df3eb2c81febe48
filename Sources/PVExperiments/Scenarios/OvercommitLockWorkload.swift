import CPVPlatform
import PVHost
import PVRuntime
import Synchronization

/// The guest's one contended lock: the owner's vCPU + 1 (0: free), and the
/// vCPUs blocked waiting for a release, one bit each.
final class GuestLock: Sendable {
    let owner = Atomic<UInt32>(0)
    let waiters = Atomic<UInt64>(0)
}

/// `overcommit --workload lock`: every vCPU takes one lock around a
/// critical section of `--cs` ns and works as long outside it. A waiter
/// spins on the owner as `mutex_spin_on_owner` does: while the lock is held
/// by the same owner it re-reads `vcpu_is_preempted(owner)` every
/// iteration and, once the owner's vCPU is preempted, stops spinning and
/// blocks (a voluntary put: the vCPU halts until the release kicks it).
/// With PV sched off the flag reads as 0 (`return false`), so waiters spin
/// until the release or the end of their own slice.
///
/// Spin waste is measured against the scheduler's own state, not the flag:
/// time a waiter spent spinning while the owner's vCPU was descheduled
/// (`spin_on_preempted_owner_ns_total`), the same check in both modes.
struct OvercommitLockWorkload<P: RecordStrategy, T: RecordStrategy>: OvercommitWorkload
    where P.Target == PreemptedFlagTarget, T.Target == StolenTimeFieldTarget
{
    let vcpus: OvercommitVCPUs
    let lock: GuestLock
    let csTicks: UInt64

    struct Tally: Sendable {
        var vcpu = VCPUTally()
        var recorder: LatencyRecorder
        var spinTicks: UInt64 = 0
        var spinOnPreemptedTicks: UInt64 = 0
        var blocks: UInt64 = 0
        var csTicks: UInt64 = 0
    }

    func body(_ context: PinnedThreadContext, _ control: RepetitionControl) -> Tally {
        let v = context.index
        var t = Tally(recorder: LatencyRecorder(conversion: control.conversion))
        guard enter(v, &t.vcpu) else { return t }
        let word = scheduler.regionWord(v)
        let ownStolen = records.guestStolen[v]
        let flags = records.guestFlags
        let pvSched = settings.overcommit.pvSched == .on
        let tag = UInt32(v + 1), bit = UInt64(1) << UInt64(v)
        let cs = csTicks
        var retries: UInt64 = 0
        var lastSteal = T.read(ownStolen, retries: &retries)
        t.vcpu.window = measuredLoop(control, thread: v, onMeasureStart: {
            t.vcpu.start = scheduler.stats(v)
            t.recorder = LatencyRecorder(conversion: control.conversion)
            (t.spinTicks, t.spinOnPreemptedTicks, t.blocks, t.csTicks, t.vcpu.backwards) = (0, 0, 0, 0, 0)
        }) { measuring in
            let begin = CycleClock.now()
            var spin: UInt64 = 0, onPreempted: UInt64 = 0, blocks: UInt64 = 0
            while !lock.owner.compareExchange(expected: 0, desired: tag, ordering: .acquiring).exchanged {
                let owner = lock.owner.load(ordering: .relaxed)
                guard owner != 0 else { continue }
                let o = Int(owner &- 1)
                var last = CycleClock.now()
                var mine = scheduler.sequence(v)
                // mutex_spin_on_owner: spin while the same owner holds it and runs.
                while lock.owner.load(ordering: .relaxed) == owner {
                    let descheduled = scheduler.sequence(o) & 3 == 2
                    let now = CycleClock.now(), me = scheduler.sequence(v)
                    // An iteration this vCPU was itself preempted in is not spinning.
                    if me == mine {
                        spin &+= now &- last
                        if descheduled { onPreempted &+= now &- last }
                    }
                    (last, mine) = (now, me)
                    var r: UInt64 = 0
                    if pvSched, P.read(flags[o], retries: &r) != 0 {
                        // The owner is preempted: stop spinning, sleep until the release.
                        lock.waiters.bitwiseOr(bit, ordering: .sequentiallyConsistent)
                        if lock.owner.load(ordering: .sequentiallyConsistent) == owner, scheduler.halt(v) { blocks &+= 1 }
                        lock.waiters.bitwiseAnd(~bit, ordering: .sequentiallyConsistent)
                        last = CycleClock.now()
                        break
                    }
                    pv_cpu_relax()
                }
            }
            let acquired = CycleClock.now()
            pv_vcpu_region_mark(word, 1)
            while CycleClock.now() &- acquired < cs { pv_cpu_relax() }
            pv_vcpu_region_mark(word, 0)
            let released = CycleClock.now()
            lock.owner.store(0, ordering: .sequentiallyConsistent)
            var waiting = lock.waiters.load(ordering: .sequentiallyConsistent)
            while waiting != 0 {
                let w = waiting.trailingZeroBitCount
                scheduler.kick(w)
                waiting &= waiting &- 1
            }
            // Outside the critical section: the scheduler tick reads the steal clock.
            let s = T.read(ownStolen, retries: &retries)
            if s < lastSteal { t.vcpu.backwards &+= 1 }
            lastSteal = s
            while CycleClock.now() &- released < cs { pv_cpu_relax() }
            if measuring {
                t.recorder.record(fromTicks: begin, toTicks: acquired)
                t.spinTicks &+= spin
                t.spinOnPreemptedTicks &+= onPreempted
                t.blocks &+= blocks
                t.csTicks &+= released &- acquired
            }
            return 1
        }
        scheduler.exit(v)
        return t
    }

    func summarize(_ tallies: [Tally], clock: CycleClock) -> RepetitionFigures {
        overcommitFigures(tallies.map(\.vcpu), clock: clock) { f, figures in
            let ns = { (k: KeyPath<Tally, UInt64>) in tallies.reduce(0.0) { $0 + Double(clock.conversion.nanoseconds($1[keyPath: k])) } }
            figures.counters["acquisitions_per_second"] = figures.counters["iterations_per_second"]
            figures.counters.merge(LatencyDistribution(merging: tallies.map(\.recorder)).counters(prefix: "acquisition_")) { a, _ in a }
            figures.counters["spin_ns_total"] = ns(\.spinTicks)
            figures.counters["spin_on_preempted_owner_ns_total"] = ns(\.spinOnPreemptedTicks)
            figures.counters["blocks_on_preempted_owner"] = Double(tallies.reduce(0) { $0 + $1.blocks })
            // preemptions inside the critical section, against the share of the
            // vCPUs' running time spent there.
            figures.counters["preemptions_in_cs_fraction"] = figures.counters["preemptions_in_region_fraction"]
            figures.counters["preemptions_in_region_fraction"] = nil
            let running = f.windowNs - f.deschedNs
            if running > 0 { figures.counters["cs_time_fraction"] = (ns(\.csTicks) - f.deschedInRegionNs) / running }
        }
    }
}
