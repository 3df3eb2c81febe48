import PVABI

/// A guest and its hypervisor, set up the way a VMM and a booting Linux guest
/// would, with the records spaced by a ``VCPULayout``:
///
/// 1. guest memory with enough 64 KiB PV pages for the stolen-time records and
///    enough guest RAM for the `preempted` flags, from a ``GuestMemoryBacking``
///    (pass a NUMA-bound one to place the pages before they are first touched);
/// 2. the emulated hypervisor, with the layout's stolen-time stride (and
///    PV_SCHED_IPA_INIT's 64-byte alignment check off for `packed` flags,
///    which real KVM would refuse);
/// 3. the guest's discovery over the SMCCC conduit (`GuestDiscovery.discover`)
///    with the layout's flag stride;
/// 4. per-vCPU handles for both sides (``vcpus``).
///
/// The handles point into this object's memory: keep the machine alive (hold
/// it, or `withExtendedLifetime`) for as long as any thread uses them.
public final class EmulatedMachine: Sendable {
    public let layout: VCPULayout
    public let features: PVFeatures
    public let memory: GuestMemory
    public let hypervisor: EmulatedHypervisor
    /// What the guest's discovery found, with its hypercall log.
    public let guest: GuestPV
    /// One entry per vCPU, in vCPU order.
    public let vcpus: [VCPURecords]

    /// - Parameters:
    ///   - pvRegionPages: size of the PV region in 64 KiB pages; nil sizes it
    ///     to fit. Too small for `vcpuCount` in `layout` throws
    ///     ``EmulatedMachineError/regionTooSmall(layout:vcpus:pvPages:)``.
    public init(layout: VCPULayout, vcpus vcpuCount: Int, features: PVFeatures = .all,
                backing: any GuestMemoryBacking = AnonymousMappingBacking(), pvRegionPages: Int? = nil) throws
    {
        guard vcpuCount >= 1, vcpuCount <= HypervisorConfiguration.maxVCPUs else {
            throw EmulatedMachineError.invalidVCPUCount(vcpuCount)
        }
        let needed = layout.pvPagesNeeded(vcpus: vcpuCount)
        let pages = pvRegionPages ?? needed
        if features.contains(.pvTime), pages < needed {
            throw EmulatedMachineError.regionTooSmall(layout: layout, vcpus: vcpuCount, pvPages: pages)
        }
        let flagStride = layout.stride(for: .preempted)
        let page = GuestMemory.pvPageSize
        let ramBytes = max(1 << 20, (flagStride * vcpuCount + PVSchedLayout.blockSize + page - 1) / page * page)
        let memory = try GuestMemory(ramBytes: ramBytes, pvPages: pages, backing: backing)
        let configuration = HypervisorConfiguration(
            vcpus: vcpuCount, features: features, stolenTimeStride: layout.stride(for: .stolenTime),
            checksSchedIPA: flagStride % PVSchedLayout.ipaAlignment == 0)
        let hypervisor = try EmulatedHypervisor(memory: memory, configuration: configuration)
        let guest = GuestDiscovery.discover(hypervisor, pvSchedStride: flagStride)
        if features.contains(.pvTime), let failure = guest.pvTimeFailure {
            throw EmulatedMachineError.discoveryFailed(feature: "PV time", failure)
        }
        if features.contains(.pvSched), let failure = guest.pvSchedFailure {
            throw EmulatedMachineError.discoveryFailed(feature: "PV sched", failure)
        }
        self.layout = layout
        self.features = features
        self.memory = memory
        self.hypervisor = hypervisor
        self.guest = guest
        self.vcpus = (0 ..< vcpuCount).map { v in
            VCPURecords(vcpu: v, hypervisorStolenTime: hypervisor.stolenTimeRecord(vcpu: v),
                        guestStolenTime: guest.hasPVTime ? guest.stolenTime[v] : nil,
                        hypervisorPreempted: hypervisor.pvSchedState(vcpu: v),
                        guestPreempted: guest.hasPVSched ? guest.pvSched[v] : nil,
                        stolenTimeIPA: guest.hasPVTime ? guest.stolenTimeIPAs[v] : nil,
                        preemptedIPA: guest.hasPVSched ? guest.pvSchedIPAs[v] : nil)
        }
    }

    public var vcpuCount: Int { vcpus.count }

    /// The guest's `preempted` flags in vCPU order (for scans over many vCPUs).
    public var guestPreemptedFlags: [PVSchedState] { guest.pvSched }
    /// The guest's stolen-time records in vCPU order.
    public var guestStolenTimeRecords: [StolenTimeRecord] { guest.stolenTime }
}
