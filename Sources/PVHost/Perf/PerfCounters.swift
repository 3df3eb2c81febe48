/// Entry points for the per-thread `perf_event_open` counters that are not
/// tied to one ``PerfCounterSet``.
public enum PerfCounters {
    /// `kernel.perf_event_paranoid` (-1 … 4 depending on the kernel), or nil
    /// when `/proc/sys/kernel/perf_event_paranoid` cannot be read.
    public static func paranoidLevel() -> Int? {
        SystemTextFile.readLine("/proc/sys/kernel/perf_event_paranoid").flatMap { Int($0) }
    }

    /// Which counters work on this machine, for the calling thread: opens
    /// every event, counts a short busy loop, and reports each as counted or
    /// unavailable with its reason. `pvbench run --perf-counters` prints it
    /// before a run so a missing column is explained up front.
    public static func probe(events: [PerfEvent] = PerfEvent.allCases) -> PerfProbe {
        let set = PerfCounterSet.open(events: events)
        set.start()
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0 ..< 100_000 as Range<UInt64> { x = (x &* 6_364_136_223_846_793_005) &+ i }
        set.stop()
        let readings = set.read()
        return PerfProbe(paranoid: set.paranoid, readings: readings, checksum: x)
    }
}
