import CPVPlatform
import PVHost

/// The figures every overcommit workload reports about the scheduler
/// itself, from each vCPU's counters (measured window: final minus the
/// snapshot at measure start) and episode log, read after the vCPU threads
/// have exited.
struct OvercommitFigures {
    let scheduler: VCPUScheduler
    let conversion: TickConversion

    private(set) var iterations: UInt64 = 0
    private(set) var windowNs = 0.0
    private(set) var deschedNs = 0.0
    private(set) var deschedInRegionNs = 0.0
    private var nsPerOperation: [Double] = []
    private var seconds: [Double] = []
    private var preemptions: UInt64 = 0, inRegion: UInt64 = 0, halts: UInt64 = 0, kicks: UInt64 = 0
    private var ticksKept: UInt64 = 0, loads: UInt64 = 0
    private var overlaps: UInt64 = 0, wrongCPU: UInt64 = 0, maxWaited: UInt64 = 0, runDelayFailures: UInt64 = 0
    private var dropped: UInt64 = 0, mismatches: UInt64 = 0, storesSkipped: UInt64 = 0
    private var stealNs = 0.0, waitNs = 0.0, runDelayNs = 0.0
    private var slices: [UInt64] = [], handoffs: [UInt64] = []
    private var stolenErrorMax: UInt64 = 0
    private var runnableErrorMax: UInt64 = 0
    private(set) var notes: [String] = []

    init(scheduler: VCPUScheduler, conversion: TickConversion) {
        self.scheduler = scheduler
        self.conversion = conversion
    }

    /// vCPU v's window and the counters it snapshotted at measure start.
    mutating func add(vcpu v: Int, window: MeasuredWindow, start: pv_vcpu_stats) {
        let end = scheduler.stats(v)
        iterations += window.operations
        let ns = Double(conversion.nanoseconds(from: window.startTicks, to: window.endTicks))
        windowNs += ns
        seconds.append(ns / 1e9)
        if window.operations > 0 { nsPerOperation.append(ns / Double(window.operations)) }
        preemptions += end.preemptions - start.preemptions
        inRegion += end.preemptions_in_region - start.preemptions_in_region
        halts += end.halts - start.halts
        kicks += end.kicks - start.kicks
        ticksKept += end.ticks_kept - start.ticks_kept
        loads += end.loads - start.loads
        deschedNs += Double(end.desched_ns - start.desched_ns)
        deschedInRegionNs += Double(end.desched_in_region_ns - start.desched_in_region_ns)
        stealNs += Double(end.steal_sum_ns - start.steal_sum_ns)
        waitNs += Double(end.steal_wait_ns - start.steal_wait_ns)
        runDelayNs += Double(end.steal_run_delay_ns - start.steal_run_delay_ns)
        storesSkipped += end.flag_stores_skipped - start.flag_stores_skipped
        // Invariants: over the whole repetition.
        overlaps += end.overlaps
        wrongCPU += end.wrong_cpu
        maxWaited = max(maxWaited, end.max_waited_slices)
        runDelayFailures += end.run_delay_failures
        dropped += end.episodes_dropped
        mismatches += end.steal_update_mismatches
        for (i, e) in scheduler.episodes(v).enumerated() {
            // The emulator's runnable-but-not-running time against the same
            // two moments on the cycle counter, episode by episode.
            let emulated = e.load_ns >= e.runnable_ns ? e.load_ns - e.runnable_ns : 0
            let counted = conversion.nanoseconds(from: e.runnable_cycles, to: e.load_cycles)
            runnableErrorMax = max(runnableErrorMax, emulated > counted ? emulated - counted : counted - emulated)
            guard i >= Int(start.episodes) else { continue }
            if e.kind == UInt32(PV_PUT_PREEMPT.rawValue) { slices.append(e.slice_ns) }
            if e.handoff_ns > 0 { handoffs.append(e.handoff_ns) }
        }
    }

    /// The guest's reading of vCPU v's stolen time after the run, against
    /// the value the emulator's deltas add up to.
    mutating func stolenRecord(vcpu v: Int, value: UInt64) {
        let s = scheduler.stats(v)
        let expected = s.steal_base &+ s.steal_sum_ns
        stolenErrorMax = max(stolenErrorMax, value > expected ? value - expected : expected - value)
    }

    /// Largest number of vCPUs sharing one host CPU.
    var vcpusPerCPUMax: Int {
        Dictionary(grouping: scheduler.hostCPU, by: { $0 }).values.map(\.count).max() ?? 1
    }

    func figures(operation: String) -> RepetitionFigures {
        func percentile(_ values: [UInt64], _ p: Double) -> Double? {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p + 0.5))])
        }
        var c: [String: Double?] = [:]
        let meanSeconds = seconds.mean
        c["\(operation)_per_second"] = meanSeconds > 0 ? Double(iterations) / meanSeconds : 0
        c["preemptions"] = Double(preemptions)
        c["preemptions_in_region_fraction"] = preemptions > 0 ? Double(inRegion) / Double(preemptions) : 0
        c["preemptions_per_second"] = meanSeconds > 0 ? Double(preemptions) / meanSeconds : 0
        c["halts"] = Double(halts)
        c["kicks"] = Double(kicks)
        c["slices_kept"] = Double(ticksKept)
        c["slice_p50_ns"] = percentile(slices, 0.5)
        c["slice_p99_ns"] = percentile(slices, 0.99)
        c["slice_ns"] = Double(scheduler.slice)
        c["handoff_p50_ns"] = percentile(handoffs, 0.5)
        c["handoff_p99_ns"] = percentile(handoffs, 0.99)
        c["stolen_time_error_ns_max"] = Double(stolenErrorMax)
        c["steal_update_mismatches"] = Double(mismatches)
        c["runnable_time_error_ns_max"] = Double(runnableErrorMax)
        c["stolen_ns_total"] = stealNs
        c["stolen_run_delay_fraction"] = stealNs > 0 ? runDelayNs / stealNs : 0
        c["descheduled_fraction"] = windowNs > 0 ? deschedNs / windowNs : 0
        c["overlapping_loads"] = Double(overlaps)
        c["wrong_cpu_loads"] = Double(wrongCPU)
        c["max_waited_slices"] = Double(maxWaited)
        c["max_waited_slices_bound"] = Double(vcpusPerCPUMax - 1)
        if scheduler.dropEvery > 0 { c["preempt_stores_skipped"] = Double(storesSkipped) }
        var notes = notes
        if runDelayFailures > 0 { notes.append("\(runDelayFailures) schedstat reads failed: run_delay not added there") }
        if dropped > 0 { notes.append("\(dropped) episodes beyond the log capacity were not logged") }
        return RepetitionFigures(iterations: Int64(iterations), nanosecondsPerOperation: nsPerOperation.mean,
                                 counters: c.compactMapValues { $0 }, notes: notes)
    }
}
