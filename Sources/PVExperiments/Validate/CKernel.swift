import PVRuntime

/// A `CPVReference` kernel (Sources/CPVReference/reference.c) that
/// implements one side of a built-in strategy, as the model calls it: once
/// per access (`n` = 1), inlined into a litmus thread. The one list of which
/// strategy × record has a C writer or reader for the model
/// (``pair(_:_:)``); `CKernelModelTests` checks it against the header.
public enum CKernel: String, Sendable, CaseIterable, Codable {
    // kvm_update_stolen_time(): read back, add, one store.
    case stealUpdateRelaxed = "pvref_steal_update_relaxed"
    case stealUpdateRelease = "pvref_steal_update_release"
    case stealUpdateSeqCst = "pvref_steal_update_seq_cst"
    // vcpu_put/vcpu_load: one store of the flag.
    case preemptedWriteRelaxed = "pvref_preempted_write_relaxed"
    case preemptedWriteRelease = "pvref_preempted_write_release"
    case preemptedWriteSeqCst = "pvref_preempted_write_seq_cst"
    // para_steal_clock(): the value read.
    case stealReadRelaxed = "pvref_steal_read_relaxed"
    case stealReadAcquire = "pvref_steal_read_acquire"
    case stealReadSeqlock = "pvref_steal_read_seqlock"
    // vcpu_is_preempted() polls: whether the flag is set (`!!`).
    case preemptPollRelaxed = "pvref_preempt_poll_relaxed"
    case preemptPollAcquire = "pvref_preempt_poll_acquire"

    /// The header's kernels the model does not call, with why.
    public static let leftOut: [String: String] = [
        "pvref_steal_read_ck": "Concurrency Kit's reader: Debian's libck-dev is configured for the host (CK_MD_TSO), and there is no libck for aarch64 here; ck-sequence has no recorded program to compare with",
        "pvref_idle_scan_relaxed": "the relaxed flag read the poll makes (READ_ONCE, !!), counted over vCPUs: pvref_preempt_poll_relaxed stands for it",
    ]

    /// The writer and reader kernels of `kind` on `record` (nil: none in C).
    public static func pair(_ kind: StrategyKind, _ record: SharedRecordKind) -> (writer: CKernel?, reader: CKernel?) {
        switch (kind, record) {
        case (.relaxed, .stolenTime): (.stealUpdateRelaxed, .stealReadRelaxed)
        case (.relaxed, .preempted): (.preemptedWriteRelaxed, .preemptPollRelaxed)
        case (.acquireRelease, .stolenTime): (.stealUpdateRelease, .stealReadAcquire)
        case (.acquireRelease, .preempted): (.preemptedWriteRelease, .preemptPollAcquire)
        case (.seqCst, .stolenTime): (.stealUpdateSeqCst, nil)
        case (.seqCst, .preempted): (.preemptedWriteSeqCst, nil)
        case (.seqlock, .stolenTime): (nil, .stealReadSeqlock)
        default: (nil, nil)
        }
    }

    public var isWriter: Bool { rawValue.contains("_update_") || rawValue.contains("_write_") }

    /// The reader returns the value it read; the polls return only whether the flag is set.
    public var returnsValue: Bool { self != .preemptPollRelaxed && self != .preemptPollAcquire }

    /// The reader retries (the seqlock): lifted as one attempt.
    public var retries: Bool { self == .stealReadSeqlock }

    /// The record field (the litmus location) it takes first.
    var location: String { rawValue.contains("steal") ? "stolen_time" : "preempted" }

    /// The locations it takes, in the order the litmus thread must take them.
    var locations: [String] { self == .stealReadSeqlock ? ["sequence", "stolen_time"] : [location] }

    /// C for one update: the field holds `previous` and must hold `value`
    /// (the steal update adds a delta to what it reads back).
    func write(_ value: UInt64, previous: UInt64) -> String {
        let hex = { (v: UInt64) in "0x" + String(v, radix: 16) + "ul" }
        return rawValue.contains("_update_") ? "\(rawValue)(stolen_time, \(hex(value &- previous)));" : "\(rawValue)(preempted, \(hex(value)));"
    }

    /// The reader's locals before its first read.
    var prelude: String {
        returnsValue ? "struct pvref_steal_reader r = {0};" : "uint32_t last = 0;\n\tsize_t cursor = 0;\n\tint64_t changed;"
    }

    /// C for one read into `*result`: one call with n = 1.
    func read(into result: String) -> String {
        switch self {
        case .stealReadSeqlock: "\(rawValue)(sequence, stolen_time, 1, &r);\n\t*\(result) = r.last;"
        case .preemptPollRelaxed, .preemptPollAcquire: "\(rawValue)(preempted, 0, 1, &last, &cursor, 1, &changed);\n\t*\(result) = last;"
        default: "\(rawValue)(stolen_time, 1, &r);\n\t*\(result) = r.last;"
        }
    }
}
