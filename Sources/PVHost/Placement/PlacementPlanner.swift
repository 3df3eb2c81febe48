/// Turns a ``PlacementRequest`` into a concrete ``Placement`` on a
/// ``Topology``, or explains why it cannot be done there and what can.
///
/// Only usable CPUs (online and allowed) are chosen. Within a node, CPUs on
/// distinct physical cores come first, so `same-node` never silently becomes
/// `smt-siblings`. Threads share a CPU only for `same-cpu` or with
/// `oversubscribe`.
public enum PlacementPlanner {
    public static func plan(_ request: PlacementRequest, on topology: Topology) throws -> Placement {
        let outcome: Result<Placement, PlacementError>
        do { outcome = .success(try planChecked(request, on: topology)) } catch { outcome = .failure(error) }
        switch outcome {
        case let .success(placement):
            return placement
        case let .failure(.impossible(relation, reason, _)):
            throw withAlternatives(relation: relation, reason: reason, request: request, on: topology)
        case let .failure(error):
            throw error
        }
    }

    /// An impossibility error listing what is possible instead; with nothing
    /// possible, what would become possible with --oversubscribe.
    static func withAlternatives(relation: PlacementRelation, reason: String, request: PlacementRequest,
                                 on topology: Topology) -> PlacementError
    {
        let possible = possibleRelations(for: request, on: topology)
        if possible.isEmpty, !request.oversubscribe {
            var shared = request
            shared.oversubscribe = true
            let withSharing = possibleRelations(for: shared, on: topology)
            if !withSharing.isEmpty {
                return .impossible(relation: relation, reason: reason
                    + " (with --oversubscribe possible: \(withSharing.map(\.rawValue).joined(separator: ", ")))", possible: [])
            }
        }
        return .impossible(relation: relation, reason: reason, possible: possible)
    }

    /// The relations (other than `auto`) that can be planned for this
    /// request's thread counts and memory policy on this topology.
    public static func possibleRelations(for request: PlacementRequest, on topology: Topology) -> [PlacementRelation] {
        PlacementRelation.allCases.filter { relation in
            guard relation != .auto else { return false }
            var r = request
            r.relation = relation
            r.writerCPUs = nil
            r.readerCPUs = nil
            return (try? planChecked(r, on: topology)) != nil
        }
    }

    static func planChecked(_ request: PlacementRequest, on topology: Topology) throws(PlacementError) -> Placement {
        guard request.writers >= 0, request.readers >= 0, request.writers + request.readers >= 1 else {
            throw .invalidRequest("need at least one thread: got \(request.writers) writers and \(request.readers) readers")
        }
        if request.writerCPUs != nil || request.readerCPUs != nil {
            return try planExplicit(request, on: topology)
        }
        let planner = Planner(topology: topology, request: request)
        if request.relation == .auto { return try planner.auto() }
        return try planner.choose(planner.candidates(request.relation))
    }

    static func planExplicit(_ request: PlacementRequest, on topology: Topology) throws(PlacementError) -> Placement {
        let writers = request.writerCPUs ?? []
        let readers = request.readerCPUs ?? []
        guard writers.count == request.writers, readers.count == request.readers else {
            throw .invalidRequest("give one CPU per thread: \(request.writers) writers got \(writers.count) CPUs, "
                + "\(request.readers) readers got \(readers.count)")
        }
        let usable = topology.usableCPUs
        for cpu in writers + readers {
            guard let c = topology.cpu(cpu) else {
                throw .badCPU(cpu: cpu, reason: "does not exist (present CPUs: \(CPUList.format(topology.cpus.map(\.id))))", usable: usable)
            }
            if !c.online { throw .badCPU(cpu: cpu, reason: "is offline", usable: usable) }
            if !c.allowed { throw .badCPU(cpu: cpu, reason: "is not in this process's affinity mask", usable: usable) }
        }
        let all = writers + readers
        let shares = Set(all).count < all.count
        let relation = describe(writers.first, readers.first, on: topology)
        if request.relation != .auto, let relation, relation != request.relation,
           !(request.relation == .farthest && relation == .crossNode)
        {
            throw .invalidRequest("CPUs \(writers[0]) and \(readers[0]) are \(relation.rawValue), not \(request.relation.rawValue)")
        }
        if shares, relation != .sameCPU, !request.oversubscribe {
            throw .invalidRequest("CPUs \(CPUList.format(all)) put two threads on one CPU; pass --oversubscribe to allow it")
        }
        let planner = Planner(topology: topology, request: request)
        let assignment = Assignment(writers: writers, readers: readers, relation: relation ?? .sameNode,
                                    notes: ["CPUs given explicitly"])
        return try planner.choose([assignment])
    }

    /// The relation between one writer CPU and one reader CPU.
    static func describe(_ writer: Int?, _ reader: Int?, on topology: Topology) -> PlacementRelation? {
        guard let writer, let reader else { return nil }
        if writer == reader { return .sameCPU }
        if topology.cpu(writer)?.smtSiblings.contains(reader) == true { return .smtSiblings }
        return topology.node(ofCPU: writer) == topology.node(ofCPU: reader) ? .sameNode : .crossNode
    }
}

/// One way to seat the threads, before memory is decided.
struct Assignment {
    var writers: [Int]
    var readers: [Int]
    var relation: PlacementRelation
    var notes: [String]
}
