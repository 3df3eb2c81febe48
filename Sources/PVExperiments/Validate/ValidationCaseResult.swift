import PVRuntime
import PVHost

/// Everything one validation case measured.
public struct ValidationCaseResult: RacedCase, Sendable, Codable, Equatable {
    public var validationCase: ValidationCase
    public var claimsSafety: Bool
    /// One entry per reader thread, in reader order.
    public var readers: [ReaderVerdict]
    public var writes: UInt64
    public var elapsedNanoseconds: UInt64
    /// From the reader's start to the first violation any reader saw.
    public var timeToFirstViolationNanoseconds: UInt64?
    public var verdict: ValidationVerdict
    /// Why the case is inconclusive (nil unless ``verdict`` is inconclusive).
    public var inconclusiveReason: String?
    /// Threads as they ran (planned and observed CPUs).
    public var threads: [PinnedThreadReport]

    public init(validationCase: ValidationCase, claimsSafety: Bool, readers: [ReaderVerdict], writes: UInt64,
                elapsedNanoseconds: UInt64, timeToFirstViolationNanoseconds: UInt64?, threads: [PinnedThreadReport],
                runLimit: String? = nil) {
        self.validationCase = validationCase
        self.claimsSafety = claimsSafety
        self.readers = readers
        self.writes = writes
        self.elapsedNanoseconds = elapsedNanoseconds
        self.timeToFirstViolationNanoseconds = timeToFirstViolationNanoseconds
        self.threads = threads
        let total = readers.reduce(ReaderCounts()) { $0 + $1.counts }
        self.verdict = ValidationVerdict(claimsSafety: claimsSafety, counts: total, undecidable: runLimit != nil)
        self.inconclusiveReason = verdict == .inconclusive
            ? Self.reason(claimsSafety: claimsSafety, total: total, readers: readers, runLimit: runLimit) : nil
    }

    static func reason(claimsSafety: Bool, total: ReaderCounts, readers: [ReaderVerdict], runLimit: String?) -> String {
        if !claimsSafety, total.undecided == 0, runLimit == nil { return "no tear seen in \(total.reads) reads" }
        if !claimsSafety, total.undecided == 0, let runLimit { return runLimit }
        var parts: [String] = []
        if total.unexplained > 0 { parts.append("\(total.unexplained) never-written values not decoded as a mix of two writes") }
        if total.unordered > 0 { parts.append("\(total.unordered) stress values whose order could not be told") }
        if let runLimit { parts.append(runLimit) }
        if let first = readers.compactMap(\.firstUndecided).first { parts.append("first: \(first)") }
        return parts.joined(separator: "; ")
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
    /// One entry per reader thread, in reader order.
    var readers: [ReaderVerdict] { get }
    /// The case's name in tables and the Observation line.
    var observationName: String { get }
}

extension RacedCase {
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
