/// One NUMA node.
public struct TopologyNode: Sendable, Codable, Equatable {
    /// The node number (`nodeN`).
    public var id: Int
    /// The online CPUs the kernel lists for the node (`nodeN/cpulist`).
    public var cpus: [Int]
    /// `MemTotal` of `nodeN/meminfo` in bytes; nil when the tree has no meminfo.
    public var memoryBytes: UInt64?
    /// Whether the node has memory of its own (false for a memory-less node:
    /// CPUs only, or an absent `node/has_memory` entry).
    public var hasMemory: Bool

    public init(id: Int, cpus: [Int], memoryBytes: UInt64?, hasMemory: Bool) {
        self.id = id
        self.cpus = cpus
        self.memoryBytes = memoryBytes
        self.hasMemory = hasMemory
    }
}
