import Synchronization

/// The PV features an emulated hypervisor offers. Each can be switched off
/// to test a guest against a host without it.
public struct PVFeatures: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let pvTime = PVFeatures(rawValue: 1 << 0)
    public static let pvSched = PVFeatures(rawValue: 1 << 1)
    public static let all: PVFeatures = [.pvTime, .pvSched]

    /// CLI names: `pv-time`, `pv-sched`.
    public static let byName: [(String, PVFeatures)] = [("pv-time", .pvTime), ("pv-sched", .pvSched)]
    public var names: [String] { Self.byName.filter { contains($0.1) }.map(\.0) }
}

/// How the emulated hypervisor is set up, as a VMM would set up KVM.
public struct HypervisorConfiguration: Sendable {
    public var vcpus: Int
    public var features: PVFeatures
    /// Distance between consecutive vCPUs' stolen-time records in the PV
    /// region. KVM requires 64-byte aligned record IPAs, so 64 (one record
    /// per cache line) is what a VMM does; 16 (`packed`) is not accepted by
    /// KVM and exists to measure false sharing.
    public var stolenTimeStride: Int
    /// Whether PV_SCHED_IPA_INIT rejects IPAs outside guest memory or not
    /// 64-byte aligned. openEuler's KVM checks neither; the emulation checks
    /// by default so a guest bug shows up as INVALID_PARAMETER.
    public var checksSchedIPA: Bool
    /// Revision and attributes the hypervisor writes after PV_TIME_ST zeroes
    /// a record: 0 and 0 for DEN0057A 1.0. Non-zero emulates a hypervisor of
    /// a future revision, which a v1.0 guest must refuse.
    public var stolenTimeRevision: UInt32
    public var stolenTimeAttributes: UInt32

    public init(vcpus: Int, features: PVFeatures = .all, stolenTimeStride: Int = 64,
                checksSchedIPA: Bool = true, stolenTimeRevision: UInt32 = 0, stolenTimeAttributes: UInt32 = 0)
    {
        self.vcpus = vcpus
        self.features = features
        self.stolenTimeStride = stolenTimeStride
        self.checksSchedIPA = checksSchedIPA
        self.stolenTimeRevision = stolenTimeRevision
        self.stolenTimeAttributes = stolenTimeAttributes
    }

    /// Most vCPUs the emulation accepts (KVM's KVM_MAX_VCPUS on arm64 is 512;
    /// the emulation allows more so scans over "thousands" can be measured).
    public static let maxVCPUs = 16384
}

/// Errors in setting up the emulated hypervisor.
public enum HypervisorError: Error, Equatable, CustomStringConvertible {
    case invalidVCPUCount(Int)
    case invalidStride(Int)
    case pvRegionTooSmall(needed: Int, available: Int)

    public var description: String {
        switch self {
        case let .invalidVCPUCount(n):
            "vCPU count must be 1 ... \(HypervisorConfiguration.maxVCPUs), got \(n)"
        case let .invalidStride(s):
            "stolen-time stride must be a multiple of 16 bytes and at least 16, got \(s)"
        case let .pvRegionTooSmall(needed, available):
            "PV region of \(available) bytes cannot hold \(needed) bytes of stolen-time records; reserve more 64 KiB pages"
        }
    }
}

/// The hypervisor side of the emulation: the SMCCC conduit with KVM/arm64's
/// semantics (arch/arm64/kvm/hypercalls.c, pvtime.c; openEuler's pvsched),
/// and the hypervisor's views of the records it writes.
///
/// Conduit calls take a lock; they are never on a hot path. The hot-path
/// writers use ``stolenTimeRecord(vcpu:)`` and ``pvSchedState(vcpu:)`` once
/// and then write through the records' ordering-named accessors.
public final class EmulatedHypervisor: @unchecked Sendable {
    public let memory: GuestMemory
    public let configuration: HypervisorConfiguration

    private struct VCPUState {
        var stolenTimeIPA: UInt64?      // configured by the VMM (KVM_ARM_VCPU_PVTIME_IPA)
        var pvSchedIPA: UInt64?         // registered by the guest (PV_SCHED_IPA_INIT)
        var lastRunDelay: UInt64 = 0    // baseline kvm_update_stolen_time subtracts
    }
    private let state: Mutex<[VCPUState]>

    public init(memory: GuestMemory, configuration: HypervisorConfiguration) throws {
        let n = configuration.vcpus
        guard n >= 1, n <= HypervisorConfiguration.maxVCPUs else { throw HypervisorError.invalidVCPUCount(n) }
        let stride = configuration.stolenTimeStride
        guard stride >= StolenTimeLayout.size, stride % StolenTimeLayout.size == 0 else {
            throw HypervisorError.invalidStride(stride)
        }
        var vcpus = [VCPUState](repeating: VCPUState(), count: n)
        if configuration.features.contains(.pvTime) {
            let needed = (n - 1) * stride + StolenTimeLayout.size
            guard needed <= memory.pvRegionSize else {
                throw HypervisorError.pvRegionTooSmall(needed: needed, available: memory.pvRegionSize)
            }
            for i in 0 ..< n { vcpus[i].stolenTimeIPA = memory.pvRegionIPA + UInt64(i * stride) }
        }
        self.memory = memory
        self.configuration = configuration
        self.state = Mutex(vcpus)
    }

    public var vcpuCount: Int { configuration.vcpus }

    // MARK: The conduit

    /// Issues SMCCC function `function` from vCPU `vcpu` with up to three
    /// arguments (x1..x3) and returns x0 as int64, as the guest sees it.
    public func call(vcpu: Int, function: SMCCCFunction, _ arguments: UInt64...) -> Int64 {
        call(vcpu: vcpu, function: function, arguments: arguments)
    }

    public func call(vcpu: Int, function: SMCCCFunction, arguments: [UInt64]) -> Int64 {
        precondition(vcpu >= 0 && vcpu < vcpuCount, "vCPU \(vcpu) does not exist (0..<\(vcpuCount))")
        let arg1 = arguments.first ?? 0
        let features = configuration.features
        switch function {
        case .smcccVersion:
            return emulatedSMCCCVersion

        case .archFeatures:
            // KVM answers for the functions it implements behind this probe;
            // the feature id is read as u32 (smccc_get_arg1 truncated).
            switch SMCCCFunction(rawValue: UInt32(truncatingIfNeeded: arg1)) {
            case .pvTimeFeatures where features.contains(.pvTime): return SMCCCReturn.success.rawValue
            case .pvSchedFeatures where features.contains(.pvSched): return SMCCCReturn.success.rawValue
            default: return SMCCCReturn.notSupported.rawValue
            }

        case .pvTimeFeatures:
            guard features.contains(.pvTime) else { return SMCCCReturn.notSupported.rawValue }
            // kvm_hypercall_pv_features: SUCCESS for the two PV_TIME ids when
            // the vCPU has a record configured.
            switch SMCCCFunction(rawValue: UInt32(truncatingIfNeeded: arg1)) {
            case .pvTimeFeatures, .pvTimeST:
                let configured = state.withLock { $0[vcpu].stolenTimeIPA != nil }
                return configured ? SMCCCReturn.success.rawValue : SMCCCReturn.notSupported.rawValue
            default:
                return SMCCCReturn.notSupported.rawValue
            }

        case .pvTimeST:
            guard features.contains(.pvTime) else { return SMCCCReturn.notSupported.rawValue }
            return initStolenTime(vcpu: vcpu)

        case .pvSchedFeatures:
            guard features.contains(.pvSched) else { return SMCCCReturn.notSupported.rawValue }
            switch SMCCCFunction(rawValue: UInt32(truncatingIfNeeded: arg1)) {
            case .pvSchedFeatures, .pvSchedIPAInit, .pvSchedIPARelease: return SMCCCReturn.success.rawValue
            default: return SMCCCReturn.notSupported.rawValue
            }

        case .pvSchedIPAInit:
            guard features.contains(.pvSched) else { return SMCCCReturn.notSupported.rawValue }
            // NOTE: real KVM (openEuler) does not check this IPA at all: it
            // stores it and later writes through kvm_put_guest, which silently
            // fails for an address outside guest memory. The emulation checks
            // (unless configured not to) so guest bugs are visible.
            if configuration.checksSchedIPA {
                guard memory.contains(ipa: arg1, length: PVSchedLayout.flagSize),
                      arg1 % UInt64(PVSchedLayout.ipaAlignment) == 0
                else { return SMCCCReturn.invalidParameter.rawValue }
            } else {
                guard memory.contains(ipa: arg1, length: PVSchedLayout.flagSize), arg1 % 4 == 0 else {
                    // Without the checks we still refuse to write outside our
                    // own mapping or unaligned: the accessors need natural alignment.
                    return SMCCCReturn.invalidParameter.rawValue
                }
            }
            // A second INIT re-registers at the new IPA, as openEuler does
            // (it simply overwrites vcpu->arch.pvsched.base).
            state.withLock { $0[vcpu].pvSchedIPA = arg1 }
            return SMCCCReturn.success.rawValue

        case .pvSchedIPARelease:
            guard features.contains(.pvSched) else { return SMCCCReturn.notSupported.rawValue }
            // openEuler sets base to INVALID_GPA and answers SUCCESS, whether
            // or not an IPA was registered.
            state.withLock { $0[vcpu].pvSchedIPA = nil }
            return SMCCCReturn.success.rawValue

        default:
            return SMCCCReturn.notSupported.rawValue
        }
    }

    /// kvm_init_stolen_time: zero the record, reset the baseline, return the IPA.
    private func initStolenTime(vcpu: Int) -> Int64 {
        state.withLock { vcpus -> Int64 in
            guard let ipa = vcpus[vcpu].stolenTimeIPA else { return SMCCCReturn.notSupported.rawValue }
            let record = try! StolenTimeRecord(memory.pointer(ipa: ipa, length: StolenTimeLayout.size, alignment: 16))
            // KVM writes sizeof(struct pvclock_vcpu_stolen_time) = 64 zero
            // bytes; with a stride under 64 (not a layout KVM accepts) only
            // this vCPU's own 16 bytes are zeroed.
            record.storeRelaxed(RecordWords(revision: configuration.stolenTimeRevision,
                                                attributes: configuration.stolenTimeAttributes, stolenTime: 0))
            vcpus[vcpu].lastRunDelay = 0
            return Int64(bitPattern: ipa)
        }
    }

    // MARK: Hypervisor-side views of the records

    /// The vCPU's stolen-time record, or nil without PV time.
    public func stolenTimeRecord(vcpu: Int) -> StolenTimeRecord? {
        guard let ipa = state.withLock({ $0[vcpu].stolenTimeIPA }) else { return nil }
        return try? StolenTimeRecord(memory.pointer(ipa: ipa, length: StolenTimeLayout.size, alignment: 16))
    }

    /// IPA of the vCPU's stolen-time record, or nil without PV time.
    public func stolenTimeIPA(vcpu: Int) -> UInt64? { state.withLock { $0[vcpu].stolenTimeIPA } }

    /// The vCPU's registered PV sched block, or nil when none is registered.
    public func pvSchedState(vcpu: Int) -> PVSchedState? {
        guard let ipa = state.withLock({ $0[vcpu].pvSchedIPA }) else { return nil }
        return try? PVSchedState(memory.pointer(ipa: ipa, length: PVSchedLayout.flagSize, alignment: 4))
    }

    /// IPA registered by PV_SCHED_IPA_INIT, or nil.
    public func pvSchedIPA(vcpu: Int) -> UInt64? { state.withLock { $0[vcpu].pvSchedIPA } }

    // MARK: Emulated scheduling events (the slow, faithful path)

    /// vcpu_load: kvm_update_stolen_time (read the guest's value back, add the
    /// run-delay growth since last time, one relaxed 64-bit store) and, with
    /// PV sched, `preempted = 0` (one relaxed 32-bit store).
    /// - Parameter runDelay: the vCPU thread's cumulative run delay in ns
    ///   (field 2 of /proc/<pid>/task/<tid>/schedstat in real KVM).
    public func vcpuLoad(vcpu: Int, runDelay: UInt64) {
        let (stIPA, schedIPA, last): (UInt64?, UInt64?, UInt64) = state.withLock { vcpus in
            let last = vcpus[vcpu].lastRunDelay
            vcpus[vcpu].lastRunDelay = runDelay
            return (vcpus[vcpu].stolenTimeIPA, vcpus[vcpu].pvSchedIPA, last)
        }
        if let ipa = stIPA, let pointer = try? memory.pointer(ipa: ipa, length: StolenTimeLayout.size) {
            let field = StolenTimeRecord(pointer).stolenTime
            field.storeRelaxed(field.loadRelaxed() &+ (runDelay &- last))
        }
        if let ipa = schedIPA, let pointer = try? memory.pointer(ipa: ipa, length: PVSchedLayout.flagSize) {
            PVSchedState(pointer).preempted.storeRelaxed(0)
        }
    }

    /// vcpu_put: with PV sched, `preempted = 1` (on every put, voluntary or not).
    public func vcpuPut(vcpu: Int) {
        if let ipa = state.withLock({ $0[vcpu].pvSchedIPA }),
           let pointer = try? memory.pointer(ipa: ipa, length: PVSchedLayout.flagSize)
        {
            PVSchedState(pointer).preempted.storeRelaxed(1)
        }
    }
}
