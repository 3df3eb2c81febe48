/// A final state: the value of each observed register and location.
public struct FinalState: Sendable, Hashable {
    public var values: [Value]
}

/// The checker's answer for one program under one model.
public struct CheckResult: Sendable {
    public var program: Program
    public var model: ModelKind
    /// What a state shows, in herd7's order (registers by thread, then memory by name).
    public var observed: [Observable]
    /// Distinct final states of the allowed executions, sorted as herd7 sorts them.
    public var states: [FinalState]
    /// Allowed executions whose final state satisfies the proposition, and those that do not.
    public var satisfying: Int
    public var notSatisfying: Int
    /// For an AArch64 program under x86-TSO: how it was mapped to x86 (see `X86Mapping`); else empty.
    public var mapping: [String] = []
    /// herd7 `-unroll`: the bound on taken backward jumps to one target.
    public var unroll = CheckOptions.herdUnroll
    /// Some allowed execution took a backward jump once more than `unroll`
    /// allows: it is left out of the states and counts, and herd7 prints
    /// `Loop Ok`/`Loop No` (legal outcomes may be missing).
    public var unrollingLimitReached = false
    /// The cat file's flags some allowed execution raises (herd7's `Flag NAME` lines), sorted.
    public var flags: [String] = []
    /// With `CheckOptions.witnesses`: per final state, one allowed execution
    /// reaching it, one line per memory event in program order per thread
    /// (`P1 e2: R y=1 rf P0 e1`), then coherence per location (`co x: P0 e0, P1 e1`).
    public var witnesses: [FinalState: [String]] = [:]

    /// herd7's `Ok`: exists → some execution satisfies; ~exists → none does; forall → all do.
    public var conditionHolds: Bool {
        switch program.condition.quantifier {
        case .exists: return satisfying > 0
        case .notExists: return satisfying == 0
        case .forall: return notSatisfying == 0
        }
    }

    /// Whether the model allows some execution satisfying the proposition.
    public var allowed: Bool { satisfying > 0 }
}
