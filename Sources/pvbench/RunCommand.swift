import ArgumentParser
import Foundation
import PVRuntime
import PVHost
import PVResults
import PVExperiments

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run hypervisor/guest scenarios on pinned threads and measure the guest's hot paths.",
        discussion: """
            One case (--scenario, --strategy, --layout, …) or a named suite (--suite smoke|default|full|soak). Each case \
            warms up, then runs --repetitions measured repetitions of --duration and reports the median with its \
            spread. Every read also goes through the torn-read detector (counts only): a strategy that claims \
            safety and shows a torn or backwards value makes the exit status 1. Ctrl-C stops the threads, writes \
            what was measured marked "interrupted": true, and exits 130 (143 for SIGTERM). `pvbench list` shows \
            the scenarios, strategies, layouts and suites.
            """)

    @Option(help: ArgumentHelp("A named set of cases: \(Suite.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var suite: String?

    @Option(help: ArgumentHelp("Scenario: \(ScenarioKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var scenario: String?

    @Option(help: ArgumentHelp("Ordering strategy (see `pvbench list`).", valueName: "name"))
    var strategy: String = StrategyKind.relaxed.rawValue

    @Option(help: ArgumentHelp("Record layout: \(VCPULayout.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var layout: String = VCPULayout.cacheline.rawValue

    @Option(help: ArgumentHelp("Guest kernel implementation: swift or c (CPVReference).", valueName: "impl"))
    var impl: String = Implementation.swift.rawValue

    @Option(help: "vCPUs emulated (records in the region).")
    var vcpus: Int = 1

    @Option(help: "Guest reader threads.")
    var readers: Int = 1

    @Option(help: "Hypervisor writer threads.")
    var writers: Int = 1

    @Option(help: ArgumentHelp("Writer/reader relation: \(PlacementRelation.spellings).", valueName: "relation"))
    var placement: String = PlacementRelation.auto.rawValue

    @Option(help: ArgumentHelp("Where the shared region goes: \(MemoryPolicy.spellings).", valueName: "policy"))
    var memory: String = "writer-node"

    @Option(name: .customLong("writer-cpus"), help: ArgumentHelp("Exact writer CPUs, e.g. 0,2.", valueName: "list"))
    var writerCPUs: String?

    @Option(name: .customLong("reader-cpus"), help: ArgumentHelp("Exact reader CPUs, e.g. 1,3.", valueName: "list"))
    var readerCPUs: String?

    @Flag(help: "Allow more threads than CPUs (reported in the result).")
    var oversubscribe = false

    @Option(help: ArgumentHelp("Measured time per repetition, e.g. 2s, 500ms (default 1s; a suite's own otherwise).", valueName: "time"))
    var duration: String?

    @Option(help: ArgumentHelp("Warm-up before each repetition (default 200ms).", valueName: "time"))
    var warmup: String = "200ms"

    @Option(help: "Measured repetitions per case (default 3; a suite's own otherwise).")
    var repetitions: Int?

    @Option(help: ArgumentHelp("steal-clock, idle-scan: time between hypervisor updates; 0 = back to back.", valueName: "time"))
    var updateInterval: String = "0"

    @Option(help: ArgumentHelp("preempt-poll, spin-on-owner: time a vCPU runs between preemptions.", valueName: "time"))
    var runDuration: String = "20us"

    @Option(help: ArgumentHelp("preempt-poll, spin-on-owner: time a vCPU stays preempted.", valueName: "time"))
    var preemptedDuration: String = "20us"

    @Option(help: ArgumentHelp("overcommit: guest workload on the vCPUs: \(OvercommitSettings.Workload.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var workload: String = OvercommitSettings.Workload.probe.rawValue

    @Option(help: ArgumentHelp("overcommit: host CPUs the vCPUs share, e.g. 0-1 (default: the first two usable).", valueName: "list"))
    var cpus: String?

    @Option(help: ArgumentHelp("overcommit: time slice a vCPU runs before it is preempted (default 1ms).", valueName: "time"))
    var slice: String = "1ms"

    @Option(help: ArgumentHelp("overcommit --workload lock: work inside the critical section, and as much outside (default 2us).", valueName: "time"))
    var cs: String = "2us"

    @Option(name: .customLong("pv-sched"), help: ArgumentHelp("overcommit: the host writes preempted (on, openEuler), not (off, upstream arm64), or both in interleaved rounds with their ratio.", valueName: "on|off|both"))
    var pvSched: String = OvercommitSettings.PVSched.on.rawValue

    @Option(help: ArgumentHelp("Inject a fault (repeatable): \(InjectedFault.spellings).", valueName: "fault"))
    var inject: [String] = []

    @Flag(help: "c2c: measure every ordered pair of allowed CPUs.")
    var matrix = false

    @Flag(help: "Run each case with the Swift and the C reference kernel, interleaved, and print Swift/C ratios (no --scenario: every read loop with a C kernel).")
    var compareImpl = false

    @Flag(help: "Read hardware and software counters per thread (perf_event_open) and report them per operation.")
    var perfCounters = false

    @Flag(help: "Hold the threads once pinned, print pid and thread ids for perf, start on Enter or SIGUSR1.")
    var pauseBeforeStart = false

    @Option(help: ArgumentHelp("Write results as google-benchmark JSON to FILE.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write results as CSV to FILE.", valueName: "file"))
    var csv: String?

    @Flag(help: "Overwrite existing --json/--csv files.")
    var force = false

    func validate() throws {
        if let suite, Suite(rawValue: suite) == nil {
            throw ValidationError("unknown suite '\(suite)'; valid: \(Suite.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if suite == nil, scenario == nil, !compareImpl {
            throw ValidationError("give --scenario NAME or --suite NAME (scenarios: \(ScenarioKind.allCases.map(\.rawValue).joined(separator: ", ")); suites: \(Suite.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if suite != nil, scenario != nil { throw ValidationError("--suite and --scenario exclude each other") }
        if let scenario, ScenarioKind(rawValue: scenario) == nil {
            throw ValidationError("unknown scenario '\(scenario)'; valid: \(ScenarioKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if StrategyKind(rawValue: strategy) == nil { throw ValidationError(StrategyNameError(name: strategy).description) }
        if VCPULayout(rawValue: layout) == nil {
            throw ValidationError("unknown layout '\(layout)'; valid: \(VCPULayout.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if Implementation(rawValue: impl) == nil { throw ValidationError("--impl accepts swift or c, got '\(impl)'") }
        if PlacementRelation(rawValue: placement) == nil {
            throw ValidationError("unknown placement '\(placement)'; valid: \(PlacementRelation.spellings)")
        }
        if MemoryPolicy(argument: memory) == nil {
            throw ValidationError("unknown memory policy '\(memory)'; valid: \(MemoryPolicy.spellings)")
        }
        if matrix, scenario != ScenarioKind.c2c.rawValue { throw ValidationError("--matrix goes with --scenario c2c") }
        for f in inject where InjectedFault.parse(f) == nil {
            throw ValidationError("--inject '\(f)' is not a fault; valid: \(InjectedFault.spellings)")
        }
        if compareImpl, !inject.isEmpty { throw ValidationError("--compare-impl measures clean kernels: leave out --inject") }
        _ = try settings()
    }

    /// The case(s) this invocation asks for, validated.
    func settings() throws -> [RunSettings] {
        var request = PlacementRequest(relation: PlacementRelation(rawValue: placement) ?? .auto,
                                       memory: MemoryPolicy(argument: memory) ?? .writerNode, oversubscribe: oversubscribe)
        request.writerCPUs = try writerCPUs.map { try parseCPUs($0, option: "--writer-cpus") }
        request.readerCPUs = try readerCPUs.map { try parseCPUs($0, option: "--reader-cpus") }
        let seconds = try duration.map { try DurationParser.seconds($0, option: "--duration") }
        if let seconds, !(seconds > 0) { throw ValidationError("--duration must be above 0, got '\(duration!)'") }
        var base = RunSettings(
            scenario: ScenarioKind(rawValue: scenario ?? "steal-clock") ?? .stealClock,
            strategy: StrategyKind(rawValue: strategy) ?? .relaxed, layout: VCPULayout(rawValue: layout) ?? .cacheline,
            implementation: Implementation(rawValue: impl) ?? .swift, vcpus: vcpus, readers: readers, writers: writers,
            placement: request, duration: seconds ?? 1, warmup: try DurationParser.seconds(warmup, option: "--warmup"),
            repetitions: repetitions ?? 3,
            updateInterval: try DurationParser.nanoseconds(updateInterval, option: "--update-interval"),
            runDuration: try DurationParser.nanoseconds(runDuration, option: "--run-duration"),
            preemptedDuration: try DurationParser.nanoseconds(preemptedDuration, option: "--preempted-duration"))
        guard base.warmup <= 3600 else { throw ValidationError("--warmup must be at most an hour, got '\(warmup)'") }
        guard base.updateInterval <= 100_000_000 else {
            throw ValidationError("--update-interval must be 0 ... 100ms (a hypervisor thread waits it out between updates), got '\(updateInterval)'")
        }
        base.warmup = min(base.warmup, max(base.duration, 0.01))
        base.faults = inject.compactMap(InjectedFault.parse)
        base.overcommit = try overcommitSettings()
        if suite == nil, let f = base.faults.first(where: { !$0.scenarios.contains(base.scenario) }) {
            throw ValidationError("--inject \(f.name) does nothing in \(base.scenario); it applies to "
                + f.scenarios.map(\.rawValue).joined(separator: ", "))
        }
        var cases: [RunSettings]
        if let suite = suite.flatMap(Suite.init(rawValue:)) {
            cases = suite.cases(base: base, duration: seconds, repetitions: repetitions)
        } else if compareImpl, scenario == nil {
            cases = ImplementationComparison.defaultCases(base: base)
        } else {
            cases = [base]
        }
        if compareImpl {
            cases = cases.filter { $0.scenario.implementations(for: $0.strategy).contains(.c) }
            guard !cases.isEmpty else {
                let withC = ScenarioKind.allCases.filter { !$0.type.cKernelStrategies.isEmpty }.map {
                    "\($0) (\($0.type.cKernelStrategies.map(\.rawValue).joined(separator: ", ")))"
                }
                throw ValidationError("--compare-impl: no C kernel for these cases; C kernels exist for "
                    + withC.joined(separator: ", "))
            }
        }
        for c in cases {
            do { try c.validate() } catch { throw ValidationError(error.commandLineMessage) }
        }
        return cases
    }

    /// `--workload`, `--cpus`, `--slice`, `--pv-sched`.
    func overcommitSettings() throws -> OvercommitSettings {
        guard let w = OvercommitSettings.Workload(rawValue: workload) else {
            throw ValidationError("unknown workload '\(workload)'; valid: \(OvercommitSettings.Workload.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let p = OvercommitSettings.PVSched(rawValue: pvSched) else {
            throw ValidationError("--pv-sched accepts \(OvercommitSettings.PVSched.allCases.map(\.rawValue).joined(separator: ", ")), got '\(pvSched)'")
        }
        let hostCPUs = try cpus.map { try parseCPUs($0, option: "--cpus") }
        return OvercommitSettings(workload: w, hostCPUs: hostCPUs,
                                  slice: try DurationParser.nanoseconds(slice, option: "--slice"), pvSched: p,
                                  criticalSection: try DurationParser.nanoseconds(cs, option: "--cs"))
    }

    func run() throws {
        var cases = try settings()
        // Everything that can be refused is refused before anything is measured.
        for path in [json, csv].compactMap({ $0 }) {
            if !force, FileManager.default.fileExists(atPath: path) {
                throw ValidationError("'\(path)' already exists; pass --force to replace it")
            }
            let dir = (path as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir.isEmpty ? "." : dir, isDirectory: &isDirectory),
                  isDirectory.boolValue, access(dir.isEmpty ? "." : dir, W_OK) == 0
            else { throw RuntimeError("cannot write \(path): \(dir.isEmpty ? "." : dir) is not a writable directory") }
        }
        let topology: Topology
        let clock: CycleClock
        do {
            topology = try Topology.live()
            clock = try CycleClock.calibrate()
        } catch { throw RuntimeError("\(error)") }
        if matrix {
            let cpus = topology.usableCPUs
            cases = cpus.flatMap { a in cpus.filter { $0 != a }.map { b in
                var c = cases[0]
                c.placement.writerCPUs = [a]
                c.placement.readerCPUs = [b]
                return c
            } }
            guard !cases.isEmpty else { throw RuntimeError("--matrix needs at least two usable CPUs; usable here: \(cpus)") }
        }

        for settings in cases {
            var request = settings.placement
            request.writers = settings.writers
            request.readers = settings.readers
            do { _ = try PlacementPlanner.plan(request, on: topology) } catch {
                throw ValidationError("\(settings.name): \(error)")
            }
            if settings.scenario == .overcommit {
                do { _ = try OvercommitScenario.preflight(settings, topology: topology) } catch {
                    throw ValidationError("\(settings.name): \(error)")
                }
            }
        }

        let monitor: InterruptMonitor
        do { monitor = try InterruptMonitor.install { _ in } } catch { throw RuntimeError("\(error)") }
        defer { monitor.uninstall() }
        var runner = ScenarioRunner(topology: topology, clock: clock, isInterrupted: { monitor.received != nil })
        runner.pauseBeforeStart = pauseBeforeStart
        if perfCounters {
            runner.perfEvents = PerfEvent.allCases
            let probe = PerfCounters.probe()
            FileHandle.standardError.write(Data((probe.summaryLines.joined(separator: "\n") + "\n").utf8))
        }
        let progress = ProgressLine()
        let overhead = HarnessOverheadProbe.measure(clock: clock)

        var results: [CaseResult] = []
        var comparisons: [ImplementationComparison] = []
        var pvSchedComparisons: [OvercommitComparison] = []
        var soakTable: String?
        if suite == Suite.soak.rawValue {
            let seconds = try duration.map { try DurationParser.seconds($0, option: "--duration") } ?? 600
            var base = cases[0]
            base.faults = inject.compactMap(InjectedFault.parse)
            let soak = SoakRun(base: base, total: seconds)
            do {
                results = try soak.run(on: runner) { progress.update($0) }
            } catch { progress.finish(); throw RuntimeError("soak: \(error)") }
            soakTable = SoakRun.driftTable(results)
            cases = []
        }
        for (i, settings) in cases.enumerated() {
            if monitor.received != nil { break }
            progress.update("[\(i + 1)/\(cases.count)] \(settings.name) (\(settings.repetitions) x \(settings.duration) s)"
                + (compareImpl ? ", Swift and C interleaved" : ""))
            do {
                if settings.scenario == .overcommit, settings.overcommit.pvSched == .both {
                    let comparison = try OvercommitComparison.run(settings, on: runner)
                    pvSchedComparisons.append(comparison)
                    results += [comparison.on, comparison.off]
                } else if compareImpl {
                    let comparison = try ImplementationComparison.run(settings, on: runner)
                    comparisons.append(comparison)
                    results += [comparison.swift, comparison.c]
                } else {
                    results.append(try runner.run(settings))
                }
            } catch let error as PlacementError {
                progress.finish()
                throw ValidationError("\(settings.name): \(error)")
            } catch {
                progress.finish()
                throw RuntimeError("\(settings.name): \(error)")
            }
        }
        progress.finish()

        var context = HostDescription.collect().context(pvbenchVersion: pvbenchVersion, build: .current(flags: buildFlags))
        context.topology = TopologyRecord(topology)
        context.command = CommandLine.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        if let first = results.first { context.placement = PlacementRecord(first.placement, threads: first.threads) }
        context.clock = clock.clockDescription
        context.numaNote = topology.numaNote
        context.harnessOverhead = overhead
        context.injectedFaults = inject.compactMap(InjectedFault.parse).map(\.record)
        context.warnings = clock.warnings + results.flatMap(\.warnings)
            + results.flatMap(\.perfUnavailable).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        if overhead.exceedsLimit { context.warnings.append(overhead.summary) }
        if let signal = monitor.received {
            context.interrupted = true
            context.interruptSignal = signal.name
        }
        let file = ResultFile(context: context, benchmarks: results.flatMap(\.entries))
        let writer = ResultFileWriter()
        do {
            if let json { try writer.write(try file.jsonData(), to: json, overwrite: force) }
            if let csv { try writer.write(text: ResultCSV.render(file.benchmarks), to: csv, overwrite: force) }
        } catch { throw RuntimeError("\(error)") }

        print(RunSummaryTable.render(results))
        print()
        if let soakTable {
            print(soakTable)
            print()
        }
        if !comparisons.isEmpty {
            print(ComparisonTable.render(comparisons))
            print()
        }
        for c in pvSchedComparisons { print(c.summary) }
        if !pvSchedComparisons.isEmpty { print() }
        let perfMissing = results.flatMap(\.perfUnavailable).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for line in perfMissing { print(line) }
        print("clock: \(clock.name), \(String(format: "%.3f", clock.frequencyHz / 1e9)) GHz; \(overhead.summary)")
        if let first = results.first { print("placement: \(ScenarioRunner.label(first.placement))") }
        // perf counter lines are printed under the table already.
        for w in context.warnings where !w.hasPrefix("perf counter") {
            FileHandle.standardError.write(Data("warning: \(w)\n".utf8))
        }

        let unsafe = results.filter { $0.settings.strategy.claimsSafety && $0.settings.scenario != .c2c && $0.violations.violations > 0 }
        for r in unsafe {
            FileHandle.standardError.write(Data(
                "pvbench: \(r.settings.name): \(r.violations.torn) torn and \(r.violations.backwards) backwards values under a strategy that claims safety; first: \(r.firstViolation ?? "-")\n".utf8))
        }
        if let signal = monitor.received {
            FileHandle.standardError.write(Data("pvbench: interrupted by \(signal.name); partial results are marked \"interrupted\": true\n".utf8))
            Foundation.exit(signal.exitStatus)
        }
        if !unsafe.isEmpty { Foundation.exit(1) }
    }
}

extension RunSettings.Field {
    /// The `pvbench run` option that sets this field.
    var flag: String { "--" + rawValue.replacingOccurrences(of: " ", with: "-") }
}

extension RunSettingsError {
    /// The message with the settings named by their `pvbench run` options.
    var commandLineMessage: String {
        switch self {
        case .noCKernel: "--impl c: " + message { $0.flag }
        case .faultsNeedSwiftKernels: "--inject works with the Swift kernels (--impl swift): the C reference kernels have no fault hooks"
        default: message { $0.flag }
        }
    }
}

#if DEBUG
let buildFlags = ["-Onone"]
#else
let buildFlags = ["-O", "-enforce-exclusivity=unchecked"]
#endif
