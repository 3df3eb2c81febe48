import PVRuntime

/// The hypervisor/guest shapes `pvbench run` emulates.
public enum ScenarioKind: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// Hypervisor writers emulate sched-in (`kvm_update_stolen_time`:
    /// read back, add, one store); guest readers call `para_steal_clock`.
    case stealClock = "steal-clock"
    /// The hypervisor flips `preempted` 1/0 (sched-out/sched-in); guest
    /// readers poll `vcpu_is_preempted`; reports visibility latency.
    case preemptPoll = "preempt-poll"
    /// `mutex_spin_on_owner`: waiters spin while the lock owner's vCPU runs
    /// and break out when it is preempted.
    case spinOnOwner = "spin-on-owner"
    /// `available_idle_cpu()`: a reader scans N vCPUs' flags.
    case idleScan = "idle-scan"
    /// Cache-line ping-pong between two pinned threads: the physical floor
    /// for visibility latency on that CPU pair.
    case c2c

    public var description: String { rawValue }

    /// The shared record the scenario's guest reads, nil for `c2c`.
    public var target: SharedRecordKind? {
        switch self {
        case .stealClock: .stolenTime
        case .preemptPoll, .spinOnOwner, .idleScan: .preempted
        case .c2c: nil
        }
    }

    /// Strategies that have a writer/reader pair for this scenario's record.
    public var strategies: [StrategyKind] {
        guard let target else { return [] }
        return StrategyKind.allCases.filter { $0.applies(to: target) || (self == .stealClock && $0.applies(to: .record)) }
    }

    /// The record a strategy runs on in this scenario: the stolen_time field
    /// where the strategy has a pair for it, else the whole record
    /// (`double-word`).
    public func target(for strategy: StrategyKind) -> SharedRecordKind? {
        guard let target else { return nil }
        if strategy.applies(to: target) { return target }
        if self == .stealClock, strategy.applies(to: .record) { return .record }
        return nil
    }

    /// Implementations with a kernel for (self, strategy).
    public func implementations(for strategy: StrategyKind) -> [Implementation] {
        switch (self, strategy) {
        case (.stealClock, .relaxed), (.stealClock, .acquireRelease), (.stealClock, .seqlock),
             (.stealClock, .ckSequence), (.preemptPoll, .relaxed), (.preemptPoll, .acquireRelease),
             (.idleScan, .relaxed):
            [.swift, .c]
        case (.c2c, _):
            [.swift]
        default:
            target(for: strategy) == nil ? [] : [.swift]
        }
    }

    /// One line for `pvbench list`.
    public var summary: String {
        switch self {
        case .stealClock: "hypervisor sched-in updates stolen time; guest para_steal_clock() reads (reads/s, read cost)"
        case .preemptPoll: "hypervisor flips preempted 1/0; guest polls vcpu_is_preempted() (polls/s, visibility latency)"
        case .spinOnOwner: "waiters spin while the owner's vCPU runs, break out on preemption (break-out latency, spin saved)"
        case .idleScan: "available_idle_cpu(): a reader scans N vCPUs' flags while they change (scans/s, ns per flag)"
        case .c2c: "cache-line ping-pong between two pinned CPUs: the floor for visibility latency"
        }
    }
}
