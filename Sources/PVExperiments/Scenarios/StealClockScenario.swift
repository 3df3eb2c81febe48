import CPVReference
import PVHost
import PVResults
import PVRuntime

extension ScenarioKind {
    public static let stealClock = ScenarioKind(registering: "steal-clock", StealClockScenario.self)
}

/// Hypervisor writers emulate sched-in (`kvm_update_stolen_time`: read
/// back, add, one store); guest readers call `para_steal_clock`.
public enum StealClockScenario: RecordScenario {
    public static let kind = ScenarioKind.stealClock
    public static let summary = "hypervisor sched-in updates stolen time; guest para_steal_clock() reads (reads/s, read cost)"
    /// The stolen_time field, or the whole record for record-wide strategies (`double-word`).
    public static let records: [SharedRecordKind] = [.stolenTime, .record]
    public static let figures = HeadlineFigures(rate: .rate("reads"), costPrefix: "read_cost_")
    public static let faults: Set<InjectedFault.Kind> = [.stallWriter, .release]

    public static func hasCKernel(_ strategy: StrategyKind) -> Bool { cReader(strategy) != nil }

    public static let usesUpdateInterval = true

    /// Every strategy that claims safety side by side under the stress
    /// writer (an update every microsecond, a thousand times KVM's rate:
    /// ``Suite/stressUpdateInterval``), relaxed and seqlock as KVM updates
    /// stolen time (once per sched-in, here 1000 per second), then false
    /// sharing by layout under the stress writer. The full suite and
    /// `--update-interval 0` keep the writer that stores back to back, whose
    /// race for the line moved the reader's run medians by 3-15 % (log-sd)
    /// within one placement class; paced, 0.1-4 % (docs/measurement.md).
    public static func cases(in suite: Suite) -> [SuiteCase] {
        guard suite == .default else { return defaultCases(in: suite) }
        let stress = Suite.stressUpdateInterval
        return strategies.filter(\.claimsSafety).map {
            SuiteCase(strategy: $0, seconds: 0.3, repetitions: 9, warmup: 0.05, updateInterval: stress)
        }
            + [StrategyKind.relaxed, .seqlock].map {
                SuiteCase(strategy: $0, seconds: 0.3, repetitions: 9, warmup: 0.05, updateInterval: Suite.kvmLikeUpdateInterval)
            }
            + [VCPULayout.packed, .cacheline].map {
                SuiteCase(layout: $0, vcpus: 4, seconds: 0.3, repetitions: 9, warmup: 0.05, updateInterval: stress)
            }
    }

    static func runCase<S: RecordStrategy>(_: S.Type, in c: CaseContext) throws -> CaseResult {
        let settings = c.settings, faults = settings.faults
        var workload = StealClockWorkload<S>(
            caseContext: c, updateIntervalTicks: c.ticks(settings.updateInterval),
            // A stalled writer makes reads slow: small batches still end near the window's end.
            batch: faults.stall == nil ? settings.readBatch : 64,
            cReader: settings.implementation == .c ? settings.strategy.builtIn.flatMap(cReader) : nil)
        if let stall = faults.stall {
            workload.stallEvery = UInt64(stall.every)
            workload.stallTicks = c.ticks(stall.nanoseconds)
        }
        if faults.releaseInterval > 0 {
            let conduit = c.machine.hypervisor
            workload.releaseTicks = c.ticks(faults.releaseInterval)
            workload.reissue = { v in _ = conduit.call(vcpu: v, function: .pvTimeST) }
        }
        return try c.repeatCase(workload)
    }

    /// The CPVReference steal-clock reader for a strategy, nil when it has
    /// none: the one list of this scenario's C kernels.
    static func cReader(_ strategy: StrategyKind) -> (@Sendable (UnsafeMutableRawPointer, UInt64, inout pvref_steal_reader) -> Void)? {
        switch strategy {
        case .relaxed:
            { record, n, state in pvref_steal_read_relaxed(stolen(record), n, &state) }
        case .acquireRelease:
            { record, n, state in pvref_steal_read_acquire(stolen(record), n, &state) }
        case .seqlock:
            { record, n, state in
                pvref_steal_read_seqlock(
                    (record + SeqLockStrategy.sequenceOffset).assumingMemoryBound(to: UInt32.self), stolen(record), n, &state)
            }
        case .ckSequence:
            { record, n, state in
                pvref_steal_read_ck(UnsafeRawPointer(record + CKSequenceStrategy.sequenceOffset), stolen(record), n, &state)
            }
        default: nil
        }
    }

    private static func stolen(_ record: UnsafeMutableRawPointer) -> UnsafePointer<UInt64> {
        UnsafePointer((record + 8).assumingMemoryBound(to: UInt64.self))
    }
}

/// `steal-clock`: hypervisor writers emulate sched-in (read the guest's
/// stolen time back, add a run-delay delta, one store through the
/// strategy); guest readers call `para_steal_clock()` back to back on their
/// own vCPU's record (reader r reads vCPU r mod vcpus), every value through
/// the detector (monotonic: invariant fields, never backwards).
struct StealClockWorkload<S: RecordStrategy>: RecordWorkload {
    let caseContext: CaseContext
    let updateIntervalTicks: UInt64
    /// Reads per kernel call (one clock read per call).
    let batch: Int
    let cReader: (@Sendable (UnsafeMutableRawPointer, UInt64, inout pvref_steal_reader) -> Void)?
    /// `--inject stall-writer`: every Nth update stalls mid-update this long.
    var stallEvery: UInt64 = 0
    var stallTicks: UInt64 = 0
    /// `--inject release`: every this many ticks the writer re-issues
    /// PV_TIME_ST for its vCPUs (through `reissue`), zeroing their records.
    var releaseTicks: UInt64 = 0
    var reissue: @Sendable (Int) -> Void = { _ in }
    /// Announced before every re-issue, so readers can tell a restart.
    let resets = RecordResets()

    struct WriterTally: Sendable {
        var window: MeasuredWindow
        var stalls: UInt64
        var reissues: UInt64
    }

    enum Tally: Sendable {
        case writer(WriterTally)
        case reader(ReaderTally)
    }

    func body(_ context: PinnedThreadContext, _ control: RepetitionControl) -> Tally {
        context.index < settings.writers ? .writer(writer(context.index, control)) : .reader(reader(context.index - settings.writers, control))
    }

    private func writer(_ w: Int, _ control: RepetitionControl) -> WriterTally {
        let step = settings.writers
        var cursor = w
        var index: UInt64 = 0
        var deadline = CycleClock.now()
        var stalls: UInt64 = 0, reissues: UInt64 = 0
        var nextRelease = CycleClock.now() &+ releaseTicks
        // With a rate or a stall, small batches so the phase is still checked often.
        let count = updateIntervalTicks == 0 && stallEvery == 0 ? 256 : 1
        let window = measuredLoop(control, thread: w) { measuring in
            pvHypervisorStealUpdates(S.self, records: hypervisor, first: w, step: step, cursor: &cursor,
                                     count: count, index: &index, intervalTicks: updateIntervalTicks,
                                     deadline: &deadline, stallEvery: stallEvery, stallTicks: stallTicks,
                                     stalls: &stalls)
            if releaseTicks > 0, CycleClock.now() >= nextRelease {
                // The record is released and set up again (CPU hot-unplug and
                // re-plug): PV_TIME_ST zeroes it; stolen time restarts at 0.
                for v in stride(from: w, to: hypervisor.count, by: step) {
                    resets.announceReset()
                    reissue(v)
                }
                nextRelease = CycleClock.now() &+ releaseTicks
                if measuring { reissues &+= 1 }
            }
            return UInt64(count)
        }
        return WriterTally(window: window, stalls: stalls, reissues: reissues)
    }

    private func reader(_ r: Int, _ control: RepetitionControl) -> ReaderTally {
        let record = guest[r % guest.count]
        var recorder = LatencyRecorder(conversion: control.conversion)
        var previous: UInt64 = 0
        let batch = batch
        // One of the two kernels runs; both keep their own violation counts.
        var check = MonotonicCheck<S.Target>()
        // With records being re-zeroed, a drop the hypervisor announced is a
        // restart; any other drop is still backwards.
        if releaseTicks > 0 { check.resets = resets }
        var retries: UInt64 = 0, gaveUp: UInt64 = 0
        var cState = pvref_steal_reader(last: 0, backwards: 0, retries: 0)
        let window = measuredLoop(control, thread: settings.writers + r, onMeasureStart: { previous = CycleClock.now() }) { measuring in
            if let cReader {
                cReader(record, UInt64(batch), &cState)
            } else {
                let r = pvGuestStealClockReads(S.self, record: record, count: batch, check: &check,
                                               giveUpAfter: settings.readGiveUpAttempts)
                retries &+= r.retries
                gaveUp &+= r.gaveUp
            }
            if measuring {
                let now = CycleClock.now()
                recorder.record(fromTicks: previous, toTicks: now)
                previous = now
            }
            return UInt64(batch)
        }
        if cReader != nil {
            return ReaderTally(window: window, recorder: recorder,
                               counts: ReaderCounts(reads: window.operations, torn: 0, backwards: cState.backwards,
                                                    retries: cState.retries),
                               firstViolation: cState.backwards > 0 ? "stolen time went backwards (the C kernel counts, keeps no bytes)" : nil)
        }
        return ReaderTally(window: window, recorder: recorder,
                           counts: ReaderCounts(reads: window.operations, torn: check.torn, backwards: check.backwards,
                                                retries: retries),
                           firstViolation: check.firstViolation, gaveUp: gaveUp, restarts: check.restarts)
    }

    func summarize(_ tallies: [Tally], clock: CycleClock) -> RepetitionFigures {
        var writers: [WriterTally] = []
        var readers: [ReaderTally] = []
        for t in tallies {
            switch t {
            case let .writer(w): writers.append(w)
            case let .reader(r): readers.append(r)
            }
        }
        var figures = ReaderTally.figures(readers, clock: clock, operation: "reads", latencyPrefix: "read_cost_",
                                          operationsPerSample: batch, retrying: S.retriesReads)
        let updates = writers.compactMap { $0.window.rate(clock.conversion) }.reduce(0, +)
        figures.counters["updates_per_second"] = updates
        if stallEvery > 0 {
            figures.counters["writer_stalls"] = Double(writers.reduce(0) { $0 + $1.stalls })
            figures.counters["reads_given_up"] = Double(readers.reduce(0) { $0 + $1.gaveUp })
        }
        if releaseTicks > 0 {
            figures.counters["records_reissued"] = Double(writers.reduce(0) { $0 + $1.reissues })
            figures.counters["stolen_time_restarts"] = Double(readers.reduce(0) { $0 + $1.restarts })
        }
        if updateIntervalTicks > 0 { figures.counters["update_interval_ns"] = Double(settings.updateInterval) }
        return figures
    }
}

/// One guest reader's measured window, read-cost samples and detector counts.
struct ReaderTally: Sendable {
    var window: MeasuredWindow
    var recorder: LatencyRecorder
    var counts: ReaderCounts
    var firstViolation: String?
    /// Protocol reads abandoned after ``RunSettings/readGiveUpAttempts`` retries.
    var gaveUp: UInt64 = 0
    /// Drops of stolen time to below its start: the record was re-zeroed.
    var restarts: UInt64 = 0

    /// Figures common to reader scenarios: `<operation>_per_second` (mean per
    /// reader) and `_total`, per-operation cost percentiles, detector counts.
    /// The recorders hold one sample per batch of `operationsPerSample`
    /// operations (the batch's total time, so sub-ns costs keep their
    /// precision); cost percentiles are divided back to per operation.
    /// `retries` and `retries_per_read` are written whenever a read retried,
    /// and always when `retrying` (a protocol whose reads may retry, such as
    /// seqlock): a repetition with none then says 0 rather than leaving the
    /// counter out, which would also drop it from the run's aggregates.
    static func figures(_ readers: [ReaderTally], clock: CycleClock, operation: String, latencyPrefix: String,
                        operationsPerSample: Int, retrying: Bool = false) -> RepetitionFigures
    {
        let rates = readers.compactMap { $0.window.rate(clock.conversion) }
        let perReader = rates.mean
        let operations = readers.reduce(UInt64(0)) { $0 + $1.window.operations }
        let counts = readers.reduce(ReaderCounts()) { $0 + $1.counts }
        var counters: [String: Double] = [
            "\(operation)_per_second": perReader,
            "\(operation)_per_second_total": rates.reduce(0, +),
            "torn_reads": Double(counts.torn),
            "backwards_reads": Double(counts.backwards),
        ]
        if retrying || counts.retries > 0 {
            counters["retries"] = Double(counts.retries)
            counters["retries_per_read"] = counts.reads > 0 ? Double(counts.retries) / Double(counts.reads) : 0
        }
        let latency = LatencyDistribution(merging: readers.map(\.recorder))
        for (key, value) in latency.counters(prefix: latencyPrefix) {
            counters[key] = key.hasSuffix("_ns") ? value / Double(operationsPerSample) : value
        }
        if !latency.isEmpty { counters["\(latencyPrefix)batch_operations"] = Double(operationsPerSample) }
        return RepetitionFigures(
            iterations: Int64(operations), nanosecondsPerOperation: perReader > 0 ? 1e9 / perReader : 0,
            counters: counters, violations: counts, firstViolation: readers.compactMap(\.firstViolation).first)
    }
}
