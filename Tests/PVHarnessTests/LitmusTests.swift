import Testing
import PVHost
import PVExperiments

/// A runner on this machine's farthest CPU pair; the tests that use it run
/// only where there are two usable CPUs, and any error fails them.
func litmusRunner() throws -> LitmusRunner {
    let plan = try PlacementPlanner.plan(PlacementRequest(writers: 1, readers: 1, relation: .farthest), on: try Topology.live())
    return try LitmusRunner(placement: plan)
}

@Suite("Litmus", .serialized)
struct LitmusTests {
    @Test("SB with relaxed accesses shows store buffering at least once",
          .enabled(if: HostConditions.hasTwoCPUs, HostConditions.twoCPUsReason))
    func sbRelaxed() throws {
        let runner = try litmusRunner()
        let r = try runner.run(.sb, .relaxed, iterations: 200_000)
        print(r.observation)
        #expect(r.iterations == 200_000)
        #expect(r.positive > 0)
        #expect(r.allowed)
    }

    @Test("SB with seq-cst accesses never shows store buffering",
          .enabled(if: HostConditions.hasTwoCPUs, HostConditions.twoCPUsReason))
    func sbSeqCst() throws {
        let runner = try litmusRunner()
        let r = try runner.run(.sb, .seqCst, iterations: 200_000)
        print(r.observation)
        #expect(r.positive == 0)
        #expect(!r.forbiddenSeen)
        #expect(r.histogram.values.reduce(0, +) == r.iterations)
    }

    @Test("the models: seq-cst forbids everything, SB is allowed otherwise, x86-TSO forbids MP, LB, 2+2W")
    func models() {
        for s in LitmusShape.allCases { #expect(!s.allowed(.seqCst, on: "arm64") && !s.allowed(.seqCst, on: "x86_64")) }
        #expect(LitmusShape.sb.allowed(.acquireRelease, on: "x86_64"))
        for s in [LitmusShape.mp, .lb, .twoPlusTwoW] {
            #expect(!s.allowed(.relaxed, on: "x86_64"))
            #expect(s.allowed(.relaxed, on: "arm64"))
            #expect(!s.allowed(.acquireRelease, on: "arm64"))
        }
        #expect(LitmusShape.named("2+2w") == .twoPlusTwoW)
        #expect(LitmusShape.named("IRIW") == nil)
    }
}
