import Foundation
import Testing
@testable import PVHost
@testable import PVExperiments

@Suite("Topology")
struct TopologyTests {
    @Test("one node, two CPUs (this machine's shape)")
    func oneNode() throws {
        let t = try TopologyFixtures.load("one-node-2cpu")
        #expect(t.nodes == [TopologyNode(id: 0, cpus: [0, 1], memoryBytes: 4_679_456 * 1024, hasMemory: true)])
        #expect(t.distances == [[10]])
        #expect(t.usableCPUs == [0, 1])
        #expect(t.allowedCPUs == [0, 1], "without pvbench-allowed-cpulist every online CPU is allowed")
        #expect(t.usableSMTPairs.isEmpty)
        #expect(t.cacheGroups.contains(CacheGroup(level: 3, type: "Unified", size: "266240K", cpus: [0, 1])))
        #expect(t.cacheGroups(containing: 0).map(\.name) == ["L1d", "L1i", "L2", "L3"])
        #expect(t.numaNote == nil)
    }

    @Test("two nodes of four CPUs with SMT")
    func twoNodeSMT() throws {
        let t = try TopologyFixtures.load("two-node-smt")
        #expect(t.nodes.map(\.cpus) == [[0, 1, 4, 5], [2, 3, 6, 7]])
        #expect(t.usableSMTPairs.map { [$0.0, $0.1] } == [[0, 4], [1, 5], [2, 6], [3, 7]])
        #expect(t.distance(from: 0, to: 1) == 21)
        #expect(t.node(ofCPU: 6) == 1)
        #expect(t.cacheGroups.filter { $0.level == 3 }.map(\.cpus) == [[0, 1, 4, 5], [2, 3, 6, 7]])
        #expect(t.cpu(5)?.coreID == 1)
    }

    @Test("four nodes, asymmetric distances, one memory-less node")
    func fourNode() throws {
        let t = try TopologyFixtures.load("four-node-asym")
        #expect(t.nodes.count == 4)
        #expect(t.memorylessNodes == [3])
        #expect(t.node(3)?.memoryBytes == 0)
        #expect(t.distance(from: 1, to: 3) == 22)
        #expect(t.distance(from: 3, to: 1) == 23)
        #expect(t.distance(from: 0, to: 3) == 28)
        #expect(t.distance(from: 0, to: 9) == nil)
    }

    @Test("offline CPUs are present but not usable")
    func offline() throws {
        let t = try TopologyFixtures.load("cpus-offline")
        #expect(t.offlineCPUs == [2])
        #expect(t.onlineCPUs == [0, 1, 3])
        #expect(t.usableCPUs == [0, 1, 3])
        #expect(t.cpu(2)?.node == 0, "the node comes from cpu2's node0 entry")
        #expect(t.cpu(2)?.coreID == nil)
    }

    @Test("an affinity mask smaller than the machine")
    func smallAffinity() throws {
        let t = try TopologyFixtures.load("small-affinity")
        #expect(t.onlineCPUs == Array(0 ... 7))
        #expect(t.allowedCPUs == [0, 1])
        #expect(t.nodesWithUsableCPUs == [0])
    }

    @Test("malformed and incomplete trees name the offending file")
    func malformed() throws {
        let missing = try TopologyFixtures.scratchCopy("two-node-smt")
        defer { try? FileManager.default.removeItem(atPath: missing) }
        try FileManager.default.removeItem(atPath: missing + "/cpu/online")
        #expect(throws: TopologyError.missingFile(path: missing + "/cpu/online", needed: "the online CPUs")) {
            try Topology.load(sysfsRoot: missing)
        }

        let distance = try TopologyFixtures.scratchCopy("two-node-smt")
        defer { try? FileManager.default.removeItem(atPath: distance) }
        try "10 21 30\n".write(toFile: distance + "/node/node1/distance", atomically: true, encoding: .utf8)
        let error = try #require(throws: TopologyError.self) { try Topology.load(sysfsRoot: distance) }
        #expect(error.description.contains("node1/distance") && error.description.contains("expected 2 distances"))

        let garbage = try TopologyFixtures.scratchCopy("one-node-2cpu")
        defer { try? FileManager.default.removeItem(atPath: garbage) }
        try "0-x\n".write(toFile: garbage + "/node/node0/cpulist", atomically: true, encoding: .utf8)
        let listError = try #require(throws: TopologyError.self) { try Topology.load(sysfsRoot: garbage) }
        #expect(listError.description.contains("node0/cpulist") && listError.description.contains("0-x"))

        let stray = try TopologyFixtures.scratchCopy("one-node-2cpu")
        defer { try? FileManager.default.removeItem(atPath: stray) }
        try "0-2\n".write(toFile: stray + "/node/node0/cpulist", atomically: true, encoding: .utf8)
        let strayError = try #require(throws: TopologyError.self) { try Topology.load(sysfsRoot: stray) }
        #expect(strayError.description.contains("CPU 2") && strayError.description.contains("present CPUs: 0-1"))

        #expect(throws: TopologyError.notASysfsTree(root: "/nonexistent-tree")) {
            try Topology.load(sysfsRoot: "/nonexistent-tree")
        }
    }

    @Test("a tree without node/ is one node covering the allowed CPUs, with a note")
    func noNodes() throws {
        let dir = try TopologyFixtures.scratchCopy("one-node-2cpu")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.removeItem(atPath: dir + "/node")
        let t = try Topology.load(sysfsRoot: dir)
        #expect(t.nodes.map(\.cpus) == [[0, 1]])
        #expect(t.numaNote?.contains("assuming one node 0") == true)
        let placement = try PlacementPlanner.plan(PlacementRequest(), on: t)
        #expect(placement.notes.contains(t.numaNote!), "every result carries the note")
    }

    @Test("cpulists parse and format as the kernel writes them")
    func cpuLists() throws {
        #expect(try CPUList.parse("0-3,8,10-11\n") == [0, 1, 2, 3, 8, 10, 11])
        #expect(try CPUList.parse("") == [])
        #expect(CPUList.format([11, 0, 1, 2, 3, 8, 10]) == "0-3,8,10-11")
        #expect(CPUList.format([]) == "none")
        for bad in ["1-", "a", "3-1", "1,,2", "-1"] {
            #expect(throws: CPUList.ParseError.self, "\(bad)") { try CPUList.parse(bad) }
        }
    }

    @Test("live: this machine's topology matches its affinity and /sys")
    func live() throws {
        let t = try Topology.live()
        #expect(t.allowedCPUs == (try ProcessAffinity.allowedCPUs()))
        #expect(!t.usableCPUs.isEmpty)
        let online = try String(contentsOfFile: "/sys/devices/system/cpu/online", encoding: .utf8)
        #expect(t.onlineCPUs == (try CPUList.parse(online)))
        #expect(t.nodes.flatMap(\.cpus).sorted() == t.onlineCPUs)
    }

    @Test("live: a capture of this machine loads back as the live topology")
    func captureRoundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-capture-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = try TopologyCapture.capture(to: dir)
        #expect(files > 0)
        var captured = try Topology.load(sysfsRoot: dir)
        let live = try Topology.live()
        captured.source = live.source
        #expect(captured == live)
        #expect(throws: TopologyCapture.CaptureError.destinationExists(dir)) { try TopologyCapture.capture(to: dir) }
        #expect(try TopologyCapture.capture(to: dir, force: true) == files)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (dir as NSString).deletingLastPathComponent)
            .filter { $0.hasPrefix((dir as NSString).lastPathComponent + ".partial") }
        #expect(leftovers.isEmpty, "no temporary directory is left behind")
    }
}
