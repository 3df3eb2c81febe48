import CPVPlatform

/// How fast the run's CPUs execute a fixed loop right now
/// (`pv_core_probe`: independent L1 loads and adds, throughput-bound). On a
/// KVM guest the host may run other work on the other hardware thread of a
/// vCPU's core: the vCPU loses no time, so neither schedstat nor the
/// disturbance rule sees it, but it issues loads and adds at a lower rate,
/// and a case that loads one line billions of times a second slows with it.
public enum CoreProbe {
    /// Bursts a CPU's value is the median of.
    public static let bursts = 5

    /// ns per step on the slowest of `cpus` (each probed on a thread pinned
    /// to it, one after the other); nil when no CPU could be probed. Each
    /// CPU costs about 1 ms on a shared core (measured: 1.7–2.0 ms for two),
    /// half that unshared.
    public static func measure(cpus: [Int]) -> Double? {
        var slowest: Double?
        for cpu in Set(cpus).sorted() {
            var ns = 0.0
            guard pv_core_probe(Int32(cpu), Int32(bursts), &ns) == 0, ns.isFinite, ns > 0 else { continue }
            slowest = max(slowest ?? ns, ns)
        }
        return slowest
    }
}
