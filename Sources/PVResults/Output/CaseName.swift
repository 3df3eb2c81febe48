/// A case's name for a table a person reads: the run name without the
/// segments every default case has (`readers:1`, `writers:1`, `vcpus:1`,
/// the `cacheline` layout), so `steal-clock/relaxed/cacheline/vcpus:1/
/// readers:1/writers:1` reads `steal-clock/relaxed`. The full name stays in
/// the JSON and in `--wide` tables.
public enum CaseName {
    static let defaultSegments: Set<String> = ["readers:1", "writers:1", "vcpus:1", "cacheline"]

    public static func short(_ runName: String) -> String {
        let parts = runName.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return runName }
        let kept = [parts[0]] + parts.dropFirst().filter { !defaultSegments.contains(String($0)) }
        return kept.joined(separator: "/")
    }

    /// The longest case name in a narrow table.
    public static let narrowLimit = 36

    /// ``short(_:)``, cut to `limit` characters with an ellipsis.
    public static func narrow(_ runName: String, limit: Int = narrowLimit) -> String {
        let s = short(runName)
        return s.count <= limit ? s : String(s.prefix(limit - 1)) + "…"
    }
}
