import PVABI
import PVRuntime
import PVHost

/// Builds the scenario's workload for the concrete strategy `S` that
/// ``StrategyKind/dispatch(_:to:)`` hands it, so every thread body runs
/// kernels specialised for `S`, and runs its repetitions.
struct CaseBuilder: StrategyVisitor {
    let runner: ScenarioRunner
    let settings: RunSettings
    let placement: Placement
    let machine: EmulatedMachine

    func visit<S: OrderingStrategy>(_ strategy: S.Type) throws -> CaseResult {
        let threads = placement.threadSpecs()
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
            throw ScenarioError.layoutTooSmall(strategy: settings.strategy.rawValue, needs: S.footprint,
                                               layout: settings.layout.rawValue, gives: hypervisor.stride)
        }
        // The value each record holds before the first write (stolen time
        // starts just below 2^32 ns so a carry into the high half comes soon).
        for v in 0 ..< hypervisor.count { StrategyLoops.prepare(S.self, base: hypervisor[v], mode: .monotonic) }
        let memory = machine.memory
        let pages = try? PagePlacementReport.check(memory.base, bytes: memory.size, plannedNodes: placement.memoryNodes)

        let ticksPerNanosecond = runner.clock.frequencyHz / 1e9
        func ticks(_ ns: UInt64) -> UInt64 { UInt64((Double(ns) * ticksPerNanosecond).rounded()) }
        let expectedFlips = (settings.warmup + settings.duration) * 1e9
            / Double(max(1, settings.runDuration + settings.preemptedDuration)) * 2
        let logCapacity = Int(min(4_000_000, expectedFlips * Double(max(1, settings.vcpus)) * 1.5 + 4096))
        let impl = settings.implementation
        let faults = settings.faults
        let conduit = machine.hypervisor
        let flagIPAs = vcpus.map(\.preemptedIPA)
        // The records live in the machine's memory: keep it until the case is done.
        defer { withExtendedLifetime(machine) {} }

        switch settings.scenario {
        case .stealClock:
            var workload = StealClockWorkload<S>(
                settings: settings, threads: threads, hypervisorRecords: hypervisor, guestRecords: guest,
                updateIntervalTicks: ticks(settings.updateInterval), batch: ScenarioRunner.readBatch,
                cReader: impl == .c ? ReferenceKernels.stealReader(settings.strategy) : nil)
            if let stall = faults.stall {
                workload.stallEvery = UInt64(stall.every)
                workload.stallTicks = ticks(stall.nanoseconds)
            }
            if faults.releaseInterval > 0 {
                workload.releaseTicks = ticks(faults.releaseInterval)
                workload.reissue = { v in _ = conduit.call(vcpu: v, function: .pvTimeST) }
            }
            return try runner.repeatCase(workload, settings, placement, pages: pages, extra: [:])
        case .preemptPoll:
            let floor = try runner.c2cFloor(placement, seconds: 0.3)
            var workload = PreemptPollWorkload<S>(
                settings: settings, threads: threads, hypervisorFlags: hypervisor, guestFlags: guest,
                runTicks: ticks(settings.runDuration), preemptedTicks: ticks(settings.preemptedDuration),
                batch: ScenarioRunner.readBatch, logCapacity: logCapacity,
                cPoll: impl == .c ? ReferenceKernels.preemptPoll(settings.strategy) : nil)
            workload.dropEvery = UInt64(faults.dropEvery)
            if faults.releaseInterval > 0 {
                workload.releaseTicks = ticks(faults.releaseInterval)
                workload.release = { v in _ = conduit.call(vcpu: v, function: .pvSchedIPARelease) }
                workload.register = { v in _ = conduit.call(vcpu: v, function: .pvSchedIPAInit, flagIPAs[v] ?? 0) }
            }
            return try runner.repeatCase(workload, settings, placement, pages: pages,
                                      extra: floor.map { ["c2c_one_way_ns": $0] } ?? [:])
        case .spinOnOwner:
            let floor = try runner.c2cFloor(placement, seconds: 0.3)
            let firstLock = try memory.allocateGuestRAM(bytes: 64 * settings.writers, alignment: 64)
            let locks = RecordArray(base: try memory.pointer(ipa: firstLock, length: 64 * settings.writers),
                                    stride: 64, count: settings.writers)
            for w in 0 ..< settings.writers { SharedU32(locks[w]).storeRelease(0) }
            var workload = SpinOnOwnerWorkload<S>(
                settings: settings, threads: threads, hypervisorFlags: hypervisor, guestFlags: guest, locks: locks,
                runTicks: ticks(settings.runDuration), preemptedTicks: ticks(settings.preemptedDuration),
                logCapacity: logCapacity)
            workload.dropEvery = UInt64(faults.dropEvery)
            return try runner.repeatCase(workload, settings, placement, pages: pages,
                                      extra: floor.map { ["c2c_one_way_ns": $0] } ?? [:])
        case .idleScan:
            let workload = IdleScanWorkload<S>(
                settings: settings, threads: threads, hypervisorFlags: hypervisor, guestFlags: guest,
                updateIntervalTicks: ticks(settings.updateInterval),
                scansPerBatch: max(1, ScenarioRunner.readBatch / settings.vcpus),
                cScan: impl == .c ? ReferenceKernels.idleScan(settings.strategy) : nil)
            return try runner.repeatCase(workload, settings, placement, pages: pages, extra: [:])
        case .c2c:
            throw ScenarioError.invalidSettings("c2c has no strategy")
        }
    }
}
