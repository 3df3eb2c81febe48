import PVABI

/// How per-vCPU records are spaced in shared memory. Spacing decides false
/// sharing: with `packed`, several vCPUs' records share a cache line, so a
/// hypervisor write to one vCPU's record invalidates every reader of the
/// others — a result users want to see, not a bug to hide.
public enum VCPULayout: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// Records back to back: 16-byte stolen-time records (4 per line), 4-byte
    /// flags (16 per line). Not what KVM accepts (it demands 64-byte aligned
    /// IPAs); the emulation allows it to measure false sharing.
    case packed
    /// One vCPU per 64-byte cache line: what KVM's 64-byte IPA alignment and
    /// openEuler's padded pvsched block imply; what a VMM does.
    case cacheline
    /// One vCPU per 4 KiB page: no line is shared and no two vCPUs share a TLB entry.
    case page

    public static let cacheLineSize = 64
    public static let pageSize = 4096

    public var description: String { rawValue }

    /// One line for `pvbench list`.
    public var summary: String {
        switch self {
        case .packed: "records back to back (16-byte stolen-time records, 4-byte flags): false sharing between vCPUs"
        case .cacheline: "one vCPU per 64-byte cache line, as KVM's 64-byte IPA alignment implies"
        case .page: "one vCPU per 4 KiB page"
        }
    }

    /// Distance between consecutive vCPUs' `record`s, bytes (``SharedRecordKind/record``
    /// and ``SharedRecordKind/stolenTime`` share the stolen-time record's slot).
    public func stride(for record: SharedRecordKind) -> Int {
        switch self {
        case .packed: record.slotSize
        case .cacheline: Self.cacheLineSize
        case .page: Self.pageSize
        }
    }

    /// Offset of vCPU `vcpu`'s record from the first one.
    public func offset(ofVCPU vcpu: Int, for record: SharedRecordKind) -> Int { vcpu * stride(for: record) }

    /// Bytes from the first vCPU's record to the end of the last one's.
    public func bytesNeeded(vcpus: Int, for record: SharedRecordKind) -> Int {
        vcpus <= 0 ? 0 : (vcpus - 1) * stride(for: record) + record.slotSize
    }

    /// How many vCPUs' records fit in `bytes` (a PV region, say).
    public func capacity(bytes: Int, for record: SharedRecordKind) -> Int {
        bytes < record.slotSize ? 0 : (bytes - record.slotSize) / stride(for: record) + 1
    }

    /// How many vCPUs fit in a PV region of `pages` 64 KiB pages.
    public func capacity(pvPages pages: Int, for record: SharedRecordKind = .stolenTime) -> Int {
        capacity(bytes: pages * GuestMemory.pvPageSize, for: record)
    }

    /// 64 KiB PV pages needed for `vcpus` stolen-time records (at least 1).
    public func pvPagesNeeded(vcpus: Int) -> Int {
        max(1, (bytesNeeded(vcpus: vcpus, for: .stolenTime) + GuestMemory.pvPageSize - 1) / GuestMemory.pvPageSize)
    }

    /// vCPUs whose records share one cache line (1 unless packed).
    public func vcpusPerCacheLine(for record: SharedRecordKind) -> Int {
        max(1, Self.cacheLineSize / stride(for: record))
    }
}
