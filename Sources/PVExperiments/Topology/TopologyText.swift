import Foundation
import PVHost
import PVResults

/// `pvbench topology`'s text.
public enum TopologyText {
    /// The machine like `numactl --hardware`, plus SMT siblings, shared
    /// caches, the usable CPUs and each relation's placement or refusal.
    public static func describe(_ t: Topology, possible: [TopologyReport.Possibility], request: PlacementRequest) -> String {
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

    /// One planned placement: relation, memory, and each thread's CPU, node
    /// and siblings; `oversubscribe` names the setting that lets threads share CPUs.
    public static func describe(_ p: Placement, request: PlacementRequest, on t: Topology, oversubscribe: String) -> String {
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
        if p.sharesCPUs { out.append("\nthreads share CPUs (run with \(oversubscribe))") }
        if !p.notes.isEmpty {
            out.append("")
            out.append("notes:")
            out += p.notes.map { "  - " + $0 }
        }
        return out.joined(separator: "\n")
    }
}
