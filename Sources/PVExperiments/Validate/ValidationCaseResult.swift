import PVRuntime
import PVHost

/// Everything one validation case measured: the case, whether its
/// strategy claims safety, and its race (flat in JSON, as it always was).
public struct ValidationCaseResult: RacedCase, Sendable, Codable, Equatable {
    public var validationCase: ValidationCase
    public var claimsSafety: Bool
    public var race: RaceOutcome

    init(validationCase: ValidationCase, claimsSafety: Bool, race: ValidationRunner.Race) {
        self.validationCase = validationCase
        self.claimsSafety = claimsSafety
        self.race = RaceOutcome(race, claimsSafety: claimsSafety)
    }

    /// A result from its parts (made-up races in tests and examples).
    public init(validationCase: ValidationCase, claimsSafety: Bool, readers: [ReaderVerdict], writes: UInt64,
                elapsedNanoseconds: UInt64, timeToFirstViolationNanoseconds: UInt64?, threads: [PinnedThreadReport],
                runLimit: String? = nil) {
        let race = ValidationRunner.Race(readers: readers, writes: writes, elapsedNanoseconds: elapsedNanoseconds,
                                         timeToFirstViolationNanoseconds: timeToFirstViolationNanoseconds,
                                         threads: threads, runLimit: runLimit)
        self.init(validationCase: validationCase, claimsSafety: claimsSafety, race: race)
    }

    enum CodingKeys: String, CodingKey { case validationCase, claimsSafety }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        validationCase = try c.decode(ValidationCase.self, forKey: .validationCase)
        claimsSafety = try c.decode(Bool.self, forKey: .claimsSafety)
        race = try RaceOutcome(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(validationCase, forKey: .validationCase)
        try c.encode(claimsSafety, forKey: .claimsSafety)
        try race.encode(to: encoder)
    }

    public var observationName: String { validationCase.description }

    /// The verdict in words, e.g. "no tear seen in 12000000 reads — inconclusive".
    public var verdictText: String {
        switch verdict {
        case .pass: "pass"
        case .fail: "FAIL: \(total.torn) torn, \(total.backwards) backwards"
        case .tornAsExpected: "torn as expected"
        case .inconclusive: "inconclusive: \(inconclusiveReason ?? "undecided")"
        }
    }
}

/// A raced case's per-reader verdicts, summed and named for its Observation line.
public protocol RacedCase {
    /// What the race measured, and its verdict.
    var race: RaceOutcome { get }
    /// The case's name in tables and the Observation line.
    var observationName: String { get }
}

extension RacedCase {
    /// One entry per reader thread, in reader order.
    public var readers: [ReaderVerdict] { race.readers }
    public var writes: UInt64 { race.writes }
    public var elapsedNanoseconds: UInt64 { race.elapsedNanoseconds }
    /// From the reader's start to the first violation any reader saw.
    public var timeToFirstViolationNanoseconds: UInt64? { race.timeToFirstViolationNanoseconds }
    public var verdict: ValidationVerdict { race.verdict }
    /// Why the case is inconclusive (nil unless ``verdict`` is inconclusive).
    public var inconclusiveReason: String? { race.inconclusiveReason }
    /// Threads as they ran (planned and observed CPUs).
    public var threads: [PinnedThreadReport] { race.threads }

    /// Counts summed over readers.
    public var total: ReaderCounts { readers.reduce(ReaderCounts()) { $0 + $1.counts } }

    /// The first violation (of the reader that saw one first).
    public var firstViolation: Violation? {
        readers.compactMap(\.firstViolation).min { $0.ticksSinceStart < $1.ticksSinceStart }
    }

    /// litmus7-style: `Observation <case> Never|Sometimes <bad> <good>`.
    public var observation: String {
        let t = total
        return "Observation \(observationName) \(t.violations == 0 ? "Never" : "Sometimes") \(t.violations) \(t.reads - t.violations - t.undecided)"
    }
}
