import CPVPlatform

/// A counter `perf_event_open(2)` can count on one thread: the hardware
/// events a benchmark wants per operation, and the software events every
/// Linux kernel has (even in a VM without a virtual PMU).
///
/// The ``name`` is the one `perf stat -e` and `perf list` use, so a figure
/// can be checked against `perf stat --per-thread`.
public enum PerfEvent: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// `PERF_COUNT_HW_CPU_CYCLES`.
    case cycles = "cycles"
    /// `PERF_COUNT_HW_INSTRUCTIONS` (retired).
    case instructions = "instructions"
    /// `PERF_COUNT_HW_CACHE_MISSES`: usually last-level-cache misses.
    case cacheMisses = "cache-misses"
    /// `PERF_TYPE_HW_CACHE` L1D, op read, result miss.
    case l1dReadMisses = "L1-dcache-load-misses"
    /// `PERF_COUNT_SW_TASK_CLOCK`: ns the thread ran on a CPU.
    case taskClock = "task-clock"
    /// `PERF_COUNT_SW_CONTEXT_SWITCHES`.
    case contextSwitches = "context-switches"
    /// `PERF_COUNT_SW_CPU_MIGRATIONS`: moves to another CPU (0 when pinned).
    case cpuMigrations = "cpu-migrations"

    public var description: String { rawValue }

    /// The hardware events: need a PMU the kernel (or hypervisor) exposes.
    public static let hardware: [PerfEvent] = [.cycles, .instructions, .cacheMisses, .l1dReadMisses]
    /// The software events: counted by the kernel itself.
    public static let software: [PerfEvent] = [.taskClock, .contextSwitches, .cpuMigrations]

    /// Whether the event needs a hardware PMU.
    public var isHardware: Bool { Self.hardware.contains(self) }

    /// Whether the kernel counts the event only in kernel mode, so a
    /// user-space-only counter (`exclude_kernel`) would always read 0.
    public var happensInKernel: Bool { self == .contextSwitches || self == .cpuMigrations }

    /// The flat per-operation counter name in a result row.
    public var perOperationKey: String {
        switch self {
        case .cycles: "cycles_per_op"
        case .instructions: "instructions_per_op"
        case .cacheMisses: "cache_misses_per_op"
        case .l1dReadMisses: "l1d_read_misses_per_op"
        case .taskClock: "task_clock_ns_per_op"
        case .contextSwitches: "context_switches_per_op"
        case .cpuMigrations: "cpu_migrations_per_op"
        }
    }

    /// `perf_event_attr.type`.
    var attributeType: UInt32 {
        switch self {
        case .cycles, .instructions, .cacheMisses: PV_PERF_TYPE_HARDWARE
        case .l1dReadMisses: PV_PERF_TYPE_HW_CACHE
        case .taskClock, .contextSwitches, .cpuMigrations: PV_PERF_TYPE_SOFTWARE
        }
    }

    /// `perf_event_attr.config`.
    var attributeConfig: UInt64 {
        switch self {
        case .cycles: PV_PERF_COUNT_HW_CPU_CYCLES
        case .instructions: PV_PERF_COUNT_HW_INSTRUCTIONS
        case .cacheMisses: PV_PERF_COUNT_HW_CACHE_MISSES
        case .l1dReadMisses: PV_PERF_CONFIG_L1D_READ_MISS
        case .taskClock: PV_PERF_COUNT_SW_TASK_CLOCK
        case .contextSwitches: PV_PERF_COUNT_SW_CONTEXT_SWITCHES
        case .cpuMigrations: PV_PERF_COUNT_SW_CPU_MIGRATIONS
        }
    }
}
