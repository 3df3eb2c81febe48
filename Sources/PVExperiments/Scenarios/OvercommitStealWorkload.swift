import CPVPlatform
import Glibc
import PVHost
import PVRuntime

/// `overcommit --workload steal`: each vCPU works in small steps and, at
/// each of its own ticks (every `--tick` of its clock, late when it was
/// descheduled over one), accounts steal time as
/// `steal_account_process_time()` does: `steal = para_steal_clock() -
/// prev_steal_time`, clamped to the time elapsed since the last tick,
/// accounted, and added to `prev_steal_time` (a clamped remainder is
/// accounted at later ticks). Reports what the guest accounted over the
/// measured window against the emulator's ground truth: the deltas its
/// loads added in that window.
struct OvercommitStealWorkload<P: RecordStrategy, T: RecordStrategy>: OvercommitWorkload
    where P.Target == PreemptedFlagTarget, T.Target == StolenTimeFieldTarget
{
    let vcpus: OvercommitVCPUs
    let tickTicks: UInt64

    struct Tally: Sendable {
        var vcpu = VCPUTally()
        var accountedNs: UInt64 = 0
        var clampedTicks: UInt64 = 0
        var ticks: UInt64 = 0
        /// CLOCK_MONOTONIC at the window's first and last read of the record.
        var startNs: UInt64 = 0
        var endNs: UInt64 = 0
    }

    static func monotonicNs() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    func body(_ context: PinnedThreadContext, _ control: RepetitionControl) -> Tally {
        let v = context.index
        var t = Tally()
        guard enter(v, &t.vcpu) else { return t }
        let ownStolen = records.guestStolen[v]
        let conversion = control.conversion
        var retries: UInt64 = 0
        var prevSteal = T.read(ownStolen, retries: &retries)
        var lastTick = CycleClock.now()
        var lastRead = prevSteal
        var measuring = false
        /// One tick's steal accounting; returns nothing, updates the tally.
        func tick(_ now: UInt64) {
            let steal = T.read(ownStolen, retries: &retries)
            if steal < lastRead { t.vcpu.backwards &+= 1 }
            lastRead = steal
            let pending = steal >= prevSteal ? steal - prevSteal : 0
            let elapsed = conversion.nanoseconds(from: lastTick, to: now)
            let accounted = min(pending, elapsed)
            if measuring {
                t.accountedNs &+= accounted
                t.clampedTicks &+= pending > accounted ? 1 : 0
                t.ticks &+= 1
            }
            prevSteal &+= accounted
            lastTick = now
        }
        t.vcpu.window = measuredLoop(control, thread: v, onMeasureStart: {
            // Account what is pending, then count from here. The truth's
            // window opens before that tick and closes after the last one,
            // so a load racing either edge can only make the guest's figure
            // the smaller.
            t.startNs = Self.monotonicNs()
            tick(CycleClock.now())
            // A remainder that tick clamped belongs to loads before the
            // window (the truth leaves them out): drop it, so the guest only
            // accounts what the window's loads published. Carried in, it
            // made the guest's total exceed the truth by up to a slice.
            prevSteal = lastRead
            t.vcpu.start = scheduler.stats(v)
            measuring = true
        }) { _ in
            let stepEnd = CycleClock.now() &+ tickTicks / 16
            while CycleClock.now() < stepEnd { pv_cpu_relax() }
            let now = CycleClock.now()
            if now &- lastTick >= tickTicks { tick(now) }
            return 1
        }
        tick(CycleClock.now())
        t.endNs = Self.monotonicNs()
        scheduler.exit(v)
        return t
    }

    func summarize(_ tallies: [Tally], clock: CycleClock) -> RepetitionFigures {
        overcommitFigures(tallies.map(\.vcpu), clock: clock) { _, figures in
            var accounted: UInt64 = 0, clamped: UInt64 = 0, truth: UInt64 = 0, ticks: UInt64 = 0
            for (v, t) in tallies.enumerated() {
                accounted += t.accountedNs
                clamped += t.clampedTicks
                ticks += t.ticks
                // Ground truth: what the emulator's loads added inside the window.
                for e in scheduler.episodes(v) where e.load_ns > t.startNs && e.load_ns <= t.endNs { truth += e.steal_delta_ns }
            }
            figures.counters["guest_steal_ns_total"] = Double(accounted)
            figures.counters["steal_truth_ns_total"] = Double(truth)
            figures.counters["guest_ticks_clamped"] = Double(clamped)
            figures.counters["guest_ticks"] = Double(ticks)
            if truth > 0 {
                figures.counters["guest_steal_error_fraction"] = abs(Double(accounted) - Double(truth)) / Double(truth)
            }
        }
    }
}
