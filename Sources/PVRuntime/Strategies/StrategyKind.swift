import PVModel

/// The registry of ordering strategies: names, what each claims, which
/// shared targets it applies to, and the concrete ``OrderingStrategy`` type
/// for each (strategy, target) pair.
public enum StrategyKind: String, NamedCase, Codable, CustomStringConvertible {
    case relaxed = "relaxed"
    case acquireRelease = "acquire-release"
    case seqCst = "seq-cst"
    case seqlock = "seqlock"
    case seqlockNoFence = "seqlock-nofence"
    case ckSequence = "ck-sequence"
    case doubleWord = "double-word"
    case splitHalves = "split-halves"
    case straddle = "straddle"
    case flagThenData = "flag-then-data"

    public var description: String { rawValue }

    /// Whether the strategy claims that no reader can see a torn or
    /// backwards value on any machine. A violation of a safe strategy fails
    /// `pvbench validate`; the deliberately unsafe ones exist to prove the
    /// detector can see tears, or to show what a memory model allows.
    public var claimsSafety: Bool {
        switch self {
        case .splitHalves, .straddle, .seqlockNoFence, .flagThenData: false
        default: true
        }
    }

    /// The memory models under which the strategy claims no reader sees a
    /// torn, backwards or inconsistent value: a model that allows one fails
    /// `pvbench validate --model`. The unsafe strategies claim only what holds.
    public var claimedModels: [ModelKind] {
        switch self {
        case .splitHalves, .straddle: []
        // x86's fence-free seqlock: TSO keeps its loads and its stores in order; ARMv8 does not.
        case .seqlockNoFence: [.x86TSO]
        // MP without barriers: forbidden under TSO and SC, allowed under ARMv8.
        case .flagThenData: [.x86TSO, .sc]
        // The kernel's model on the program written as LKMM C: every fenced or ordered strategy claims it too.
        default: StrategyModel.validateModels
        }
    }

    /// Whether a read is a protocol that may discard attempts and retry
    /// (sequence counters), rather than one access.
    public var retriesReads: Bool {
        switch self {
        case .seqlock, .seqlockNoFence, .ckSequence: true
        default: false
        }
    }

    /// The targets the strategy has a writer/reader pair for, in listing order.
    public var targets: [SharedRecordKind] {
        switch self {
        case .relaxed, .acquireRelease, .seqCst: [.stolenTime, .preempted]
        case .seqlock, .seqlockNoFence, .ckSequence: [.record, .stolenTime]
        case .doubleWord: [.record]
        case .splitHalves: [.record, .stolenTime]
        case .straddle: [.stolenTime, .preempted]
        case .flagThenData: [.stolenTime]
        }
    }

    /// C11 and Linux-kernel-memory-model equivalent, one line.
    public var equivalent: String {
        switch self {
        case .relaxed: "C11 memory_order_relaxed; LKMM WRITE_ONCE/READ_ONCE"
        case .acquireRelease: "C11 memory_order_release/acquire; LKMM smp_store_release/smp_load_acquire"
        case .seqCst: "C11 memory_order_seq_cst; LKMM smp_mb() around the access"
        case .seqlock: "C11 seqlock (relaxed data, release/acquire fences); LKMM write_seqcount_begin/read_seqcount_retry"
        case .seqlockNoFence: "the seqlock with relaxed accesses and no fences (x86 plain movs); LKMM: read_seqcount without smp_rmb/smp_wmb"
        case .ckSequence: "Concurrency Kit ck_sequence_read_begin/read_retry/write_begin/write_end"
        case .doubleWord: "C11 _Atomic unsigned __int128, relaxed; no LKMM primitive (cmpxchg128)"
        case .splitHalves: "two 32-bit WRITE_ONCE/READ_ONCE, as a 32-bit host or guest would do"
        case .straddle: "READ_ONCE/WRITE_ONCE of a field crossing a cache line (not single-copy atomic)"
        case .flagThenData: "C11 relaxed data then flag / flag then data; LKMM litmus MP without smp_wmb/smp_rmb"
        }
    }

    /// What the strategy does, one line.
    public var summary: String {
        switch self {
        case .relaxed: "one aligned relaxed store and load: what KVM/arm64 and Linux do"
        case .acquireRelease: "one aligned store-release and load-acquire"
        case .seqCst: "one aligned sequentially consistent store and load"
        case .seqlock: "x86 kvm_steal_time protocol: sequence odd, update, sequence even; readers retry"
        case .seqlockNoFence: "UNSAFE on arm64: the seqlock with its fences left out (safe under x86-TSO only)"
        case .ckSequence: "the same protocol through Concurrency Kit's ck_sequence"
        case .doubleWord: "the whole record as one 128-bit atomic (x86_64: lock cmpxchg16b, loads too)"
        case .splitHalves: "UNSAFE: the value moved as two halves"
        case .straddle: "UNSAFE: the field placed across a cache-line boundary, accessed unaligned"
        case .flagThenData: "UNSAFE on arm64: data then a valid flag, read flag then data, relaxed (the MP shape)"
        }
    }

    /// Whether the strategy has a writer/reader pair for `target`.
    public func applies(to target: SharedRecordKind) -> Bool { targets.contains(target) }

    /// The concrete strategy type for `target`, or nil when it does not apply:
    /// for asking a strategy about itself (footprint, alignment). Passing the
    /// result to a generic function opens the existential and runs the
    /// *unspecialised* function; to run a loop, use ``dispatch(_:to:)``.
    public func strategyType(for target: SharedRecordKind) -> (any OrderingStrategy.Type)? {
        switch (self, target) {
        case (.relaxed, .stolenTime): RelaxedStrategy.StolenTime.self
        case (.relaxed, .preempted): RelaxedStrategy.Preempted.self
        case (.acquireRelease, .stolenTime): AcquireReleaseStrategy.StolenTime.self
        case (.acquireRelease, .preempted): AcquireReleaseStrategy.Preempted.self
        case (.seqCst, .stolenTime): SeqCstStrategy.StolenTime.self
        case (.seqCst, .preempted): SeqCstStrategy.Preempted.self
        case (.seqlock, .record): SeqLockStrategy.Record.self
        case (.seqlock, .stolenTime): SeqLockStrategy.StolenTime.self
        case (.seqlockNoFence, .record): SeqLockNoFenceStrategy.Record.self
        case (.seqlockNoFence, .stolenTime): SeqLockNoFenceStrategy.StolenTime.self
        case (.ckSequence, .record): CKSequenceStrategy.Record.self
        case (.ckSequence, .stolenTime): CKSequenceStrategy.StolenTime.self
        case (.doubleWord, .record): DoubleWordStrategy.Record.self
        case (.splitHalves, .record): SplitHalvesStrategy.Record.self
        case (.splitHalves, .stolenTime): SplitHalvesStrategy.StolenTime.self
        case (.straddle, .stolenTime): StraddleStrategy.StolenTime.self
        case (.straddle, .preempted): StraddleStrategy.Preempted.self
        case (.flagThenData, .stolenTime): FlagThenDataStrategy.StolenTime.self
        default: nil
        }
    }

    public static var nameKind: String { "strategy" }
}
