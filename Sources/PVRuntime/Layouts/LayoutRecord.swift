import PVABI

/// The two per-vCPU records a layout places.
public enum LayoutRecord: String, Sendable, CaseIterable, Codable {
    /// PV time: the 16 meaningful bytes of the stolen-time record, in the PV
    /// region the hypervisor reserves (its IPA is the hypervisor's choice).
    case stolenTime = "stolen-time"
    /// PV sched: the 4-byte `preempted` flag, in guest RAM (its IPA is the
    /// guest's choice, registered with PV_SCHED_IPA_INIT).
    case preemptedFlag = "preempted"

    /// Bytes of the record itself (16 or 4).
    public var size: Int {
        switch self {
        case .stolenTime: StolenTimeLayout.size
        case .preemptedFlag: PVSchedLayout.flagSize
        }
    }
}
