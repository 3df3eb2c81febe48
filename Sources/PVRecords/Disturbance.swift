import Foundation

/// What happened to the measured threads and their CPUs over one measured
/// window, read from procfs before and after it (never inside a hot loop).
///
/// Per thread, from `/proc/self/task/TID/`:
/// - `schedstat` field 1: time on a CPU (ns); field 2: run_delay, the time it
///   sat runnable on a runqueue (ns) — the figure KVM turns into stolen time;
/// - `status`: voluntary and involuntary context switches;
/// - `sched`: `se.nr_migrations` (absent without CONFIG_SCHED_DEBUG).
/// Per CPU used: interrupts (`/proc/interrupts`, that CPU's column) and the
/// machine's own steal (`/proc/stat`, USER_HZ ticks; recorded, never judged by).
///
/// A repetition is **disturbed** when some measured thread was off its CPU
/// for more than ``DisturbanceRule/offCPUFraction`` of the window (window −
/// on-CPU time) beyond the machine's ``IdleFloor``: a pinned, spinning
/// thread that lost that much more than it loses at rest was not measuring. A context switch alone does not disturb (on a 2-vCPU VM nearly
/// every window has one).
public struct Disturbance: Sendable, Codable, Equatable {
    /// Length of the window (ns).
    public var windowNanoseconds: UInt64
    /// The largest off-CPU time of any measured thread (ns).
    public var offCPUNanoseconds: UInt64
    /// The largest run_delay growth of any measured thread (ns).
    public var runDelayNanoseconds: UInt64
    public var involuntarySwitches: UInt64
    public var voluntarySwitches: UInt64
    /// Nil when the kernel does not expose migration counts.
    public var migrations: UInt64?
    /// Interrupts on the CPUs used; nil when /proc/interrupts is unreadable.
    public var interrupts: UInt64?
    /// Steal on the CPUs used (USER_HZ ticks); nil when the machine has no steal counter.
    public var stealTicks: UInt64?
    /// Whether the rule in force judged the window disturbed.
    public var disturbed: Bool

    public init(windowNanoseconds: UInt64, offCPUNanoseconds: UInt64, runDelayNanoseconds: UInt64,
                involuntarySwitches: UInt64, voluntarySwitches: UInt64, migrations: UInt64?, interrupts: UInt64?,
                stealTicks: UInt64?, disturbed: Bool) {
        self.windowNanoseconds = windowNanoseconds
        self.offCPUNanoseconds = offCPUNanoseconds
        self.runDelayNanoseconds = runDelayNanoseconds
        self.involuntarySwitches = involuntarySwitches
        self.voluntarySwitches = voluntarySwitches
        self.migrations = migrations
        self.interrupts = interrupts
        self.stealTicks = stealTicks
        self.disturbed = disturbed
    }

    /// Off-CPU time as a fraction of the window.
    public var offCPUFraction: Double { windowNanoseconds == 0 ? 0 : Double(offCPUNanoseconds) / Double(windowNanoseconds) }
}

/// When a measured window counts as disturbed.
public struct DisturbanceRule: Sendable, Codable, Equatable, CustomStringConvertible {
    /// Off-CPU time of a measured thread, as a fraction of the window, above
    /// the floor, beyond which the window is disturbed (default 1 %).
    public var offCPUFraction: Double
    /// The machine's idle floor (``IdleFloor/fraction``): off-CPU share that
    /// every window here has at rest; nil judges off-CPU time from zero. A
    /// floor measured as 0 is still a floor and is named as one.
    public var floor: Double?

    public init(offCPUFraction: Double = 0.01, floor: Double? = nil) {
        self.offCPUFraction = offCPUFraction
        self.floor = floor
    }

    /// Judges no window disturbed (the counters are still recorded): for
    /// threads that are off their CPU by design.
    public static let never = DisturbanceRule(offCPUFraction: .infinity)

    public var description: String {
        "a repetition is disturbed when a measured thread is off its CPU for more than "
            + "\(offCPUFraction * 100)% of the measured window"
            + (floor.map { String(format: " above the idle floor of %.2f%%", $0 * 100) } ?? "")
    }

    public func isDisturbed(offCPU: UInt64, window: UInt64) -> Bool {
        Double(offCPU) > ((floor ?? 0) + offCPUFraction) * Double(window)
    }
}

