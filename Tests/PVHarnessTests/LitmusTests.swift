import Foundation
import Testing
import PVHost
import PVModel
import PVExperiments

/// A runner on this machine's farthest CPU pair; the tests that use it run
/// only where there are two usable CPUs, and any error fails them.
func litmusRunner() throws -> LitmusRunner {
    let plan = try PlacementPlanner.plan(PlacementRequest(writers: 1, readers: 1, relation: .farthest), on: try Topology.live())
    var runner = try LitmusRunner(placement: plan)
    // The debug build's per-instance bookkeeping outlasts the release
    // spacing: space the instances so both threads still start each together.
    if _isDebugAssertConfiguration() { runner.spacingTicks = 32768 }
    return runner
}

let shippedLitmus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("litmus")

@Suite("Litmus", .serialized)
struct LitmusTests {
    /// SB (plain) shows store buffering at least once; SB+popl+poap (seq-cst; XCHG on x86) never does.
    @Test("store buffering: seen where the host's model allows it, never where it forbids it",
          .enabled(if: HostConditions.hasTwoCPUs, HostConditions.twoCPUsReason),
          arguments: [("SB", true), ("SB+popl+poap", false)])
    func storeBuffering(shape: String, allowed: Bool) throws {
        let r = try litmusRunner().run(try LitmusExpectation(try #require(LitmusShape.named(shape))), iterations: 200_000)
        print(r.observation)
        #expect(r.iterations == 200_000)
        #expect(r.histogram.values.reduce(0, +) == r.iterations)
        #expect(r.hostModel?.allowed == allowed)
        #expect((r.positive > 0) == allowed)
        #expect(!r.forbiddenSeen)
    }

    @Test("the catalogue's AArch64 verdicts are the published ARMv8 ones")
    func armVerdicts() throws {
        let allowed = ["MP", "MP+dmb.ld+dmb.ld", "SB", "SB+popl+poapr", "LB", "2+2W", "IRIW"]
        for s in LitmusShape.catalogue {
            let e = try LitmusExpectation(s)
            #expect(e.verdict(.armv8).allowed == allowed.contains(s.name), "\(s.name) under armv8")
            #expect(e.verdict(.sc).allowed == false, "\(s.name) under sc")
            #expect(e.verdict(.x86TSO).allowed == (s.name == "SB"),
                    "\(s.name) under x86-tso")
        }
    }

    @Test("a catalogue shape and the shipped litmus file of its name agree under every model")
    func shippedAgree() throws {
        var compared = 0
        for s in LitmusShape.catalogue {
            let file = shippedLitmus.appendingPathComponent("AArch64/\(s.name).litmus")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            let shipped = try LitmusParser.parse(text)
            let e = try LitmusExpectation(s)
            for m in LitmusExpectation.models {
                #expect(ModelVerdict.check(shipped, m) == e.verdict(m), "\(s.name) under \(m)")
            }
            compared += 1
        }
        #expect(compared >= 14)
    }

    @Test("the program that runs on x86 is named, and agrees with the shipped X86 test of that name")
    func ranAsOnX86() throws {
        let names = Dictionary(uniqueKeysWithValues: LitmusShape.catalogue.map { ($0.name, $0.programName(.swiftOnX86)) })
        #expect(names["MP+dmb.st+dmb.ld"] == "MP")
        #expect(names["SB+dmb.sys"] == "SB+mfences")
        #expect(names["SB+popl+poap"] == "SB+xchgs")
        #expect(names["2+2W"] == "2+2W")
        var missing: Set<String> = []
        for s in LitmusShape.catalogue {
            let e = try LitmusExpectation(s, host: .swiftOnX86)
            let file = shippedLitmus.appendingPathComponent("X86/\(s.programName(.swiftOnX86)).litmus")
            if FileManager.default.fileExists(atPath: file.path) {
                let text = try String(contentsOf: file, encoding: .utf8)
                #expect(ModelVerdict.check(try LitmusParser.parse(text), .x86TSO).verdict == e.host?.verdict, "\(s.name)")
            } else {
                missing.insert(s.programName(.swiftOnX86))
            }
            _ = try LitmusParser.parse(s.litmus(.swiftOnARM64))
        }
        // The programs with no shipped X86 test: a new shape without one, or a lost file, shows here.
        #expect(missing == Self.noShippedX86, "programs that ran on x86 with no litmus/X86 file")
        let mp = try LitmusExpectation(LitmusShape.named("MP")!, host: .swiftOnX86)
        #expect(mp.hostNote == "ran as MP on x86_64; allowed on ARMv8, forbidden on x86-TSO for the program that ran: this machine cannot show it")
        let arm = try LitmusExpectation(LitmusShape.named("MP+dmb.st+addr")!, host: .swiftOnARM64)
        #expect(arm.ranAsName == "MP+dmb.sy+po", "Swift's release fence is DMB ISH; the dependency is not kept")
    }

    /// Programs some shape runs as on x86 that litmus/X86 does not ship.
    static let noShippedX86: Set<String> = ["CoRR", "ISA2", "WRC", "WRC+mfence+po"]

    @Test("names parse in any case; unknown ones do not")
    func names() {
        #expect(LitmusShape.named("mp+DMB.st+dmb.ld")?.name == "MP+dmb.st+dmb.ld")
        #expect(LitmusShape.named("MP+nonsense") == nil)
    }
}
