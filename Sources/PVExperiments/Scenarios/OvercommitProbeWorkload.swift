import CPVPlatform
import PVHost
import PVRuntime

/// `overcommit --workload probe`: proves the emulated scheduler. Each vCPU
/// loops: reads its own stolen time (`para_steal_clock`, never backwards?),
/// then, inside a marked region, reads every other vCPU's `preempted`
/// (`vcpu_is_preempted`) between two reads of that vCPU's schedule sequence,
/// so a stable state tells what the flag must say; now and then it halts
/// (WFI) and is kicked by the vCPU before it. Nothing here allocates.
struct OvercommitProbeWorkload<P: RecordStrategy, T: RecordStrategy>: OvercommitWorkload
    where P.Target == PreemptedFlagTarget, T.Target == StolenTimeFieldTarget
{
    let vcpus: OvercommitVCPUs

    /// Stolen-time reads per iteration, outside the region.
    static var stealReads: Int { 32 }
    /// Passes over the other vCPUs' flags per iteration, inside the region.
    static var flagPasses: Int { 4 }
    /// A vCPU halts every this many iterations.
    static var haltEvery: UInt64 { 8192 }

    struct Tally: Sendable {
        var vcpu = VCPUTally()
        var flagChecks: UInt64 = 0
        var flagMismatches: UInt64 = 0
        var preemptedSeen: UInt64 = 0
        var flagReads: UInt64 = 0
        var regionTicks: UInt64 = 0
    }

    func body(_ context: PinnedThreadContext, _ control: RepetitionControl) -> Tally {
        let v = context.index, n = scheduler.vcpus
        var t = Tally()
        guard enter(v, &t.vcpu) else { return t }
        let word = scheduler.regionWord(v)
        let ownStolen = records.guestStolen[v]
        let flags = records.guestFlags
        let pvSched = settings.overcommit.pvSched == .on
        var retries: UInt64 = 0
        var last = T.read(ownStolen, retries: &retries)
        var iterations: UInt64 = 0
        t.vcpu.window = measuredLoop(control, thread: v, onMeasureStart: {
            t.vcpu.start = scheduler.stats(v)
            t.vcpu.backwards = 0
            t.flagChecks = 0
            t.flagMismatches = 0
            t.preemptedSeen = 0
            t.flagReads = 0
        }) { measuring in
            for _ in 0 ..< Self.stealReads {
                let s = T.read(ownStolen, retries: &retries)
                if s < last { t.vcpu.backwards &+= 1 }
                last = s
            }
            let regionStart = CycleClock.now()
            pv_vcpu_region_mark(word, 1)
            if pvSched {
                for _ in 0 ..< Self.flagPasses {
                    for w in 0 ..< n where w != v {
                        let before = scheduler.sequence(w)
                        let flag = P.read(flags[w], retries: &retries)
                        pv_vcpu_fence_acquire()
                        let after = scheduler.sequence(w)
                        t.flagReads &+= 1
                        t.preemptedSeen &+= flag != 0 ? 1 : 0
                        if before == after, before & 1 == 0 {
                            t.flagChecks &+= 1
                            if (flag != 0) != (before & 3 == 2) { t.flagMismatches &+= 1 }
                        }
                    }
                }
            } else {
                // Upstream: vcpu_is_preempted() is `return false`; the loop
                // still visits every other vCPU.
                for _ in 0 ..< Self.flagPasses { for w in 0 ..< n where w != v { t.preemptedSeen &+= UInt64(w) >> 63 } }
            }
            pv_vcpu_region_mark(word, 0)
            if measuring { t.regionTicks &+= CycleClock.now() &- regionStart }
            iterations &+= 1
            if n > 1 {
                let previous = (v + n - 1) % n
                if scheduler.isHalted(previous) { scheduler.kick(previous) }
                if iterations % Self.haltEvery == UInt64(v) { scheduler.halt(v) }
            }
            return 1
        }
        scheduler.exit(v)
        return t
    }

    func summarize(_ tallies: [Tally], clock: CycleClock) -> RepetitionFigures {
        overcommitFigures(tallies.map(\.vcpu), clock: clock) { f, figures in
            let sum = { (k: KeyPath<Tally, UInt64>) in tallies.reduce(UInt64(0)) { $0 + $1[keyPath: k] } }
            let reads = sum(\.flagReads)
            figures.counters["flag_checks"] = Double(sum(\.flagChecks))
            figures.counters["flag_mismatches"] = Double(sum(\.flagMismatches))
            if reads > 0 { figures.counters["preempted_seen_fraction"] = Double(sum(\.preemptedSeen)) / Double(reads) }
            // Share of the vCPUs' running time spent inside the region: the
            // fraction of preemptions that should land there if they are asynchronous.
            let regionNs = tallies.reduce(0.0) { $0 + Double(clock.conversion.nanoseconds($1.regionTicks)) }
            let running = f.windowNs - f.deschedNs
            if running > 0 { figures.counters["region_time_fraction"] = (regionNs - f.deschedInRegionNs) / running }
        }
    }
}
