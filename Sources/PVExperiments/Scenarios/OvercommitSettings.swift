/// What `overcommit` runs on its vCPUs and how they are scheduled: the
/// guest workload, the host CPUs the vCPUs share, the time slice, and
/// whether the host writes `preempted` (PV sched) at all.
public struct OvercommitSettings: Sendable, Equatable {
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
