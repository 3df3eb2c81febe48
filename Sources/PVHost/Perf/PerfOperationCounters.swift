/// Per-operation counter figures ready for a result: flat counters for the
/// result row (`cycles_per_op`, `instructions_per_op`, …), and for the
/// result context the counters that are missing, each with its reason, and
/// notes on figures that were scaled for multiplexing.
public struct PerfOperationCounters: Sendable, Equatable {
    /// A counter with no figure, and why.
    public struct Missing: Sendable, Equatable {
        public let event: PerfEvent
        public let reason: String
    }

    /// Flat counters keyed by ``PerfEvent/perOperationKey``.
    public let counters: [String: Double]
    /// Requested counters with no figure.
    public let unavailable: [Missing]
    /// Figures that are estimates (multiplexed) or restricted (user space only).
    public let notes: [String]

    /// One line per missing counter and per note, for a result's warnings:
    /// `perf counter cycles unavailable: ENOENT: …`.
    public var contextLines: [String] {
        unavailable.map { "perf counter \($0.event) unavailable: \($0.reason)" }
            + notes.map { "perf counter \($0)" }
    }
}
