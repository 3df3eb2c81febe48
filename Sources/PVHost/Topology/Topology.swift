/// A machine's CPUs, NUMA nodes, distances, SMT siblings and shared caches,
/// and which CPUs this process may use: everything placement depends on.
///
/// Read it from the live system with ``live()`` or from a sysfs tree (a
/// capture of another machine, or a synthetic one) with ``load(sysfsRoot:)``.
public struct Topology: Sendable, Codable, Equatable {
    /// Where it was read from: `/sys/devices/system` or a tree's path.
    public var source: String
    /// NUMA nodes, by increasing id.
    public var nodes: [TopologyNode]
    /// Every present CPU, online or not, by increasing id.
    public var cpus: [TopologyCPU]
    /// Node distances as `node*/distance` gives them (`10` = local);
    /// `distances[i][j]` is from `nodes[i]` to `nodes[j]`.
    public var distances: [[Int]]
    /// Distinct cache-sharing groups, by level, type, then first CPU.
    public var cacheGroups: [CacheGroup]
    /// When NUMA information was unavailable (libnuma says no, or the tree
    /// has no `node/` directory) and one node covering the allowed CPUs was
    /// assumed: why. Every result made on this topology should carry it.
    public var numaNote: String?

    public init(source: String, nodes: [TopologyNode], cpus: [TopologyCPU], distances: [[Int]],
                cacheGroups: [CacheGroup], numaNote: String?)
    {
        self.source = source
        self.nodes = nodes
        self.cpus = cpus
        self.distances = distances
        self.cacheGroups = cacheGroups
        self.numaNote = numaNote
    }

    /// Ids of online CPUs.
    public var onlineCPUs: [Int] { cpus.filter(\.online).map(\.id) }
    /// Ids of present but offline CPUs.
    public var offlineCPUs: [Int] { cpus.filter { !$0.online }.map(\.id) }
    /// Ids of CPUs this process may use (affinity mask).
    public var allowedCPUs: [Int] { cpus.filter(\.allowed).map(\.id) }
    /// Ids of CPUs a thread may be pinned to: online and allowed.
    public var usableCPUs: [Int] { cpus.filter(\.usable).map(\.id) }
    /// Nodes without memory of their own.
    public var memorylessNodes: [Int] { nodes.filter { !$0.hasMemory }.map(\.id) }

    /// The CPU with this id, if present.
    public func cpu(_ id: Int) -> TopologyCPU? { cpus.first { $0.id == id } }

    /// The node with this id, if present.
    public func node(_ id: Int) -> TopologyNode? { nodes.first { $0.id == id } }

    /// The node a CPU belongs to.
    public func node(ofCPU id: Int) -> Int? { cpu(id)?.node }

    /// Usable CPUs of one node.
    public func usableCPUs(onNode id: Int) -> [Int] { cpus.filter { $0.usable && $0.node == id }.map(\.id) }

    /// Nodes with at least one usable CPU.
    public var nodesWithUsableCPUs: [Int] { nodes.map(\.id).filter { !usableCPUs(onNode: $0).isEmpty } }

    /// Distance between two nodes (10 = local), nil for an unknown node.
    public func distance(from a: Int, to b: Int) -> Int? {
        guard let i = nodes.firstIndex(where: { $0.id == a }), let j = nodes.firstIndex(where: { $0.id == b }),
              i < distances.count, j < distances[i].count
        else { return nil }
        return distances[i][j]
    }

    /// Usable SMT sibling pairs (two usable hardware threads of one core),
    /// each once, lowest first.
    public var usableSMTPairs: [(Int, Int)] {
        let usable = Set(usableCPUs)
        var pairs: [(Int, Int)] = []
        for cpu in cpus where cpu.usable {
            for sibling in cpu.smtSiblings where sibling > cpu.id && usable.contains(sibling) {
                pairs.append((cpu.id, sibling))
            }
        }
        return pairs
    }

    /// Cache groups seen from one CPU, smallest level first.
    public func cacheGroups(containing cpu: Int) -> [CacheGroup] { cacheGroups.filter { $0.cpus.contains(cpu) } }
}
