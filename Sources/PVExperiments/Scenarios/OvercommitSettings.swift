/// What `overcommit` runs on its vCPUs and how they are scheduled: the
/// guest workload, the host CPUs the vCPUs share, the time slice, and
/// whether the host writes `preempted` (PV sched) at all.
public struct OvercommitSettings: ScenarioParameters {
    /// The guest workload on every vCPU.
    public enum Workload: String, CaseIterable, Sendable {
        /// Busy loop reading its own stolen time and the others' flags: proves the scheduler.
        case probe
        /// One lock, a short critical section (`--cs`); waiters spin on the
        /// owner as `mutex_spin_on_owner` does and block when it is preempted.
        case lock
        /// Each vCPU accounts steal at its own ticks (`--tick`), clamped as
        /// `steal_account_process_time()` does, against the emulator's truth.
        case steal
    }

    /// Whether the host writes `preempted` and the guest reads it.
    public enum PVSched: String, CaseIterable, Sendable {
        /// openEuler: 1 at every put, 0 at every load; `vcpu_is_preempted()` reads it.
        case on
        /// Upstream arm64: never written; `vcpu_is_preempted()` is `return false`.
        case off
        /// Both, in interleaved rounds, with their ratio (``OvercommitComparison``).
        case both
    }

    public var workload: Workload = .probe
    /// Host CPUs the vCPUs share (vCPU i on `hostCPUs[i % M]`); nil: the
    /// first two CPUs this process may use.
    public var hostCPUs: [Int]?
    /// ns a vCPU runs before its timer preempts it.
    public var slice: UInt64 = 1_000_000
    public var pvSched: PVSched = .on
    /// lock: ns of work inside the critical section (and as much outside it).
    public var criticalSection: UInt64 = 2_000
    /// steal: ns between a vCPU's guest ticks.
    public var tick: UInt64 = 1_000_000

    public init() {}

    public init(workload: Workload = .probe, hostCPUs: [Int]? = nil, slice: UInt64 = 1_000_000, pvSched: PVSched = .on,
                criticalSection: UInt64 = 2_000, tick: UInt64 = 1_000_000)
    {
        self.tick = tick
        self.workload = workload
        self.hostCPUs = hostCPUs
        self.slice = slice
        self.pvSched = pvSched
        self.criticalSection = criticalSection
    }

    /// The slice must be at least this many measured handoffs: a slice the
    /// switch itself eats most of emulates nothing.
    public static let minimumSliceInHandoffs: UInt64 = 4
    /// Slices outside this range are refused before any measurement.
    public static let sliceRange: ClosedRange<UInt64> = 20_000 ... 1_000_000_000
    /// vCPU threads at most (each is a real thread with a timer).
    public static let maxVCPUs = 256
    /// lock: vCPUs at most (the waiters are one 64-bit mask).
    public static let maxLockVCPUs = 64
    /// lock: critical sections outside this range are refused.
    /// steal: ticks outside this range are refused.
    public static let tickRange: ClosedRange<UInt64> = 10_000 ... 100_000_000
    public static let criticalSectionRange: ClosedRange<UInt64> = 100 ... 1_000_000
}

extension OvercommitSettings {
    /// `pvbench run --scenario overcommit`'s own options.
    static let options: [ScenarioOption] = [
        .value("workload", Self.self, valueName: "name", help: "guest workload on the vCPUs: \(Workload.allCases.map(\.rawValue).joined(separator: ", ")).") {
            $1.workload = try ScenarioOption.choice($0, for: "--workload <name>")
        },
        .value("cpus", Self.self, valueName: "list", help: "host CPUs the vCPUs share, e.g. 0-1 (default: the first two usable).") {
            $1.hostCPUs = try ScenarioOption.cpuList($0, for: "--cpus <list>")
        },
        .value("slice", Self.self, valueName: "time", help: "time slice a vCPU runs before it is preempted (default 1ms).") {
            $1.slice = try ScenarioOption.nanoseconds($0, for: "--slice <time>")
        },
        .value("cs", Self.self, valueName: "time", help: "--workload lock: work inside the critical section, and as much outside (default 2us).") {
            $1.criticalSection = try ScenarioOption.nanoseconds($0, for: "--cs <time>")
        },
        .value("tick", Self.self, valueName: "time", help: "--workload steal: time between a vCPU's guest ticks (default 1ms).") {
            $1.tick = try ScenarioOption.nanoseconds($0, for: "--tick <time>")
        },
        .value("pv-sched", Self.self, valueName: "on|off|both",
               help: "the host writes preempted (on, openEuler), not (off, upstream arm64), or both in interleaved rounds with their ratio.") {
            $1.pvSched = try ScenarioOption.choice($0, for: "--pv-sched <on|off|both>")
        },
    ]
}

extension RunSettings.Field {
    public static let slice = Self(rawValue: "slice"), cpus = Self(rawValue: "cpus"), cs = Self(rawValue: "cs")
    public static let tick = Self(rawValue: "tick"), pvSched = Self(rawValue: "pv sched"), workload = Self(rawValue: "workload")
}

extension RunSettings {
    /// overcommit's parameters.
    public var overcommit: OvercommitSettings {
        get { parameters[OvercommitSettings.self] }
        set { parameters[OvercommitSettings.self] = newValue }
    }
}

extension SuiteCase {
    /// overcommit's parameters for this case; nil: the base's.
    public var overcommit: OvercommitSettings? {
        get { parameters.ifSet(OvercommitSettings.self) }
        set { if let newValue { parameters[OvercommitSettings.self] = newValue } }
    }
}
