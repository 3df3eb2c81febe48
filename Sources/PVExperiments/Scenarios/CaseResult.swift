import PVRuntime
import PVHost
import PVResults

/// Everything one `pvbench run` case produced.
public struct CaseResult: Sendable {
    public var settings: RunSettings
    /// One `iteration` entry per repetition, then the aggregates.
    public var entries: [BenchmarkEntry]
    public var placement: Placement
    public var threads: [PinnedThreadReport]
    public var pages: PagePlacementReport?
    /// Spread warnings and notes worth a line in the context.
    public var warnings: [RunWarning]
    /// What the detector saw over every repetition.
    public var violations: ReaderCounts
    public var firstViolation: String?
    /// True when a signal cut the case short (its entries are partial).
    public var interrupted: Bool
    /// perf counters asked for but not read, each with the reason.
    public var perfUnavailable: [String] = []
    /// Repetitions the disturbance rule flagged (kept in ``entries``, flagged).
    public var disturbedRepetitions = 0
    /// Extra repetitions run to replace disturbed ones (`--disturbed retry`).
    public var retries = 0
    /// Fewer undisturbed repetitions than asked for, the retry budget spent.
    public var budgetExhausted = false

    /// The repetitions' entries (not the aggregates).
    public var iterations: [BenchmarkEntry] { entries.filter { $0.runType == .iteration } }
    /// The median aggregate (over the repetitions that count), or the only
    /// repetition that counts (a merge aggregates two or more); nil when none
    /// counts (all disturbed).
    public var median: BenchmarkEntry? {
        entries.first { $0.aggregateName == "median" } ?? lone
    }

    /// The only repetition that counts, when exactly one does (its value
    /// stands for the case, with no spread or interval); nil otherwise.
    public var lone: BenchmarkEntry? {
        let counting = iterations.filter { $0.excluded != true }
        return counting.count == 1 ? counting[0] : nil
    }
}
