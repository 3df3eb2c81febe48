import Foundation
import Synchronization

extension Topology {
    /// Where the kernel publishes the topology.
    public static let liveSysfsRoot = "/sys/devices/system"

    /// This machine, read from `/sys/devices/system`, with the allowed CPUs
    /// from `sched_getaffinity`. When libnuma reports NUMA unavailable (or
    /// sysfs has no `node/`), one node covering the allowed CPUs is assumed,
    /// said once on stderr and recorded in ``numaNote``.
    public static func live() throws -> Topology {
        let allowed: [Int]
        do { allowed = try ProcessAffinity.allowedCPUs() } catch { throw TopologyError.unreadable(error.description) }
        let numa = NUMA.isAvailable
        let topology = try read(SysfsTree(root: liveSysfsRoot), source: liveSysfsRoot, allowed: allowed,
                                numaUsable: numa,
                                whyNoNUMA: "libnuma reports NUMA unavailable (numa_available() < 0)")
        if let note = topology.numaNote { NUMAFallbackNotice.sayOnce(note) }
        return topology
    }

    /// A machine described by a sysfs tree: a directory laid out as
    /// `/sys/devices/system` (holding `cpu/` and `node/`) or as `/sys`.
    /// The allowed CPUs come from the tree's `pvbench-allowed-cpulist` file
    /// (written by `pvbench topology --capture`), or are all online CPUs when
    /// it is absent.
    public static func load(sysfsRoot: String) throws -> Topology {
        let tree = try SysfsTree(root: sysfsRoot)
        let allowed = try tree.optionalList(SysfsTree.allowedCPUsFile)
        return try read(tree, source: sysfsRoot, allowed: allowed, numaUsable: true, whyNoNUMA: "")
    }

    /// - Parameter allowed: the affinity mask; nil means every online CPU.
    static func read(_ tree: SysfsTree, source: String, allowed: [Int]?, numaUsable: Bool,
                     whyNoNUMA: String) throws(TopologyError) -> Topology
    {
        let present = tree.numberedEntries("cpu", prefix: "cpu")
        guard !present.isEmpty else {
            throw .inconsistent("no cpuN directories in '\(tree.path("cpu"))'")
        }
        let online = Set(try tree.list("cpu/online", for: "the online CPUs"))
        let presentSet = Set(present)
        if let stray = online.subtracting(presentSet).min() {
            throw .inconsistent("cpu/online lists CPU \(stray) but there is no cpu/cpu\(stray); present CPUs: \(CPUList.format(present))")
        }
        let allowedSet = Set(allowed ?? online.sorted())
        if let stray = allowedSet.subtracting(presentSet).min() {
            throw .inconsistent("allowed CPU \(stray) is not present; present CPUs: \(CPUList.format(present))")
        }

        // Nodes.
        var nodes: [TopologyNode] = []
        var distances: [[Int]] = []
        var numaNote: String? = nil
        let nodeIDs = tree.isDirectory("node") ? tree.numberedEntries("node", prefix: "node") : []
        if numaUsable, !nodeIDs.isEmpty {
            let withMemory = try tree.optionalList("node/has_memory").map(Set.init)
            for id in nodeIDs {
                let dir = "node/node\(id)"
                let cpus = try tree.list(dir + "/cpulist", for: "node \(id)'s CPUs")
                if let stray = cpus.first(where: { !presentSet.contains($0) }) {
                    throw .inconsistent("\(dir)/cpulist lists CPU \(stray), which is not present; present CPUs: \(CPUList.format(present))")
                }
                let memory = try memTotal(tree, dir + "/meminfo")
                let hasMemory = withMemory.map { $0.contains(id) } ?? ((memory ?? 0) > 0)
                nodes.append(TopologyNode(id: id, cpus: cpus, memoryBytes: memory, hasMemory: hasMemory))
            }
            for id in nodeIDs {
                let relative = "node/node\(id)/distance"
                let text = try tree.require(relative, for: "the distance matrix")
                let row = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
                guard row.count == nodeIDs.count, row.count == text.split(whereSeparator: \.isWhitespace).count else {
                    throw .malformed(path: tree.path(relative), content: text,
                                     reason: "expected \(nodeIDs.count) distances, one per node (\(CPUList.format(nodeIDs)))")
                }
                distances.append(row)
            }
        } else {
            let why = numaUsable ? "no NUMA nodes under '\(tree.path("node"))'" : whyNoNUMA
            let cpus = present.filter { online.contains($0) && allowedSet.contains($0) }
            numaNote = "\(why): assuming one node 0 covering the allowed CPUs \(CPUList.format(cpus))"
            let memory = numaUsable ? nil : try memTotal(tree, "node/node0/meminfo")
            nodes = [TopologyNode(id: 0, cpus: cpus, memoryBytes: memory, hasMemory: true)]
            distances = [[10]]
        }
        var nodeOf: [Int: Int] = [:]
        for node in nodes {
            for cpu in node.cpus {
                if let other = nodeOf[cpu], other != node.id {
                    throw .inconsistent("CPU \(cpu) is listed by both node \(other) and node \(node.id)")
                }
                nodeOf[cpu] = node.id
            }
        }

        // CPUs and caches.
        var cpus: [TopologyCPU] = []
        var groups = Set<CacheGroup>()
        for id in present {
            let dir = "cpu/cpu\(id)"
            let siblings = try tree.optionalList(dir + "/topology/thread_siblings_list") ?? [id]
            if !siblings.contains(id) {
                throw .inconsistent("\(dir)/topology/thread_siblings_list (\(CPUList.format(siblings))) does not contain CPU \(id) itself")
            }
            let node = nodeOf[id] ?? (numaNote == nil ? tree.numberedEntries(dir, prefix: "node").first : nil)
            cpus.append(TopologyCPU(
                id: id, node: node, online: online.contains(id), allowed: allowedSet.contains(id),
                coreID: try tree.optionalInt(dir + "/topology/core_id"),
                packageID: try tree.optionalInt(dir + "/topology/physical_package_id"),
                smtSiblings: siblings))
            for index in tree.numberedEntries(dir + "/cache", prefix: "index") {
                let cache = "\(dir)/cache/index\(index)"
                guard let level = try tree.optionalInt(cache + "/level") else {
                    throw .missingFile(path: tree.path(cache + "/level"), needed: "the cache level")
                }
                let type = try tree.require(cache + "/type", for: "the cache type")
                let shared = try tree.list(cache + "/shared_cpu_list", for: "the CPUs sharing the cache")
                groups.insert(CacheGroup(level: level, type: type, size: try tree.read(cache + "/size"), cpus: shared))
            }
        }
        let sortedGroups = groups.sorted {
            ($0.level, $0.type, $0.cpus.first ?? 0) < ($1.level, $1.type, $1.cpus.first ?? 0)
        }
        return Topology(source: source, nodes: nodes, cpus: cpus, distances: distances,
                        cacheGroups: sortedGroups, numaNote: numaNote)
    }

    /// `MemTotal` of a node's meminfo in bytes (`Node 0 MemTotal: 4679456 kB`).
    static func memTotal(_ tree: SysfsTree, _ relative: String) throws(TopologyError) -> UInt64? {
        guard let text = try tree.read(relative) else { return nil }
        for line in text.split(separator: "\n") where line.contains("MemTotal:") {
            let fields = line.split(whereSeparator: \.isWhitespace)
            if let i = fields.firstIndex(of: "MemTotal:"), i + 1 < fields.count, let kb = UInt64(fields[i + 1]) {
                return kb * 1024
            }
            throw .malformed(path: tree.path(relative), content: String(line), reason: "MemTotal is not '<number> kB'")
        }
        throw .malformed(path: tree.path(relative), content: text, reason: "no MemTotal line")
    }
}

/// Says once per process that NUMA information is missing.
enum NUMAFallbackNotice {
    private static let said = Atomic<Bool>(false)

    static func sayOnce(_ note: String) {
        guard !said.exchange(true, ordering: .relaxed) else { return }
        FileHandle.standardError.write(Data("pvbench: note: \(note)\n".utf8))
    }
}
