import Foundation
import Testing
import PVHost
import PVExperiments
import PVResults

/// `pvbench topology`'s report, text and capture, called without the binary.
@Suite("topology: report and text in the library")
struct TopologyReportTests {
    let request = PlacementRequest(writers: 1, readers: 1, relation: .auto, memory: .writerNode)

    @Test("every relation planned or refused with its reason, in the order of the table")
    func possibilities() throws {
        let t = try TopologyFixtures.load("one-node-2cpu")
        let p = TopologyReport.possibilities(on: t, request: request) { _ in "--flag" }
        #expect(p.map(\.relation) == PlacementRelation.allCases.map(\.rawValue))
        let cross = try #require(p.first { $0.relation == "cross-node" })
        #expect(!cross.possible && cross.placement == nil && cross.reason?.contains("two nodes") == true)
        #expect(p.first { $0.relation == "same-node" }?.placement?.readerCPUs == [1])
        let text = TopologyText.describe(t, possible: p, request: request)
        #expect(text.contains("node 0 cpus: 0 1\n"))
        #expect(text.contains("placements for 1 writer(s), 1 reader(s), memory writer-node:"))
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("  cross-node") && $0.contains(" no ") })
    }

    @Test("a plan: each thread's CPU and node; the JSON echoes the request")
    func plan() throws {
        let t = try TopologyFixtures.load("two-node-smt")
        var r = request
        r.relation = .crossNode
        let placement = try PlacementPlanner.plan(r, on: t)
        let text = TopologyText.describe(placement, request: r, on: t, oversubscribe: "--oversubscribe")
        #expect(text.hasPrefix("relation: cross-node\n"))
        #expect(text.contains("hv-w0") && text.contains("gst-r0"))
        let json = String(decoding: try PrettyJSON.data(TopologyReport.PlanDocument(request: r, placement: placement)), as: UTF8.self)
        #expect(json.contains("\"relation\" : \"cross-node\""))
    }

    @Test("capture: copies a tree, reads it back identical; an existing directory is refused without --force")
    func capture() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-capture-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = TopologyFixtures.path("two-node-smt")
        let lines = try TopologyReport.capture(from: source, to: dir, force: false)
        #expect(lines.count == 2 && lines[0].hasPrefix("captured ") && lines[0].hasSuffix(" files into \(dir)"))
        #expect(lines[1].hasPrefix("reads back identical to "))
        #expect(throws: TopologyCapture.CaptureError.self) { try TopologyReport.capture(from: source, to: dir, force: false) }
        #expect(try TopologyReport.capture(from: source, to: dir, force: true)[1].hasPrefix("reads back identical"))
    }
}
