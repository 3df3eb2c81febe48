/// One hypercall the guest made during discovery, and what it made of it.
public struct DiscoveryStep: Sendable, Equatable {
    public let vcpu: Int
    public let function: SMCCCFunction
    public let arguments: [UInt64]
    public let result: Int64
    /// What the guest concluded ("PV time present", "record at IPA 0x…").
    public let meaning: String
}

/// Why the guest did not use a feature or a vCPU's record.
public enum DiscoveryFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// SMCCC_VERSION below 1.1: no ARCH_FEATURES to probe with.
    case smcccTooOld(version: Int64)
    /// ARCH_FEATURES did not answer SUCCESS for the feature's FEATURES call.
    case notAdvertised(SMCCCFunction, result: Int64)
    /// FEATURES did not answer SUCCESS for the function the guest needs.
    case functionNotSupported(SMCCCFunction, result: Int64)
    /// PV_TIME_ST answered NOT_SUPPORTED for this vCPU (Linux: -EINVAL).
    case noRecord(vcpu: Int, result: Int64)
    /// The IPA returned is not one the guest can map (outside memory, misaligned).
    case unmappable(vcpu: Int, ipa: UInt64, reason: String)
    /// The record's revision or attributes are not 0 (Linux: -ENXIO,
    /// "Unexpected revision or attributes in stolen time data").
    case unexpectedRevision(vcpu: Int, revision: UInt32, attributes: UInt32)
    /// PV_SCHED_IPA_INIT failed for this vCPU.
    case registrationFailed(vcpu: Int, result: Int64)

    public var description: String {
        func code(_ r: Int64) -> String { SMCCCReturn(rawValue: r).map(\.description) ?? "\(r)" }
        switch self {
        case let .smcccTooOld(v): return "SMCCC version 0x\(String(v, radix: 16)) is below 1.1: no ARCH_FEATURES"
        case let .notAdvertised(f, r): return "ARCH_FEATURES(\(f)) answered \(code(r))"
        case let .functionNotSupported(f, r): return "FEATURES(\(f)) answered \(code(r))"
        case let .noRecord(v, r): return "vCPU \(v): PV_TIME_ST answered \(code(r))"
        case let .unmappable(v, ipa, why): return "vCPU \(v): cannot map IPA 0x\(String(ipa, radix: 16)): \(why)"
        case let .unexpectedRevision(v, rev, attr):
            return "vCPU \(v): unexpected revision \(rev) or attributes \(attr) in stolen time data"
        case let .registrationFailed(v, r): return "vCPU \(v): PV_SCHED_IPA_INIT answered \(code(r))"
        }
    }
}

/// What the guest ended up with: per-vCPU handles to the records it will
/// read (stolen time) and own (PV sched), and the log of how it got them.
public struct GuestPV: Sendable {
    public let vcpus: Int
    public let steps: [DiscoveryStep]
    /// Why PV time is not used (nil when every vCPU has a record).
    public let pvTimeFailure: DiscoveryFailure?
    /// Why PV sched is not used (nil when every vCPU registered).
    public let pvSchedFailure: DiscoveryFailure?
    /// Per-vCPU stolen-time records the guest mapped (empty without PV time).
    public let stolenTime: [StolenTimeRecord]
    public let stolenTimeIPAs: [UInt64]
    /// Per-vCPU PV sched blocks the guest registered (empty without PV sched).
    public let pvSched: [PVSchedState]
    public let pvSchedIPAs: [UInt64]

    public var hasPVTime: Bool { !stolenTime.isEmpty }
    public var hasPVSched: Bool { !pvSched.isEmpty }
}

/// The guest side of discovery, in the order Linux does it
/// (arch/arm64/kernel/paravirt.c `has_pv_steal_clock`,
/// `stolen_time_cpu_online`; openEuler's `pv_sched_init`).
public enum GuestDiscovery {
    /// Runs discovery on every vCPU of `hypervisor`.
    ///
    /// - Parameter pvSchedStride: distance between the guest's per-CPU
    ///   `preempted` blocks in guest RAM (64 = one per block as the spec
    ///   pads it; 4 = packed, which only a hypervisor without the IPA
    ///   alignment check accepts).
    public static func discover(_ hypervisor: EmulatedHypervisor, pvSchedStride: Int = PVSchedLayout.blockSize) -> GuestPV {
        var steps: [DiscoveryStep] = []
        let n = hypervisor.vcpuCount
        let memory = hypervisor.memory

        func invoke(_ vcpu: Int, _ f: SMCCCFunction, _ args: [UInt64], _ meaning: (Int64) -> String) -> Int64 {
            let r = hypervisor.call(vcpu: vcpu, function: f, arguments: args)
            steps.append(DiscoveryStep(vcpu: vcpu, function: f, arguments: args, result: r, meaning: meaning(r)))
            return r
        }
        let ok = SMCCCReturn.success.rawValue
        /// ARCH_FEATURES for a feature's query function, then that function
        /// for the call the guest will use, each step said (yes, no): the
        /// failure, or nil when both answer.
        func features(_ query: SMCCCFunction, _ said: (String, String), offer function: SMCCCFunction,
                      _ offered: (String, String)) -> DiscoveryFailure? {
            let advertised = invoke(0, .archFeatures, [UInt64(query.rawValue)]) { $0 == ok ? said.0 : said.1 }
            if advertised != ok { return .notAdvertised(query, result: advertised) }
            let supported = invoke(0, query, [UInt64(function.rawValue)]) { $0 == ok ? offered.0 : offered.1 }
            return supported == ok ? nil : .functionNotSupported(function, result: supported)
        }

        // SMCCC 1.1 is required before ARCH_FEATURES may be used.
        let version = invoke(0, .smcccVersion, []) { v in
            v >= emulatedSMCCCVersion ? "SMCCC \(v >> 16).\(v & 0xFFFF): ARCH_FEATURES available" : "too old"
        }
        guard version >= (1 << 16 | 1) else {
            return GuestPV(vcpus: n, steps: steps, pvTimeFailure: .smcccTooOld(version: version),
                           pvSchedFailure: .smcccTooOld(version: version), stolenTime: [], stolenTimeIPAs: [],
                           pvSched: [], pvSchedIPAs: [])
        }

        // PV time.
        var pvTimeFailure = features(.pvTimeFeatures, ("PV_TIME_FEATURES implemented", "no PV time"),
                                     offer: .pvTimeST, ("PV_TIME_ST supported: steal clock will be used", "no PV_TIME_ST"))
        var records: [StolenTimeRecord] = []
        var recordIPAs: [UInt64] = []
        if pvTimeFailure == nil {
            for vcpu in 0 ..< n {
                let r = invoke(vcpu, .pvTimeST, []) { r in
                    r >= 0 ? "record at IPA 0x\(String(UInt64(bitPattern: r), radix: 16))" : "no record"
                }
                guard r >= 0 else { pvTimeFailure = .noRecord(vcpu: vcpu, result: r); break }
                let ipa = UInt64(bitPattern: r)
                let pointer: UnsafeMutableRawPointer
                do {
                    pointer = try memory.pointer(ipa: ipa, length: StolenTimeLayout.size, alignment: 8)
                } catch {
                    pvTimeFailure = .unmappable(vcpu: vcpu, ipa: ipa, reason: error.description)
                    break
                }
                let record = StolenTimeRecord(pointer)
                let value = record.loadRelaxed()
                guard value.revision == 0, value.attributes == 0 else {
                    pvTimeFailure = .unexpectedRevision(vcpu: vcpu, revision: value.revision,
                                                        attributes: value.attributes)
                    break
                }
                records.append(record)
                recordIPAs.append(ipa)
            }
            if pvTimeFailure != nil { records = []; recordIPAs = [] }
        }

        // PV sched: the guest owns one block per CPU in its own RAM.
        var pvSchedFailure = features(.pvSchedFeatures, ("PV_SCHED_FEATURES implemented", "no PV sched"),
                                      offer: .pvSchedIPAInit, ("PV_SCHED_IPA_INIT supported", "no PV_SCHED_IPA_INIT"))
        var blocks: [PVSchedState] = []
        var blockIPAs: [UInt64] = []
        if pvSchedFailure == nil {
            let stride = max(pvSchedStride, PVSchedLayout.flagSize)
            let alignment = min(stride, PVSchedLayout.blockSize)
            do {
                let firstIPA = try memory.allocateGuestRAM(bytes: stride * n, alignment: max(alignment, 64))
                for vcpu in 0 ..< n {
                    let ipa = firstIPA + UInt64(vcpu * stride)
                    let r = invoke(vcpu, .pvSchedIPAInit, [ipa]) {
                        $0 == ok ? "preempted block registered at IPA 0x\(String(ipa, radix: 16))" : "refused"
                    }
                    guard r == ok else { pvSchedFailure = .registrationFailed(vcpu: vcpu, result: r); break }
                    let pointer = try memory.pointer(ipa: ipa, length: PVSchedLayout.flagSize, alignment: 4)
                    blocks.append(PVSchedState(pointer))
                    blockIPAs.append(ipa)
                }
            } catch {
                pvSchedFailure = .unmappable(vcpu: 0, ipa: 0, reason: error.description)
            }
            if pvSchedFailure != nil {
                // Undo the registrations that did succeed, as a CPU going down would.
                for vcpu in 0 ..< blocks.count { _ = hypervisor.call(vcpu: vcpu, function: .pvSchedIPARelease) }
                blocks = []; blockIPAs = []
            }
        }

        return GuestPV(vcpus: n, steps: steps, pvTimeFailure: pvTimeFailure, pvSchedFailure: pvSchedFailure,
                       stolenTime: records, stolenTimeIPAs: recordIPAs, pvSched: blocks, pvSchedIPAs: blockIPAs)
    }

    /// Releases every vCPU's PV sched block (PV_SCHED_IPA_RELEASE), as each
    /// CPU going offline does. Returns the steps.
    @discardableResult
    public static func release(_ guest: GuestPV, on hypervisor: EmulatedHypervisor) -> [DiscoveryStep] {
        guard guest.hasPVSched else { return [] }
        return (0 ..< guest.vcpus).map { vcpu in
            let r = hypervisor.call(vcpu: vcpu, function: .pvSchedIPARelease)
            return DiscoveryStep(vcpu: vcpu, function: .pvSchedIPARelease, arguments: [], result: r,
                                 meaning: r == SMCCCReturn.success.rawValue ? "released" : "release refused")
        }
    }
}
