/// One logical CPU as sysfs describes it.
public struct TopologyCPU: Sendable, Codable, Equatable {
    /// The CPU number (`cpuN`).
    public var id: Int
    /// The node it belongs to, or nil when no node lists it (offline CPUs on
    /// some kernels).
    public var node: Int?
    /// Whether the CPU is online (`cpu/online`).
    public var online: Bool
    /// Whether this process may run on it (affinity mask; for a captured
    /// tree, the mask recorded at capture time).
    public var allowed: Bool
    /// `topology/core_id`, nil when absent (offline CPUs).
    public var coreID: Int?
    /// `topology/physical_package_id`, nil when absent.
    public var packageID: Int?
    /// `topology/thread_siblings_list`: the hardware threads of this CPU's
    /// core, including itself; `[id]` without SMT or without the file.
    public var smtSiblings: [Int]

    public init(id: Int, node: Int?, online: Bool, allowed: Bool, coreID: Int?, packageID: Int?, smtSiblings: [Int]) {
        self.id = id
        self.node = node
        self.online = online
        self.allowed = allowed
        self.coreID = coreID
        self.packageID = packageID
        self.smtSiblings = smtSiblings
    }

    /// Online and allowed: a CPU a thread of this run may be pinned to.
    public var usable: Bool { online && allowed }
}
