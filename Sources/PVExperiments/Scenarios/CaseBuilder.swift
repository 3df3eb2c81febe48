import PVABI
import PVHost
import PVResults
import PVRuntime

/// What every record scenario's case starts from, and what its workload
/// holds (``RecordWorkload``: the machine whose memory the records are in
/// lives as long as it does): the emulated machine with its records
/// located and prepared for the strategy, the plan, and the runner that
/// repeats the workload.
struct CaseContext: Sendable {
    let runner: ScenarioRunner
    let settings: RunSettings
    let placement: Placement
    let machine: EmulatedMachine
    /// The records (stolen time or `preempted` flags) as the hypervisor and
    /// as the guest address them, one per vCPU.
    let hypervisor: RecordArray
    let guest: RecordArray
    let pages: PagePlacementReport?

    var threads: [PinnedThreadSpec] { placement.threadSpecs() }

    /// ns → counter ticks.
    func ticks(_ ns: UInt64) -> UInt64 { runner.ticks(ns) }

    /// Entries per thread's transition log: enough for every flip of the run.
    var logCapacity: Int {
        let expectedFlips = (settings.warmup + settings.duration) * 1e9
            / Double(max(1, settings.runDuration + settings.preemptedDuration)) * 2
        return Int(min(4_000_000, expectedFlips * Double(max(1, settings.vcpus)) * 1.5 + 4096))
    }

    /// One-way c2c latency on this case's writer/reader CPU pair.
    func c2cFloor() throws -> [String: Double] {
        try runner.c2cFloor(placement, seconds: 0.3).map { ["c2c_one_way_ns": $0] } ?? [:]
    }

    /// Runs the repetitions of `workload` (keeping the machine alive) and
    /// turns them into result rows.
    func repeatCase<W: ScenarioWorkload>(_ workload: W, extra: [String: Double] = [:]) throws -> CaseResult {
        try withExtendedLifetime(machine) {
            try runner.repeatCase(workload, settings, placement, pages: pages, extra: extra)
        }
    }
}

/// Locates and prepares the records for the concrete strategy `S` that
/// ``StrategyChoice/dispatch(_:to:)`` hands it, then lets the scenario `Sc`
/// build its workload for `S`, so every thread body runs kernels specialised
/// for `S`.
struct CaseBuilder<Sc: RecordScenario>: RecordVisitor {
    let runner: ScenarioRunner
    let settings: RunSettings
    let placement: Placement
    let machine: EmulatedMachine

    func visit<S: RecordStrategy>(_ strategy: S.Type) throws -> CaseResult {
        let vcpus = machine.vcpus
        let flagsCase = settings.target == .preempted
        func array(_ pick: (VCPURecords) -> UnsafeMutableRawPointer?) throws -> RecordArray {
            let addresses = vcpus.compactMap(pick)
            guard addresses.count == vcpus.count, let a = RecordArray(addresses: addresses) else {
                throw ScenarioError.invalidSettings("the emulated guest did not get every vCPU's record")
            }
            return a
        }
        let hypervisor = try flagsCase ? array { $0.hypervisorPreempted?.address } : array { $0.hypervisorStolenTime?.address }
        let guest = try flagsCase ? array { $0.guestPreempted?.address } : array { $0.guestStolenTime?.address }
        // Alignment of every record follows from the first one's and the
        // stride; the accessors check it only in debug builds.
        guard S.fits(base: UnsafeRawPointer(hypervisor.base), stride: hypervisor.stride),
              S.fits(base: UnsafeRawPointer(guest.base), stride: guest.stride),
              hypervisor.stride % S.requiredAlignment == 0, guest.stride % S.requiredAlignment == 0
        else {
            throw ScenarioError.layoutTooSmall(strategy: settings.strategy.description, needs: S.footprint,
                                               layout: settings.layout.rawValue, gives: hypervisor.stride)
        }
        // The value each record holds before the first write (stolen time
        // starts just below 2^32 ns so a carry into the high half comes soon).
        for v in 0 ..< hypervisor.count { StrategyLoops.prepare(S.self, base: hypervisor[v], mode: .monotonic) }
        let memory = machine.memory
        let pages = try? PagePlacementReport.check(memory.base, bytes: memory.size, plannedNodes: placement.memoryNodes)
        let context = CaseContext(runner: runner, settings: settings, placement: placement, machine: machine,
                                  hypervisor: hypervisor, guest: guest, pages: pages)
        return try Sc.runCase(S.self, in: context)
    }
}

/// A record scenario's workload: its case's settings, threads and records
/// are its case context's, its own figures and kernels beside them.
protocol RecordWorkload: ScenarioWorkload {
    var caseContext: CaseContext { get }
}

extension RecordWorkload {
    var settings: RunSettings { caseContext.settings }
    var threads: [PinnedThreadSpec] { caseContext.threads }
    var hypervisor: RecordArray { caseContext.hypervisor }
    var guest: RecordArray { caseContext.guest }
}
