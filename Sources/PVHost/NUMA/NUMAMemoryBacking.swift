import PVABI

/// Guest memory whose pages are placed on the planned node(s): the region is
/// mapped, then bound with `mbind` (one node: `MPOL_BIND`; several:
/// `MPOL_INTERLEAVE`) before any page is touched, so the first touch
/// allocates each page where the policy says.
///
/// Where NUMA is unavailable (see ``NUMA/isAvailable``) the region is mapped
/// unbound and ``note`` says so.
public struct NUMAMemoryBacking: GuestMemoryBacking {
    /// The node(s) the pages go to.
    public let nodes: [Int]
    /// Set when the pages cannot be bound (no NUMA support): why.
    public let note: String?

    /// - Parameter nodes: usually ``Placement/memoryNodes``.
    public init(nodes: [Int]) {
        self.nodes = nodes
        self.note = NUMA.isAvailable ? nil : "NUMA unavailable: guest memory is not bound to node(s) \(CPUList.format(nodes))"
    }

    public func map(bytes: Int, alignment: Int) throws -> UnsafeMutableRawPointer {
        let anonymous = AnonymousMappingBacking()
        let pointer = try anonymous.map(bytes: bytes, alignment: alignment)
        guard note == nil else { return pointer }
        do {
            try NUMA.bind(pointer, bytes: bytes, toNodes: nodes)
        } catch {
            anonymous.unmap(pointer, bytes: bytes, alignment: alignment)
            throw error
        }
        return pointer
    }

    public func unmap(_ pointer: UnsafeMutableRawPointer, bytes: Int, alignment: Int) {
        AnonymousMappingBacking().unmap(pointer, bytes: bytes, alignment: alignment)
    }
}
