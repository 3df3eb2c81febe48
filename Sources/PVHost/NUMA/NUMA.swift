#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CNUMA

/// libnuma and the NUMA system calls, as far as pvbench needs them. This and
/// the other files in this folder are the only ones that call libnuma or
/// read errno after it; everything they return is a value or a ``NUMAError``.
public enum NUMA {
    /// Whether the kernel and libnuma support the NUMA API
    /// (`numa_available() >= 0`). False in some containers and on kernels
    /// built without NUMA.
    public static var isAvailable: Bool { numa_available() >= 0 }

    /// The highest node number the kernel knows (`numa_max_node()`).
    public static var maxNode: Int { Int(numa_max_node()) }

    /// Bits in the node masks passed to the kernel (1024 nodes).
    static let maskBits = 1024

    /// Sets the memory policy of `[address, address+bytes)` (`mbind`): bind to
    /// one node, or interleave over several. Call before the pages are first
    /// touched; pages already present are not moved.
    public static func bind(_ address: UnsafeMutableRawPointer, bytes: Int, toNodes nodes: [Int]) throws(NUMAError) {
        guard !nodes.isEmpty, nodes.allSatisfy({ $0 >= 0 && $0 <= maxNode && $0 < maskBits }) else {
            throw .invalidNodes(nodes, maxNode: maxNode)
        }
        var mask = [UInt](repeating: 0, count: maskBits / UInt.bitWidth)
        for node in nodes { mask[node / UInt.bitWidth] |= 1 << UInt(node % UInt.bitWidth) }
        let mode = nodes.count == 1 ? MPOL_BIND : MPOL_INTERLEAVE
        // maxnode counts one past the last bit the kernel reads.
        let rc = mask.withUnsafeBufferPointer {
            mbind(address, UInt(bytes), Int32(mode), $0.baseAddress, UInt(maskBits + 1), 0)
        }
        if rc != 0 { throw .bindFailed(nodes: nodes, errno: errno) }
    }

    /// The node each page of `[address, address+bytes)` is on now
    /// (`move_pages` with no target nodes, which only queries). An entry is
    /// the node number, or a negative errno: `-ENOENT` for a page never touched.
    public static func nodesOfPages(_ address: UnsafeRawPointer, bytes: Int) throws(NUMAError) -> [Int] {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = UInt(bitPattern: address) & ~UInt(page - 1)
        let end = UInt(bitPattern: address) + UInt(bytes)
        let count = Int((end - start + UInt(page) - 1) / UInt(page))
        var pages: [UnsafeMutableRawPointer?] = (0 ..< count).map { UnsafeMutableRawPointer(bitPattern: start + UInt($0 * page)) }
        var status = [Int32](repeating: 0, count: count)
        let rc = pages.withUnsafeMutableBufferPointer { p in
            status.withUnsafeMutableBufferPointer { s in
                move_pages(0, UInt(count), p.baseAddress, nil, s.baseAddress, 0)
            }
        }
        if rc != 0 { throw .queryFailed(errno: rc < 0 ? errno : EINVAL) }
        return status.map(Int.init)
    }

    /// The node of the page holding `address` (`get_mempolicy` with
    /// `MPOL_F_NODE | MPOL_F_ADDR`; the kernel faults the page in if needed).
    public static func nodeOfPage(_ address: UnsafeRawPointer) throws(NUMAError) -> Int {
        var node: Int32 = -1
        let rc = get_mempolicy(&node, nil, 0, UnsafeMutableRawPointer(mutating: address), UInt32(MPOL_F_NODE | MPOL_F_ADDR))
        if rc != 0 { throw .queryFailed(errno: errno) }
        return Int(node)
    }
}
