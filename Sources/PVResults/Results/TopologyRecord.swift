/// The machine's shape in brief, for the result context (`context.topology`).
public struct TopologyRecord: Sendable, Equatable, Codable {
    public var nodes: Int
    public var cpus: Int
    public var allowedCPUs: [Int]
    /// Hardware threads per core (1 without SMT).
    public var threadsPerCore: Int
    /// False when libnuma was unavailable and one node was assumed.
    public var numaAvailable: Bool
    /// One line, e.g. "1 node, 2 CPUs (0-1), no SMT".
    public var summary: String

    enum CodingKeys: String, CodingKey {
        case nodes, cpus, allowedCPUs = "allowed_cpus", threadsPerCore = "threads_per_core",
             numaAvailable = "numa_available", summary
    }

    public init(nodes: Int, cpus: Int, allowedCPUs: [Int], threadsPerCore: Int, numaAvailable: Bool, summary: String) {
        self.nodes = nodes
        self.cpus = cpus
        self.allowedCPUs = allowedCPUs
        self.threadsPerCore = threadsPerCore
        self.numaAvailable = numaAvailable
        self.summary = summary
    }
}
