/// What to place: how many writers and readers, how they relate, where the
/// memory goes, and optionally the exact CPUs.
public struct PlacementRequest: Sendable, Equatable {
    /// Hypervisor writer threads.
    public var writers: Int
    /// Guest reader threads.
    public var readers: Int
    public var relation: PlacementRelation
    public var memory: MemoryPolicy
    /// Allow more threads than usable CPUs (threads then share CPUs).
    public var oversubscribe: Bool
    /// Exact CPUs for the writers (one per writer), instead of choosing.
    public var writerCPUs: [Int]?
    /// Exact CPUs for the readers (one per reader), instead of choosing.
    public var readerCPUs: [Int]?

    public init(writers: Int = 1, readers: Int = 1, relation: PlacementRelation = .auto,
                memory: MemoryPolicy = .writerNode, oversubscribe: Bool = false,
                writerCPUs: [Int]? = nil, readerCPUs: [Int]? = nil)
    {
        self.writers = writers
        self.readers = readers
        self.relation = relation
        self.memory = memory
        self.oversubscribe = oversubscribe
        self.writerCPUs = writerCPUs
        self.readerCPUs = readerCPUs
    }
}
