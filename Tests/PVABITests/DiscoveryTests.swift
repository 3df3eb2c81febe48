import Testing
@testable import PVABI

@Suite("Guest discovery, as Linux does it")
struct DiscoveryTests {
    private func hypervisor(vcpus: Int = 4, features: PVFeatures = .all, revision: UInt32 = 0,
                            attributes: UInt32 = 0) throws -> EmulatedHypervisor {
        let memory = try GuestMemory(ramBytes: 1 << 20, pvPages: 1)
        return try EmulatedHypervisor(memory: memory, configuration: HypervisorConfiguration(
            vcpus: vcpus, features: features, stolenTimeRevision: revision, stolenTimeAttributes: attributes))
    }

    @Test func probesInLinuxOrderThenMapsEveryRecord() throws {
        let hv = try hypervisor()
        let guest = GuestDiscovery.discover(hv)
        #expect(guest.pvTimeFailure == nil && guest.pvSchedFailure == nil)
        let calls = guest.steps.map(\.function)
        #expect(Array(calls.prefix(4)) == [.smcccVersion, .archFeatures, .pvTimeFeatures, .pvTimeST])
        #expect(guest.steps[1].arguments == [UInt64(SMCCCFunction.pvTimeFeatures.rawValue)])
        #expect(guest.steps[2].arguments == [UInt64(SMCCCFunction.pvTimeST.rawValue)])
        #expect(calls.filter { $0 == .pvTimeST }.count == 4)
        #expect(calls.filter { $0 == .pvSchedIPAInit }.count == 4)
        #expect(guest.stolenTime.count == 4 && guest.pvSched.count == 4)
        for vcpu in 0 ..< 4 {
            #expect(guest.stolenTimeIPAs[vcpu] == hv.stolenTimeIPA(vcpu: vcpu))
            #expect(guest.pvSchedIPAs[vcpu] == hv.pvSchedIPA(vcpu: vcpu))
            #expect(guest.pvSchedIPAs[vcpu] % 64 == 0)
        }
    }

    @Test func handlesSeeWhatTheHypervisorWrites() throws {
        let hv = try hypervisor(vcpus: 2)
        let guest = GuestDiscovery.discover(hv)
        hv.vcpuLoad(vcpu: 1, runDelay: 5_000)
        hv.vcpuPut(vcpu: 0)
        #expect(guest.stolenTime[1].stolenTime.loadRelaxed() == 5_000)
        #expect(guest.pvSched[0].preempted.loadRelaxed() == 1)
        #expect(guest.pvSched[1].preempted.loadRelaxed() == 0)
    }

    @Test func rejectsARecordWithNonZeroRevision() throws {
        let guest = GuestDiscovery.discover(try hypervisor(revision: 1))
        #expect(guest.pvTimeFailure == .unexpectedRevision(vcpu: 0, revision: 1, attributes: 0))
        #expect(!guest.hasPVTime)
        #expect(guest.hasPVSched, "PV sched does not depend on PV time")
    }

    @Test func rejectsARecordWithNonZeroAttributes() throws {
        let guest = GuestDiscovery.discover(try hypervisor(attributes: 0x10))
        #expect(guest.pvTimeFailure == .unexpectedRevision(vcpu: 0, revision: 0, attributes: 0x10))
    }

    @Test func withoutPVTimeTheGuestStopsAtArchFeatures() throws {
        let guest = GuestDiscovery.discover(try hypervisor(features: .pvSched))
        #expect(guest.pvTimeFailure == .notAdvertised(.pvTimeFeatures, result: -1))
        #expect(!guest.steps.contains { $0.function == .pvTimeFeatures || $0.function == .pvTimeST })
        #expect(guest.hasPVSched)
    }

    @Test func withoutPVSchedNothingIsRegistered() throws {
        let hv = try hypervisor(features: .pvTime)
        let guest = GuestDiscovery.discover(hv)
        #expect(guest.pvSchedFailure == .notAdvertised(.pvSchedFeatures, result: -1))
        #expect(!guest.steps.contains { $0.function == .pvSchedIPAInit })
        #expect(guest.hasPVTime)
        #expect(GuestDiscovery.release(guest, on: hv).isEmpty)
    }

    @Test func releaseDropsEveryRegistration() throws {
        let hv = try hypervisor(vcpus: 3)
        let guest = GuestDiscovery.discover(hv)
        let steps = GuestDiscovery.release(guest, on: hv)
        #expect(steps.count == 3 && steps.allSatisfy { $0.result == 0 })
        #expect((0 ..< 3).allSatisfy { hv.pvSchedIPA(vcpu: $0) == nil })
    }

    @Test func packedFlagsNeedALenientHypervisor() throws {
        let memory = try GuestMemory(ramBytes: 1 << 16, pvPages: 1)
        let strict = try EmulatedHypervisor(memory: memory, configuration: HypervisorConfiguration(vcpus: 4))
        let refused = GuestDiscovery.discover(strict, pvSchedStride: 4)
        #expect(refused.pvSchedFailure == .registrationFailed(vcpu: 1, result: -3))
        #expect(strict.pvSchedIPA(vcpu: 0) == nil, "the successful vCPU 0 registration was undone")

        let memory2 = try GuestMemory(ramBytes: 1 << 16, pvPages: 1)
        let lenient = try EmulatedHypervisor(memory: memory2, configuration: HypervisorConfiguration(vcpus: 4, checksSchedIPA: false))
        let guest = GuestDiscovery.discover(lenient, pvSchedStride: 4)
        #expect(guest.hasPVSched)
        #expect(guest.pvSchedIPAs[1] - guest.pvSchedIPAs[0] == 4)
    }
}
