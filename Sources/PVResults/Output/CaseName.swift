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
    /// suite's, `500_000 / vcpus` ns (as `Suite.kvmLikeFlipInterval`).
    static func kvmLikeFlipSegment(_ parts: [Substring]) -> Substring? {
        guard parts.first == "idle-scan",
              let segment = parts.first(where: { $0.hasPrefix("update:") }),
              let ns = nanoseconds(segment.dropFirst("update:".count)) else { return nil }
        let vcpus = parts.first { $0.hasPrefix("vcpus:") }.flatMap { Int($0.dropFirst("vcpus:".count)) } ?? 1
        return vcpus > 0 && ns == 500_000 / UInt64(vcpus) ? segment : nil
    }

    /// `122ns`, `31us`, `1ms` (how names write an interval) in ns.
    static func nanoseconds(_ text: Substring) -> UInt64? {
        for (suffix, scale) in [("ns", UInt64(1)), ("us", 1_000), ("ms", 1_000_000)] where text.hasSuffix(suffix) {
            return UInt64(text.dropLast(2)).map { $0 * scale }
        }
        return nil
    }

    /// The longest case name in a narrow table.
    public static let narrowLimit = 36

    /// ``short(_:)``, cut to `limit` characters with an ellipsis.
    public static func narrow(_ runName: String, limit: Int = narrowLimit) -> String {
        let s = short(runName)
        return s.count <= limit ? s : String(s.prefix(limit - 1)) + "…"
    }
}
