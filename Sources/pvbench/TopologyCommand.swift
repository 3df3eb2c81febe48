import ArgumentParser
import Foundation
import PVHost
import PVResults

struct TopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Show NUMA nodes, CPUs, SMT and cache groups, allowed CPUs and possible placements; plan or capture.",
        discussion: """
            Without options, describes this machine like `numactl --hardware`, plus SMT siblings, shared caches, \
            the CPUs this process may use and which placements are possible here. --sysfs-root reads a tree laid \
            out as /sys/devices/system instead (a capture or a synthetic machine). --plan prints where each \
            thread would be pinned and where the shared memory would go, without running anything. \
            --capture DIR copies the sysfs files of this machine into DIR (with the allowed CPUs in \
            DIR/pvbench-allowed-cpulist) so it can be planned for elsewhere.
            """)

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Option(name: .customLong("sysfs-root"), help: ArgumentHelp("Read the topology from this sysfs tree instead of /sys.", valueName: "dir"))
    var sysfsRoot: String?

    @Option(help: ArgumentHelp("Copy this machine's topology files into a new sysfs tree.", valueName: "dir"))
    var capture: String?

    @Flag(help: "With --capture: replace an existing directory.")
    var force = false

    @Flag(help: "Print the concrete placement for --writers/--readers/--relation/--memory.")
    var plan = false

    @Option(help: "Hypervisor writer threads to place.")
    var writers: Int = 1

    @Option(help: "Guest reader threads to place.")
    var readers: Int = 1

    @OptionGroup var relation: RelationOption
    @OptionGroup var memory: MemoryOption
    @OptionGroup var cpus: CPUChoiceOptions

    func validate() throws {
        guard writers >= 0, readers >= 0, writers <= 4096, readers <= 4096, writers + readers >= 1, writers + readers <= 4096 else {
            throw ValidationError("--writers and --readers must be >= 0 with 1 ... 4096 threads in all, got \(writers) and \(readers)")
        }
        if capture != nil, plan { throw ValidationError("--capture and --plan do different things; give one") }
        if force, capture == nil { throw ValidationError("--force only applies to --capture") }
        let planOnly = cpus.given || (relation.relation ?? .auto) != .auto
        if planOnly, !plan { throw ValidationError("--relation, --writer-cpus, --reader-cpus and --oversubscribe need --plan") }
    }

    var request: PlacementRequest {
        PlacementRequest(writers: writers, readers: readers, relation: relation.relation ?? .auto, memory: memory.memory,
                         oversubscribe: cpus.oversubscribe, writerCPUs: cpus.writerCPUs, readerCPUs: cpus.readerCPUs)
    }

    func run() throws {
        if let capture { return try runCapture(capture) }
        let topology: Topology
        do {
            topology = try sysfsRoot.map { try Topology.load(sysfsRoot: $0) } ?? Topology.live()
        } catch let error as TopologyError {
            throw RuntimeError(error.description)
        }
        if plan {
            let placement: Placement
            do { placement = try PlacementPlanner.plan(request, on: topology) } catch let error as PlacementError {
                throw ValidationError(commandLineMessage(error, relationFlag: "--relation"))
            }
            if json { return try printJSON(PlanDocument(request: RequestDocument(request), placement: placement)) }
            print(Self.describe(placement, request: request, on: topology))
            return
        }
        let possible = Self.possibilities(on: topology, request: request)
        if json { return try printJSON(TopologyDocument(topology: topology, placements: possible)) }
        print(Self.describe(topology, possible: possible, request: request))
    }

    func runCapture(_ directory: String) throws {
        do {
            let files = try TopologyCapture.capture(from: sysfsRoot ?? Topology.liveSysfsRoot, to: directory, force: force)
            let captured = try Topology.load(sysfsRoot: directory)
            let original = try sysfsRoot.map { try Topology.load(sysfsRoot: $0) } ?? Topology.live()
            var same = captured
            same.source = original.source
            print("captured \(files) files into \(directory)")
            print(same == original ? "reads back identical to \(original.source)"
                : "warning: reads back differently from \(original.source)")
        } catch let error as TopologyCapture.CaptureError {
            if case .destinationExists = error { throw ValidationError(error.description) }
            throw RuntimeError(error.description)
        } catch let error as TopologyError {
            throw RuntimeError(error.description)
        }
    }
}

// MARK: - documents and text

extension TopologyCommand {
    struct RequestDocument: Encodable {
        let writers: Int, readers: Int, relation: String, memory: String, oversubscribe: Bool
        init(_ r: PlacementRequest) {
            writers = r.writers; readers = r.readers; relation = r.relation.rawValue
            memory = r.memory.description; oversubscribe = r.oversubscribe
        }
    }

    struct PlanDocument: Encodable { let request: RequestDocument; let placement: Placement }

    struct Possibility: Encodable {
        let relation: String
        let possible: Bool
        let placement: Placement?
        let reason: String?
    }

    struct TopologyDocument: Encodable { let topology: Topology; let placements: [Possibility] }

    /// Every relation for this request's counts, each planned or refused with its reason.
    static func possibilities(on topology: Topology, request: PlacementRequest) -> [Possibility] {
        PlacementRelation.allCases.map { relation in
            var r = request
            r.relation = relation
            do {
                return Possibility(relation: relation.rawValue, possible: true,
                                   placement: try PlacementPlanner.plan(r, on: topology), reason: nil)
            } catch let error as PlacementError {
                return Possibility(relation: relation.rawValue, possible: false, placement: nil,
                                   reason: error.reason(naming: { $0 == .relation ? "--relation" : "--memory" }))
            } catch {
                return Possibility(relation: relation.rawValue, possible: false, placement: nil, reason: "\(error)")
            }
        }
    }

    static func describe(_ t: Topology, possible: [Possibility], request: PlacementRequest) -> String {
        var out: [String] = []
        out.append("source: \(t.source)")
        if let note = t.numaNote { out.append("note: \(note)") }
        out.append("available: \(t.nodes.count) nodes (\(CPUList.format(t.nodes.map(\.id))))")
        for node in t.nodes {
            out.append("node \(node.id) cpus: \(node.cpus.map(String.init).joined(separator: " "))")
            let size = node.memoryBytes.map { "\($0 / (1024 * 1024)) MB" } ?? "unknown"
            out.append("node \(node.id) size: \(size)" + (node.hasMemory ? "" : " (memory-less node)"))
        }
        out.append("node distances:")
        let ids = t.nodes.map(\.id)
        out.append("node " + ids.map { String(format: "%4d", $0) }.joined())
        for (i, id) in ids.enumerated() {
            out.append(String(format: "%3d: ", id) + t.distances[i].map { String(format: "%4d", $0) }.joined())
        }
        out.append("")
        out.append("online CPUs:  \(CPUList.format(t.onlineCPUs))")
        out.append("offline CPUs: \(CPUList.format(t.offlineCPUs))")
        out.append("allowed CPUs: \(CPUList.format(t.allowedCPUs))  (usable, online and allowed: \(CPUList.format(t.usableCPUs)))")
        out.append("memory-less nodes: \(CPUList.format(t.memorylessNodes))")
        let smt = Set(t.cpus.filter { $0.online && $0.smtSiblings.count > 1 }.map(\.smtSiblings)).sorted { $0[0] < $1[0] }
        out.append("SMT siblings: " + (smt.isEmpty ? "none (one hardware thread per core)"
            : smt.map { CPUList.format($0) }.joined(separator: " ")))
        if t.cacheGroups.isEmpty {
            out.append("caches: none described")
        } else {
            out.append("shared caches:")
            var seen: [String: [CacheGroup]] = [:]
            var order: [String] = []
            for g in t.cacheGroups {
                let key = "\(g.name) \(g.size ?? "?")"
                if seen[key] == nil { order.append(key) }
                seen[key, default: []].append(g)
            }
            for key in order {
                out.append("  \(key.padding(toLength: 14, withPad: " ", startingAt: 0)) "
                    + seen[key]!.map { CPUList.format($0.cpus) }.joined(separator: " | "))
            }
        }
        out.append("")
        out.append("placements for \(request.writers) writer(s), \(request.readers) reader(s), memory \(request.memory):")
        let rows = possible.map { p -> [String] in
            if let pl = p.placement {
                return [p.relation, "yes", "writers \(pl.writerCPUs.map(String.init).joined(separator: ",")) "
                    + "readers \(pl.readerCPUs.map(String.init).joined(separator: ",")) memory node \(CPUList.format(pl.memoryNodes))"
                    + (p.relation == "auto" ? " (\(pl.relation))" : "")]
            }
            return [p.relation, "no", p.reason ?? ""]
        }
        out.append(TerminalTable.plain(["relation", "possible", "plan / reason"], rows).split(separator: "\n").map { "  " + $0 }
            .joined(separator: "\n"))
        return out.joined(separator: "\n")
    }

    static func describe(_ p: Placement, request: PlacementRequest, on t: Topology) -> String {
        var out: [String] = []
        out.append("relation: \(p.relation)" + (request.relation == .auto ? " (chosen by auto)" : ""))
        out.append("memory: \(p.memoryPolicy) -> node \(CPUList.format(p.memoryNodes))"
            + (p.memoryNodes.count > 1 ? " (interleaved)" : ""))
        if let d = p.distance { out.append("writer-reader node distance: \(d)") }
        out.append("")
        let rows = p.threadSpecs().map { s in
            [s.role.name, String(s.cpu), t.node(ofCPU: s.cpu).map(String.init) ?? "?",
             CPUList.format(t.cpu(s.cpu)?.smtSiblings ?? [])]
        }
        out.append(TerminalTable.plain(["thread", "cpu", "node", "core siblings"], rows))
        if p.sharesCPUs { out.append("\nthreads share CPUs (run with --oversubscribe)") }
        if !p.notes.isEmpty {
            out.append("")
            out.append("notes:")
            out += p.notes.map { "  - " + $0 }
        }
        return out.joined(separator: "\n")
    }
}
