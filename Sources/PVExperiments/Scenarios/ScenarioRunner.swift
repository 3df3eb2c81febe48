import CPVPlatform
import PVABI
import PVRuntime
import Synchronization
import PVHost
import PVResults
import PVRecords

/// Runs one `pvbench run` case: plans the placement, builds the emulated
/// machine on the planned NUMA node, prepares the records, runs the
/// repetitions of the scenario specialised for the strategy, and returns the
/// result rows.
public struct ScenarioRunner: Sendable {
    public let topology: Topology
    public let clock: CycleClock
    /// Polled while a repetition runs; true stops it (SIGINT/SIGTERM).
    public let isInterrupted: @Sendable () -> Bool

    /// perf_event counters to read per thread over each measured window.
    public var perfEvents: [PerfEvent]?
    /// When a measured window counts as disturbed.
    public var disturbanceRule = DisturbanceRule()
    /// What a disturbed repetition does to the aggregates when this runner
    /// repeats a case itself (``RoundRunner`` retries; this runner alone does
    /// not, so `retry` leaves disturbed repetitions out like `drop`).
    public var disturbedPolicy: DisturbedPolicy = .keep
    /// One-way c2c latency per (writer, reader) CPU pair, measured once a run.
    private let c2cCache = C2CFloorCache()
    /// Hold the first repetition's threads until released (`--pause-before-start`).
    public var pauseBeforeStart: Bool { get { pause.pending.load(ordering: .relaxed) } set { pause.pending.store(newValue, ordering: .relaxed) } }
    private let pause = PauseOnce()
    /// Set while a case of a C strategy file runs: the file, and which
    /// repetition of how many this run is (one at a time under ``RoundRunner``).
    var foreignCode: (file: LoadedCStrategy, repetition: (index: Int, total: Int)?)?
    /// Watches this thread's calls into a C strategy file before the first repetition.
    var setupWatch: SetupWatch?
    /// Run when a C strategy file's thread hangs, just before the process
    /// ends: e.g. removing the files' build directories.
    public var beforeHangExit: @Sendable () -> Void = {}

    public init(topology: Topology, clock: CycleClock, isInterrupted: @escaping @Sendable () -> Bool = { false }) {
        self.topology = topology
        self.clock = clock
        self.isInterrupted = isInterrupted
    }

    /// A hang watchdog over the calling thread from a C-file case's start
    /// until ``end()`` (the first repetition starts): the records' first
    /// values are stored through the file on this thread (``CaseBuilder``,
    /// overcommit's scheduler), where no repetition's watchdog looks.
    final class SetupWatch: Sendable {
        private let ended: StopFlag
        private let watchdog: LoopThread

        init(grace: Duration, onHang: @escaping @Sendable ([String], String) -> Never) {
            let began = StopFlag(), ended = StopFlag()
            began.stop()
            self.ended = ended
            watchdog = LoopThread.watchdog(stop: began, grace: grace, stillRunning: "still in the case's setup (storing the records' first values)",
                                           since: "it began", running: { ended.isStopped ? [] : ["pvbench (main)"] }, onHang: onHang)
        }

        /// Idempotent.
        func end() {
            ended.stop()
            watchdog.finish()
        }
    }

    /// The pause applies once, to the first repetition run.
    final class PauseOnce: Sendable {
        let pending = Atomic<Bool>(false)
        func take() -> Bool { pending.exchange(false, ordering: .relaxed) }
    }

    /// Reads per kernel call for read loops (one clock read per call).
    /// 16384 keeps a clock read and a histogram record under 1% of even an
    /// uncontended 0.25 ns read, and a batch under 100 µs when contended.
    static let readBatch = 16384

    /// Runs one case; `repetition` (1-based, of `total`) names it in the
    /// message of a C strategy file that crashes or hangs.
    public func run(_ settings: RunSettings, repetition: (index: Int, total: Int)? = nil) throws -> CaseResult {
        do { try settings.validate() } catch { throw ScenarioError.invalidSettings(error.description) }
        var request = settings.placement
        request.writers = settings.writers
        request.readers = settings.readers
        var placement = try PlacementPlanner.plan(request, on: topology)
        if settings.faults.unpinnable {
            // A CPU that went away after planning: the first CPU number this
            // process may not use. Pinning must refuse before anything runs.
            let usable = Set(topology.usableCPUs)
            let gone = (0 ... (topology.cpus.map(\.id).max() ?? 0) + 1).first { !usable.contains($0) }!
            if placement.readerCPUs.isEmpty { placement.writerCPUs[0] = gone } else { placement.readerCPUs[0] = gone }
        }
        var runner = self
        runner.foreignCode = settings.strategy.cFile.map { ($0, repetition) }
        runner.setupWatch = nil
        guard let file = settings.strategy.cFile else { return try settings.scenario.type.run(settings, placement: placement, on: runner) }
        // A crash while the case runs ends the process with one line (exit 70);
        // nothing is written after it. The guard covers the whole case, not
        // just the file's calls (a flag around each call would cost the
        // measured loops), so the line names the case, not the file, as the
        // one that crashed or hung.
        _ = pv_crash_guard_install("pvbench: error: the case of C strategy \(file.source)", "case \(settings.name)")
        defer { pv_crash_guard_uninstall() }
        // This thread calls the file too: overcommit's scheduler stores the records' first values here.
        pv_crash_guard_enter_thread("pvbench (main)")
        defer { pv_crash_guard_leave_thread() }
        // Its calls (the records' first values) are watched for a hang until
        // the first repetition starts, whose threads have their own watchdog.
        let setup = SetupWatch(grace: CStrategyValidation.hangGrace, onHang: hangExit)
        runner.setupWatch = setup
        defer { setup.end() }
        return try settings.scenario.type.run(settings, placement: placement, on: runner)
    }

    /// The guard of a C strategy file's threads in one repetition
    /// (`index`: 0-based in this call): names the repetition for the crash
    /// handler, and ends the process when a thread hangs.
    func foreignCodeGuard(repetition index: Int, of settings: RunSettings, name: String) -> ValidationRunner.Guard? {
        guard let first = foreignCode?.repetition ?? (foreignCode == nil ? nil : (1, settings.repetitions)) else { return nil }
        let n = first.index + index, total = first.total
        pv_crash_guard_set_context("repetition \(n)\(n <= total ? "/\(total)" : " (a retry)") of case \(name)")
        return ValidationRunner.Guard(enter: { pv_crash_guard_enter_thread($0) }, grace: CStrategyValidation.hangGrace, onHang: hangExit)
    }

    /// Ends the process for C-file threads that hung: ``beforeHangExit``, then one line.
    private var hangExit: @Sendable ([String], String) -> Never {
        let cleanup = beforeHangExit
        return { names, why in
            cleanup()
            pv_crash_guard_abort("thread(s) \(names.joined(separator: ", ")) \(why)")
        }
    }

    /// ns → counter ticks of ``clock``.
    func ticks(_ ns: UInt64) -> UInt64 { UInt64((Double(ns) * clock.frequencyHz / 1e9).rounded()) }

    /// One-way c2c latency on the writer/reader CPU pair of `placement`,
    /// measured now for `seconds`, to put visibility latency beside it.
    func c2cFloor(_ placement: Placement, seconds: Double) throws -> Double? {
        guard let w = placement.writerCPUs.first, let r = placement.readerCPUs.first, w != r else { return nil }
        if let known = c2cCache.value(w, r) { return known }
        var request = PlacementRequest(writers: 1, readers: 1, relation: .auto, memory: .node(placement.memoryNodes.first ?? 0))
        request.writerCPUs = [w]
        request.readerCPUs = [r]
        var settings = RunSettings(scenario: .c2c, placement: request, duration: seconds, warmup: 0.05, repetitions: 1)
        settings.placement = request
        let result = try run(settings)
        let floor = result.median?.counters["one_way_ns"]
        if let floor { c2cCache.store(w, r, floor) }
        return floor
    }

    /// Runs the repetitions of `workload` and turns them into result rows.
    func repeatCase<W: ScenarioWorkload>(_ workload: W, _ settings: RunSettings, _ placement: Placement,
                                         pages: PagePlacementReport?, extra: [String: Double],
                                         name: String? = nil) throws -> CaseResult
    {
        var driver = RepetitionDriver(warmup: settings.warmup, duration: settings.duration,
                                      oversubscribe: placement.sharesCPUs, clock: clock, isInterrupted: isInterrupted)
        driver.perfEvents = perfEvents
        driver.disturbanceRule = settings.scenario.type.descheduledByDesign ? .never : disturbanceRule
        let name = name ?? settings.name
        let headline = settings.scenario.figures
        var rows: [BenchmarkEntry] = []
        var reports: [PinnedThreadReport] = []
        var violations = ReaderCounts()
        var firstViolation: String?
        var warnings: [RunWarning] = []
        var interrupted = false
        var perfUnavailable: [String] = []
        setupWatch?.end()
        for repetition in 0 ..< settings.repetitions {
            driver.pauseBeforeStart = pause.take()
            driver.guarded = foreignCodeGuard(repetition: repetition, of: settings, name: name)
            let outcome = try driver.run(workload)
            reports = outcome.reports
            var figures = workload.summarize(outcome.tallies, clock: clock)
            if perfEvents != nil {
                let (counters, missing) = Self.perfFigures(outcome.perf, roles: workload.threads.map(\.role))
                figures.counters.merge(counters) { a, _ in a }
                perfUnavailable = missing
            }
            figures.counters.merge(extra) { a, _ in a }
            violations = violations + figures.violations
            firstViolation = firstViolation ?? figures.firstViolation
            warnings += figures.notes.map { RunWarning(.runCase, "\(name): \($0)") }
            for report in outcome.reports where !report.stayedOnPlannedCPU {
                warnings.append(RunWarning(.runCase, "\(name): thread \(report.name) planned on CPU \(report.plannedCPU) was seen on "
                    + "\(report.observedCPUAtStart)/\(report.observedCPUAtEnd)"))
            }
            rows.append(BenchmarkEntry(
                name: name, repetitions: settings.repetitions, repetitionIndex: repetition, threads: workload.threads.count,
                iterations: figures.iterations, realTime: figures.nanosecondsPerOperation,
                cpuTime: figures.nanosecondsPerOperation, label: Self.label(placement),
                scenario: settings.scenario.rawValue, strategy: settings.target == nil ? nil : settings.strategy.description,
                layout: settings.target == nil ? nil : settings.layout.rawValue, counters: figures.counters))
            rows[rows.count - 1].disturbance = outcome.disturbance
            if disturbedPolicy != .keep, outcome.disturbance?.disturbed == true { rows[rows.count - 1].excluded = true }
            if outcome.interrupted { interrupted = true; break }
        }
        let (aggregates, allSpread) = rows.isEmpty ? ([], []) : BenchmarkEntry.aggregates(of: rows)
        // Warn about the figures a reader quotes, not every percentile.
        let spread = RunWarning.keeping(allSpread, quoted: headline.quoted.map(\.key))
        var result = CaseResult(settings: settings, entries: rows + (rows.count > 1 ? aggregates : []), placement: placement,
                          threads: reports, pages: pages, warnings: warnings + spread, violations: violations,
                          firstViolation: firstViolation, interrupted: interrupted, perfUnavailable: perfUnavailable)
        result.disturbedRepetitions = rows.filter { $0.disturbance?.disturbed == true }.count
        return result
    }

    /// Per-operation perf figures: guest threads (readers; the c2c initiator)
    /// averaged as `<event>_per_op`, hypervisor writers as `hv_<event>_per_op`;
    /// and one line per counter that could not be read, with why.
    static func perfFigures(_ perf: [Int: (readings: PerfCounterReadings, operations: UInt64)],
                            roles: [ThreadRole]) -> (counters: [String: Double], unavailable: [String])
    {
        var sums: [String: (Double, Int)] = [:]
        var unavailable: [String] = []
        for (index, entry) in perf.sorted(by: { $0.key < $1.key }) where index < roles.count {
            let isGuest = roles[index].kind == .guestReader || roles[index] == C2CScenario.initiator
            let perOp = entry.readings.perOperation(entry.operations)
            for (key, value) in perOp.counters {
                let k = isGuest ? key : "hv_" + key
                sums[k, default: (0, 0)].0 += value
                sums[k, default: (0, 0)].1 += 1
            }
            for line in perOp.contextLines where !unavailable.contains(line) { unavailable.append(line) }
        }
        return (sums.mapValues { $0.0 / Double($0.1) }, unavailable)
    }

    public static func label(_ p: Placement) -> String {
        func cpus(_ c: [Int]) -> String { c.map(String.init).joined(separator: ",") }
        return "writers \(cpus(p.writerCPUs)) readers \(cpus(p.readerCPUs)) memory node \(cpus(p.memoryNodes)) (\(p.relation))"
    }
}

/// c2c floors already measured in this run, by CPU pair.
final class C2CFloorCache: Sendable {
    private let floors = Mutex<[Int: Double]>([:])
    func value(_ w: Int, _ r: Int) -> Double? { floors.withLock { $0[w << 16 | r] } }
    func store(_ w: Int, _ r: Int, _ v: Double) { floors.withLock { $0[w << 16 | r] = v } }
}

/// Why a case could not run.
public enum ScenarioError: Error, Equatable, CustomStringConvertible {
    case invalidSettings(String)
    case layoutTooSmall(strategy: String, needs: Int, layout: String, gives: Int)

    public var description: String {
        switch self {
        case let .invalidSettings(why): why
        case let .layoutTooSmall(strategy, needs, layout, gives):
            "\(strategy) needs \(needs) bytes per vCPU record slot (seqlocks keep their sequence word after the "
                + "16-byte record; straddle places the field across a cache line) but the \(layout) layout gives "
                + "\(gives): use a layout with wider slots ("
                + VCPULayout.allCases.filter { $0.stride(for: .stolenTime) >= needs }.map(\.rawValue).joined(separator: ", ") + ")"
        }
    }
}
