import CPVReference
import PVHost
import PVResults
import PVRuntime

extension ScenarioKind {
    public static let preemptPoll = ScenarioKind(registering: "preempt-poll", PreemptPollScenario.self)
}

/// The hypervisor flips `preempted` 1/0 (sched-out/sched-in); guest readers
/// poll `vcpu_is_preempted`; reports visibility latency.
public enum PreemptPollScenario: RecordScenario {
    public static let kind = ScenarioKind.preemptPoll
    public static let summary = "hypervisor flips preempted 1/0; guest polls vcpu_is_preempted() (polls/s, visibility latency)"
    public static let records: [SharedRecordKind] = [.preempted]
    public static let figures = HeadlineFigures(rate: .rate("polls"), costPrefix: "poll_cost_", latencyPrefix: "visibility_")
    public static let faults: Set<InjectedFault.Kind> = [.dropWrites, .release]
    public static let usesFlipDurations = true

    public static func hasCKernel(_ strategy: StrategyKind) -> Bool { cPollKernel(strategy) != nil }

    public static func cases(in suite: Suite) -> [SuiteCase] {
        guard suite == .default else { return defaultCases(in: suite) }
        return [StrategyKind.relaxed, .acquireRelease, .seqCst].map { SuiteCase(strategy: $0, seconds: 0.3, repetitions: 9, warmup: 0.05) }
    }

    static func runCase<S: RecordStrategy>(_: S.Type, in c: CaseContext) throws -> CaseResult {
        let settings = c.settings, faults = settings.faults
        let floor = try c.c2cFloor()
        var workload = PreemptPollWorkload<S>(
            caseContext: c, runTicks: c.ticks(settings.runDuration), preemptedTicks: c.ticks(settings.preemptedDuration),
            batch: settings.readBatch,
            cPoll: settings.implementation == .c ? settings.strategy.builtIn.flatMap(cPoll) : nil)
        workload.dropEvery = UInt64(faults.dropEvery)
        // Threads sharing a CPU take turns: a round trip is a context switch,
        // and the exchange would only time out.
        if !c.placement.sharesCPUs {
            workload.offsets = CounterOffsetExchange(threads: c.threads.count)
            workload.offsetTimeoutTicks = c.ticks(10_000_000)
        }
        workload.answers = FlipAnswers(readers: settings.readers, writers: settings.writers)
        if faults.releaseInterval > 0 {
            let conduit = c.machine.hypervisor
            let flagIPAs = c.machine.vcpus.map(\.preemptedIPA)
            workload.releaseTicks = c.ticks(faults.releaseInterval)
            workload.release = { v in _ = conduit.call(vcpu: v, function: .pvSchedIPARelease) }
            workload.register = { v in _ = conduit.call(vcpu: v, function: .pvSchedIPAInit, flagIPAs[v] ?? 0) }
        }
        return try c.repeatCase(workload, extra: floor)
    }

    typealias CPollKernel = @convention(c) (UnsafeRawPointer?, Int, Int, UnsafeMutablePointer<UInt32>?,
                                            UnsafeMutablePointer<Int>?, UInt64, UnsafeMutablePointer<Int64>?) -> UInt64

    /// The CPVReference poll loop for a strategy, nil when it has none: the
    /// one list of this scenario's C kernels.
    static func cPollKernel(_ strategy: StrategyKind) -> CPollKernel? {
        switch strategy {
        case .relaxed: pvref_preempt_poll_relaxed
        case .acquireRelease: pvref_preempt_poll_acquire
        default: nil
        }
    }

    /// The C kernel called the way the Swift kernel is, so one outer loop drives either.
    static func cPoll(_ strategy: StrategyKind)
        -> (@Sendable (RecordArray, UnsafeMutablePointer<UInt32>, inout Int, Int) -> (polls: Int, changed: Int))?
    {
        guard let kernel = cPollKernel(strategy) else { return nil }
        return { flags, last, cursor, maxPolls in
            var changed: Int64 = -1
            var c = cursor
            let polls = kernel(flags.base, flags.stride, flags.count, last, &c, UInt64(maxPolls), &changed)
            cursor = c
            return (Int(polls), Int(changed))
        }
    }
}

/// `preempt-poll`: each hypervisor writer flips the `preempted` flag of its
/// vCPUs (v with v mod writers = w) to 1 (sched-out) for `preemptedDuration`
/// and to 0 (sched-in) for `runDuration`, stamping every flip with the
/// synchronised cycle counter; guest readers poll `vcpu_is_preempted()` over
/// all vCPUs round robin, as spinning code does, answer each change of a
/// writer's first vCPU on a line of their own (``FlipAnswers``) and stamp
/// the first poll that sees each change. Visibility latency (`visibility_*`)
/// is half the round trip from the writer's stamp before its store to its
/// sight of the answer, the c2c probe's method; the one-way figure
/// (`visibility_one_way_*`) = reader stamp − writer stamp, with the
/// reader's stamp moved onto the writer's counter by the offset the threads
/// measure between their CPUs before and after the window
/// (``CounterOffsetExchange``); `visibility_one_way_raw_p50_ns` is without it.
struct PreemptPollWorkload<S: RecordStrategy>: RecordWorkload {
    let caseContext: CaseContext
    let runTicks: UInt64
    let preemptedTicks: UInt64
    /// Polls per kernel call when nothing changes.
    let batch: Int
    let cPoll: (@Sendable (RecordArray, UnsafeMutablePointer<UInt32>, inout Int, Int) -> (polls: Int, changed: Int))?
    /// `--inject drop-writes`: every Nth flip's stores are skipped.
    var dropEvery: UInt64 = 0
    /// `--inject release`: every this many ticks the writer's vCPUs release
    /// their blocks (PV_SCHED_IPA_RELEASE) and register them again half an
    /// interval later; meanwhile the hypervisor has nowhere to write.
    var releaseTicks: UInt64 = 0
    var release: @Sendable (Int) -> Void = { _ in }
    var register: @Sendable (Int) -> Void = { _ in }
    /// Measures the threads' counter offsets around each window; nil: not measured.
    var offsets: CounterOffsetExchange?
    var offsetTimeoutTicks: UInt64 = 0
    /// The readers' answers the writers time round trips by; nil: not timed.
    var answers: FlipAnswers?

    enum Tally: Sendable {
        case writer(window: MeasuredWindow, log: TransitionLog, vcpus: Int, offset: CounterOffsetReading,
                    halfRoundTrips: LatencyRecorder)
        case reader(tally: ReaderTally, observations: TransitionLog, offset: CounterOffsetReading, stampTicks: UInt64)
    }

    func body(_ context: PinnedThreadContext, _ control: RepetitionControl) -> Tally {
        let i = context.index
        var offset = CounterOffsetReading()
        offset.before = offsets.flatMap { $0.exchange(index: i, timeoutTicks: offsetTimeoutTicks) }
        var tally = i < settings.writers ? writer(i, control) : reader(i, control)
        offset.after = offsets.flatMap { $0.exchange(index: i, timeoutTicks: offsetTimeoutTicks) }
        switch tally {
        case let .writer(window, log, vcpus, _, trips):
            tally = .writer(window: window, log: log, vcpus: vcpus, offset: offset, halfRoundTrips: trips)
        case let .reader(reader, observations, _, stamp):
            tally = .reader(tally: reader, observations: observations, offset: offset, stampTicks: stamp)
        }
        return tally
    }

    private func writer(_ w: Int, _ control: RepetitionControl) -> Tally {
        let step = settings.writers
        var log = TransitionLog(capacity: caseContext.logCapacity)
        var state: UInt32 = 0
        let phase = control.phase
        var flips: UInt64 = 0
        var nextRelease = CycleClock.now() &+ releaseTicks
        var releasedUntil: UInt64?
        var halfRoundTrips = LatencyRecorder(conversion: control.conversion)
        let window = measuredLoop(control, thread: w) { measuring in
            // Readers whose answer shows the state before this flip: theirs to it can be timed.
            let armed = measuring ? answers?.armed(writer: w, previous: state) ?? 0 : 0
            state ^= 1
            flips &+= 1
            let t = CycleClock.now()
            if releaseTicks > 0, releasedUntil == nil, t >= nextRelease {
                for v in stride(from: w, to: hypervisor.count, by: step) { release(v) }
                releasedUntil = t &+ releaseTicks / 2
                nextRelease = t &+ releaseTicks
            } else if let until = releasedUntil, t >= until {
                for v in stride(from: w, to: hypervisor.count, by: step) { register(v) }
                releasedUntil = nil
            }
            let deadline = t &+ (state == 1 ? preemptedTicks : runTicks)
            if releasedUntil != nil || (dropEvery != 0 && flips % dropEvery == 0) {
                log.append(ticks: t, vcpu: w, state: state | TransitionLog.droppedBit)
                pvSpinUntil(deadline) { phase.isStopped }
            } else {
                pvHypervisorSetPreempted(S.self, flags: hypervisor, first: w, step: step, state: state)
                log.append(ticks: t, vcpu: w, state: state)
                if let answers, armed != 0 {
                    answers.spin(writer: w, state: state, armed: armed, start: t, until: deadline,
                                 into: &halfRoundTrips) { phase.isStopped }
                } else {
                    pvSpinUntil(deadline) { phase.isStopped }
                }
            }
            return 1
        }
        if releasedUntil != nil { for v in stride(from: w, to: hypervisor.count, by: step) { register(v) } }
        // Leave the vCPUs running (sched-in) for whatever runs next.
        pvHypervisorSetPreempted(S.self, flags: hypervisor, first: w, step: step, state: 0)
        let owned = stride(from: w, to: hypervisor.count, by: step).underestimatedCount
        return .writer(window: window, log: log, vcpus: owned, offset: CounterOffsetReading(),
                       halfRoundTrips: halfRoundTrips)
    }

    private func reader(_ thread: Int, _ control: RepetitionControl) -> Tally {
        let n = guest.count
        let last = UnsafeMutablePointer<UInt32>.allocate(capacity: n)
        defer { last.deallocate() }
        var retries: UInt64 = 0
        for v in 0 ..< n { last[v] = pvFlagState(S.Target.self, S.read(guest[v], retries: &retries)) }
        var observations = TransitionLog(capacity: caseContext.logCapacity)
        var recorder = LatencyRecorder(conversion: control.conversion)
        var check = MonotonicCheck<S.Target>()
        var cursor = 0
        var previous: UInt64 = 0
        let batch = batch
        let window = measuredLoop(control, thread: thread, onMeasureStart: { previous = CycleClock.now() }) { measuring in
            let polls: Int, changed: Int
            if let cPoll {
                (polls, changed) = cPoll(guest, last, &cursor, batch)
            } else {
                let r = pvGuestPreemptPoll(S.self, flags: guest, last: last, cursor: &cursor, maxPolls: batch)
                (polls, changed) = (r.polls, r.changed)
                if let value = r.value { check.observe(value) }
            }
            let now = CycleClock.now()
            if changed >= 0 {
                // After the stamp: with the answer's store first, the stamp came after the writer saw the answer.
                answers?.answer(reader: thread - settings.writers, vcpu: changed, state: last[changed])
                if measuring { observations.append(ticks: now, vcpu: changed, state: last[changed]) }
            } else if measuring {
                // A full batch (nothing changed): its total time, for the poll cost.
                recorder.record(fromTicks: previous, toTicks: now)
            }
            previous = now
            return UInt64(polls)
        }
        let counts = ReaderCounts(reads: window.operations, torn: check.torn, backwards: check.backwards, retries: retries)
        return .reader(tally: ReaderTally(window: window, recorder: recorder, counts: counts,
                                          firstViolation: check.firstViolation),
                       observations: observations, offset: CounterOffsetReading(), stampTicks: stampCost())
    }

    /// What one visibility sample's two stamps cost with no line to cross:
    /// the writer's stamp-then-store and this reader's poll-then-stamp, run
    /// back to back by this thread on a flag of its own (placed at the same
    /// offset in its line as the real one), median ticks over `trials`.
    /// Includes the store-to-load forwarding (a few cycles) the real sample
    /// does not have.
    private func stampCost(trials: Int = 255) -> UInt64 {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 64)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: 256)
        let last = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
        defer { memory.deallocate(); last.deallocate() }
        let flag = RecordArray(base: memory + 64 + Int(bitPattern: guest.base) & 63, stride: 64, count: 1)
        var retries: UInt64 = 0
        last[0] = pvFlagState(S.Target.self, S.read(flag[0], retries: &retries))
        var state = last[0]
        var cursor = 0
        var samples: [UInt64] = []
        samples.reserveCapacity(trials)
        for _ in 0 ..< trials {
            state ^= 1
            let t0 = CycleClock.now()
            pvHypervisorSetPreempted(S.self, flags: flag, first: 0, step: 1, state: state)
            let changed = cPoll.map { $0(flag, last, &cursor, batch).changed }
                ?? pvGuestPreemptPoll(S.self, flags: flag, last: last, cursor: &cursor, maxPolls: batch).changed
            let t1 = CycleClock.now()
            if changed >= 0 { samples.append(t1 &- t0) }
        }
        samples.sort()
        return samples.isEmpty ? 0 : samples[samples.count / 2]
    }

    func summarize(_ tallies: [Tally], clock: CycleClock) -> RepetitionFigures {
        var writerLogs: [TransitionLog] = [], readers: [ReaderTally] = [], observations: [TransitionLog] = []
        var writerOffsets: [CounterOffsetReading] = [], readerOffsets: [CounterOffsetReading] = []
        var stores: UInt64 = 0, stamps: [UInt64] = [], halfRoundTrips: [LatencyRecorder] = []
        for t in tallies {
            switch t {
            case let .writer(window, log, vcpus, offset, trips):
                halfRoundTrips.append(trips)
                writerLogs.append(log)
                writerOffsets.append(offset)
                stores += window.operations * UInt64(vcpus)
            case let .reader(tally, obs, offset, stamp):
                stamps.append(stamp)
                readers.append(tally)
                observations.append(obs)
                readerOffsets.append(offset)
            }
        }
        defer { (writerLogs + observations).forEach { $0.deallocate() } }
        var figures = ReaderTally.figures(readers, clock: clock, operation: "polls", latencyPrefix: "poll_cost_",
                                          operationsPerSample: batch)
        var raw = LatencyRecorder(conversion: clock.conversion)
        var (matched, unmatched) = VisibilityMatcher.match(observations: observations, writerLogs: writerLogs,
                                                           conversion: clock.conversion, into: &raw)
        var visibility = raw
        let known = (writerOffsets + readerOffsets).compactMap(\.value)
        if offsets != nil, known.count == tallies.count {
            visibility = LatencyRecorder(conversion: clock.conversion)
            (matched, unmatched) = VisibilityMatcher.match(
                observations: observations, writerLogs: writerLogs, conversion: clock.conversion, into: &visibility,
                readerOffsets: readerOffsets.compactMap(\.value), writerOffsets: writerOffsets.compactMap(\.value))
            let ns = { (ticks: Int64) in Double(ticks) * 1e9 / clock.frequencyHz }
            if let r = readerOffsets.first?.value, let w = writerOffsets.first?.value {
                figures.counters["counter_offset_ns"] = ns(r - w)
            }
            let drifts = (writerOffsets + readerOffsets).compactMap(\.drift)
            if let drift = drifts.max() { figures.counters["counter_offset_drift_ns"] = ns(drift) }
        } else if offsets != nil {
            figures.notes.append("counter offsets between the CPUs not measured (\(tallies.count - known.count) of "
                + "\(tallies.count) threads got no answer): the one-way visibility includes them")
        }
        let halfRoundTrip = LatencyDistribution(merging: halfRoundTrips)
        figures.counters.merge(halfRoundTrip.counters(prefix: "visibility_", step: FlipAnswers.recordedStep(clock))) { a, _ in a }
        figures.counters.merge(LatencyDistribution(merging: [visibility]).counters(prefix: "visibility_one_way_")) { a, _ in a }
        let rawDistribution = LatencyDistribution(merging: [raw])
        if !rawDistribution.isEmpty { figures.counters["visibility_one_way_raw_p50_ns"] = Double(rawDistribution.percentile(50)) }
        // The line's share: the one-way figure less what its two stamps cost with no line to cross.
        if let stamp = stamps.sorted().dropFirst(stamps.count / 2).first, stamp > 0,
           let p50 = figures.counters["visibility_one_way_p50_ns"] {
            let ns = Double(clock.conversion.nanoseconds(stamp))
            figures.counters["visibility_one_way_stamp_ns"] = ns
            figures.counters["visibility_one_way_line_p50_ns"] = max(0, p50 - ns)
        }
        let seen = observations.reduce(UInt64(0)) { $0 + UInt64($1.count) }
        let dropped = (writerLogs + observations).reduce(UInt64(0)) { $0 + $1.dropped }
        figures.counters["flag_stores"] = Double(stores)
        figures.counters["changes_seen"] = Double(seen)
        // Every reader polls every vCPU, so each store is a change it could see.
        let expected = stores * UInt64(readers.count)
        figures.counters["changes_missed"] = Double(expected > seen + dropped ? expected - seen - dropped : 0)
        if unmatched > 0 { figures.notes.append("\(unmatched) observations matched no store (clock skew?)") }
        if dropped > 0 { figures.notes.append("\(dropped) events beyond the log capacity were not timed") }
        figures.counters["visibility_matched"] = Double(matched)
        if dropEvery > 0 || releaseTicks > 0 {
            var dropped: UInt64 = 0, stale: UInt64 = 0
            for log in writerLogs {
                let s = log.staleness(clock.conversion)
                dropped += s.dropped
                stale += s.staleNanoseconds
            }
            let measured = readers.map { $0.window.seconds(clock.conversion) }.max() ?? 0
            figures.counters["flag_stores_skipped"] = Double(dropped)
            figures.counters["stale_ns_total"] = Double(stale)
            if measured > 0 { figures.counters["stale_fraction"] = Double(stale) / 1e9 / measured / Double(writerLogs.count) }
        }
        return figures
    }
}
