/// Options of a check.
public struct CheckOptions: Sendable, Hashable {
    /// herd7 7.57's default `-unroll` outside ASL (herd/opts.ml).
    public static let herdUnroll = 2

    /// FEAT_LSE2: an LDP/STP of two X registers, 16-byte aligned, is one
    /// single-copy-atomic 16-byte access, and misaligned accesses within a
    /// 16-byte block are single-copy atomic. Off: Armv8.0.
    public var lse2: Bool
    /// Bound on candidate executions (rf × co over all path combinations).
    public var maxCandidates: Int
    /// Bound on one thread's paths (reads × values).
    public var maxPathsPerThread: Int
    /// The reference enumeration, as herd7 `-variant mixed` runs: every
    /// access is one event per byte and every location is split into bytes,
    /// grouped by `sca-class`. Off (the default): an access is one event
    /// over its cells, each cell as wide as every access to it allows. The
    /// models' relations are stated over (event, cell) nodes either way, so
    /// both give the same answer (a property test checks it); the reference
    /// is slower and meant for tests.
    public var byteEvents: Bool
    /// Leave out, before the models see them, the candidates that break
    /// coherence per location (a read of a po-later own write, or of the
    /// initial value after an own write; co against po): every model here
    /// forbids them. Off only to test that the pruning loses nothing.
    public var coherencePruning = true
    /// Enumerate a spinlock cell's coherence orders as lock.cat does, by
    /// the order of its critical sections (`LockCoherence`), with each lock
    /// read's source following from it. Off only to test that it loses
    /// nothing against every permutation of the lock's writes.
    public var lockOrders = true
    /// herd7 `-unroll`: how many times a path may take a backward jump to
    /// one target (herd7's default for AArch64 and x86 is 2, opts.ml
    /// `unroll_default`). The path that would take it once more is cut.
    public var unroll: Int
    /// Keep, for each final state, the first allowed execution that reaches
    /// it (`CheckResult.witnesses`): its events, reads-from and coherence.
    public var witnesses = false

    public init(lse2: Bool = false, maxCandidates: Int = 500_000, maxPathsPerThread: Int = 20_000, byteEvents: Bool = false,
                unroll: Int = CheckOptions.herdUnroll) {
        self.unroll = unroll
        self.lse2 = lse2
        self.maxCandidates = maxCandidates
        self.maxPathsPerThread = maxPathsPerThread
        self.byteEvents = byteEvents
    }
}
