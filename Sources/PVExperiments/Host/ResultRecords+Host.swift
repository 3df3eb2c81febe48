import PVHost
import PVResults
extension TopologyRecord {
    /// The result context's summary of a topology.
    public init(_ topology: Topology) {
        let threadsPerCore = topology.cpus.map { $0.smtSiblings.count }.max() ?? 1
        let nodes = topology.nodes.map { "node \($0.id): CPUs \(CPUList.format($0.cpus))" }.joined(separator: "; ")
        self.init(nodes: topology.nodes.count, cpus: topology.cpus.count, allowedCPUs: topology.allowedCPUs,
                  threadsPerCore: max(1, threadsPerCore), numaAvailable: topology.numaNote == nil,
                  summary: "\(topology.nodes.count) node(s), \(topology.cpus.count) CPUs (\(nodes))")
    }
}

extension PlacementRecord {
    /// The result context's record of a plan and where its threads really ran.
    public init(_ placement: Placement, threads: [PinnedThreadReport]) {
        self.init(writerCPUs: placement.writerCPUs, readerCPUs: placement.readerCPUs, relation: placement.relation,
                  memoryNodes: placement.memoryNodes, oversubscribed: placement.sharesCPUs,
                  threads: threads.map {
                      Thread(name: $0.name, plannedCPU: $0.plannedCPU, observedCPUAtStart: $0.observedCPUAtStart,
                             observedCPUAtEnd: $0.observedCPUAtEnd, tid: $0.tid)
                  },
                  notes: placement.notes)
    }
}
