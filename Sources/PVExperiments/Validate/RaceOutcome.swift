import PVHost
import PVRuntime

/// What one race of a writer against its readers measured, and its
/// verdict: the part a built-in strategy's case (``ValidationCaseResult``)
/// and a C file's (``CStrategyCaseResult``) share. Each case encodes its own
/// fields and then these into one JSON object.
public struct RaceOutcome: Sendable, Codable, Equatable {
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

    /// Judges `race`: a strategy that claims safety fails on a torn or
    /// backwards value; one that does not is expected to tear.
    init(_ race: ValidationRunner.Race, claimsSafety: Bool) {
        let total = race.readers.reduce(ReaderCounts()) { $0 + $1.counts }
        verdict = ValidationVerdict(claimsSafety: claimsSafety, counts: total, undecidable: race.runLimit != nil)
        inconclusiveReason = verdict == .inconclusive
            ? Self.reason(claimsSafety: claimsSafety, total: total, readers: race.readers, runLimit: race.runLimit) : nil
        readers = race.readers
        writes = race.writes
        elapsedNanoseconds = race.elapsedNanoseconds
        timeToFirstViolationNanoseconds = race.timeToFirstViolationNanoseconds
        threads = race.threads
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
}
