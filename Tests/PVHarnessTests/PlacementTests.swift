import Foundation
import Testing
@testable import PVHost
@testable import PVExperiments
import PVRuntime
import PVABI

@Suite("Placement")
struct PlacementTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let fixture: String
        let relation: PlacementRelation
        let memory: MemoryPolicy
        let writers: [Int]
        let readers: [Int]
        let resolved: String
        let memoryNodes: [Int]
        var testDescription: String { "\(fixture) \(relation.rawValue) \(memory)" }
    }

    static let cases: [Case] = [
        // This machine's shape.
        Case(fixture: "one-node-2cpu", relation: .auto, memory: .writerNode, writers: [0], readers: [1], resolved: "same-node", memoryNodes: [0]),
        Case(fixture: "one-node-2cpu", relation: .sameCPU, memory: .readerNode, writers: [0], readers: [0], resolved: "same-cpu", memoryNodes: [0]),
        Case(fixture: "one-node-2cpu", relation: .sameNode, memory: .interleave, writers: [0], readers: [1], resolved: "same-node", memoryNodes: [0]),
        Case(fixture: "one-node-2cpu", relation: .farthest, memory: .node(0), writers: [0], readers: [1], resolved: "farthest", memoryNodes: [0]),
        // Two nodes with SMT: distinct cores first, siblings 0/4.
        Case(fixture: "two-node-smt", relation: .auto, memory: .writerNode, writers: [0], readers: [2], resolved: "cross-node", memoryNodes: [0]),
        Case(fixture: "two-node-smt", relation: .sameCPU, memory: .writerNode, writers: [0], readers: [0], resolved: "same-cpu", memoryNodes: [0]),
        Case(fixture: "two-node-smt", relation: .smtSiblings, memory: .writerNode, writers: [0], readers: [4], resolved: "smt-siblings", memoryNodes: [0]),
        Case(fixture: "two-node-smt", relation: .sameNode, memory: .writerNode, writers: [0], readers: [1], resolved: "same-node", memoryNodes: [0]),
        Case(fixture: "two-node-smt", relation: .crossNode, memory: .readerNode, writers: [0], readers: [2], resolved: "cross-node", memoryNodes: [1]),
        Case(fixture: "two-node-smt", relation: .farthest, memory: .interleave, writers: [0], readers: [2], resolved: "farthest", memoryNodes: [0, 1]),
        Case(fixture: "two-node-smt", relation: .crossNode, memory: .node(1), writers: [0], readers: [2], resolved: "cross-node", memoryNodes: [1]),
        // Four asymmetric nodes, node 3 memory-less.
        Case(fixture: "four-node-asym", relation: .auto, memory: .writerNode, writers: [0], readers: [12], resolved: "farthest", memoryNodes: [0]),
        Case(fixture: "four-node-asym", relation: .crossNode, memory: .writerNode, writers: [0], readers: [4], resolved: "cross-node", memoryNodes: [0]),
        Case(fixture: "four-node-asym", relation: .farthest, memory: .writerNode, writers: [0], readers: [12], resolved: "farthest", memoryNodes: [0]),
        // Reader on memory-less node 3 is skipped: the pair is turned round.
        Case(fixture: "four-node-asym", relation: .farthest, memory: .readerNode, writers: [12], readers: [0], resolved: "farthest", memoryNodes: [0]),
        Case(fixture: "four-node-asym", relation: .sameNode, memory: .interleave, writers: [0], readers: [1], resolved: "same-node", memoryNodes: [0, 1, 2]),
        // CPU 2 offline: never chosen.
        Case(fixture: "cpus-offline", relation: .auto, memory: .writerNode, writers: [0], readers: [1], resolved: "same-node", memoryNodes: [0]),
        Case(fixture: "cpus-offline", relation: .farthest, memory: .readerNode, writers: [0], readers: [1], resolved: "farthest", memoryNodes: [0]),
        // Only CPUs 0-1 allowed, both on node 0.
        Case(fixture: "small-affinity", relation: .auto, memory: .writerNode, writers: [0], readers: [1], resolved: "same-node", memoryNodes: [0]),
        Case(fixture: "small-affinity", relation: .sameCPU, memory: .node(1), writers: [0], readers: [0], resolved: "same-cpu", memoryNodes: [1]),
    ]

    @Test("one writer, one reader: each relation and memory policy on each fixture", arguments: cases)
    func plans(_ c: Case) throws {
        let t = try TopologyFixtures.load(c.fixture)
        let p = try PlacementPlanner.plan(PlacementRequest(relation: c.relation, memory: c.memory), on: t)
        #expect(p.writerCPUs == c.writers)
        #expect(p.readerCPUs == c.readers)
        #expect(p.relation == c.resolved)
        #expect(p.memoryNodes == c.memoryNodes)
        #expect(p.sharesCPUs == (c.relation == .sameCPU))
        #expect(Set(p.writerCPUs + p.readerCPUs).isSubset(of: t.usableCPUs))
    }

    @Test("several threads: distinct cores first, one side per node")
    func manyThreads() throws {
        let smt = try TopologyFixtures.load("two-node-smt")
        let sameNode = try PlacementPlanner.plan(PlacementRequest(writers: 1, readers: 3, relation: .sameNode), on: smt)
        #expect(sameNode.writerCPUs + sameNode.readerCPUs == [0, 1, 4, 5])
        let cross = try PlacementPlanner.plan(PlacementRequest(writers: 2, readers: 2, relation: .crossNode), on: smt)
        #expect(cross.writerCPUs == [0, 1] && cross.readerCPUs == [2, 3])
        let siblings = try PlacementPlanner.plan(PlacementRequest(writers: 2, readers: 2, relation: .smtSiblings), on: smt)
        #expect(siblings.writerCPUs == [0, 1] && siblings.readerCPUs == [4, 5])
        #expect(cross.threadSpecs().map(\.role.name) == ["hv-w0", "hv-w1", "gst-r0", "gst-r1"])
        #expect(cross.threadSpecs().map(\.cpu) == [0, 1, 2, 3])
    }

    @Test("impossible requests say why and what is possible")
    func impossible() throws {
        let one = try TopologyFixtures.load("one-node-2cpu")
        let cross = try #require(throws: PlacementError.self) {
            try PlacementPlanner.plan(PlacementRequest(relation: .crossNode), on: one)
        }
        #expect(cross == .impossible(relation: .crossNode,
                                     reason: "it needs two nodes with usable CPUs; usable CPUs per node: node 0: 0-1",
                                     possible: [.sameCPU, .sameNode, .farthest]))
        let smt = try #require(throws: PlacementError.self) {
            try PlacementPlanner.plan(PlacementRequest(relation: .smtSiblings), on: one)
        }
        #expect(smt.description.contains("no core has two usable hardware threads"))

        let small = try TopologyFixtures.load("small-affinity")
        let affinity = try #require(throws: PlacementError.self) {
            try PlacementPlanner.plan(PlacementRequest(relation: .crossNode), on: small)
        }
        #expect(affinity.description.contains("node 1: none of 4-7"))

        let many = try #require(throws: PlacementError.self) {
            try PlacementPlanner.plan(PlacementRequest(writers: 2, readers: 3, relation: .sameNode), on: one)
        }
        #expect(many.description.contains("needs 5 usable CPUs") && many.description.contains("--oversubscribe"))
    }

    @Test("oversubscription is explicit and reported")
    func oversubscribe() throws {
        let one = try TopologyFixtures.load("one-node-2cpu")
        let p = try PlacementPlanner.plan(PlacementRequest(writers: 2, readers: 3, relation: .sameNode, oversubscribe: true), on: one)
        #expect(p.writerCPUs + p.readerCPUs == [0, 1, 0, 1, 0])
        #expect(p.sharesCPUs)
        #expect(p.notes.contains("oversubscribed: 5 threads on 2 CPUs"))
    }

    @Test("bad memory policies name the node and the nodes with memory")
    func badMemory() throws {
        let four = try TopologyFixtures.load("four-node-asym")
        #expect(throws: PlacementError.badMemory(policy: "node:3", reason: "node 3 has no memory (memory-less node)", nodesWithMemory: [0, 1, 2])) {
            try PlacementPlanner.plan(PlacementRequest(memory: .node(3)), on: four)
        }
        #expect(throws: PlacementError.badMemory(policy: "node:7", reason: "node 7 does not exist (nodes: 0-3)", nodesWithMemory: [0, 1, 2])) {
            try PlacementPlanner.plan(PlacementRequest(memory: .node(7)), on: four)
        }
        let onThree = try #require(throws: PlacementError.self) {
            try PlacementPlanner.plan(PlacementRequest(memory: .writerNode, writerCPUs: [12], readerCPUs: [0]), on: four)
        }
        #expect(onThree.description.contains("writer hv-w0's node 3 (CPU 12) has no memory"))
        #expect(MemoryPolicy(argument: "node:2") == .node(2))
        #expect(MemoryPolicy(argument: "node:-1") == nil)
        #expect(MemoryPolicy(argument: "nodes") == nil)
    }

    @Test("explicit CPUs are checked: present, online, allowed, matching the relation")
    func explicitCPUs() throws {
        let offline = try TopologyFixtures.load("cpus-offline")
        #expect(throws: PlacementError.badCPU(cpu: 2, reason: "is offline", usable: [0, 1, 3])) {
            try PlacementPlanner.plan(PlacementRequest(writerCPUs: [0], readerCPUs: [2]), on: offline)
        }
        #expect(throws: PlacementError.badCPU(cpu: 9, reason: "does not exist (present CPUs: 0-3)", usable: [0, 1, 3])) {
            try PlacementPlanner.plan(PlacementRequest(writerCPUs: [9], readerCPUs: [0]), on: offline)
        }
        let small = try TopologyFixtures.load("small-affinity")
        #expect(throws: PlacementError.badCPU(cpu: 4, reason: "is not in this process's affinity mask", usable: [0, 1])) {
            try PlacementPlanner.plan(PlacementRequest(writerCPUs: [4], readerCPUs: [0]), on: small)
        }
        let smt = try TopologyFixtures.load("two-node-smt")
        let p = try PlacementPlanner.plan(PlacementRequest(writerCPUs: [1], readerCPUs: [5]), on: smt)
        #expect(p.relation == "smt-siblings")
        #expect(throws: PlacementError.invalidRequest("CPUs 1 and 5 are smt-siblings, not cross-node")) {
            try PlacementPlanner.plan(PlacementRequest(relation: .crossNode, writerCPUs: [1], readerCPUs: [5]), on: smt)
        }
    }

    @Test("live: planned threads run where planned and the region's pages sit on the planned node")
    func livePlacement() throws {
        let topology = try Topology.live()
        let placement = try PlacementPlanner.plan(PlacementRequest(), on: topology)
        let memory = try GuestMemoryForTest.make(nodes: placement.memoryNodes)
        let stop = StopFlag()
        let base = UInt(bitPattern: memory.base)
        let size = memory.size
        let reports = try PinnedThreads.run(placement.threadSpecs(), stop: stop, oversubscribe: placement.sharesCPUs) { context in
            // The writer touches every page first, as a hypervisor would.
            guard context.role.kind == .hypervisorWriter else { return }
            let pointer = UnsafeMutableRawPointer(bitPattern: base)!
            for offset in stride(from: 0, to: size, by: 4096) { pointer.storeBytes(of: 1, toByteOffset: offset, as: UInt8.self) }
        }
        for (spec, report) in zip(placement.threadSpecs(), reports) {
            #expect(report.stayedOnPlannedCPU, "\(spec.role) planned on \(spec.cpu), report \(report)")
        }
        if NUMA.isAvailable {
            let pages = try PagePlacementReport.check(memory.base, bytes: memory.size, plannedNodes: placement.memoryNodes)
            #expect(pages.untouchedPages == 0, "\(pages.summary)")
            #expect(pages.onPlannedNodes, "\(pages.summary)")
            #expect(placement.memoryNodes.contains(try NUMA.nodeOfPage(memory.base)))
        }
    }

    @Test("binding to a node that does not exist is an error naming it")
    func badBind() throws {
        let bogus = NUMA.maxNode + 5
        #expect(throws: NUMAError.invalidNodes([bogus], maxNode: NUMA.maxNode)) {
            try GuestMemoryForTest.make(nodes: [bogus])
        }
    }
}
