import Testing
@testable import PVABI

private let success = SMCCCReturn.success.rawValue
private let notSupported = SMCCCReturn.notSupported.rawValue
private let invalidParameter = SMCCCReturn.invalidParameter.rawValue

private func makeHypervisor(vcpus: Int = 2, features: PVFeatures = .all, revision: UInt32 = 0,
                            attributes: UInt32 = 0) throws -> EmulatedHypervisor {
    let memory = try GuestMemory(ramBytes: 1 << 20, pvPages: 1)
    return try EmulatedHypervisor(memory: memory, configuration: HypervisorConfiguration(
        vcpus: vcpus, features: features, stolenTimeRevision: revision, stolenTimeAttributes: attributes))
}

private func id(_ f: SMCCCFunction) -> UInt64 { UInt64(f.rawValue) }

@Suite("SMCCC ids and return codes")
struct SMCCCTests {
    @Test func functionIdsAreTheSpecValues() {
        #expect(SMCCCFunction.smcccVersion.rawValue == 0x8000_0000)
        #expect(SMCCCFunction.archFeatures.rawValue == 0x8000_0001)
        #expect(SMCCCFunction.pvTimeFeatures.rawValue == 0xC500_0020)
        #expect(SMCCCFunction.pvTimeST.rawValue == 0xC500_0021)
        #expect(SMCCCFunction.pvSchedFeatures.rawValue == 0xC500_0090)
        #expect(SMCCCFunction.pvSchedIPAInit.rawValue == 0xC500_0091)
        #expect(SMCCCFunction.pvSchedIPARelease.rawValue == 0xC500_0092)
        #expect(Set(SMCCCFunction.known).count == 7)
        #expect(SMCCCFunction.known.allSatisfy { $0.name != nil })
        #expect(SMCCCFunction(rawValue: 0x1234).name == nil)
    }

    @Test func returnCodesAreTheSpecValues() {
        #expect(SMCCCReturn.allCases.map(\.rawValue) == [0, -1, -2, -3])
        #expect(SMCCCReturn.allCases.map(\.name) == ["SUCCESS", "NOT_SUPPORTED", "NOT_REQUIRED", "INVALID_PARAMETER"])
    }
}

@Suite("Emulated hypercall conduit")
struct HypercallTests {
    @Test func smcccVersionIs1_1() throws {
        let hv = try makeHypervisor()
        #expect(hv.call(vcpu: 0, function: .smcccVersion) == 0x1_0001)
    }

    /// ARCH_FEATURES and PV_TIME_FEATURES as KVM answers them:
    /// (function, vCPU, argument, answer).
    @Test("feature queries: answered for the FEATURES ids only, the argument read as u32")
    func featureQueries() throws {
        let hv = try makeHypervisor()
        let queries: [(SMCCCFunction, Int, UInt64, Int64)] = [
            (.archFeatures, 0, id(.pvTimeFeatures), success),
            (.archFeatures, 0, id(.pvSchedFeatures), success),
            // KVM answers only for the FEATURES ids, not for the calls behind them.
            (.archFeatures, 0, id(.pvTimeST), notSupported),
            (.archFeatures, 0, 0xDEAD, notSupported),
            (.pvTimeFeatures, 0, id(.pvTimeFeatures), success),
            (.pvTimeFeatures, 1, id(.pvTimeST), success),
            (.pvTimeFeatures, 0, id(.pvSchedFeatures), notSupported),
            (.pvTimeFeatures, 0, 0, notSupported),
            // The argument is read as u32, as KVM's smccc_get_arg1 assigned to a u32 does.
            (.pvTimeFeatures, 0, 0xFFFF_FFFF_0000_0000 | id(.pvTimeST), success),
        ]
        for (function, vcpu, argument, answer) in queries {
            #expect(hv.call(vcpu: vcpu, function: function, argument) == answer,
                    "\(function.name ?? "?")(0x\(String(argument, radix: 16))) on vCPU \(vcpu)")
        }
    }

    @Test(arguments: [(PVFeatures.pvSched, SMCCCFunction.pvTimeFeatures), (PVFeatures.pvTime, SMCCCFunction.pvSchedFeatures)])
    func disabledFeatureIsNotAdvertisedNorCallable(remaining: PVFeatures, disabledProbe: SMCCCFunction) throws {
        let hv = try makeHypervisor(features: remaining)
        #expect(hv.call(vcpu: 0, function: .archFeatures, id(disabledProbe)) == notSupported)
        if !remaining.contains(.pvTime) {
            #expect(hv.call(vcpu: 0, function: .pvTimeFeatures, id(.pvTimeST)) == notSupported)
            #expect(hv.call(vcpu: 0, function: .pvTimeST) == notSupported)
            #expect(hv.stolenTimeRecord(vcpu: 0) == nil)
        } else {
            #expect(hv.call(vcpu: 0, function: .pvSchedFeatures, id(.pvSchedIPAInit)) == notSupported)
            #expect(hv.call(vcpu: 0, function: .pvSchedIPAInit, hv.memory.baseIPA) == notSupported)
            #expect(hv.call(vcpu: 0, function: .pvSchedIPARelease) == notSupported)
        }
    }

    @Test func pvTimeSTReturnsEachVCPUsAlignedIPA() throws {
        let hv = try makeHypervisor(vcpus: 4)
        let ipas = (0 ..< 4).map { UInt64(bitPattern: hv.call(vcpu: $0, function: .pvTimeST)) }
        #expect(Set(ipas).count == 4)
        for (vcpu, ipa) in ipas.enumerated() {
            #expect(ipa % 64 == 0)
            #expect(ipa >= hv.memory.pvRegionIPA, "inside the reserved PV region")
            #expect(hv.memory.contains(ipa: ipa, length: 16))
            #expect(hv.stolenTimeIPA(vcpu: vcpu) == ipa)
        }
    }

    @Test func pvTimeSTZeroesADirtyRecord() throws {
        let hv = try makeHypervisor()
        let record = try #require(hv.stolenTimeRecord(vcpu: 1))
        record.storeRelaxed(RecordWords(revision: 0xAAAA, attributes: 0xBBBB, stolenTime: 0xDEAD_BEEF))
        let other = try #require(hv.stolenTimeRecord(vcpu: 0))
        other.stolenTime.storeRelaxed(77)
        let r = hv.call(vcpu: 1, function: .pvTimeST)
        #expect(r == Int64(hv.stolenTimeIPA(vcpu: 1)!))
        #expect(record.loadRelaxed() == RecordWords(stolenTime: 0))
        #expect(other.stolenTime.loadRelaxed() == 77, "another vCPU's record is untouched")
    }

    @Test func pvTimeSTResetsTheRunDelayBaseline() throws {
        let hv = try makeHypervisor()
        _ = hv.call(vcpu: 0, function: .pvTimeST)
        hv.vcpuLoad(vcpu: 0, runDelay: 1_000)
        hv.vcpuLoad(vcpu: 0, runDelay: 1_500)
        let record = try #require(hv.stolenTimeRecord(vcpu: 0))
        #expect(record.stolenTime.loadRelaxed() == 1_500)
        _ = hv.call(vcpu: 0, function: .pvTimeST)
        #expect(record.stolenTime.loadRelaxed() == 0)
        hv.vcpuLoad(vcpu: 0, runDelay: 200)
        #expect(record.stolenTime.loadRelaxed() == 200)
    }

    @Test func pvSchedFeatures() throws {
        let hv = try makeHypervisor()
        for f in [SMCCCFunction.pvSchedFeatures, .pvSchedIPAInit, .pvSchedIPARelease] {
            #expect(hv.call(vcpu: 0, function: .pvSchedFeatures, id(f)) == success)
        }
        #expect(hv.call(vcpu: 0, function: .pvSchedFeatures, id(.pvTimeST)) == notSupported)
    }

    @Test func ipaInitRegistersAndLoadPutWriteTheFlag() throws {
        let hv = try makeHypervisor()
        let ipa = try hv.memory.allocateGuestRAM(bytes: 64, alignment: 64)
        #expect(hv.call(vcpu: 1, function: .pvSchedIPAInit, ipa) == success)
        let state = try #require(hv.pvSchedState(vcpu: 1))
        #expect(try hv.memory.ipa(of: state.address) == ipa)
        hv.vcpuPut(vcpu: 1)
        #expect(state.preempted.loadRelaxed() == 1)
        hv.vcpuLoad(vcpu: 1, runDelay: 0)
        #expect(state.preempted.loadRelaxed() == 0)
        #expect(hv.pvSchedState(vcpu: 0) == nil, "vCPU 0 registered nothing")
    }

    @Test func doubleIPAInitMovesTheRegistration() throws {
        let hv = try makeHypervisor()
        let first = try hv.memory.allocateGuestRAM(bytes: 64, alignment: 64)
        let second = try hv.memory.allocateGuestRAM(bytes: 64, alignment: 64)
        #expect(hv.call(vcpu: 0, function: .pvSchedIPAInit, first) == success)
        #expect(hv.call(vcpu: 0, function: .pvSchedIPAInit, second) == success)
        #expect(hv.pvSchedIPA(vcpu: 0) == second)
        hv.vcpuPut(vcpu: 0)
        let old = PVSchedState(try hv.memory.pointer(ipa: first, length: 4))
        #expect(old.preempted.loadRelaxed() == 0, "the old block is no longer written")
        #expect(hv.pvSchedState(vcpu: 0)!.preempted.loadRelaxed() == 1)
    }

    @Test func ipaReleaseStopsWritesAndIsIdempotent() throws {
        let hv = try makeHypervisor()
        // Without INIT: SUCCESS, as openEuler answers.
        #expect(hv.call(vcpu: 0, function: .pvSchedIPARelease) == success)
        let ipa = try hv.memory.allocateGuestRAM(bytes: 64, alignment: 64)
        #expect(hv.call(vcpu: 0, function: .pvSchedIPAInit, ipa) == success)
        #expect(hv.call(vcpu: 0, function: .pvSchedIPARelease) == success)
        #expect(hv.pvSchedIPA(vcpu: 0) == nil)
        hv.vcpuPut(vcpu: 0)
        #expect(PVSchedState(try hv.memory.pointer(ipa: ipa, length: 4)).preempted.loadRelaxed() == 0)
    }

    @Test func ipaInitRejectsMisalignedAndOutOfRange() throws {
        let hv = try makeHypervisor()
        let base = hv.memory.baseIPA
        #expect(hv.call(vcpu: 0, function: .pvSchedIPAInit, base + 4) == invalidParameter)
        #expect(hv.call(vcpu: 0, function: .pvSchedIPAInit, base + 1) == invalidParameter)
        #expect(hv.call(vcpu: 0, function: .pvSchedIPAInit, 0) == invalidParameter)
        #expect(hv.call(vcpu: 0, function: .pvSchedIPAInit, hv.memory.ipaRange.upperBound + 1) == invalidParameter)
        #expect(hv.call(vcpu: 0, function: .pvSchedIPAInit, .max) == invalidParameter)
        #expect(hv.pvSchedIPA(vcpu: 0) == nil, "a refused INIT registers nothing")
    }

    @Test func lenientHypervisorAcceptsPackedFlags() throws {
        let memory = try GuestMemory(ramBytes: 1 << 16, pvPages: 1)
        let hv = try EmulatedHypervisor(memory: memory, configuration: HypervisorConfiguration(vcpus: 2, checksSchedIPA: false))
        #expect(hv.call(vcpu: 1, function: .pvSchedIPAInit, memory.baseIPA + 4) == success)
        // Still never outside guest memory or unaligned for a 32-bit access.
        #expect(hv.call(vcpu: 1, function: .pvSchedIPAInit, memory.baseIPA + 2) == invalidParameter)
        #expect(hv.call(vcpu: 1, function: .pvSchedIPAInit, 0x10) == invalidParameter)
    }

    @Test(arguments: [UInt32(0), 0x8000_0002, 0xC500_0022, 0xC500_0093, 0x8400_0000, 0xFFFF_FFFF])
    func unknownIdsAreNotSupported(raw: UInt32) throws {
        let hv = try makeHypervisor()
        #expect(hv.call(vcpu: 0, function: SMCCCFunction(rawValue: raw), 1, 2, 3) == notSupported)
    }

    @Test func configurationErrors() throws {
        let memory = try GuestMemory(ramBytes: 0, pvPages: 1)
        #expect(throws: HypervisorError.invalidVCPUCount(0)) {
            try EmulatedHypervisor(memory: memory, configuration: HypervisorConfiguration(vcpus: 0))
        }
        #expect(throws: HypervisorError.invalidStride(24)) {
            try EmulatedHypervisor(memory: memory, configuration: HypervisorConfiguration(vcpus: 1, stolenTimeStride: 24))
        }
        // 1025 records of 64 bytes do not fit one 64 KiB page.
        #expect(throws: HypervisorError.self) {
            try EmulatedHypervisor(memory: memory, configuration: HypervisorConfiguration(vcpus: 1025))
        }
    }
}
