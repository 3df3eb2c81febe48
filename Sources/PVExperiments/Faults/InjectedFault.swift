import PVResults
/// A fault injected into the emulation (`pvbench run --inject …`), with what
/// the scenarios must make of it. Each one is listed in the result's
/// `context.injected_faults`, so a run with faults is never read as clean.
public enum InjectedFault: Sendable, Equatable, CustomStringConvertible {
    /// `drop-writes[:N]`: every Nth hypervisor store to a `preempted` flag is
    /// silently skipped, as openEuler's pvsched write is when the guest page
    /// is not resident. The flag is stale until the next store; preempt-poll
    /// and spin-on-owner report the staleness; in overcommit the scheduler's
    /// sched-out/sched-in stores are the ones skipped, and lock waiters spin
    /// on preempted owners they cannot see.
    case dropWrites(every: Int)
    /// `stall-writer[:TIME[:N]]`: every Nth stolen-time update stops in the
    /// middle for TIME: seqlock/ck-sequence with the sequence odd,
    /// split-halves between the halves (single-store strategies before the
    /// store). Readers retry or detect; a read that retries too long gives
    /// up and is counted, so no reader ever hangs.
    case stallWriter(nanoseconds: UInt64, every: Int)
    /// `release[:INTERVAL]`: every INTERVAL the record is released while
    /// readers use it: steal-clock re-issues PV_TIME_ST (the record is zeroed,
    /// stolen time restarts at 0 and is reported as a restart, not as torn or
    /// backwards); preempt-poll issues PV_SCHED_IPA_RELEASE and re-registers
    /// half an INTERVAL later (the flag is stale meanwhile). Released memory
    /// stays mapped, as guest memory does, so no reader can touch freed memory.
    case release(intervalNanoseconds: UInt64)
    /// `unpinnable`: one reader is planned on a CPU this process may not
    /// use, as when a CPU went offline after planning: the run must stop with
    /// a clear error before any thread runs.
    case unpinnable

    /// The fault without its parameters: what a scenario says it supports.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case dropWrites = "drop-writes"
        case stallWriter = "stall-writer"
        case release
        case unpinnable
    }

    public var kind: Kind {
        switch self {
        case .dropWrites: .dropWrites
        case .stallWriter: .stallWriter
        case .release: .release
        case .unpinnable: .unpinnable
        }
    }

    public var name: String { kind.rawValue }

    public var description: String {
        switch self {
        case let .dropWrites(n): "drop-writes:\(n)"
        case let .stallWriter(ns, n): "stall-writer:\(ns)ns:\(n)"
        case let .release(ns): "release:\(ns)ns"
        case .unpinnable: "unpinnable"
        }
    }

    /// Scenarios the fault does something in (each says so in its
    /// ``Scenario/faults``; a CPU that cannot be pinned stops any of them).
    public var scenarios: [ScenarioKind] {
        ScenarioKind.allCases.filter { kind == .unpinnable || $0.type.faults.contains(kind) }
    }

    /// For the result context.
    public var record: InjectedFaultRecord {
        let detail: String = switch self {
        case let .dropWrites(n): "1 of every \(n) hypervisor stores to a preempted flag skipped (page not resident)"
        case let .stallWriter(ns, n): "1 of every \(n) stolen-time updates stalled \(ns) ns mid-update"
        case let .release(ns): "record released every \(ns) ns while readers use it (PV_TIME_ST re-issued / PV_SCHED_IPA_RELEASE)"
        case .unpinnable: "one reader planned on a CPU outside this process's affinity"
        }
        return InjectedFaultRecord(name: name, detail: detail)
    }

    /// The accepted spellings, for error messages.
    public static let spellings = "drop-writes[:N], stall-writer[:TIME[:N]], release[:INTERVAL], unpinnable"

    /// Parses `--inject` text; nil when it is not one of ``spellings``.
    public static func parse(_ text: String) -> InjectedFault? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func count(_ i: Int, _ fallback: Int) -> Int? {
            guard parts.count > i else { return fallback }
            guard let n = Int(parts[i]), n >= 1, n <= 1_000_000_000 else { return nil }
            return n
        }
        func time(_ i: Int, _ fallback: UInt64) -> UInt64? {
            guard parts.count > i else { return fallback }
            guard let s = DurationText.seconds(parts[i], defaultUnit: 1e-9), s > 0, s <= 10 else { return nil }
            return UInt64((s * 1e9).rounded())
        }
        switch parts[0] {
        case "drop-writes" where parts.count <= 2:
            return count(1, 8).map { .dropWrites(every: $0) }
        case "stall-writer" where parts.count <= 3:
            guard let ns = time(1, 100_000), let n = count(2, 1000) else { return nil }
            return .stallWriter(nanoseconds: ns, every: n)
        case "release" where parts.count <= 2:
            return time(1, 10_000_000).map { .release(intervalNanoseconds: $0) }
        case "unpinnable" where parts.count == 1:
            return .unpinnable
        default:
            return nil
        }
    }
}

extension [InjectedFault] {
    var dropEvery: Int { compactMap { if case let .dropWrites(n) = $0 { n } else { nil } }.first ?? 0 }
    var stall: (nanoseconds: UInt64, every: Int)? {
        compactMap { if case let .stallWriter(ns, n) = $0 { (nanoseconds: ns, every: n) } else { nil } }.first
    }
    var releaseInterval: UInt64 { compactMap { if case let .release(ns) = $0 { ns } else { nil } }.first ?? 0 }
    var unpinnable: Bool { contains(.unpinnable) }
}
