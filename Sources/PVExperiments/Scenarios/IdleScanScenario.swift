import CPVReference
import PVHost
import PVResults
import PVRuntime

extension ScenarioKind {
    public static let idleScan = ScenarioKind(registering: "idle-scan", IdleScanScenario.self)
}

/// `available_idle_cpu()`: a reader scans N vCPUs' flags.
public enum IdleScanScenario: RecordScenario {
    public static let kind = ScenarioKind.idleScan
    public static let summary = "available_idle_cpu(): a reader scans N vCPUs' flags while they change (scans/s, ns per flag)"
    public static let records: [SharedRecordKind] = [.preempted]
    public static let figures = HeadlineFigures(rate: .rate("scans"), cost: .nanoseconds("ns_per_flag"))
    public static let plots = [
        PlotSpec(name: "idle-scan-vcpus", title: "idle-scan: throughput vs vCPU count per layout", x: .vcpus,
                 xlabel: "vCPUs scanned (log scale)", logScale: true),
    ]
    public static let representativeVCPUs = 16
    public static let vcpuSweep = [1, 4, 16, 64, 256, 1024, 4096]
    public static let usesUpdateInterval = true

    public static func hasCKernel(_ strategy: StrategyKind) -> Bool { cScan(strategy) != nil }

    /// Every layout over a vCPU sweep, how the scan scales, with the writer
    /// of a KVM host: each vCPU scheduled out and in once a millisecond,
    /// no faster than a flip a microsecond
    /// (``Suite/kvmLikeFlipInterval(vcpus:)``). A writer flipping flags back
    /// to back (`--update-interval 0`, the full suite) races the reader for
    /// the lines, and the race's outcome moved the run medians by 10-44 %
    /// (log-sd) within one placement class, where the paced scan's moved by
    /// 0.7-6.4 % (docs/measurement.md, "idle-scan: a paced writer").
    public static func cases(in suite: Suite) -> [SuiteCase] {
        guard suite == .default else { return defaultCases(in: suite) }
        return VCPULayout.allCases.flatMap { layout in
            [1, 16, 256, 4096].map {
                SuiteCase(layout: layout, vcpus: $0, seconds: 0.2, repetitions: 9, warmup: 0.03,
                          updateInterval: Suite.kvmLikeFlipInterval(vcpus: $0))
            }
        }
    }

    static func runCase<S: RecordStrategy>(_: S.Type, in c: CaseContext) throws -> CaseResult {
        let settings = c.settings
        let workload = IdleScanWorkload<S>(
            caseContext: c, updateIntervalTicks: c.ticks(settings.updateInterval),
            scansPerBatch: max(1, settings.readBatch / settings.vcpus),
            cScan: settings.implementation == .c ? settings.strategy.builtIn.flatMap(cScan) : nil)
        return try c.repeatCase(workload)
    }

    /// The CPVReference scan for a strategy (relaxed only): the one list of
    /// this scenario's C kernels.
    static func cScan(_ strategy: StrategyKind) -> (@Sendable (RecordArray, Int) -> UInt64)? {
        guard strategy == .relaxed else { return nil }
        return { flags, scans in pvref_idle_scan_relaxed(flags.base, flags.stride, flags.count, UInt64(scans)) }
    }
}

/// `idle-scan`: the `available_idle_cpu()` shape. Hypervisor writers flip
/// their vCPUs' flags one after another (every `updateInterval` ns, or back
/// to back); each guest reader scans every vCPU's flag, over and over.
/// Reports scans/s and ns per flag.
struct IdleScanWorkload<S: RecordStrategy>: RecordWorkload {
    let caseContext: CaseContext
    let updateIntervalTicks: UInt64
    /// Scans per kernel call.
    let scansPerBatch: Int
    let cScan: (@Sendable (RecordArray, Int) -> UInt64)?

    enum Tally: Sendable {
        case writer(MeasuredWindow)
        case reader(ReaderTally, preemptedSeen: UInt64)
    }

    func body(_ context: PinnedThreadContext, _ control: RepetitionControl) -> Tally {
        if context.index < settings.writers {
            let w = context.index, step = settings.writers
            var v = w
            var pass: UInt32 = 1
            var deadline = CycleClock.now()
            let window = measuredLoop(control, thread: context.index) { _ in
                // One vCPU's sched-out or sched-in per operation.
                pvHypervisorSetPreempted(S.self, flags: RecordArray(base: hypervisor[v], stride: 1, count: 1),
                                         first: 0, step: 1, state: pass & 1)
                v &+= step
                if v >= hypervisor.count { v = w; pass &+= 1 }
                if updateIntervalTicks > 0 {
                    deadline &+= updateIntervalTicks
                    pvSpinUntil(deadline) { control.phase.isStopped }
                }
                return 1
            }
            return .writer(window)
        }
        var recorder = LatencyRecorder(conversion: control.conversion)
        var previous: UInt64 = 0
        var seen: UInt64 = 0
        let scans = scansPerBatch
        let window = measuredLoop(control, thread: context.index, onMeasureStart: { previous = CycleClock.now() }) { measuring in
            let set = cScan?(guest, scans) ?? pvGuestIdleScan(S.self, flags: guest, scans: scans)
            if measuring {
                seen &+= set
                let now = CycleClock.now()
                recorder.record(fromTicks: previous, toTicks: now)
                previous = now
            }
            return UInt64(scans)
        }
        return .reader(ReaderTally(window: window, recorder: recorder, counts: ReaderCounts(reads: window.operations),
                                   firstViolation: nil), preemptedSeen: seen)
    }

    func summarize(_ tallies: [Tally], clock: CycleClock) -> RepetitionFigures {
        var readers: [ReaderTally] = []
        var updates = 0.0
        var seen: UInt64 = 0
        for t in tallies {
            switch t {
            case let .writer(w): updates += w.rate(clock.conversion) ?? 0
            case let .reader(r, s): readers.append(r); seen += s
            }
        }
        var figures = ReaderTally.figures(readers, clock: clock, operation: "scans", latencyPrefix: "scan_cost_",
                                          operationsPerSample: scansPerBatch)
        let n = Double(guest.count)
        figures.counters["ns_per_flag"] = figures.nanosecondsPerOperation / n
        figures.counters["flags_per_second"] = (figures.counters["scans_per_second"] ?? 0) * n
        figures.counters["updates_per_second"] = updates
        figures.counters["preempted_seen_fraction"] =
            readers.isEmpty ? 0 : Double(seen) / max(1, Double(readers.reduce(0) { $0 + $1.window.operations }) * n)
        // A scan reads flags as `!!` does, so a torn flag would count as
        // preempted, not be told apart (and a mix of 0 and 1 bytes is 0 or 1
        // anyway): the detector counters would claim a check not made here.
        figures.counters["torn_reads"] = nil
        figures.counters["backwards_reads"] = nil
        return figures
    }
}
