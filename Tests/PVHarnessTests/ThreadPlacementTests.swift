import Foundation
import PVRecords
import Testing

@Suite("Where a pinned thread ran: one spelling written, both read")
struct ThreadPlacementTests {
    @Test("written with the result file's keys; a validate report's older camel-case keys still read the same")
    func spellings() throws {
        let t = ThreadPlacement(name: "gst-r0", plannedCPU: 1, observedCPUAtStart: 1, observedCPUAtEnd: 0, tid: 4242)
        let written = try #require(String(data: try JSONEncoder().encode(t), encoding: .utf8))
        #expect(written.contains("\"planned_cpu\":1") && written.contains("\"observed_cpu_at_end\":0"), "\(written)")
        #expect(!written.contains("plannedCPU"), "\(written)")
        let older = #"{"name":"gst-r0","plannedCPU":1,"observedCPUAtStart":1,"observedCPUAtEnd":0,"tid":4242}"#
        #expect(try JSONDecoder().decode(ThreadPlacement.self, from: Data(older.utf8)) == t)
        #expect(try JSONDecoder().decode(ThreadPlacement.self, from: Data(written.utf8)) == t)
        let neither = #"{"name":"gst-r0","tid":4242}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ThreadPlacement.self, from: Data(neither.utf8)) }
    }
}
