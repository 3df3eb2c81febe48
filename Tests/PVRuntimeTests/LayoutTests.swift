import PVABI
import Testing
@testable import PVRuntime

@Suite("vCPU record layouts and the emulated machine")
struct VCPULayoutTests {
    @Test("strides, offsets and cache-line sharing per layout")
    func strides() {
        #expect(VCPULayout.packed.stride(for: .stolenTime) == 16)
        #expect(VCPULayout.packed.stride(for: .preempted) == 4)
        #expect(VCPULayout.cacheline.stride(for: .stolenTime) == 64)
        #expect(VCPULayout.cacheline.stride(for: .preempted) == 64)
        #expect(VCPULayout.page.stride(for: .preempted) == 4096)
        #expect(VCPULayout.packed.offset(ofVCPU: 3, for: .stolenTime) == 48)
        #expect(VCPULayout.packed.vcpusPerCacheLine(for: .stolenTime) == 4)
        #expect(VCPULayout.packed.vcpusPerCacheLine(for: .preempted) == 16)
        #expect(VCPULayout.cacheline.vcpusPerCacheLine(for: .stolenTime) == 1)
        #expect(VCPULayout.allCases.map(\.rawValue) == ["packed", "cacheline", "page"])
    }

    @Test("how many vCPUs fit a PV region, and how many pages a count needs")
    func capacity() {
        // One 64 KiB page: 4096 packed records, 1024 per line, 16 per page.
        #expect(VCPULayout.packed.capacity(pvPages: 1) == 4096)
        #expect(VCPULayout.cacheline.capacity(pvPages: 1) == 1024)
        #expect(VCPULayout.page.capacity(pvPages: 1) == 16)
        #expect(VCPULayout.cacheline.capacity(bytes: 15, for: .stolenTime) == 0)
        #expect(VCPULayout.cacheline.capacity(bytes: 80, for: .stolenTime) == 2)   // 0..15, 64..79
        #expect(VCPULayout.page.pvPagesNeeded(vcpus: 16) == 1)
        #expect(VCPULayout.page.pvPagesNeeded(vcpus: 17) == 2)
        #expect(VCPULayout.cacheline.pvPagesNeeded(vcpus: 1025) == 2)
        for layout in VCPULayout.allCases {
            for vcpus in [1, 2, 17, 1000, 16384] {
                let pages = layout.pvPagesNeeded(vcpus: vcpus)
                #expect(layout.capacity(pvPages: pages) >= vcpus)
                #expect(pages == 1 || layout.capacity(pvPages: pages - 1) < vcpus)
            }
        }
    }

    @Test("each layout builds a machine whose records sit where the layout says", arguments: VCPULayout.allCases)
    func machine(layout: VCPULayout) throws {
        let m = try EmulatedMachine(layout: layout, vcpus: 20)
        #expect(m.vcpuCount == 20)
        #expect(m.memory.pvRegionSize == layout.pvPagesNeeded(vcpus: 20) * GuestMemory.pvPageSize)
        let st = m.vcpus.map { $0.guestStolenTime!.address }
        let flags = m.vcpus.map { $0.guestPreempted!.address }
        for v in 1 ..< 20 {
            #expect(st[v] - st[v - 1] == layout.stride(for: .stolenTime))
            #expect(flags[v] - flags[v - 1] == layout.stride(for: .preempted))
        }
        #expect(st[0] == m.memory.pvRegionBase)
        for r in m.vcpus {
            // Both sides reach the same memory through the ABI.
            #expect(r.hypervisorStolenTime?.address == r.guestStolenTime?.address)
            #expect(r.hypervisorPreempted?.address == r.guestPreempted?.address)
            #expect(try m.memory.ipa(of: r.guestPreempted!.address) == r.preemptedIPA)
            #expect(try m.memory.ipa(of: r.guestStolenTime!.address) == r.stolenTimeIPA)
        }
        // A hypervisor sched-out/in on vCPU 7 is seen by the guest on vCPU 7 only.
        m.hypervisor.vcpuPut(vcpu: 7)
        #expect(m.vcpus[7].guestPreempted!.preempted.loadRelaxed() == 1)
        #expect(m.vcpus[6].guestPreempted!.preempted.loadRelaxed() == 0)
        #expect(m.vcpus[8].guestPreempted!.preempted.loadRelaxed() == 0)
        m.hypervisor.vcpuLoad(vcpu: 7, runDelay: 1_500)
        #expect(m.vcpus[7].guestPreempted!.preempted.loadRelaxed() == 0)
        #expect(m.vcpus[7].guestStolenTime!.stolenTime.loadRelaxed() == 1_500)
        #expect(m.vcpus[6].guestStolenTime!.stolenTime.loadRelaxed() == 0)
        #expect(m.vcpus[8].guestStolenTime!.stolenTime.loadRelaxed() == 0)
    }

    @Test("packed flags need the hypervisor's 64-byte IPA check off, and get it")
    func packedFlags() throws {
        let m = try EmulatedMachine(layout: .packed, vcpus: 16)
        #expect(!m.hypervisor.configuration.checksSchedIPA)
        #expect(m.vcpus.allSatisfy { $0.guestPreempted != nil })
        let c = try EmulatedMachine(layout: .cacheline, vcpus: 2)
        #expect(c.hypervisor.configuration.checksSchedIPA)
    }

    @Test("a PV region too small for the vCPUs is a clear error listing what fits")
    func tooSmall() {
        #expect(throws: EmulatedMachineError.regionTooSmall(layout: .page, vcpus: 17, pvPages: 1)) {
            _ = try EmulatedMachine(layout: .page, vcpus: 17, pvRegionPages: 1)
        }
        let text = EmulatedMachineError.regionTooSmall(layout: .page, vcpus: 17, pvPages: 1).description
        #expect(text.contains("packed: 4096, cacheline: 1024, page: 16"))
        #expect(text.contains("2 pages needed"))
        #expect(throws: EmulatedMachineError.invalidVCPUCount(0)) { _ = try EmulatedMachine(layout: .packed, vcpus: 0) }
    }

    @Test("features switched off leave those handles empty instead of failing")
    func featuresOff() throws {
        let m = try EmulatedMachine(layout: .cacheline, vcpus: 4, features: .pvSched)
        #expect(m.vcpus.allSatisfy { $0.guestStolenTime == nil && $0.hypervisorStolenTime == nil })
        #expect(m.vcpus.allSatisfy { $0.guestPreempted != nil })
        #expect(m.guest.pvTimeFailure != nil)   // the guest probed and was told no
    }

    /// Records how the region was mapped, to show a custom backing is used.
    final class CountingBacking: GuestMemoryBacking, @unchecked Sendable {
        let inner = AnonymousMappingBacking()
        var mapped: [Int] = []
        func map(bytes: Int, alignment: Int) throws -> UnsafeMutableRawPointer {
            mapped.append(bytes)
            return try inner.map(bytes: bytes, alignment: alignment)
        }
        func unmap(_ pointer: UnsafeMutableRawPointer, bytes: Int, alignment: Int) {
            inner.unmap(pointer, bytes: bytes, alignment: alignment)
        }
    }

    @Test("the guest memory comes from the backing passed in (NUMA placement hook)")
    func backing() throws {
        let backing = CountingBacking()
        let m = try EmulatedMachine(layout: .page, vcpus: 300, backing: backing)
        #expect(backing.mapped == [m.memory.size])
        #expect(m.memory.pvRegionSize == 19 * GuestMemory.pvPageSize)   // 300 vCPUs / 16 per page
        #expect(m.memory.ramSize >= 300 * 4096)
    }
}
