import CPVPlatform
import PVABI
import PVHost
import PVResults
import PVRuntime

extension ScenarioKind {
    public static let spinOnOwner = ScenarioKind(registering: "spin-on-owner", SpinOnOwnerScenario.self)
}

/// `mutex_spin_on_owner`: waiters spin while the lock owner's vCPU runs and
/// break out when it is preempted.
public enum SpinOnOwnerScenario: RecordScenario {
    public static let kind = ScenarioKind.spinOnOwner
    public static let summary = "waiters spin while the owner's vCPU runs, break out on preemption (break-out latency, spin saved)"
    public static let records: [SharedRecordKind] = [.preempted]
    /// Compared by its break-out p50, spread over the counter's step: the
    /// rate is the owners' schedule (episodes of fixed length), not the
    /// flag's code, and one break-out is timed per episode, so the plain p50
    /// reads in the counter's steps (5 ns on this VM's TSC).
    public static let figures = HeadlineFigures(rate: .rate("episodes"), costPrefix: "spin_with_pv_", latencyPrefix: "breakout_",
                                                comparedBy: .latencyP50Interpolated)
    public static let faults: Set<InjectedFault.Kind> = [.dropWrites]
    public static let usesFlipDurations = true

    public static func cases(in suite: Suite) -> [SuiteCase] {
        suite == .default ? [SuiteCase(seconds: 0.3, repetitions: 9, warmup: 0.05)] : defaultCases(in: suite)
    }

    static func runCase<S: RecordStrategy>(_: S.Type, in c: CaseContext) throws -> CaseResult {
        let settings = c.settings
        let floor = try c.c2cFloor()
        let memory = c.machine.memory
        let firstLock = try memory.allocateGuestRAM(bytes: 64 * settings.writers, alignment: 64)
        let locks = RecordArray(base: try memory.pointer(ipa: firstLock, length: 64 * settings.writers),
                                stride: 64, count: settings.writers)
        for w in 0 ..< settings.writers { SharedU32(locks[w]).storeRelease(0) }
        var workload = SpinOnOwnerWorkload<S>(
            caseContext: c, locks: locks,
            runTicks: c.ticks(settings.runDuration), preemptedTicks: c.ticks(settings.preemptedDuration),
            answers: FlipAnswers(readers: settings.readers, writers: settings.writers))
        workload.dropEvery = UInt64(settings.faults.dropEvery)
        return try c.repeatCase(workload, extra: floor)
    }
}

/// `spin-on-owner`: the shape of `mutex_spin_on_owner()`/osq. Writer w is a
/// lock owner on vCPU w and its hypervisor: it takes lock w, runs for
/// `runDuration`, is preempted (flag 1, stamped) for `preemptedDuration`,
/// runs again (flag 0) for a quarter of `runDuration`, releases the lock
/// (stamped) and leaves it free for another quarter. Waiter r spins on lock
/// r mod writers while the owner's vCPU is not preempted, and breaks out when
/// it is; it then keeps watching until the release, which is exactly how
/// long a waiter that ignores the flag (a guest without PV sched) would have
/// spun. Both spin times come from the same episodes of the same run.
/// A waiter answers its break-out (and, later, the release) on a line of
/// its own (``FlipAnswers``), and the break-out latency (`breakout_*`) is
/// half the owner's round trip from its stamp before the `preempted = 1`
/// store to its sight of the answer, the c2c probe's method, with no
/// counter offset in it. `breakout_one_way_raw_p50_ns` is the waiter's
/// stamp minus the owner's, uncorrected for the offset between their
/// counters.
struct SpinOnOwnerWorkload<S: RecordStrategy>: RecordWorkload {
    let caseContext: CaseContext
    /// One lock word per owner, in guest RAM, 64 bytes apart.
    let locks: RecordArray
    let runTicks: UInt64
    let preemptedTicks: UInt64
    /// The waiters' answers the owners time round trips by.
    let answers: FlipAnswers
    /// `--inject drop-writes`: every Nth preemption's `preempted = 1` store is
    /// skipped, so waiters cannot see that the owner is not running.
    var dropEvery: UInt64 = 0

    enum Tally: Sendable {
        case owner(window: MeasuredWindow, log: TransitionLog, halfRoundTrips: LatencyRecorder)
        case waiter(Waiter)
    }

    struct Waiter: Sendable {
        var window: MeasuredWindow
        var breakOuts: TransitionLog
        var withPV: LatencyRecorder
        var withoutPV: LatencyRecorder
        var preemptedEpisodes: UInt64
    }

    func body(_ context: PinnedThreadContext, _ control: RepetitionControl) -> Tally {
        context.index < settings.writers ? owner(context.index, control) : waiter(context.index - settings.writers, control)
    }

    private func owner(_ w: Int, _ control: RepetitionControl) -> Tally {
        let lock = SharedU32(locks[w])
        let own = RecordArray(base: hypervisor[w], stride: 1, count: 1)
        var log = TransitionLog(capacity: caseContext.logCapacity)
        let phase = control.phase
        let tail = max(1, runTicks / 4)
        var episodes: UInt64 = 0
        var halfRoundTrips = LatencyRecorder(conversion: control.conversion)
        let window = measuredLoop(control, thread: w) { measuring in
            episodes &+= 1
            lock.storeRelease(1)
            pvSpinUntil(CycleClock.now() &+ runTicks) { phase.isStopped }
            // Waiters whose answer shows the last release: theirs to this preemption can be timed.
            let armed = measuring ? answers.armed(writer: w, previous: 0) : 0
            let preempted = CycleClock.now()
            if dropEvery != 0, episodes % dropEvery == 0 {
                log.append(ticks: preempted, vcpu: w, state: 1 | TransitionLog.droppedBit)
                pvSpinUntil(preempted &+ preemptedTicks) { phase.isStopped }
            } else {
                pvHypervisorSetPreempted(S.self, flags: own, first: 0, step: 1, state: 1)
                log.append(ticks: preempted, vcpu: w, state: 1)
                answers.spin(writer: w, state: 1, armed: armed, start: preempted, until: preempted &+ preemptedTicks,
                             into: &halfRoundTrips) { phase.isStopped }
            }
            pvHypervisorSetPreempted(S.self, flags: own, first: 0, step: 1, state: 0)
            pvSpinUntil(CycleClock.now() &+ tail) { phase.isStopped }
            let released = CycleClock.now()
            lock.storeRelease(0)
            log.append(ticks: released, vcpu: w, state: 0)
            pvSpinUntil(released &+ tail) { phase.isStopped }
            return 1
        }
        lock.storeRelease(0)
        return .owner(window: window, log: log, halfRoundTrips: halfRoundTrips)
    }

    private func waiter(_ r: Int, _ control: RepetitionControl) -> Tally {
        let o = r % settings.writers
        let lock = SharedU32(locks[o])
        let ownerFlag = guest[o]
        let phase = control.phase
        var breakOuts = TransitionLog(capacity: caseContext.logCapacity)
        var withPV = LatencyRecorder(conversion: control.conversion)
        var withoutPV = LatencyRecorder(conversion: control.conversion)
        var preemptedEpisodes: UInt64 = 0

        func spin(honouring: Bool) -> SpinExit {
            while true {
                let r = pvGuestSpinOnOwner(S.self, lock: lock, ownerFlag: ownerFlag, honoursPreempted: honouring,
                                           maxSpins: 4096)
                if r.exit != .budget || phase.isStopped { return r.exit }
            }
        }

        let window = measuredLoop(control, thread: settings.writers + r) { measuring in
            // Not spinning yet: wait for the owner to take the lock.
            while lock.loadAcquire() == 0 {
                if phase.isStopped { return 0 }
                pv_cpu_relax()
            }
            let start = CycleClock.now()
            let exit = spin(honouring: true)
            let stopped = CycleClock.now()
            // After the stamp, as preempt-poll's reader: with the answer's store first, the stamp waited for it.
            if exit == .ownerPreempted { answers.answer(reader: r, vcpu: o, state: 1) }
            guard exit != .budget else { return 0 }  // stopped mid-episode
            var released = stopped
            if exit == .ownerPreempted {
                if measuring { breakOuts.append(ticks: stopped, vcpu: o, state: 1) }
                let end = spin(honouring: false)
                answers.answer(reader: r, vcpu: o, state: 0)
                guard end == .released else { return 0 }
                released = CycleClock.now()
            }
            if measuring {
                withPV.record(fromTicks: start, toTicks: stopped)
                withoutPV.record(fromTicks: start, toTicks: released)
                if exit == .ownerPreempted { preemptedEpisodes &+= 1 }
            }
            return 1
        }
        return .waiter(Waiter(window: window, breakOuts: breakOuts, withPV: withPV, withoutPV: withoutPV,
                              preemptedEpisodes: preemptedEpisodes))
    }

    func summarize(_ tallies: [Tally], clock: CycleClock) -> RepetitionFigures {
        var ownerLogs: [TransitionLog] = [], waiters: [Waiter] = []
        var episodes: UInt64 = 0, halfRoundTrips: [LatencyRecorder] = []
        for t in tallies {
            switch t {
            case let .owner(window, log, trips):
                ownerLogs.append(log)
                halfRoundTrips.append(trips)
                episodes += window.operations
            case let .waiter(w): waiters.append(w)
            }
        }
        defer { (ownerLogs + waiters.map(\.breakOuts)).forEach { $0.deallocate() } }
        var breakOut = LatencyRecorder(conversion: clock.conversion)
        let (matched, unmatched) = VisibilityMatcher.match(observations: waiters.map(\.breakOuts), writerLogs: ownerLogs,
                                                           conversion: clock.conversion, into: &breakOut)
        let withPV = LatencyDistribution(merging: waiters.map(\.withPV))
        let withoutPV = LatencyDistribution(merging: waiters.map(\.withoutPV))
        var counters: [String: Double] = [:]
        let step = FlipAnswers.recordedStep(clock)
        counters.merge(LatencyDistribution(merging: halfRoundTrips).counters(prefix: "breakout_", step: step)) { a, _ in a }
        let oneWay = LatencyDistribution(merging: [breakOut])
        if !oneWay.isEmpty { counters["breakout_one_way_raw_p50_ns"] = Double(oneWay.percentile(50)) }
        counters.merge(withPV.counters(prefix: "spin_with_pv_")) { a, _ in a }
        counters.merge(withoutPV.counters(prefix: "spin_without_pv_")) { a, _ in a }
        let rates = waiters.compactMap { $0.window.rate(clock.conversion) }
        counters["episodes_per_second"] = rates.mean
        counters["owner_episodes"] = Double(episodes)
        counters["preempted_episodes_seen"] = Double(waiters.reduce(0) { $0 + $1.preemptedEpisodes })
        counters["breakout_matched"] = Double(matched)
        if !withPV.isEmpty, !withoutPV.isEmpty {
            counters["spin_saved_per_episode_ns"] = withoutPV.mean - withPV.mean
            counters["spin_saved_fraction"] = withoutPV.mean > 0 ? 1 - withPV.mean / withoutPV.mean : 0
        }
        if dropEvery > 0 {
            let skipped = ownerLogs.reduce(UInt64(0)) { total, log in total + log.recorded.filter(\.dropped).count.toUInt64 }
            counters["preempt_stores_skipped"] = Double(skipped)
            // Each skipped store hid one whole preemption from the waiters.
            counters["stale_ns_total"] = Double(skipped) * Double(settings.preemptedDuration)
        }
        var notes: [String] = []
        if unmatched > 0 { notes.append("\(unmatched) break-outs matched no preemption (clock skew?)") }
        let operations = waiters.reduce(UInt64(0)) { $0 + $1.window.operations }
        return RepetitionFigures(iterations: Int64(operations), nanosecondsPerOperation: withPV.isEmpty ? 0 : withPV.mean,
                                 counters: counters, notes: notes)
    }
}

extension Int {
    fileprivate var toUInt64: UInt64 { UInt64(self) }
}
