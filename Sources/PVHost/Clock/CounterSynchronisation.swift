import CPVPlatform

/// Whether readings of the cycle counter taken on two different cores can be
/// subtracted (needed for cross-core visibility latency), and why.
public struct CounterSynchronisation: Sendable, Equatable, Codable {
    /// True when the counter is one clock for all cores.
    public let trusted: Bool
    /// What the verdict rests on, in words for the result context.
    public let reason: String

    /// The verdict for this machine's counter, from `/proc/cpuinfo` and sysfs.
    public static func live() -> CounterSynchronisation {
        evaluate(kind: pv_cycle_counter_kind(), cpuFlags: CPUFlags.live(),
                 currentClocksource: SystemTextFile.readLine(
                     "/sys/devices/system/clocksource/clocksource0/current_clocksource"))
    }

    /// The verdict for a counter of `kind`, given the CPUs' flags (nil when
    /// unreadable) and the kernel's current clocksource.
    ///
    /// - x86_64: the TSC is synchronised across cores only when every CPU in
    ///   `/proc/cpuinfo` has `constant_tsc` (fixed rate whatever the P-state)
    ///   and `nonstop_tsc` (keeps ticking in deep C-states). The kernel's
    ///   current clocksource being `tsc` is reported as supporting evidence.
    /// - arm64: CNTVCT_EL0 is architecturally one system counter for every PE
    ///   (the virtual offset is per VM, not per vCPU).
    public static func evaluate(kind: pv_counter_kind, cpuFlags: CPUFlags?, currentClocksource: String?)
        -> CounterSynchronisation
    {
        switch kind {
        case PV_COUNTER_ARM64_CNTVCT:
            return CounterSynchronisation(
                trusted: true, reason: "CNTVCT_EL0 is the architected system counter, common to all cores")
        case PV_COUNTER_X86_TSC:
            guard let flags = cpuFlags, flags.cpuCount > 0 else {
                return CounterSynchronisation(
                    trusted: false,
                    reason: "cannot read /proc/cpuinfo flags: the TSC is not known to be synchronised across cores")
            }
            let missing = ["constant_tsc", "nonstop_tsc"].filter { !flags.contains($0) }
            let source = currentClocksource.map { "; kernel clocksource is \($0)" } ?? ""
            if missing.isEmpty {
                return CounterSynchronisation(
                    trusted: true, reason: "invariant TSC: constant_tsc and nonstop_tsc on all \(flags.cpuCount) CPUs\(source)")
            }
            return CounterSynchronisation(
                trusted: false,
                reason: "TSC lacks \(missing.joined(separator: " and ")) in /proc/cpuinfo: readings from different cores "
                    + "cannot be compared, cross-core latencies are not trustworthy\(source)")
        default:
            return CounterSynchronisation(trusted: false, reason: "no cycle counter on this architecture")
        }
    }
}
