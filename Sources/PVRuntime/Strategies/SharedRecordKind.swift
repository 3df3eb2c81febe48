import PVABI

/// Which shared record (or part of one) a strategy reads and writes.
///
/// - ``record``: the whole 16-byte PV time stolen-time record (revision,
///   attributes, stolen_time), read as one snapshot.
/// - ``stolenTime``: the 64-bit `stolen_time` field alone, as
///   `para_steal_clock()` reads it.
/// - ``preempted``: the 32-bit PV sched `preempted` flag, as
///   `vcpu_is_preempted()` reads it.
public enum SharedRecordKind: String, NamedCase, Codable, CustomStringConvertible {
    case record = "record"
    case stolenTime = "stolen-time"
    case preempted = "preempted"

    /// Bytes of the value a reader gets back.
    public var valueSize: Int {
        switch self {
        case .record: 16
        case .stolenTime: 8
        case .preempted: 4
        }
    }

    /// Bytes of the ABI record the target lives in, the slot a layout
    /// spaces per vCPU: the 16-byte stolen-time record (in the PV region the
    /// hypervisor reserves) for ``record`` and ``stolenTime``, the 4-byte
    /// flag (in guest RAM, registered with PV_SCHED_IPA_INIT) for ``preempted``.
    public var slotSize: Int {
        switch self {
        case .record, .stolenTime: StolenTimeLayout.size
        case .preempted: PVSchedLayout.flagSize
        }
    }

    /// One line for listings.
    public var summary: String {
        switch self {
        case .record: "PV time 16-byte record (revision, attributes, stolen_time) as one snapshot"
        case .stolenTime: "PV time stolen_time, the 64-bit field alone (para_steal_clock)"
        case .preempted: "PV sched preempted, the 32-bit flag (vcpu_is_preempted)"
        }
    }

    public var description: String { rawValue }

    public static var nameKind: String { "record" }
}
