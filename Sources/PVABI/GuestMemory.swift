#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Errors from guest-physical address translation and guest-memory set-up.
public enum GuestMemoryError: Error, Equatable, CustomStringConvertible {
    case outOfRange(ipa: UInt64, length: Int, valid: ClosedRange<UInt64>)
    case misaligned(ipa: UInt64, alignment: Int)
    case notInGuestMemory(address: UInt)
    case invalidSize(String)
    case mappingFailed(errno: Int32, bytes: Int)
    case exhausted(requested: Int, available: Int)

    public var description: String {
        switch self {
        case let .outOfRange(ipa, length, valid):
            "IPA 0x\(String(ipa, radix: 16)) (+\(length) bytes) is outside guest memory "
                + "[0x\(String(valid.lowerBound, radix: 16)), 0x\(String(valid.upperBound, radix: 16))]"
        case let .misaligned(ipa, alignment):
            "IPA 0x\(String(ipa, radix: 16)) is not \(alignment)-byte aligned"
        case let .notInGuestMemory(address):
            "host address 0x\(String(address, radix: 16)) is not inside guest memory"
        case let .invalidSize(why):
            "invalid guest memory size: \(why)"
        case let .mappingFailed(errno, bytes):
            "could not map \(bytes) bytes of guest memory: \(String(cString: strerror(errno)))"
        case let .exhausted(requested, available):
            "guest RAM exhausted: \(requested) bytes requested, \(available) left"
        }
    }
}

/// Where guest memory's host pages come from. The default is an anonymous
/// private mapping; the harness supplies one bound to a NUMA node (the pages
/// are placed by `mbind` before they are first touched).
public protocol GuestMemoryBacking: Sendable {
    /// Maps `bytes` bytes, aligned to at least `alignment`, not yet touched.
    func map(bytes: Int, alignment: Int) throws -> UnsafeMutableRawPointer
    /// Releases a mapping made by `map`.
    func unmap(_ pointer: UnsafeMutableRawPointer, bytes: Int, alignment: Int)
}

/// Anonymous `mmap`, over-mapped and trimmed so the start is `alignment`-aligned.
public struct AnonymousMappingBacking: GuestMemoryBacking {
    public init() {}

    public func map(bytes: Int, alignment: Int) throws -> UnsafeMutableRawPointer {
        let total = bytes + alignment
        guard let raw = mmap(nil, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != MAP_FAILED
        else { throw GuestMemoryError.mappingFailed(errno: errno, bytes: bytes) }
        let start = UInt(bitPattern: raw)
        let aligned = (start + UInt(alignment) - 1) & ~(UInt(alignment) - 1)
        // Trim the unaligned head and the unused tail so unmap is exact.
        if aligned > start { munmap(raw, Int(aligned - start)) }
        let tail = Int(start + UInt(total) - (aligned + UInt(bytes)))
        if tail > 0 { munmap(UnsafeMutableRawPointer(bitPattern: aligned + UInt(bytes)), tail) }
        return UnsafeMutableRawPointer(bitPattern: aligned)!
    }

    public func unmap(_ pointer: UnsafeMutableRawPointer, bytes: Int, alignment: Int) {
        munmap(pointer, bytes)
    }
}

/// A region standing for the guest's physical memory: ordinary guest RAM
/// followed by a part reserved, in 64 KiB pages, for the PV structures
/// (pvtime.rst: "one or more 64k pages are set aside for the purpose of these
/// structures", so the guest can map them with 64k pages).
///
/// Guest-physical addresses (IPAs) translate to host pointers and back with
/// bounds and alignment checks.
public final class GuestMemory: @unchecked Sendable {
    /// The granule the PV region is reserved in.
    public static let pvPageSize = 64 * 1024
    /// Where guest RAM starts: QEMU's arm64 `virt` machine puts RAM at 1 GiB.
    public static let defaultBaseIPA: UInt64 = 0x4000_0000

    public let baseIPA: UInt64
    /// Total bytes (guest RAM + PV region).
    public let size: Int
    /// Bytes of ordinary guest RAM, from `baseIPA`.
    public let ramSize: Int
    /// Offset of the reserved PV region from `baseIPA` (64 KiB aligned).
    public let pvRegionOffset: Int
    /// Bytes in the reserved PV region (a whole number of 64 KiB pages).
    public let pvRegionSize: Int
    /// Host address of IPA `baseIPA`.
    public let base: UnsafeMutableRawPointer
    private let backing: any GuestMemoryBacking
    private let ramCursor = Mutex<Int>(0)

    /// - Parameters:
    ///   - ramBytes: guest RAM, rounded up to 64 KiB.
    ///   - pvPages: number of 64 KiB pages reserved for PV structures (≥ 1).
    public init(ramBytes: Int = 1 << 20, pvPages: Int = 1, baseIPA: UInt64 = GuestMemory.defaultBaseIPA,
                backing: any GuestMemoryBacking = AnonymousMappingBacking()) throws
    {
        let page = Self.pvPageSize
        guard ramBytes >= 0, ramBytes <= 1 << 40 else {
            throw GuestMemoryError.invalidSize("guest RAM must be 0 ... 1 TiB, got \(ramBytes) bytes")
        }
        guard pvPages >= 1, pvPages <= 16384 else {
            throw GuestMemoryError.invalidSize("PV region must be 1 ... 16384 pages of 64 KiB, got \(pvPages)")
        }
        guard baseIPA % UInt64(page) == 0 else {
            throw GuestMemoryError.invalidSize("base IPA 0x\(String(baseIPA, radix: 16)) is not 64 KiB aligned")
        }
        let ram = (ramBytes + page - 1) / page * page
        self.baseIPA = baseIPA
        self.ramSize = ram
        self.pvRegionOffset = ram
        self.pvRegionSize = pvPages * page
        self.size = ram + pvPages * page
        self.backing = backing
        self.base = try backing.map(bytes: size, alignment: page)
    }

    deinit { backing.unmap(base, bytes: size, alignment: Self.pvPageSize) }

    /// Guest-physical range this memory covers (inclusive).
    public var ipaRange: ClosedRange<UInt64> { baseIPA ... baseIPA + UInt64(size) - 1 }
    /// IPA of the first byte of the reserved PV region.
    public var pvRegionIPA: UInt64 { baseIPA + UInt64(pvRegionOffset) }
    /// Host address of the reserved PV region.
    public var pvRegionBase: UnsafeMutableRawPointer { base + pvRegionOffset }

    /// Whether `[ipa, ipa+length)` lies inside guest memory.
    public func contains(ipa: UInt64, length: Int = 1) -> Bool {
        guard length >= 0, ipa >= baseIPA else { return false }
        let offset = ipa - baseIPA
        return offset <= UInt64(size) && UInt64(length) <= UInt64(size) - offset
    }

    /// Host pointer for `[ipa, ipa+length)`, checked for bounds and alignment.
    public func pointer(ipa: UInt64, length: Int, alignment: Int = 1) throws(GuestMemoryError) -> UnsafeMutableRawPointer {
        guard contains(ipa: ipa, length: length), length > 0 else {
            throw .outOfRange(ipa: ipa, length: length, valid: ipaRange)
        }
        guard alignment <= 1 || ipa % UInt64(alignment) == 0 else {
            throw .misaligned(ipa: ipa, alignment: alignment)
        }
        return base + Int(ipa - baseIPA)
    }

    /// IPA of a host pointer inside guest memory.
    public func ipa(of pointer: UnsafeRawPointer) throws(GuestMemoryError) -> UInt64 {
        let address = UInt(bitPattern: pointer)
        let start = UInt(bitPattern: base)
        guard address >= start, address < start + UInt(size) else { throw .notInGuestMemory(address: address) }
        return baseIPA + UInt64(address - start)
    }

    /// Takes `bytes` of guest RAM (not the PV region) for the guest's own
    /// use, such as its per-CPU PV sched blocks. Returns the IPA.
    public func allocateGuestRAM(bytes: Int, alignment: Int) throws(GuestMemoryError) -> UInt64 {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0, "alignment must be a power of two")
        let result: Result<UInt64, GuestMemoryError> = ramCursor.withLock { cursor in
            let start = (cursor + alignment - 1) / alignment * alignment
            guard bytes > 0, start + bytes <= ramSize else {
                return .failure(.exhausted(requested: bytes, available: max(0, ramSize - start)))
            }
            cursor = start + bytes
            return .success(baseIPA + UInt64(start))
        }
        return try result.get()
    }
}
