import ArgumentParser
import PVExperiments

extension OvercommitSettings.Workload: ExpressibleByArgument {}
extension OvercommitSettings.PVSched: ExpressibleByArgument {}

/// `pvbench run --scenario overcommit`'s own options.
struct OvercommitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("overcommit: guest workload on the vCPUs: \(OvercommitSettings.Workload.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var workload: OvercommitSettings.Workload = .probe

    @Option(name: .customLong("cpus"), help: ArgumentHelp("overcommit: host CPUs the vCPUs share, e.g. 0-1 (default: the first two usable).", valueName: "list"),
            transform: { try parseCPUs($0, option: "--cpus") })
    var hostCPUs: [Int]?

    @Option(help: ArgumentHelp("overcommit: time slice a vCPU runs before it is preempted (default 1ms).", valueName: "time"),
            transform: { try DurationParser.nanoseconds($0, option: "--slice") })
    var slice: UInt64 = 1_000_000

    @Option(help: ArgumentHelp("overcommit --workload lock: work inside the critical section, and as much outside (default 2us).", valueName: "time"),
            transform: { try DurationParser.nanoseconds($0, option: "--cs") })
    var cs: UInt64 = 2_000

    @Option(help: ArgumentHelp("overcommit --workload steal: time between a vCPU's guest ticks (default 1ms).", valueName: "time"),
            transform: { try DurationParser.nanoseconds($0, option: "--tick") })
    var tick: UInt64 = 1_000_000

    @Option(name: .customLong("pv-sched"), help: ArgumentHelp("overcommit: the host writes preempted (on, openEuler), not (off, upstream arm64), or both in interleaved rounds with their ratio.", valueName: "on|off|both"))
    var pvSched: OvercommitSettings.PVSched = .on

    var settings: OvercommitSettings {
        OvercommitSettings(workload: workload, hostCPUs: hostCPUs, slice: slice, pvSched: pvSched, criticalSection: cs, tick: tick)
    }
}
