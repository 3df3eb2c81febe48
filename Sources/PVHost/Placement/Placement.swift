/// A concrete plan: the CPU of every thread and the node(s) of the shared region.
public struct Placement: Sendable, Codable, Equatable {
    /// CPU of writer i (`hv-w<i>`).
    public var writerCPUs: [Int]
    /// CPU of reader i (`gst-r<i>`).
    public var readerCPUs: [Int]
    /// The relation the plan realises (resolved: never `auto`).
    public var relation: String
    /// The memory policy asked for (`writer-node`, `node:2`, …).
    public var memoryPolicy: String
    /// Node(s) for the shared region: one node, or several to interleave over.
    public var memoryNodes: [Int]
    /// Whether two or more threads share a CPU (same-cpu, or oversubscribed);
    /// pass it as `oversubscribe` to ``PinnedThreads/run(_:stop:oversubscribe:body:)``.
    public var sharesCPUs: Bool
    /// Node-to-node distance from the first writer to the first reader (10 = local).
    public var distance: Int?
    /// What a reader of the results should know: choices made, fallbacks,
    /// the topology's NUMA note.
    public var notes: [String]

    public init(writerCPUs: [Int], readerCPUs: [Int], relation: String, memoryPolicy: String, memoryNodes: [Int],
                sharesCPUs: Bool, distance: Int?, notes: [String])
    {
        self.writerCPUs = writerCPUs
        self.readerCPUs = readerCPUs
        self.relation = relation
        self.memoryPolicy = memoryPolicy
        self.memoryNodes = memoryNodes
        self.sharesCPUs = sharesCPUs
        self.distance = distance
        self.notes = notes
    }

    /// Writers `hv-w0…` then readers `gst-r0…`, on their planned CPUs.
    public func threadSpecs() -> [PinnedThreadSpec] {
        writerCPUs.enumerated().map { PinnedThreadSpec(role: ThreadRole(.hypervisorWriter, $0.offset), cpu: $0.element) }
            + readerCPUs.enumerated().map { PinnedThreadSpec(role: ThreadRole(.guestReader, $0.offset), cpu: $0.element) }
    }
}
