import PVABI

/// One vCPU's records as each side of the emulation holds them. The two
/// views address the same guest memory; they are separate handles because
/// each side got its own through the ABI (the hypervisor from its vCPU state,
/// the guest from PV_TIME_ST / its own PV_SCHED_IPA_INIT), and a test can
/// check that they agree.
public struct VCPURecords: Sendable {
    public let vcpu: Int
    /// The hypervisor's view of the stolen-time record it writes (nil without PV time).
    public let hypervisorStolenTime: StolenTimeRecord?
    /// The record the guest mapped from PV_TIME_ST (nil without PV time).
    public let guestStolenTime: StolenTimeRecord?
    /// The hypervisor's view of the `preempted` block the guest registered (nil without PV sched).
    public let hypervisorPreempted: PVSchedState?
    /// The guest's own `preempted` block (nil without PV sched).
    public let guestPreempted: PVSchedState?
    public let stolenTimeIPA: UInt64?
    public let preemptedIPA: UInt64?

    public init(vcpu: Int, hypervisorStolenTime: StolenTimeRecord?, guestStolenTime: StolenTimeRecord?,
                hypervisorPreempted: PVSchedState?, guestPreempted: PVSchedState?, stolenTimeIPA: UInt64?,
                preemptedIPA: UInt64?)
    {
        self.vcpu = vcpu
        self.hypervisorStolenTime = hypervisorStolenTime
        self.guestStolenTime = guestStolenTime
        self.hypervisorPreempted = hypervisorPreempted
        self.guestPreempted = guestPreempted
        self.stolenTimeIPA = stolenTimeIPA
        self.preemptedIPA = preemptedIPA
    }
}
