/// Options of a check.
public struct CheckOptions: Sendable, Hashable {
    /// FEAT_LSE2: an LDP/STP of two X registers, 16-byte aligned, is one
    /// single-copy-atomic 16-byte access, and misaligned accesses within a
    /// 16-byte block are single-copy atomic. Off: Armv8.0.
    public var lse2: Bool
    /// Bound on candidate executions (rf × co over all path combinations).
    public var maxCandidates: Int
    /// Bound on one thread's paths (reads × values).
    public var maxPathsPerThread: Int
    /// The reference enumeration, herd7 `-variant mixed` as herd7 runs it:
    /// every access is one event per byte, grouped into its single-copy-atomic
    /// class (`sca-class`), and the models' relations are computed over those
    /// events as the cat files state them. Off (the default): an access is one
    /// event covering its bytes, with the per-byte relations kept per (event,
    /// byte). Both give the same answer (a property test checks it); the
    /// reference is slower and meant for tests.
    public var byteEvents: Bool

    public init(lse2: Bool = false, maxCandidates: Int = 500_000, maxPathsPerThread: Int = 20_000, byteEvents: Bool = false) {
        self.lse2 = lse2
        self.maxCandidates = maxCandidates
        self.maxPathsPerThread = maxPathsPerThread
        self.byteEvents = byteEvents
    }
}
