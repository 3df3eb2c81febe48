import Testing
@testable import PVABI

@Suite("Guest memory: IPA <-> host pointer")
struct GuestMemoryTests {
    @Test func layoutIsRAMThenWholePVPages() throws {
        let m = try GuestMemory(ramBytes: 100_000, pvPages: 2)
        #expect(m.ramSize == 2 * 65536)  // rounded up to 64 KiB
        #expect(m.pvRegionOffset == m.ramSize)
        #expect(m.pvRegionSize == 2 * 65536)
        #expect(m.size == 4 * 65536)
        #expect(m.pvRegionIPA == GuestMemory.defaultBaseIPA + 2 * 65536)
        #expect(UInt(bitPattern: m.base) % 65536 == 0, "host mapping 64 KiB aligned")
        #expect(m.pvRegionIPA % 65536 == 0)
    }

    @Test func translatesBothWays() throws {
        let m = try GuestMemory(ramBytes: 65536, pvPages: 1)
        let p = try m.pointer(ipa: m.pvRegionIPA + 64, length: 16, alignment: 64)
        #expect(p == m.pvRegionBase + 64)
        #expect(try m.ipa(of: p) == m.pvRegionIPA + 64)
        // The very last byte is inside; one past is not.
        let last = m.ipaRange.upperBound
        _ = try m.pointer(ipa: last, length: 1)
        #expect(throws: GuestMemoryError.self) { try m.pointer(ipa: last, length: 2) }
    }

    @Test func rejectsOutOfRangeIPAs() throws {
        let m = try GuestMemory(ramBytes: 65536, pvPages: 1)
        #expect(throws: GuestMemoryError.outOfRange(ipa: 0, length: 4, valid: m.ipaRange)) {
            try m.pointer(ipa: 0, length: 4)
        }
        #expect(throws: GuestMemoryError.self) { try m.pointer(ipa: m.baseIPA - 1, length: 4) }
        #expect(throws: GuestMemoryError.self) { try m.pointer(ipa: m.ipaRange.upperBound + 1, length: 1) }
        #expect(throws: GuestMemoryError.self) { try m.pointer(ipa: .max, length: 16) }  // no overflow trap
        #expect(throws: GuestMemoryError.self) { try m.pointer(ipa: m.baseIPA, length: 0) }
        #expect(!m.contains(ipa: .max - 2, length: 16))
    }

    @Test func rejectsMisalignedIPAs() throws {
        let m = try GuestMemory(ramBytes: 65536, pvPages: 1)
        #expect(throws: GuestMemoryError.misaligned(ipa: m.pvRegionIPA + 8, alignment: 64)) {
            try m.pointer(ipa: m.pvRegionIPA + 8, length: 16, alignment: 64)
        }
    }

    @Test func hostPointerOutsideIsRejected() throws {
        let m = try GuestMemory(ramBytes: 65536, pvPages: 1)
        var local = 0
        _ = withUnsafeMutablePointer(to: &local) { p in
            #expect(throws: GuestMemoryError.self) { try m.ipa(of: p) }
        }
        #expect(throws: GuestMemoryError.self) { try m.ipa(of: m.base + m.size) }
    }

    @Test func guestRAMAllocationIsAlignedAndBounded() throws {
        let m = try GuestMemory(ramBytes: 65536, pvPages: 1)
        let a = try m.allocateGuestRAM(bytes: 10, alignment: 64)
        let b = try m.allocateGuestRAM(bytes: 64, alignment: 64)
        #expect(a % 64 == 0 && b % 64 == 0 && b >= a + 10)
        #expect(b + 64 <= m.pvRegionIPA, "guest RAM never overlaps the PV region")
        #expect(throws: GuestMemoryError.self) { try m.allocateGuestRAM(bytes: 65536, alignment: 64) }
    }

    @Test func rejectsAbsurdSizes() {
        #expect(throws: GuestMemoryError.self) { try GuestMemory(ramBytes: -1) }
        #expect(throws: GuestMemoryError.self) { try GuestMemory(pvPages: 0) }
        #expect(throws: GuestMemoryError.self) { try GuestMemory(baseIPA: 0x1000) }
    }
}
