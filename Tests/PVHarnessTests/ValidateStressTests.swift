import PVRuntime
import Testing
import PVHost
import PVExperiments

/// A runner on this machine's farthest CPU pair. The suites that use it
/// run only where there are two usable CPUs; any error here fails the test.
func validationRunner(_ budget: ValidationBudget) throws -> ValidationRunner {
    let plan = try PlacementPlanner.plan(PlacementRequest(writers: 1, readers: 1, relation: .farthest), on: try Topology.live())
    let clock = try CycleClock.calibrate(windows: 1)
    return try ValidationRunner(placement: plan, budget: budget, clock: clock.conversion)
}

@Suite("Validate: unsafe strategies are caught", .serialized,
       .enabled(if: HostConditions.hasTwoCPUs, HostConditions.twoCPUsReason))
struct ValidateUnsafeTests {
    @Test("split-halves and straddle tear within a few seconds (stress mode, and split-halves in spec mode)",
          arguments: [ValidationCase(strategy: .splitHalves, target: .stolenTime, mode: .stress),
                      ValidationCase(strategy: .splitHalves, target: .record, mode: .stress),
                      ValidationCase(strategy: .straddle, target: .stolenTime, mode: .stress),
                      ValidationCase(strategy: .straddle, target: .preempted, mode: .stress),
                      // Spec mode too: split-halves tears whenever a carry crosses the halves (hundreds
                      // a second); straddle's spec tears are too rare for a bounded test on a loaded machine.
                      ValidationCase(strategy: .splitHalves, target: .stolenTime, mode: .spec)])
    func unsafeCaught(c: ValidationCase) throws {
        let runner = try validationRunner(.duration(seconds: 3))
        let r = try runner.run(c)
        print("\(r.observation); first after \(r.timeToFirstViolationNanoseconds.map { "\($0) ns" } ?? "-")")
        #expect(r.verdict == .tornAsExpected)
        let v = try #require(r.firstViolation)
        #expect(v.kind == .torn)
        #expect(v.mixed?.explainsEveryByte == true, "the torn value should be bytes of two writes")
    }
}

@Suite("Validate: safe strategies never tear", .serialized,
       .enabled(if: HostConditions.hasTwoCPUs, HostConditions.twoCPUsReason))
struct ValidateSafeTests {
    /// Each safe strategy on its widest target (the record where it has one).
    static let safeCases = StrategyKind.allCases.filter(\.claimsSafety).map {
        ValidationCase(strategy: $0, target: $0.targets[0], mode: .stress)
    }

    @Test("every safe strategy: zero violations over 10^7 reads", arguments: ValidateSafeTests.safeCases)
    func safeStrategy(c: ValidationCase) throws {
        let runner = try validationRunner(.reads(10_000_000))
        let r = try runner.run(c)
        print("\(r.observation) (\(r.writes) writes, \(r.total.retries) retries)")
        #expect(r.total.reads >= 10_000_000)
        #expect(r.total.violations == 0, "\(r.firstViolation.map { "\($0)" } ?? "")")
        #expect(r.verdict == .pass)
    }

    /// Short races over every safe (strategy, target), both modes: cheap enough
    /// for every sanitizer (CI runs them under ASan; its TSan job races the
    /// same cases through `pvbench validate`).
    @Test("every safe strategy on every target: a short race, zero violations",
          arguments: ValidationCase.all(strategies: StrategyKind.allCases.filter(\.claimsSafety)))
    func shortRace(c: ValidationCase) throws {
        let runner = try validationRunner(.duration(seconds: 0.2))
        let r = try runner.run(c)
        print("\(r.observation) (\(r.writes) writes)")
        // A back-to-back writer may starve a seqlock reader of whole reads on a
        // loaded machine: what is guaranteed is that the reader made attempts.
        #expect(r.total.reads + r.total.retries > 0 && r.writes > 0)
        #expect(r.total.violations == 0, "\(r.firstViolation.map { "\($0)" } ?? "")")
        #expect(r.verdict != .fail)
    }

    @Test("seqlock and ck-sequence retry under contention",
          arguments: [ValidationCase(strategy: .seqlock, target: .record, mode: .stress),
                      ValidationCase(strategy: .ckSequence, target: .record, mode: .stress)])
    func retries(c: ValidationCase) throws {
        let runner = try validationRunner(.duration(seconds: 1))
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

    @Test("verdicts: safe strategies fail on a violation, unsafe ones never do; undecided reads are inconclusive")
    func verdicts() {
        #expect(ValidationVerdict(claimsSafety: true, counts: ReaderCounts(reads: 9)) == .pass)
        #expect(ValidationVerdict(claimsSafety: true, counts: ReaderCounts(reads: 9, torn: 1)) == .fail)
        #expect(ValidationVerdict(claimsSafety: true, counts: ReaderCounts(reads: 9, backwards: 1, unexplained: 3)) == .fail)
        #expect(ValidationVerdict(claimsSafety: true, counts: ReaderCounts(reads: 9, unexplained: 1)) == .inconclusive)
        #expect(ValidationVerdict(claimsSafety: true, counts: ReaderCounts(reads: 9, unordered: 1)) == .inconclusive)
        #expect(ValidationVerdict(claimsSafety: true, counts: ReaderCounts(reads: 9), undecidable: true) == .inconclusive)
        #expect(ValidationVerdict(claimsSafety: false, counts: ReaderCounts(reads: 9, torn: 1)) == .tornAsExpected)
        #expect(ValidationVerdict(claimsSafety: false, counts: ReaderCounts(reads: 9)) == .inconclusive)
    }

    @Test("an inconclusive case says why, and the default cases leave out those that cannot show a tear")
    func inconclusiveReasons() {
        let undecided = ReaderVerdict(counts: ReaderCounts(reads: 5, unexplained: 2), firstViolation: nil, firstUndecided: "value [..]")
        let r = ValidationCaseResult(validationCase: ValidationCase(strategy: .relaxed, target: .stolenTime, mode: .spec),
                                     claimsSafety: true, readers: [undecided], writes: 9, elapsedNanoseconds: 1,
                                     timeToFirstViolationNanoseconds: nil, threads: [])
        #expect(r.verdict == .inconclusive)
        #expect(r.verdictText.hasPrefix("inconclusive: 2 never-written values not decoded as a mix of two writes"))
        #expect(r.verdictText.contains("first: value [..]"))
        let invisible = ValidationCase(strategy: .straddle, target: .preempted, mode: .spec)
        #expect(invisible.tearInvisibleReason != nil)
        #expect(ValidationCase(strategy: .splitHalves, target: .record, mode: .spec).tearInvisibleReason != nil)
        #expect(ValidationCase(strategy: .splitHalves, target: .stolenTime, mode: .spec).tearInvisibleReason == nil)
        #expect(ValidationCase(strategy: .relaxed, target: .preempted, mode: .spec).tearInvisibleReason == nil)
        #expect(!ValidationCase.all(onlyVisible: true).contains(invisible))
        #expect(ValidationCase.all().contains(invisible))
    }
}
