/// What the writer writes and what the detector checks (DESIGN.md,
/// "Torn-read detector").
public enum DetectorMode: String, NamedCase, Codable, CustomStringConvertible {
    /// Values as the real kernel would see them: revision = attributes = 0,
    /// stolen time grows by realistic deltas, the flag alternates 1/0. The
    /// writer's sequence is deterministic, so a reader checks the invariant
    /// fields, that stolen time never goes backwards, and that every value it
    /// reads is one the writer actually wrote (a tear shows up as a value that
    /// was never written).
    case spec
    /// Values chosen so that a mix of bytes from two writes is not a valid
    /// value (see each ``SharedTarget``'s code), plus never-backwards.
    case stress
    /// Only what the guest scheduler assumes: invariant fields hold and stolen
    /// time never goes backwards. For writers whose values the detector does
    /// not know (`pvbench run`'s steal-clock writer).
    case monotonic

    public var description: String { rawValue }

    public static var nameKind: String { "mode" }
}

/// How much a detector keeps about violations. Counting is the same in both;
/// ``firstViolation`` also keeps the first offending value's bytes, the two
/// writes it most likely mixed and the time it took to appear (all on the
/// cold path, so the per-read cost is the same).
public enum DetectorDetail: String, Sendable, Codable {
    case countsOnly = "counts-only"
    case firstViolation = "first-violation"
}
