import CPVABI
import Testing
@testable import PVABI

/// The spec tables, typed in from pvtime.rst and pvsched.txt. The layouts
/// come from the C declaration (offsetof); these tests compare the two.
@Suite("Record layouts against the spec tables")
struct LayoutTests {
    @Test func stolenTimeRecordMatchesPVTimeTable() {
        // pvtime.rst: Revision 4 @0, Attributes 4 @4, Stolen time 8 @8; 16 bytes filled.
        let spec: [(String, Int, Int)] = [("revision", 0, 4), ("attributes", 4, 4), ("stolen_time", 8, 8)]
        #expect(StolenTimeLayout.fields.map { ($0.name) } == spec.map(\.0))
        for (field, (name, offset, size)) in zip(StolenTimeLayout.fields, spec) {
            #expect(field.offset == offset, "\(name) offset")
            #expect(field.size == size, "\(name) size")
        }
        #expect(StolenTimeLayout.size == 16)
        #expect(StolenTimeLayout.kernelStructSize == 64)
        #expect(StolenTimeLayout.ipaAlignment == 64)
        // The fields tile the 16 bytes with no gap or overlap.
        #expect(StolenTimeLayout.fields.reduce(0) { $0 + $1.size } == StolenTimeLayout.size)
    }

    @Test func pvSchedBlockMatchesPVSchedTable() {
        // pvsched.txt: preempted 4 @0; the openEuler struct pads to 64.
        #expect(PVSchedLayout.preemptedOffset == 0)
        #expect(PVSchedLayout.flagSize == 4)
        #expect(PVSchedLayout.blockSize == 64)
        #expect(PVSchedLayout.ipaAlignment == 64)
        #expect(PVSchedLayout.fields.reduce(0) { $0 + $1.size } == PVSchedLayout.blockSize)
    }

    @Test func importedCStructsHaveTheKernelSizes() {
        // Swift's view of the imported C structs agrees with the C compiler's.
        #expect(MemoryLayout<pvclock_vcpu_stolen_time>.size == 64)
        #expect(MemoryLayout<pvclock_vcpu_stolen_time>.offset(of: \.stolen_time) == 8)
        #expect(MemoryLayout<pvclock_vcpu_stolen_time>.offset(of: \.attributes) == 4)
        #expect(MemoryLayout<pvsched_vcpu_state>.size == 64)
        #expect(MemoryLayout<pvsched_vcpu_state>.offset(of: \.preempted) == 0)
    }
}

@Suite("Little-endian encoding")
struct EncodingTests {
    @Test func encodesFieldsLittleEndianAtTheirOffsets() {
        let v = RecordWords(revision: 0x0403_0201, attributes: 0x0807_0605, stolenTime: 0x100F_0E0D_0C0B_0A09)
        #expect(v.littleEndianBytes == Array(1 ... 16))
    }

    @Test(arguments: [UInt64(0), 1, 0xFF, 0x1_0000_0000, 0xDEAD_BEEF_CAFE_F00D, .max])
    func roundTrips(stolen: UInt64) {
        let v = RecordWords(revision: 0, attributes: 0, stolenTime: stolen)
        #expect(RecordWords(littleEndianBytes: v.littleEndianBytes) == v)
        let w = RecordWords(revision: .max, attributes: 7, stolenTime: stolen)
        #expect(RecordWords(littleEndianBytes: w.littleEndianBytes) == w)
    }

    @Test func rejectsWrongLength() {
        #expect(RecordWords(littleEndianBytes: [UInt8](repeating: 0, count: 15)) == nil)
        #expect(RecordWords(littleEndianBytes: [UInt8](repeating: 0, count: 17)) == nil)
    }

    @Test func accessorsStoreLittleEndianBytesInMemory() throws {
        let memory = try GuestMemory(ramBytes: 0, pvPages: 1)
        let record = StolenTimeRecord(memory.pvRegionBase)
        let value = RecordWords(revision: 0x0403_0201, attributes: 0x0807_0605, stolenTime: 0x100F_0E0D_0C0B_0A09)
        record.storeRelaxed(value)
        let bytes = Array(UnsafeRawBufferPointer(start: memory.pvRegionBase, count: 16))
        #expect(bytes == value.littleEndianBytes)
        #expect(record.loadRelaxed() == value)
        #expect(record.stolenTime.loadAcquire() == value.stolenTime)
        #expect(record.stolenTime.loadSeqCst() == value.stolenTime)
        record.stolenTime.storeRelease(42)
        #expect(record.stolenTime.loadRelaxed() == 42)
        record.revision.storeSeqCst(9)
        #expect(record.revision.loadAcquire() == 9)
        #expect(record.revision.exchangeSeqCst(0) == 9)
        #expect(record.revision.loadRelaxed() == 0)
    }
}
