/// A case's name for a table a person reads: the run name without the
/// segments every default case has (`readers:1`, `writers:1`, `vcpus:1`,
/// the `cacheline` layout), so `steal-clock/relaxed/cacheline/vcpus:1/
/// readers:1/writers:1` reads `steal-clock/relaxed`. The full name stays in
/// the JSON and in `--wide` tables.
///
/// An idle-scan case also loses the `update:` segment of the default
/// suite's sweep, where each vCPU is scheduled out and in once a
/// millisecond (500 us ÷ vCPUs between flips: `update:122ns` at 4096); the
/// table's note says so (``kvmLikeFlipNote``).
public enum CaseName {
    static let defaultSegments: Set<String> = ["readers:1", "writers:1", "vcpus:1", "cacheline"]

    public static func short(_ runName: String) -> String {
        let parts = runName.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return runName }
        let flip = kvmLikeFlipSegment(parts)
        let kept = [parts[0]] + parts.dropFirst().filter { !defaultSegments.contains(String($0)) && $0 != flip }
        return kept.joined(separator: "/")
    }

    /// Whether ``short(_:)`` leaves out `runName`'s `update:` segment.
    public static func dropsFlipInterval(_ runName: String) -> Bool {
        kvmLikeFlipSegment(runName.split(separator: "/", omittingEmptySubsequences: false)) != nil
    }

    /// What a table whose names lost the segment says under it.
    public static let kvmLikeFlipNote =
        "idle-scan: the writer flips each vCPU's flag out and in once a millisecond (update: 500 us / vCPUs; --wide shows it)"

    /// An idle-scan name's `update:` segment when it is the default
    /// suite's (``KVMLikeHost/flipInterval(vcpus:)`` for the name's vCPUs).
    static func kvmLikeFlipSegment(_ parts: [Substring]) -> Substring? {
        guard parts.first == "idle-scan", let segment = parts.first(where: { $0.hasPrefix("update:") }) else { return nil }
        let vcpus = parts.first { $0.hasPrefix("vcpus:") }.flatMap { Int($0.dropFirst("vcpus:".count)) } ?? 1
        return vcpus > 0 && segment == "update:" + intervalText(KVMLikeHost.flipInterval(vcpus: vcpus)) ? segment : nil
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
    /// in turn, two a vCPU a period: 500 us for 1, 122 ns for 4096.
    public static func flipInterval(vcpus: Int) -> UInt64 {
        schedulingPeriod / UInt64(2 * max(1, vcpus))
    }
}
