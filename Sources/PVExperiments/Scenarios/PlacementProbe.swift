import PVHost
import PVResults

/// The host's placement of the run's vCPUs, measured around each
/// repetition (``RoundRunner/placementProbe``): a few milliseconds of c2c
/// ping-pong between two of the run's CPUs. On a 2-vCPU KVM guest the
/// one-way latency is about 20, 45 or 200 ns (the host runs the two vCPUs
/// on one core's hardware threads, on cores that share a cache, or not,
/// and moves them between runs and within one), and every case that races
/// for a cache line follows it. Each repetition carries the values before
/// and after it (`c2c_probe_ns`, `c2c_probe_after_ns`), so a result file
/// can be split into placement classes (``PlacementClasses``) and compared
/// like with like.
extension ScenarioRunner {
    /// One-way latency (ns, median of the samples) between the first two of
    /// `cpus`, over `seconds` after `warmup`; nil with fewer than two CPUs or
    /// when three tries found no round trip (never a made-up value). A value
    /// beyond ``PlacementClasses/stallBound`` (the threads were descheduled:
    /// a busy guest gave 416 µs) is tried again; after three such tries the
    /// last is returned as it was, and the classes call it stalled.
    public func placementProbe(cpus: [Int], seconds: Double = 0.004, warmup: Double = 0.002) -> Double? {
        let distinct = Array(Set(cpus)).sorted()
        guard distinct.count >= 2 else { return nil }
        var request = PlacementRequest(writers: 1, readers: 1, relation: .auto)
        request.writerCPUs = [distinct[0]]
        request.readerCPUs = [distinct[1]]
        let settings = RunSettings(scenario: .c2c, placement: request, duration: seconds, warmup: warmup, repetitions: 1)
        var quiet = self
        quiet.perfEvents = nil
        // A loaded machine may not run both threads at once for 4 ms: up to 3 tries.
        var stalled: Double?
        for _ in 0 ..< 3 {
            guard let result = try? quiet.run(settings), !result.interrupted else { return stalled }
            guard let v = result.iterations.first?.counters["one_way_ns"], v > 0 else { continue }
            if !PlacementClasses.isStalled(v) { return v }
            stalled = v
        }
        return stalled
    }
}
