/// How the hypervisor's writer threads and the guest's reader threads sit
/// relative to each other.
public enum PlacementRelation: String, CaseIterable, Sendable, Codable {
    /// The most informative placement the machine allows: cross-node
    /// (farthest) if there are two usable nodes, else different cores of one
    /// node, else SMT siblings, else one CPU.
    case auto
    /// Writer and reader time-share one CPU (a vCPU and its host thread).
    case sameCPU = "same-cpu"
    /// Writer and reader on the two hardware threads of one core (shared L1).
    case smtSiblings = "smt-siblings"
    /// Different cores of one NUMA node.
    case sameNode = "same-node"
    /// Different NUMA nodes, the nearest such pair.
    case crossNode = "cross-node"
    /// As far apart as the machine allows: the most distant node pair, or on
    /// one node the CPUs that share the least cache.
    case farthest

    /// The accepted spellings, for messages.
    public static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
