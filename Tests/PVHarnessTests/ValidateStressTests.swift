import PVRuntime
import Testing
import PVHost
import PVExperiments

/// A runner on this machine's farthest CPU pair, or nil (with the reason
/// printed) when the machine cannot give the writer and reader CPUs of their own.
func validationRunner(_ budget: ValidationBudget) throws -> ValidationRunner? {
    let plan = try PlacementPlanner.plan(PlacementRequest(writers: 1, readers: 1, relation: .farthest), on: try Topology.live())
    let clock = try CycleClock.calibrate(windows: 1)
    do { return try ValidationRunner(placement: plan, budget: budget, clock: clock.conversion) } catch {
        print("skipped: \(error)")
        return nil
    }
}

@Suite("Validate: unsafe strategies are caught", .serialized)
struct ValidateUnsafeTests {
    @Test("split-halves and straddle tear within a few seconds (stress mode)",
          arguments: [ValidationCase(strategy: .splitHalves, target: .stolenTime, mode: .stress),
                      ValidationCase(strategy: .splitHalves, target: .record, mode: .stress),
                      ValidationCase(strategy: .straddle, target: .stolenTime, mode: .stress),
                      ValidationCase(strategy: .straddle, target: .preempted, mode: .stress)])
    func unsafeCaught(c: ValidationCase) throws {
        guard let runner = try validationRunner(.duration(seconds: 3)) else { return }
        let r = try runner.run(c)
        print("\(r.observation); first after \(r.timeToFirstViolationNanoseconds.map { "\($0) ns" } ?? "-")")
        #expect(r.verdict == .tornAsExpected)
        let v = try #require(r.firstViolation)
        #expect(v.kind == .torn)
        #expect(v.mixed?.explainsEveryByte == true, "the torn value should be bytes of two writes")
    }
}

@Suite("Validate: safe strategies never tear", .serialized)
struct ValidateSafeTests {
    /// Each safe strategy on its widest target (the record where it has one).
    static let safeCases = StrategyKind.allCases.filter(\.claimsSafety).map {
        ValidationCase(strategy: $0, target: $0.targets[0], mode: .stress)
    }

    @Test("every safe strategy: zero violations over 10^7 reads", arguments: ValidateSafeTests.safeCases)
    func safeStrategy(c: ValidationCase) throws {
        guard let runner = try validationRunner(.reads(10_000_000)) else { return }
        let r = try runner.run(c)
        print("\(r.observation) (\(r.writes) writes, \(r.total.retries) retries)")
        #expect(r.total.reads >= 10_000_000)
        #expect(r.total.violations == 0, "\(r.firstViolation.map { "\($0)" } ?? "")")
        #expect(r.verdict == .pass)
    }

    /// Short races over every safe (strategy, target), both modes: cheap enough
    /// to run under ThreadSanitizer (`--filter ValidateSafeTests/shortRace`).
    @Test("every safe strategy on every target: a short race, zero violations",
          arguments: ValidationCase.all(strategies: StrategyKind.allCases.filter(\.claimsSafety)))
    func shortRace(c: ValidationCase) throws {
        guard let runner = try validationRunner(.duration(seconds: 0.2)) else { return }
        let r = try runner.run(c)
        print("\(r.observation) (\(r.writes) writes)")
        #expect(r.total.reads > 0 && r.writes > 0)
        #expect(r.total.violations == 0, "\(r.firstViolation.map { "\($0)" } ?? "")")
    }

    @Test("seqlock and ck-sequence retry under contention",
          arguments: [ValidationCase(strategy: .seqlock, target: .record, mode: .stress),
                      ValidationCase(strategy: .ckSequence, target: .record, mode: .stress)])
    func retries(c: ValidationCase) throws {
        guard let runner = try validationRunner(.duration(seconds: 1)) else { return }
        let r = try runner.run(c)
        print("\(r.validationCase): \(r.total.retries) retries in \(r.total.reads) reads")
        #expect(r.total.retries > 0)
        #expect(r.total.violations == 0)
    }
}

@Suite("Validate: set-up errors")
struct ValidateSetupTests {
    @Test("a placement that shares a CPU is refused: tearing needs parallelism")
    func sharedCPURefused() throws {
        let plan = Placement(writerCPUs: [0], readerCPUs: [0], relation: "same-cpu", memoryPolicy: "writer-node",
                             memoryNodes: [0], sharesCPUs: true, distance: 10, notes: [])
        #expect(throws: ValidationSetupError.self) {
            _ = try ValidationRunner(placement: plan, budget: .reads(1), clock: TickConversion(frequencyHz: 1e9))
        }
        let message = ValidationSetupError.noParallelism(writerCPUs: [0], readerCPUs: [0]).description
        #expect(message.contains("tearing needs true parallelism"))
    }

    @Test("a non-positive duration is refused")
    func badDuration() throws {
        let plan = Placement(writerCPUs: [0], readerCPUs: [1], relation: "same-node", memoryPolicy: "writer-node",
                             memoryNodes: [0], sharesCPUs: false, distance: 10, notes: [])
        for seconds in [0.0, -1, .nan] {
            #expect(throws: ValidationSetupError.self) {
                _ = try ValidationRunner(placement: plan, budget: .duration(seconds: seconds), clock: TickConversion(frequencyHz: 1e9))
            }
        }
    }

    @Test("verdicts: safe strategies fail on a violation, unsafe ones never do")
    func verdicts() {
        #expect(ValidationVerdict(claimsSafety: true, violations: 0) == .pass)
        #expect(ValidationVerdict(claimsSafety: true, violations: 1) == .fail)
        #expect(ValidationVerdict(claimsSafety: false, violations: 1) == .tornAsExpected)
        #expect(ValidationVerdict(claimsSafety: false, violations: 0) == .inconclusive)
    }
}
