/// The planning of one request on one topology.
struct Planner {
    let topology: Topology
    let request: PlacementRequest

    var w: Int { request.writers }
    var r: Int { request.readers }

    /// The first candidate whose memory policy can be met.
    func choose(_ candidates: [Assignment]) throws(PlacementError) -> Placement {
        var firstError: PlacementError?
        for (rank, candidate) in candidates.enumerated() {
            do {
                var placement = try finish(candidate)
                if rank > 0 {
                    placement.notes.append("the preferred placement was skipped: \(firstError?.description ?? "")")
                }
                return placement
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        throw firstError ?? .impossible(relation: request.relation, reason: "no candidate placement", possible: [])
    }

    /// `auto`: the most informative placement this machine allows.
    func auto() throws(PlacementError) -> Placement {
        var tried: [String] = []
        var memoryError: PlacementError?
        for relation in [PlacementRelation.farthest, .sameNode, .smtSiblings, .sameCPU] {
            let name = relation == .farthest ? "cross-node" : relation.rawValue
            if relation == .farthest, topology.nodesWithUsableCPUs.count < 2 {
                tried.append("cross-node needs two nodes with usable CPUs")
                continue
            }
            do {
                var placement = try choose(candidates(relation))
                placement.notes.insert("auto chose \(placement.relation)"
                    + (tried.isEmpty ? "" : " (\(tried.joined(separator: "; ")))"), at: 0)
                return placement
            } catch {
                if case .badMemory = error, memoryError == nil { memoryError = error }
                tried.append("\(name): \(error.reason)")
            }
        }
        // When a relation fitted but the memory policy did not, the policy is the problem.
        if let memoryError { throw memoryError }
        throw .impossible(relation: .auto, reason: tried.joined(separator: "; "), possible: [])
    }

    func candidates(_ relation: PlacementRelation) throws(PlacementError) -> [Assignment] {
        switch relation {
        case .auto: preconditionFailure("auto is resolved by auto()")
        case .sameCPU: return [try sameCPU()]
        case .smtSiblings: return [try smtSiblings()]
        case .sameNode: return try sameNode()
        case .crossNode, .farthest: return try crossNode(farthest: relation == .farthest, resolveForAuto: request.relation == .auto)
        }
    }

    // MARK: relations

    func needBothSides(_ relation: PlacementRelation) throws(PlacementError) {
        guard w >= 1, r >= 1 else {
            throw .invalidRequest("--relation \(relation.rawValue) relates writers to readers: it needs at least one of each")
        }
    }

    func sameCPU() throws(PlacementError) -> Assignment {
        try needBothSides(.sameCPU)
        let slots = max(w, r)
        let ordered = coreOrder(topology.nodesWithUsableCPUs.flatMap { topology.usableCPUs(onNode: $0) })
        guard let cpus = take(slots, from: ordered) else {
            throw .impossible(relation: .sameCPU, reason: "it needs \(slots) CPUs (one per writer/reader pair) "
                + "but \(ordered.count) are usable (\(CPUList.format(ordered))); pass --oversubscribe to stack more", possible: [])
        }
        return Assignment(writers: Array(cpus.prefix(w)), readers: Array(cpus.prefix(r)), relation: .sameCPU,
                          notes: ["writer i and reader i time-share one CPU"])
    }

    func smtSiblings() throws(PlacementError) -> Assignment {
        try needBothSides(.smtSiblings)
        let pairs = topology.usableSMTPairs
        guard !pairs.isEmpty else {
            throw .impossible(relation: .smtSiblings, reason: "no core has two usable hardware threads "
                + (siblingSummary.isEmpty ? "(no SMT here)" : "(SMT siblings: \(siblingSummary))"), possible: [])
        }
        let slots = max(w, r)
        guard slots <= pairs.count || request.oversubscribe else {
            throw .impossible(relation: .smtSiblings, reason: "it needs \(slots) SMT sibling pairs but there are "
                + "\(pairs.count) (\(pairs.map { "\($0.0)/\($0.1)" }.joined(separator: " "))); pass --oversubscribe to reuse them",
                possible: [])
        }
        return Assignment(writers: (0 ..< w).map { pairs[$0 % pairs.count].0 },
                          readers: (0 ..< r).map { pairs[$0 % pairs.count].1 },
                          relation: .smtSiblings, notes: ["writer i and reader i are the two hardware threads of one core"])
    }

    func sameNode() throws(PlacementError) -> [Assignment] {
        let nodes = topology.nodesWithUsableCPUs.sorted {
            (-topology.usableCPUs(onNode: $0).count, $0) < (-topology.usableCPUs(onNode: $1).count, $1)
        }
        var result: [Assignment] = []
        for node in nodes {
            let ordered = coreOrder(topology.usableCPUs(onNode: node))
            guard w + r <= ordered.count || (request.oversubscribe && !ordered.isEmpty) else { continue }
            let cpus = take(w + r, from: ordered)!
            result.append(Assignment(writers: Array(cpus.prefix(w)), readers: Array(cpus.dropFirst(w)),
                                     relation: .sameNode, notes: ["all threads on node \(node), distinct cores first"]))
        }
        guard !result.isEmpty else {
            throw .impossible(relation: .sameNode, reason: "it needs \(w + r) usable CPUs on one node; usable CPUs per node: "
                + perNodeSummary + "; pass --oversubscribe to share CPUs", possible: [])
        }
        return result
    }

    func crossNode(farthest: Bool, resolveForAuto: Bool = false) throws(PlacementError) -> [Assignment] {
        let relation: PlacementRelation = farthest ? .farthest : .crossNode
        try needBothSides(relation)
        let nodes = topology.nodesWithUsableCPUs
        if nodes.count < 2 {
            if farthest, let only = nodes.first { return [try farthestOnOneNode(only)] }
            throw .impossible(relation: relation, reason: "it needs two nodes with usable CPUs; usable CPUs per node: "
                + perNodeSummary, possible: [])
        }
        var pairs: [(a: Int, b: Int, d: Int)] = []
        for a in nodes {
            for b in nodes where b != a {
                let fits = { (n: Int, k: Int) in k <= topology.usableCPUs(onNode: n).count || request.oversubscribe }
                if fits(a, w), fits(b, r) {
                    pairs.append((a, b, (topology.distance(from: a, to: b) ?? 0) + (topology.distance(from: b, to: a) ?? 0)))
                }
            }
        }
        guard !pairs.isEmpty else {
            throw .impossible(relation: relation, reason: "no two nodes have \(w) usable CPUs for the writers and \(r) "
                + "for the readers; usable CPUs per node: \(perNodeSummary); pass --oversubscribe to share CPUs", possible: [])
        }
        pairs.sort { x, y in
            x.d != y.d ? (farthest ? x.d > y.d : x.d < y.d) : (x.a, x.b) < (y.a, y.b)
        }
        let nearest = pairs.map(\.d).min()!
        return pairs.map { p in
            let ab = topology.distance(from: p.a, to: p.b) ?? 0
            let ba = topology.distance(from: p.b, to: p.a) ?? 0
            // Two nodes only, or all pairs equidistant: farthest is just cross-node.
            let resolved: PlacementRelation = farthest && p.d > nearest ? .farthest : .crossNode
            return Assignment(writers: take(w, from: coreOrder(topology.usableCPUs(onNode: p.a)))!,
                              readers: take(r, from: coreOrder(topology.usableCPUs(onNode: p.b)))!,
                              relation: resolveForAuto ? resolved : relation,
                              notes: ["writers on node \(p.a), readers on node \(p.b), distance \(ab)"
                                  + (ab == ba ? "" : " (\(ba) back)")])
        }
    }

    /// `farthest` with one usable node: readers on the CPUs that share the
    /// least with the first writer (no SMT core, then fewest shared caches).
    func farthestOnOneNode(_ node: Int) throws(PlacementError) -> Assignment {
        let ordered = coreOrder(topology.usableCPUs(onNode: node))
        guard w + r <= ordered.count || request.oversubscribe else {
            throw .impossible(relation: .farthest, reason: "it needs \(w + r) usable CPUs; node \(node) has "
                + "\(ordered.count) (\(CPUList.format(ordered))); pass --oversubscribe to share CPUs", possible: [])
        }
        let writers = take(w, from: ordered)!
        let first = writers[0]
        let rest = ordered.filter { !writers.contains($0) }
        let ranked = rest.sorted { (sharing(first, $0), $0) < (sharing(first, $1), $1) }
        let readers = take(r, from: ranked.isEmpty ? ordered : ranked)!
        let shared = topology.cacheGroups(containing: first).filter { $0.cpus.contains(readers[0]) }.map(\.name)
        return Assignment(writers: writers, readers: readers, relation: .farthest,
                          notes: ["one node with usable CPUs: farthest means the CPUs sharing the least with the writer"
                              + " (shared caches: \(shared.isEmpty ? "none" : shared.joined(separator: ", ")))"])
    }

    // MARK: memory

    func finish(_ a: Assignment) throws(PlacementError) -> Placement {
        var notes = a.notes
        let withMemory = topology.nodes.filter(\.hasMemory).map(\.id)
        let policy = request.memory.description
        func nodeOf(_ cpu: Int, _ role: String) throws(PlacementError) -> Int {
            guard let node = topology.node(ofCPU: cpu) else {
                throw .badMemory(policy: policy, reason: "the node of \(role)'s CPU \(cpu) is unknown", nodesWithMemory: withMemory)
            }
            guard withMemory.contains(node) else {
                throw .badMemory(policy: policy, reason: "\(role)'s node \(node) (CPU \(cpu)) has no memory (memory-less node)",
                                 nodesWithMemory: withMemory)
            }
            return node
        }
        var memory: [Int]
        switch request.memory {
        case .writerNode:
            if let cpu = a.writers.first { memory = [try nodeOf(cpu, "writer hv-w0")] } else {
                memory = [try nodeOf(a.readers[0], "reader gst-r0")]
                notes.append("no writers: writer-node means the first reader's node")
            }
        case .readerNode:
            if let cpu = a.readers.first { memory = [try nodeOf(cpu, "reader gst-r0")] } else {
                memory = [try nodeOf(a.writers[0], "writer hv-w0")]
                notes.append("no readers: reader-node means the first writer's node")
            }
        case .interleave:
            guard !withMemory.isEmpty else {
                throw .badMemory(policy: policy, reason: "no node has memory", nodesWithMemory: [])
            }
            memory = withMemory
            if withMemory.count == 1 { notes.append("interleave over a single node with memory is node:\(withMemory[0])") }
        case let .node(n):
            guard topology.node(n) != nil else {
                throw .badMemory(policy: policy, reason: "node \(n) does not exist (nodes: \(CPUList.format(topology.nodes.map(\.id))))",
                                 nodesWithMemory: withMemory)
            }
            guard withMemory.contains(n) else {
                throw .badMemory(policy: policy, reason: "node \(n) has no memory (memory-less node)", nodesWithMemory: withMemory)
            }
            memory = [n]
        }
        let all = a.writers + a.readers
        let shares = Set(all).count < all.count
        if shares, a.relation != .sameCPU {
            notes.append("oversubscribed: \(all.count) threads on \(Set(all).count) CPUs")
        }
        if let note = topology.numaNote { notes.append(note) }
        let distance: Int? = if let wc = a.writers.first, let rc = a.readers.first,
                                let wn = topology.node(ofCPU: wc), let rn = topology.node(ofCPU: rc)
        { topology.distance(from: wn, to: rn) } else { nil }
        return Placement(writerCPUs: a.writers, readerCPUs: a.readers, relation: a.relation.rawValue,
                         memoryPolicy: policy, memoryNodes: memory, sharesCPUs: shares, distance: distance, notes: notes)
    }

    // MARK: helpers

    /// First hardware thread of every core, then the second ones, and so on.
    func coreOrder(_ cpus: [Int]) -> [Int] {
        func rank(_ cpu: Int) -> Int { topology.cpu(cpu)?.smtSiblings.firstIndex(of: cpu) ?? 0 }
        return cpus.sorted { (rank($0), $0) < (rank($1), $1) }
    }

    /// `n` CPUs from `ordered`, wrapping around only with oversubscribe.
    func take(_ n: Int, from ordered: [Int]) -> [Int]? {
        if n <= ordered.count { return Array(ordered.prefix(n)) }
        guard request.oversubscribe, !ordered.isEmpty else { return nil }
        return (0 ..< n).map { ordered[$0 % ordered.count] }
    }

    /// How much two CPUs share: 100 for one core, then one per shared cache.
    func sharing(_ a: Int, _ b: Int) -> Int {
        let core = topology.cpu(a)?.smtSiblings.contains(b) == true ? 100 : 0
        return core + topology.cacheGroups.filter { $0.cpus.contains(a) && $0.cpus.contains(b) }.count
    }

    var perNodeSummary: String {
        topology.nodes.map { node in
            let usable = topology.usableCPUs(onNode: node.id)
            let all = topology.cpus.filter { $0.node == node.id }.map(\.id)
            return "node \(node.id): \(usable.isEmpty ? "none" : CPUList.format(usable))"
                + (usable.count < all.count ? " of \(CPUList.format(all))" : "")
        }.joined(separator: ", ")
    }

    var siblingSummary: String {
        let groups = Set(topology.cpus.filter { $0.online && $0.smtSiblings.count > 1 }.map(\.smtSiblings)).sorted { $0.first ?? 0 < $1.first ?? 0 }
        return groups.map { CPUList.format($0) }.joined(separator: " ")
    }
}
