/// Where a region's pages actually are, against where they were planned.
public struct PagePlacementReport: Sendable, Codable, Equatable {
    /// The node(s) the placement asked for.
    public let plannedNodes: [Int]
    /// Pages in the region.
    public let pages: Int
    /// Resident pages per node, keyed by node number.
    public let pagesByNode: [Int: Int]
    /// Pages not yet touched (no physical page).
    public let untouchedPages: Int
    /// Pages on a node that was not planned.
    public let misplacedPages: Int

    /// Every resident page is on a planned node (and at least one is resident).
    public var onPlannedNodes: Bool { misplacedPages == 0 && pages > untouchedPages }

    /// Queries the node of every page of `[address, address+bytes)` with
    /// `move_pages` and compares with `plannedNodes`.
    public static func check(_ address: UnsafeRawPointer, bytes: Int, plannedNodes: [Int]) throws(NUMAError) -> PagePlacementReport {
        let status = try NUMA.nodesOfPages(address, bytes: bytes)
        var byNode: [Int: Int] = [:]
        var untouched = 0
        var misplaced = 0
        for s in status {
            if s < 0 { untouched += 1; continue }
            byNode[s, default: 0] += 1
            if !plannedNodes.contains(s) { misplaced += 1 }
        }
        return PagePlacementReport(plannedNodes: plannedNodes, pages: status.count, pagesByNode: byNode,
                                   untouchedPages: untouched, misplacedPages: misplaced)
    }

    /// One line: `16 pages: node 0: 16 (planned 0)`.
    public var summary: String {
        let nodes = pagesByNode.keys.sorted().map { "node \($0): \(pagesByNode[$0]!)" }.joined(separator: ", ")
        return "\(pages) pages: \(nodes.isEmpty ? "none resident" : nodes)"
            + (untouchedPages > 0 ? ", \(untouchedPages) untouched" : "")
            + " (planned \(CPUList.format(plannedNodes)))" + (misplacedPages > 0 ? ", \(misplacedPages) MISPLACED" : "")
    }
}
