import PVRecords

/// Where a run's threads and memory were placed, as planned and as observed,
/// for the result context (`context.placement`). Filled from the placement
/// planner's `Placement` and the pinned threads' reports.
public struct PlacementRecord: Sendable, Equatable, Codable {
    /// One pinned thread: its role name, the CPU planned and the CPU
    /// `sched_getcpu()` saw at its start and end.
    public typealias Thread = ThreadPlacement

    public var writerCPUs: [Int]
    public var readerCPUs: [Int]
    /// The resolved relation ("same-node", …), never "auto".
    public var relation: String
    public var memoryNodes: [Int]
    public var oversubscribed: Bool
    public var threads: [Thread]
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case writerCPUs = "writer_cpus", readerCPUs = "reader_cpus", relation, memoryNodes = "memory_nodes",
             oversubscribed, threads, notes
    }

    public init(writerCPUs: [Int], readerCPUs: [Int], relation: String, memoryNodes: [Int], oversubscribed: Bool = false,
                threads: [Thread] = [], notes: [String] = [])
    {
        self.writerCPUs = writerCPUs
        self.readerCPUs = readerCPUs
        self.relation = relation
        self.memoryNodes = memoryNodes
        self.oversubscribed = oversubscribed
        self.threads = threads
        self.notes = notes
    }
}
