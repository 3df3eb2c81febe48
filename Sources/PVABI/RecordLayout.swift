import CPVABI

/// One field of a shared record, as the spec tables list it.
public struct RecordField: Sendable, Equatable, Codable {
    public let name: String
    public let offset: Int
    public let size: Int
    public let meaning: String
}

/// The PV time stolen-time record (pvtime.rst, "Stolen Time"). Offsets come
/// from the C declaration in `pv_abi.h` via `offsetof`, where the compiler
/// also asserts them against the spec table.
public enum StolenTimeLayout {
    /// Bytes the hypervisor fills meaningfully. Inlinable (a constant where
    /// it is used): the seqlock reads its sequence word at this offset on
    /// every read, and a `static let` in another module is a lazy global,
    /// loaded through its accessor each time.
    @inlinable public static var size: Int { Int(PV_TIME_RECORD_MEANINGFUL_SIZE) }
    /// Size of the kernel's `struct pvclock_vcpu_stolen_time` (padded).
    public static let kernelStructSize = Int(pv_abi_size_stolen_time_struct())
    /// Required alignment of the record's IPA (KVM rejects others with -EINVAL).
    public static let ipaAlignment = Int(PV_RECORD_IPA_ALIGNMENT)
    public static let revisionOffset = Int(pv_abi_offset_revision())
    public static let attributesOffset = Int(pv_abi_offset_attributes())
    public static let stolenTimeOffset = Int(pv_abi_offset_stolen_time())

    public static let fields: [RecordField] = [
        RecordField(name: "revision", offset: revisionOffset, size: Int(PV_TIME_REVISION_SIZE),
                    meaning: "must be 0 for version 1.0 (__le32)"),
        RecordField(name: "attributes", offset: attributesOffset, size: Int(PV_TIME_ATTRIBUTES_SIZE),
                    meaning: "must be 0 (__le32)"),
        RecordField(name: "stolen_time", offset: stolenTimeOffset, size: Int(PV_TIME_STOLEN_TIME_SIZE),
                    meaning: "ns the vCPU was runnable but not running (__le64)"),
    ]
}

/// The PV sched state block (openEuler pvsched.txt, "PV sched state").
public enum PVSchedLayout {
    /// The `preempted` field's size; the block is padded to ``blockSize``.
    public static let flagSize = Int(PV_SCHED_PREEMPTED_SIZE)
    public static let blockSize = Int(pv_abi_size_pvsched_struct())
    public static let ipaAlignment = Int(PV_RECORD_IPA_ALIGNMENT)
    public static let preemptedOffset = Int(pv_abi_offset_preempted())

    public static let fields: [RecordField] = [
        RecordField(name: "preempted", offset: preemptedOffset, size: flagSize,
                    meaning: "0 = running, non-zero = preempted (__le32)"),
        RecordField(name: "padding", offset: preemptedOffset + flagSize, size: blockSize - flagSize,
                    meaning: "pads the block to 64 bytes"),
    ]
}

/// One vCPU's stolen-time record in shared memory. Every field access goes
/// through the ordering-named accessors of ``SharedU32``/``SharedU64``.
@frozen
public struct StolenTimeRecord: @unchecked Sendable {
    public let address: UnsafeMutableRawPointer

    @inlinable
    public init(_ address: UnsafeMutableRawPointer) {
        precondition(UInt(bitPattern: address) % UInt(StolenTimeLayout.stolenTimeOffset) == 0,
                     "stolen-time record must be 8-byte aligned")
        self.address = address
    }

    @inlinable public var revision: SharedU32 { SharedU32(address + 0) }
    @inlinable public var attributes: SharedU32 { SharedU32(address + 4) }
    @inlinable public var stolenTime: SharedU64 { SharedU64(address + 8) }

    /// Reads the three fields with relaxed loads (not a snapshot of the
    /// record: each field is read separately, as the Linux guest does).
    public func loadRelaxed() -> RecordWords {
        RecordWords(revision: revision.loadRelaxed(), attributes: attributes.loadRelaxed(),
                        stolenTime: stolenTime.loadRelaxed())
    }

    /// Writes the three fields with relaxed stores.
    public func storeRelaxed(_ value: RecordWords) {
        revision.storeRelaxed(value.revision)
        attributes.storeRelaxed(value.attributes)
        stolenTime.storeRelaxed(value.stolenTime)
    }
}

/// One vCPU's PV sched block in shared memory.
@frozen
public struct PVSchedState: @unchecked Sendable {
    public let address: UnsafeMutableRawPointer

    @inlinable
    public init(_ address: UnsafeMutableRawPointer) { self.address = address }

    @inlinable public var preempted: SharedU32 { SharedU32(address + 0) }
}
