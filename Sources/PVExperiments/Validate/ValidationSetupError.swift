import PVRuntime
import PVHost

/// Why validation cannot run as asked.
public enum ValidationSetupError: Error, Equatable, CustomStringConvertible {
    /// The placement does not give the writer and every reader CPUs of their own.
    case noParallelism(writerCPUs: [Int], readerCPUs: [Int])
    case badBudget(String)
    case strategyDoesNotApply(StrategyKind, SharedRecordKind)

    public var description: String {
        switch self {
        case let .noParallelism(w, r):
            "tearing needs true parallelism: the writer (CPU \(CPUList.format(w))) and the reader(s) (CPU \(CPUList.format(r))) "
                + "must each run on a CPU of their own; choose a placement with distinct CPUs (e.g. --placement farthest) or fewer readers"
        case let .badBudget(why):
            why
        case let .strategyDoesNotApply(s, t):
            "strategy \(s) does not apply to \(t); it applies to \(s.targets.map(\.rawValue).joined(separator: ", "))"
        }
    }
}
