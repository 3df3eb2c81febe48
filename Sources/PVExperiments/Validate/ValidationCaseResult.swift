import PVRuntime
import PVHost

/// Everything one validation case measured.
public struct ValidationCaseResult: Sendable, Codable, Equatable {
    public var validationCase: ValidationCase
    public var claimsSafety: Bool
    /// One entry per reader thread, in reader order.
    public var readers: [ReaderVerdict]
    public var writes: UInt64
    public var elapsedNanoseconds: UInt64
    /// From the reader's start to the first violation any reader saw.
    public var timeToFirstViolationNanoseconds: UInt64?
    public var verdict: ValidationVerdict
    /// Threads as they ran (planned and observed CPUs).
    public var threads: [PinnedThreadReport]

    public init(validationCase: ValidationCase, claimsSafety: Bool, readers: [ReaderVerdict], writes: UInt64,
                elapsedNanoseconds: UInt64, timeToFirstViolationNanoseconds: UInt64?, threads: [PinnedThreadReport]) {
        self.validationCase = validationCase
        self.claimsSafety = claimsSafety
        self.readers = readers
        self.writes = writes
        self.elapsedNanoseconds = elapsedNanoseconds
        self.timeToFirstViolationNanoseconds = timeToFirstViolationNanoseconds
        self.threads = threads
        self.verdict = ValidationVerdict(claimsSafety: claimsSafety, violations: readers.reduce(0) { $0 + $1.counts.violations })
    }

    /// Counts summed over readers.
    public var total: ReaderCounts { readers.reduce(ReaderCounts()) { $0 + $1.counts } }

    /// The first violation (of the reader that saw one first).
    public var firstViolation: Violation? {
        readers.compactMap(\.firstViolation).min { $0.ticksSinceStart < $1.ticksSinceStart }
    }

    /// litmus7-style: `Observation <case> Never|Sometimes <bad> <good>`.
    public var observation: String {
        let t = total
        return "Observation \(validationCase) \(t.violations == 0 ? "Never" : "Sometimes") \(t.violations) \(t.reads - t.violations)"
    }

    /// The verdict in words, e.g. "no tear seen in 12000000 reads — inconclusive".
    public var verdictText: String {
        switch verdict {
        case .pass: "pass"
        case .fail: "FAIL: \(total.torn) torn, \(total.backwards) backwards"
        case .tornAsExpected: "torn as expected"
        case .inconclusive: "no tear seen in \(total.reads) reads — inconclusive"
        }
    }
}
