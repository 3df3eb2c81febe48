import CPVPlatform
import PVABI
import PVHost
import PVResults
import PVRuntime

extension ScenarioKind {
    public static let overcommit = ScenarioKind(registering: "overcommit", OvercommitScenario.self)
}

/// vCPUs that are really preempted: N vCPU threads over M host CPUs under
/// the emulated hypervisor scheduler (``VCPUScheduler``), whose timer signal
/// handler is KVM's `vcpu_put`/`vcpu_load` on the vCPU's own thread,
/// writing `preempted` and stolen time through the strategy's C writer
/// kernels; the guest workload reads them through the strategy's reads.
public enum OvercommitScenario: Scenario {
    public static let kind = ScenarioKind.overcommit
    public static let summary = "N vCPU threads over M host CPUs, preempted by a timer whose handler is vcpu_put/vcpu_load (preemptions, slices, handoff, stolen time)"
    public static let records: [SharedRecordKind] = [.preempted, .stolenTime]
    public static let figures = HeadlineFigures(rate: .rate("iterations"), cost: .nanoseconds("handoff_p50_ns"),
                                                latencyPrefix: "slice_")
    public typealias Parameters = OvercommitSettings
    public static var options: [ScenarioOption] { OvercommitSettings.options }
    public static let plots = [
        PlotSpec(name: "overcommit-throughput", title: "overcommit: lock acquisitions/s vs overcommit (median, bars min…max)",
                 x: .ratio("overcommit", numerator: "vcpus", denominator: "host_cpus"), xlabel: "overcommit (vCPUs : host CPUs)", counter: "acquisitions_per_second",
                 ylabel: "acquisitions/s (all vCPUs)", series: "pv-sched", format: "%.1s%c"),
        PlotSpec(name: "overcommit-spin-waste", title: "overcommit: spin on a preempted owner vs overcommit (median, bars min…max)",
                 x: .ratio("overcommit", numerator: "vcpus", denominator: "host_cpus"), xlabel: "overcommit (vCPUs : host CPUs)", counter: "spin_on_preempted_owner_ns_total",
                 ylabel: "ms spinning on a preempted owner per repetition", scale: 1e6, series: "pv-sched"),
    ]
    public static let representativeVCPUs = 4
    public static let vcpuSweep = [2, 4, 8]
    /// vCPUs wait for their slot by design; host interference is measured
    /// (run_delay goes into stolen time), not a reason to drop a repetition.
    public static let descheduledByDesign = true
    /// drop-writes: the switch path skips every Nth store of `preempted`.
    public static let faults: Set<InjectedFault.Kind> = [.dropWrites]

    /// Strategies with a single-store C writer for both records.
    static func supports(_ strategy: StrategyKind) -> Bool { VCPUScheduler.WriterKernels(strategy) != nil }

    /// Layouts the full suite sweeps: the flags packed (16 to a line: every
    /// sched-out and sched-in store hits a line the other vCPUs' waiters
    /// read) against one per line (KVM's 64-byte alignment). A page each
    /// adds nothing for a 4-byte flag.
    static let layoutSweep: [VCPULayout] = [.cacheline, .packed]

    /// Smoke and default: one short lock case, 4 vCPUs on the first two
    /// CPUs (2:1) with PV sched on, cacheline layout; full: the probe once,
    /// then the lock workload with PV sched on and off over 1:1, 2:1, 4:1
    /// (2, 4, 8 vCPUs on two CPUs) for each supported strategy and each
    /// layout of ``layoutSweep``.
    public static func cases(in suite: Suite) -> [SuiteCase] {
        func lock(_ c: SuiteCase, _ pvSched: OvercommitSettings.PVSched = .on) -> SuiteCase {
            var c = c
            c.overcommit = OvercommitSettings(workload: .lock, pvSched: pvSched)
            return c
        }
        switch suite {
        case .smoke: return [lock(SuiteCase(vcpus: 4, seconds: 0.3, repetitions: 1, warmup: 0.05))]
        case .default: return [lock(SuiteCase(vcpus: 4, seconds: 0.2, repetitions: 9, warmup: 0.05))]
        case .full:
            var probe = SuiteCase(vcpus: 4, seconds: 2, repetitions: 5)
            probe.overcommit = OvercommitSettings(workload: .probe)
            return [probe] + StrategyKind.allCases.filter(supports).flatMap { strategy in
                layoutSweep.filter { accepts($0, for: strategy) }.flatMap { layout in
                    vcpuSweep.flatMap { n in
                        [OvercommitSettings.PVSched.on, .off].map {
                            lock(SuiteCase(strategy: strategy, layout: layout, vcpus: n, seconds: 2, repetitions: 5), $0)
                        }
                    }
                }
            }
        case .soak: return []
        }
    }

    public static func validate(_ s: RunSettings) throws(RunSettingsError) {
        if let file = s.strategy.cFile {
            try validate(file, layout: s.layout)
        } else if let builtIn = s.strategy.builtIn, !supports(builtIn) {
            throw .strategyDoesNotApply(strategy: builtIn, scenario: kind, record: .preempted,
                                        valid: StrategyKind.allCases.filter(supports))
        }
        if s.implementation == .c { throw .noCKernel(scenario: kind, strategy: s.strategy, withC: []) }
        let o = s.overcommit
        guard s.vcpus <= OvercommitSettings.maxVCPUs else {
            throw .outOfRange(.vcpus, got: "\(s.vcpus)", valid: "1 ... \(OvercommitSettings.maxVCPUs) for overcommit (one thread each)")
        }
        guard OvercommitSettings.sliceRange.contains(o.slice) else {
            throw .outOfRange(.slice, got: RunSettings.intervalText(o.slice), valid: "20us ... 1s")
        }
        if o.workload == .lock {
            guard s.vcpus <= OvercommitSettings.maxLockVCPUs else {
                throw .outOfRange(.vcpus, got: "\(s.vcpus)", valid: "1 ... \(OvercommitSettings.maxLockVCPUs) for the lock workload")
            }
            guard OvercommitSettings.criticalSectionRange.contains(o.criticalSection) else {
                throw .outOfRange(.cs, got: RunSettings.intervalText(o.criticalSection), valid: "100ns ... 1ms")
            }
        }
        if o.workload == .steal, !OvercommitSettings.tickRange.contains(o.tick) {
            throw .outOfRange(.tick, got: RunSettings.intervalText(o.tick), valid: "10us ... 100ms")
        }
        if let cpus = o.hostCPUs {
            guard !cpus.isEmpty, Set(cpus).count == cpus.count, cpus.allSatisfy({ $0 >= 0 }) else {
                throw .outOfRange(.cpus, got: cpus.map(String.init).joined(separator: ","), valid: "distinct CPU numbers")
            }
        }
    }

    /// A C file needs both pairs (the scheduler stores both records through
    /// it), and a layout with the kernel's 64 bytes per record (it may use
    /// the padding).
    static func validate(_ file: LoadedCStrategy, layout: VCPULayout) throws(RunSettingsError) {
        guard file.targets.contains(.preempted), file.targets.contains(.stolenTime) else {
            throw .cFileDoesNotApply(file: file, scenario: kind, why: "its scheduler stores both records, and the file defines only "
                + "the \(file.targets.map(\.rawValue).joined(separator: ", ")) pair")
        }
        let stride = min(layout.stride(for: .preempted), layout.stride(for: .stolenTime))
        guard stride >= 64 else { throw cFileLayoutTooSmall(file, layout: layout, gives: stride) }
    }

    /// `overcommit/<workload>/<strategy>/<layout>/overcommit:N:M/pv-sched:on|off/slice:T`.
    public static func name(of s: RunSettings) -> String {
        let o = s.overcommit
        let m = min(s.vcpus, o.hostCPUs?.count ?? 2)
        return "\(kind)/\(o.workload)/\(s.strategy)/\(s.layout)/overcommit:\(s.vcpus):\(m)/pv-sched:\(o.pvSched)"
            + "/slice:\(RunSettings.intervalText(o.slice))"
            + (o.workload == .lock ? "/cs:\(RunSettings.intervalText(o.criticalSection))" : "")
            + (o.workload == .steal ? "/tick:\(RunSettings.intervalText(o.tick))" : "")
    }

    /// Why a case cannot run on this machine, found before anything runs.
    public enum SetupError: Error, Equatable, CustomStringConvertible {
        case cpusNotUsable([Int], usable: [Int])
        case noUsableCPU
        case handoffUnmeasurable(cpu: Int)
        case sliceTooShort(slice: UInt64, handoff: UInt64, factor: UInt64)

        public var description: String {
            switch self {
            case let .cpusNotUsable(cpus, usable):
                "host CPUs \(cpus.map(String.init).joined(separator: ",")): outside this process's affinity mask "
                    + "(usable: \(usable.map(String.init).joined(separator: ",")))"
            case .noUsableCPU: "no usable CPU to run vCPUs on"
            case let .handoffUnmeasurable(cpu): "could not measure a futex handoff on CPU \(cpu)"
            case let .sliceTooShort(slice, handoff, factor):
                "a \(RunSettings.intervalText(slice)) slice is shorter than \(factor) handoffs: one handoff measured "
                    + "\(handoff) ns here, so the slice must be at least \(RunSettings.intervalText((handoff * factor + 999) / 1000 * 1000))"
            }
        }
    }

    /// The host CPU of every vCPU (vCPU i on CPU i mod M of the M used).
    public static func hostCPUs(_ s: RunSettings, usable: [Int]) throws(SetupError) -> [Int] {
        let asked = s.overcommit.hostCPUs ?? Array(usable.prefix(2))
        guard !asked.isEmpty else { throw .noUsableCPU }
        let outside = asked.filter { !usable.contains($0) }
        guard outside.isEmpty else { throw .cpusNotUsable(outside, usable: usable) }
        let used = Array(asked.prefix(s.vcpus))
        return (0 ..< s.vcpus).map { used[$0 % used.count] }
    }

    /// What must hold on this machine before a case runs: the CPUs are
    /// usable, and the slice is long enough for the handoff measured now on
    /// the first of them. Returns notes (the handoff; M ≥ N is the control).
    public static func preflight(_ s: RunSettings, topology: Topology) throws(SetupError) -> [String] {
        let cpus = try hostCPUs(s, usable: topology.usableCPUs)
        guard let handoff = VCPUScheduler.measureHandoff(cpu: cpus[0]) else { throw .handoffUnmeasurable(cpu: cpus[0]) }
        let factor = OvercommitSettings.minimumSliceInHandoffs
        guard s.overcommit.slice >= handoff * factor else {
            throw .sliceTooShort(slice: s.overcommit.slice, handoff: handoff, factor: factor)
        }
        var notes = ["futex handoff on CPU \(cpus[0]): \(handoff) ns (median of 200)"]
        if Set(cpus).count >= s.vcpus { notes.append("no overcommit (\(s.vcpus) vCPUs on \(Set(cpus).count) CPUs): the control") }
        return notes
    }

    /// `--pv-sched both`: the case with PV sched on, then off, for the rounds to interleave.
    public static func expand(_ settings: RunSettings, on _: Topology) -> [RunSettings] { OvercommitComparison.expand(settings) }

    /// Each `--pv-sched both` case's on/off comparison: a summary line, and
    /// the ratio as counters of the `on` rows.
    public static func conclude(_ requested: [RunSettings], results: inout [CaseResult]) -> [String] {
        let comparisons = OvercommitComparison.pairs(requested, in: results)
        for c in comparisons {
            if let i = results.firstIndex(where: { $0.settings.name == c.on.settings.name }) { results[i] = c.on }
        }
        return comparisons.map(\.summary)
    }

    public static func run(_ settings: RunSettings, placement planned: Placement, on runner: ScenarioRunner) throws -> CaseResult {
        guard settings.overcommit.pvSched != .both else {
            throw ScenarioError.invalidSettings("PV sched on and off are two cases: OvercommitComparison runs them interleaved")
        }
        let notes = try preflight(settings, topology: runner.topology)
        let cpus = try hostCPUs(settings, usable: runner.topology.usableCPUs)
        let placement = Placement(writerCPUs: [], readerCPUs: cpus, relation: "overcommit",
                                  memoryPolicy: planned.memoryPolicy, memoryNodes: planned.memoryNodes,
                                  sharesCPUs: Set(cpus).count < cpus.count, distance: nil,
                                  notes: planned.notes + notes)
        let machine = try EmulatedMachine(layout: settings.layout, vcpus: settings.vcpus,
                                          backing: NUMAMemoryBacking(nodes: placement.memoryNodes))
        if let file = settings.strategy.cFile {
            func run<Slot: CStrategySlot>(_: Slot.Type) throws -> CaseResult {
                try runCase(CFileStrategy<Slot>.Preempted.self, CFileStrategy<Slot>.StolenTime.self, settings, placement, machine, runner)
            }
            switch file.slot {
            case 0: return try run(CSlot0.self)
            case 1: return try run(CSlot1.self)
            case 2: return try run(CSlot2.self)
            default: return try run(CSlot3.self)
            }
        }
        switch settings.strategy.builtIn {
        case .relaxed:
            return try runCase(RelaxedStrategy.Preempted.self, RelaxedStrategy.StolenTime.self,
                               settings, placement, machine, runner)
        case .acquireRelease:
            return try runCase(AcquireReleaseStrategy.Preempted.self, AcquireReleaseStrategy.StolenTime.self,
                               settings, placement, machine, runner)
        case .seqCst:
            return try runCase(SeqCstStrategy.Preempted.self, SeqCstStrategy.StolenTime.self,
                               settings, placement, machine, runner)
        default:
            throw ScenarioError.invalidSettings("strategy \(settings.strategy) has no single-store writer for overcommit")
        }
    }

    /// The scheduler over the machine's records, and the workload specialised
    /// for the strategy's flag read `P` and stolen-time read `T`.
    static func runCase<P: RecordStrategy, T: RecordStrategy>(
        _: P.Type, _: T.Type, _ settings: RunSettings, _ placement: Placement, _ machine: EmulatedMachine,
        _ runner: ScenarioRunner) throws -> CaseResult
        where P.Target == PreemptedFlagTarget, T.Target == StolenTimeFieldTarget
    {
        let records = try OvercommitRecords(machine)
        let o = settings.overcommit
        let seconds = settings.warmup + settings.duration
        let capacity = Int(min(1_000_000, seconds * 1e9 / Double(o.slice) * 2 + 4096))
        let scheduler = try VCPUScheduler(
            hostCPU: placement.readerCPUs, slice: o.slice, pvSched: o.pvSched == .on,
            flags: records.hypervisorFlags, stolen: records.hypervisorStolen.map { $0 + StolenTimeLayout.stolenTimeOffset },
            kernels: VCPUScheduler.WriterKernels(settings.strategy)!, episodeCapacity: capacity,
            dropEvery: settings.faults.dropEvery)
        let threads = placement.readerCPUs.enumerated().map {
            PinnedThreadSpec(role: ThreadRole(custom: "vcpu\($0.offset)"), cpu: $0.element)
        }
        let vcpus = OvercommitVCPUs(settings: settings, threads: threads, scheduler: scheduler, records: records)
        return try withExtendedLifetime(machine) {
            switch o.workload {
            case .probe:
                let workload = OvercommitProbeWorkload<P, T>(vcpus: vcpus)
                return try runner.repeatCase(workload, settings, placement, pages: nil, extra: [:])
            case .lock:
                let workload = OvercommitLockWorkload<P, T>(vcpus: vcpus, lock: GuestLock(), csTicks: runner.ticks(o.criticalSection))
                return try runner.repeatCase(workload, settings, placement, pages: nil, extra: [:])
            case .steal:
                let workload = OvercommitStealWorkload<P, T>(vcpus: vcpus, tickTicks: runner.ticks(o.tick))
                return try runner.repeatCase(workload, settings, placement, pages: nil, extra: [:])
            }
        }
    }
}

/// Each vCPU's records, as the hypervisor and as the guest address them.
struct OvercommitRecords: @unchecked Sendable {
    let hypervisorFlags: [UnsafeMutableRawPointer]
    let hypervisorStolen: [UnsafeMutableRawPointer]
    let guestFlags: [UnsafeMutableRawPointer]
    let guestStolen: [UnsafeMutableRawPointer]

    init(_ machine: EmulatedMachine) throws {
        let v = machine.vcpus
        let hf = v.compactMap { $0.hypervisorPreempted?.address }, gf = v.compactMap { $0.guestPreempted?.address }
        let hs = v.compactMap { $0.hypervisorStolenTime?.address }, gs = v.compactMap { $0.guestStolenTime?.address }
        guard [hf.count, gf.count, hs.count, gs.count].allSatisfy({ $0 == v.count }) else {
            throw ScenarioError.invalidSettings("the emulated guest did not get every vCPU's records")
        }
        (hypervisorFlags, guestFlags, hypervisorStolen, guestStolen) = (hf, gf, hs, gs)
    }
}
