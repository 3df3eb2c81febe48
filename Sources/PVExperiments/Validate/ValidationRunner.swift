import Foundation
import PVABI
import PVRuntime
import Synchronization
import PVHost

/// Runs validation cases: one hypervisor writer and N guest readers, pinned
/// as the placement says, race on one record in guest memory placed on the
/// planned node; each reader checks every value with a ``TornReadDetector``.
public struct ValidationRunner: Sendable {
    public let placement: Placement
    public let budget: ValidationBudget
    public let detail: DetectorDetail
    /// Converts the detector's cycle-counter ticks to ns.
    public let clock: TickConversion

    /// - Throws: ``ValidationSetupError`` when the placement lets threads share
    ///   a CPU (a torn read needs the writer and reader truly in parallel) or
    ///   the budget is not positive.
    public init(placement: Placement, budget: ValidationBudget, detail: DetectorDetail = .firstViolation,
                clock: TickConversion) throws {
        try Self.checkParallelism(placement)
        switch budget {
        case let .duration(s) where !(s > 0 && s.isFinite):
            throw ValidationSetupError.badBudget("duration must be a positive number of seconds, got \(s)")
        case .reads(0):
            throw ValidationSetupError.badBudget("read count must be at least 1")
        default: break
        }
        self.placement = placement
        self.budget = budget
        self.detail = detail
        self.clock = clock
    }

    /// Throws unless every thread of the placement has a CPU of its own.
    public static func checkParallelism(_ placement: Placement) throws {
        let cpus = placement.writerCPUs + placement.readerCPUs
        guard !placement.sharesCPUs, !placement.writerCPUs.isEmpty, !placement.readerCPUs.isEmpty,
              Set(cpus).count == cpus.count
        else { throw ValidationSetupError.noParallelism(writerCPUs: placement.writerCPUs, readerCPUs: placement.readerCPUs) }
    }

    /// Runs one case. `progress`, when given, is called about every 200 ms
    /// with the reads so far (all readers) and seconds elapsed.
    public func run(_ validationCase: ValidationCase,
                    progress: (@Sendable (UInt64, Double) -> Void)? = nil) throws -> ValidationCaseResult {
        // Dispatch names each concrete strategy, so the loops are specialised.
        struct Visitor: StrategyVisitor {
            let runner: ValidationRunner
            let validationCase: ValidationCase
            let progress: (@Sendable (UInt64, Double) -> Void)?
            func visit<S: OrderingStrategy>(_ strategy: S.Type) throws -> ValidationCaseResult {
                try runner.run(S.self, validationCase, progress: progress)
            }
        }
        guard let result = try validationCase.strategy.dispatch(
            validationCase.target, to: Visitor(runner: self, validationCase: validationCase, progress: progress))
        else { throw ValidationSetupError.strategyDoesNotApply(validationCase.strategy, validationCase.target) }
        return result
    }

    func run<S: OrderingStrategy>(_: S.Type, _ validationCase: ValidationCase,
                                  progress: (@Sendable (UInt64, Double) -> Void)?) throws -> ValidationCaseResult {
        let race = try self.race(S.self, mode: validationCase.mode, limit: validationCase.tearInvisibleReason,
                                 progress: progress)
        return ValidationCaseResult(validationCase: validationCase, claimsSafety: validationCase.strategy.claimsSafety, race: race)
    }

    /// What one race measured, before it is named as a case.
    struct Race {
        var readers: [ReaderVerdict]
        var writes: UInt64
        var elapsedNanoseconds: UInt64
        var timeToFirstViolationNanoseconds: UInt64?
        var threads: [PinnedThreadReport]
        var runLimit: String?
    }

    /// For code pvbench does not own (a C strategy): `enter` runs on each
    /// thread, with its name, before its loop; a thread still running
    /// `grace` after the run was stopped is hung, and so (under `--reads`,
    /// which has no deadline to stop at) are the readers when no read
    /// completes for `grace`; `onHang` gets the names of every such thread
    /// and what they did not do (it does not return: it ends the process).
    struct Guard: Sendable {
        let enter: @Sendable (String) -> Void
        let grace: Duration
        let onHang: @Sendable (_ threads: [String], _ why: String) -> Never
        /// Undoes `enter` on a thread that goes on with pvbench's own code.
        var leave: @Sendable () -> Void = {}
    }

    /// Races the writer against the readers on one record of strategy `S`.
    /// `limit`: why a clean result proves nothing whatever the hardware does, if so.
    func race<S: RecordStrategy>(_: S.Type, mode: DetectorMode, limit: String?, guarded: Guard? = nil,
                                 progress: (@Sendable (UInt64, Double) -> Void)?) throws -> Race {
        let memory = try GuestMemory(ramBytes: 0, pvPages: 1, backing: NUMAMemoryBacking(nodes: placement.memoryNodes))
        let address = UInt(bitPattern: memory.pvRegionBase)
        if let guarded {
            // The records' first values go through the file's writer on this
            // thread, before the loops' watchdog starts: watched as `run --c` does.
            guarded.enter("pvbench (main)")
            let setup = ScenarioRunner.SetupWatch(grace: guarded.grace, onHang: guarded.onHang)
            StrategyLoops.prepare(S.self, base: memory.pvRegionBase, mode: mode)
            setup.end()
            guarded.leave()
        } else {
            StrategyLoops.prepare(S.self, base: memory.pvRegionBase, mode: mode)
        }

        let specs = placement.threadSpecs()
        let writerCount = placement.writerCPUs.count
        let readerCount = placement.readerCPUs.count
        let maxReads: UInt64 = if case let .reads(n) = budget { n } else { .max }
        let stop = StopFlag()
        let readersLeft = Atomic<Int>(readerCount)
        let verdicts = Mutex<[ReaderVerdict]>([])
        let running = Mutex<[String]>([])
        let writes = Atomic<UInt64>(0)
        let reads = ReadProgress()
        let detail = self.detail

        let started = ContinuousClock.now
        let watcher = LoopThread.watcher(stop: stop, deadline: budget.deadline(from: started), progress: progress, reads: reads,
                                         started: started)
        defer { watcher.finish() }
        let watchdog = guarded.map { g in
            LoopThread.watchdog(stop: stop, grace: g.grace, reads: maxReads == .max ? nil : reads) { running.withLock { $0 } } onHang: { g.onHang($0, $1) }
        }
        defer { watchdog?.finish() }
        let threads = try PinnedThreads.run(specs, stop: stop) { context in
            let base = UnsafeMutableRawPointer(bitPattern: address)!
            let name = specs[context.index].role.name
            if let guarded {
                guarded.enter(name)
                running.withLock { $0.append(name) }
            }
            defer { if guarded != nil { running.withLock { $0.removeAll { $0 == name } } } }
            if context.index < writerCount {
                // One writer per record, as in KVM; extra writer threads would race each other.
                guard context.index == 0 else { return }
                writes.store(Self.writerThread(S.self, base: base, mode: mode, stop: context.stop), ordering: .relaxed)
            } else {
                let verdict = Self.readerThread(S.self, base: base, mode: mode, detail: detail, maxReads: maxReads,
                                                stop: context.stop, progress: reads)
                verdicts.withLock { $0.append(verdict) }
                if readersLeft.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { context.stop.stop() }
            }
        }
        let elapsed = started.duration(to: .now)
        let readers = verdicts.withLock { $0 }
        let written = writes.load(ordering: .relaxed)
        // Past its end the spec sequence repeats its last value: later tears
        // would be invisible, so a clean result proves less than it says.
        let runLimit = mode == .spec && S.Target.specIsMonotonic && written > SpecSequence.lastIndex
            ? "the writer ran past the end of the spec sequence (\(SpecSequence.lastIndex) writes) and repeated its last value"
            : limit
        return Race(
            readers: readers, writes: written,
            elapsedNanoseconds: UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000),
            timeToFirstViolationNanoseconds: readers.compactMap { $0.firstViolation?.ticksSinceStart }.min().map { clock.nanoseconds($0) },
            threads: threads, runLimit: runLimit)
    }

    /// The hypervisor writer's loop, a named function for `perf report`.
    @inline(never)
    static func writerThread<S: RecordStrategy>(_: S.Type, base: UnsafeMutableRawPointer, mode: DetectorMode,
                                                  stop: StopFlag) -> UInt64 {
        StrategyLoops.runWriter(S.self, base: base, mode: mode, stop: stop).writes
    }

    /// A guest reader's loop, a named function for `perf report`.
    @inline(never)
    static func readerThread<S: RecordStrategy>(_: S.Type, base: UnsafeMutableRawPointer, mode: DetectorMode,
                                                  detail: DetectorDetail, maxReads: UInt64, stop: StopFlag,
                                                  progress: ReadProgress) -> ReaderVerdict {
        var detector = TornReadDetector<S.Target>(mode: mode, detail: detail)
        StrategyLoops.runReader(S.self, base: base, detector: &detector, maxReads: maxReads, stop: stop, progress: progress)
        return detector.verdict
    }
}

extension ValidationBudget {
    func deadline(from start: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        if case let .duration(s) = self { return start + .nanoseconds(Int64(s * 1e9)) }
        return nil
    }
}

extension LoopThread {
    /// Stops the run at its deadline and reports progress.
    static func watcher(stop: StopFlag, deadline: ContinuousClock.Instant?, progress: (@Sendable (UInt64, Double) -> Void)?,
                        reads: ReadProgress, started: ContinuousClock.Instant) -> LoopThread {
        LoopThread { goOn in
            var lastReport = ContinuousClock.now
            while goOn() {
                let now = ContinuousClock.now
                if let deadline, now >= deadline { stop.stop() }
                if let progress, now - lastReport >= .milliseconds(200) {
                    lastReport = now
                    let elapsed = started.duration(to: now)
                    progress(reads.reads, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                }
                usleep(5_000)
            }
        }
    }

    /// Ends the process when a guarded thread is still running `grace` after
    /// the run was stopped: a C strategy's reader or writer that never returns.
    /// With `reads` (a run bounded by a read count, with no deadline): also
    /// when no read completes for `grace` before the stop, naming the readers.
    /// `stillRunning` says where the threads are (`running` may cover more
    /// than the file's calls), `since` what `stop` marks.
    static func watchdog(stop: StopFlag, grace: Duration, reads: ReadProgress? = nil, stillRunning: String = "still inside the file's code",
                         since: String = "the run was stopped", running: @escaping @Sendable () -> [String],
                         onHang: @escaping @Sendable ([String], String) -> Never) -> LoopThread {
        LoopThread { goOn in
            var stoppedAt: ContinuousClock.Instant?
            var lastReads = (count: reads?.reads ?? 0, at: ContinuousClock.now)
            while goOn() {
                if stoppedAt == nil, stop.isStopped { stoppedAt = .now }
                if let stoppedAt, stoppedAt.duration(to: .now) > grace {
                    let hung = running()
                    if !hung.isEmpty { onHang(hung, "\(stillRunning) \(grace) after \(since)") }
                }
                if stoppedAt == nil, let reads {
                    let now = ContinuousClock.now
                    if reads.reads != lastReads.count {
                        lastReads = (reads.reads, now)
                    } else if lastReads.at.duration(to: now) > grace {
                        let readers = running().filter { !$0.hasPrefix("hv-") }
                        if !readers.isEmpty { onHang(readers, "completed no read for \(grace) (the run is bounded by --reads, not a deadline)") }
                    }
                }
                usleep(20_000)
            }
        }
    }
}

/// A loop on a thread of its own, stopped by ``finish()``, which returns
/// only once the loop has exited (so nothing it touches is freed under it).
final class LoopThread: Sendable {
    private let done = Atomic<Bool>(false)
    private let exited = Atomic<Bool>(false)

    /// Starts `loop` on a new thread; its argument says whether to go on.
    init(_ loop: @escaping @Sendable (_ goOn: () -> Bool) -> Void) {
        Thread { [self] in
            loop { !done.load(ordering: .acquiring) }
            exited.store(true, ordering: .releasing)
        }.start()
    }

    func finish() {
        done.store(true, ordering: .releasing)
        while !exited.load(ordering: .acquiring) { usleep(1_000) }
    }
}
