/// A case's name for a table a person reads: the run name without the
/// segments every default case has (`readers:1`, `writers:1`, `vcpus:1`,
/// the `cacheline` layout), so `steal-clock/relaxed/cacheline/vcpus:1/
/// readers:1/writers:1` reads `steal-clock/relaxed`. The full name stays in
/// the JSON and in `--wide` tables.
///
/// A name also loses the `update:` segment of the default suite's paced
/// writers, and the table says so under it (``intervalNotes(_:wide:)``):
/// - idle-scan, each vCPU scheduled out and in once a millisecond
///   (500 us ÷ vCPUs between flips, at least 1 us: `update:1us` at 4096);
/// - steal-clock, the stress writer's update every microsecond
///   (``KVMLikeHost/stressUpdateInterval``, `update:1us`). The KVM-like
///   `update:1ms` cases keep theirs.
public enum CaseName {
    static let defaultSegments: Set<String> = ["readers:1", "writers:1", "vcpus:1", "cacheline"]

    public static func short(_ runName: String) -> String {
        let parts = runName.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return runName }
        let interval = pacedWriter(parts)?.segment
        let kept = [parts[0]] + parts.dropFirst().filter { !defaultSegments.contains(String($0)) && $0 != interval }
        return kept.joined(separator: "/")
    }

    /// Whether ``short(_:)`` leaves out `runName`'s `update:` segment.
    public static func dropsInterval(_ runName: String) -> Bool {
        pacedWriter(runName.split(separator: "/", omittingEmptySubsequences: false)) != nil
    }

    /// What a narrow table says under names that lost their `update:`
    /// segment: one line per scenario that did, idle-scan first; none with
    /// `wide`, whose names keep the segment.
    public static func intervalNotes(_ runNames: some Sequence<String>, wide: Bool) -> [String] {
        guard !wide else { return [] }
        var scenarios: Set<Substring> = []
        for name in runNames {
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            if let paced = pacedWriter(parts) { scenarios.insert(paced.scenario) }
        }
        return [("idle-scan", kvmLikeFlipNote), ("steal-clock", stressWriterNote)].filter { scenarios.contains($0.0) }.map(\.1)
    }

    /// Under idle-scan names without their flip interval.
    public static let kvmLikeFlipNote =
        "idle-scan: the writer flips each vCPU's flag out and in once a ms (update: 500 us / vCPUs, >= 1 us; --wide shows it)"

    /// Under steal-clock names without their update interval.
    public static let stressWriterNote =
        "steal-clock: the writer updates stolen time every 1 us (KVM: 1 ms) unless the name says update:1ms (--wide shows it)"

    /// The `update:` segment of a default-suite paced writer a short name
    /// leaves out, and its scenario: an idle-scan name's when it is
    /// ``KVMLikeHost/flipInterval(vcpus:)`` for the name's vCPUs, a
    /// steal-clock name's when it is ``KVMLikeHost/stressUpdateInterval``.
    static func pacedWriter(_ parts: [Substring]) -> (scenario: Substring, segment: Substring)? {
        guard let scenario = parts.first, let segment = parts.first(where: { $0.hasPrefix("update:") }) else { return nil }
        let interval: UInt64
        switch scenario {
        case "idle-scan":
            let vcpus = parts.first { $0.hasPrefix("vcpus:") }.flatMap { Int($0.dropFirst("vcpus:".count)) } ?? 1
            guard vcpus > 0 else { return nil }
            interval = KVMLikeHost.flipInterval(vcpus: vcpus)
        case "steal-clock":
            interval = KVMLikeHost.stressUpdateInterval
        default:
            return nil
        }
        return segment == "update:" + intervalText(interval) ? (scenario, segment) : nil
    }

    /// `1ms`, `250us`, `1500ns`: an interval in the largest unit that
    /// divides it, as names write it.
    public static func intervalText(_ ns: UInt64) -> String {
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        if ns % 1_000 == 0 { return "\(ns / 1_000)us" }
        return "\(ns)ns"
    }

    /// The longest case name in a narrow table.
    public static let narrowLimit = 36

    /// ``short(_:)``, cut to `limit` characters with an ellipsis.
    public static func narrow(_ runName: String, limit: Int = narrowLimit) -> String {
        let s = short(runName)
        return s.count <= limit ? s : String(s.prefix(limit - 1)) + "…"
    }
}

/// The hypervisor of a KVM host, as the default suite models it: each vCPU
/// scheduled in (and out) once per ``schedulingPeriod``.
public enum KVMLikeHost {
    /// ns between two sched-ins of one vCPU.
    public static let schedulingPeriod: UInt64 = 1_000_000

    /// ns between two `preempted` flips when one writer flips `vcpus` flags
    /// in turn, two a vCPU a period: 500 us for 1, 1.95 us for 256, and
    /// never less than ``fastestFlipInterval`` (1 us from 500 vCPUs on, so
    /// each of 4096 vCPUs is scheduled once every 8.2 ms).
    public static func flipInterval(vcpus: Int) -> UInt64 {
        max(schedulingPeriod / UInt64(2 * max(1, vcpus)), fastestFlipInterval)
    }

    /// The shortest time between two flips of the default suite's idle-scan
    /// writer: 1 us, the steal-clock stress writer's pace. Every flip costs
    /// the scanning reader one miss, 50-200 ns on a 2-vCPU EPYC guest. At
    /// a KVM host's rate for 4096 vCPUs, a flip every 122 ns, the misses
    /// outpace the reader in the slow placement: the slower a scan, the
    /// more flipped lines it meets, and one class's runs read 28-90 k
    /// scans/s, repetitions spreading by 20 %. One writer thread stands for
    /// a host's many CPUs here, and paced at 1 us the same scans read 422 k
    /// in every run of that class (docs/measurement.md, "idle-scan at 4096
    /// vCPUs").
    public static let fastestFlipInterval: UInt64 = stressUpdateInterval

    /// ns between two stolen-time updates of the default suite's steal-clock
    /// stress writer: 1 us, a thousand times a KVM host's rate, and still
    /// paced. A writer storing back to back races the reader for the line,
    /// and which of them wins it moves in spells no probe sees, so the
    /// reader's rate measured the race, not the strategy
    /// (docs/measurement.md). At 1 us each update costs the reader at most
    /// one miss of 50-200 ns on a 2-vCPU EPYC guest, and the writer keeps
    /// its pace in either placement.
    public static let stressUpdateInterval: UInt64 = schedulingPeriod / 1000
}
