import CPVPlatform
import PVABI
import PVHost
import PVResults
import PVRuntime

extension ScenarioKind {
    public static let c2c = ScenarioKind(registering: "c2c", C2CScenario.self)
}

/// Cache-line ping-pong between two pinned threads: the physical floor for
/// visibility latency on that CPU pair. No record, no strategy.
public enum C2CScenario: Scenario {
    public static let kind = ScenarioKind.c2c
    public static let summary = "cache-line ping-pong between two pinned CPUs: the floor for visibility latency"
    public static let records: [SharedRecordKind] = []
    public static let figures = HeadlineFigures(rate: .rate("trips", key: "round_trips_per_second"), latencyPrefix: "one_way_",
                                                 comparedBy: .latencyP50)

    public static let plots = [
        PlotSpec(name: "c2c-heatmap", title: "c2c: one-way cache-line latency (ns) per CPU pair", x: .cpuPair,
                 xlabel: "to CPU", ylabel: "one-way ns"),
    ]

    public struct Parameters: ScenarioParameters {
        /// Every ordered pair of usable CPUs, one case each.
        public var matrix = false
        public init() {}
    }

    public static let options: [ScenarioOption] = [
        .flag("matrix", \Parameters.matrix, help: "measure every ordered pair of allowed CPUs.", needsScenario: true),
    ]

    /// `--matrix`: the case on every ordered pair of usable CPUs.
    public static func expand(_ c2c: RunSettings, on topology: Topology) throws -> [RunSettings] {
        guard parameters(c2c).matrix else { return [c2c] }
        let cpus = topology.usableCPUs
        let cases = cpus.flatMap { a in cpus.filter { $0 != a }.map { b in
            var c = c2c
            c.placement.writerCPUs = [a]
            c.placement.readerCPUs = [b]
            return c
        } }
        guard !cases.isEmpty else { throw ScenarioError.invalidSettings("--matrix needs at least two usable CPUs; usable here: \(cpus)") }
        return cases
    }

    public static func cases(in suite: Suite) -> [SuiteCase] {
        switch suite {
        case .smoke: [SuiteCase(seconds: 0.2, repetitions: 2, warmup: 0.05)]
        case .default: [SuiteCase(seconds: 0.3, repetitions: 9, warmup: 0.05)]
        case .full: [SuiteCase(seconds: 1, repetitions: 9)]
        case .soak: []
        }
    }

    public static func validate(_ s: RunSettings) throws(RunSettingsError) {
        guard s.readers == 1, s.writers == 1 else { throw .onePairOfThreads(kind) }
    }

    /// `c2c/cpu:A->cpu:B` for exact CPUs, else `c2c/<relation>`.
    public static func name(of s: RunSettings) -> String {
        let cpus = (s.placement.writerCPUs ?? []) + (s.placement.readerCPUs ?? [])
        return cpus.count == 2 ? "c2c/cpu:\(cpus[0])->cpu:\(cpus[1])" : "c2c/\(s.placement.relation.rawValue)"
    }

    /// The thread that starts each round trip: its perf figures count as the guest's.
    public static let initiator = ThreadRole(custom: "c2c-ping")

    public static func run(_ settings: RunSettings, placement: Placement, on runner: ScenarioRunner) throws -> CaseResult {
        let backing = NUMAMemoryBacking(nodes: placement.memoryNodes)
        let memory = try GuestMemory(ramBytes: GuestMemory.pvPageSize, pvPages: 1, backing: backing)
        let ping = try memory.pointer(ipa: memory.allocateGuestRAM(bytes: 64, alignment: 64), length: 64)
        let pong = try memory.pointer(ipa: memory.allocateGuestRAM(bytes: 64, alignment: 64), length: 64)
        let threads = [PinnedThreadSpec(role: initiator, cpu: placement.writerCPUs[0]),
                       PinnedThreadSpec(role: ThreadRole(custom: "c2c-pong"), cpu: placement.readerCPUs[0])]
        let workload = C2CWorkload(threads: threads, ping: SharedU32(ping), pong: SharedU32(pong))
        SharedU32(ping).storeRelease(0)
        SharedU32(pong).storeRelease(0)
        let pages = try? PagePlacementReport.check(memory.base, bytes: memory.size, plannedNodes: placement.memoryNodes)
        return try withExtendedLifetime(memory) {
            try runner.repeatCase(workload, settings, placement, pages: pages, extra: [:],
                                  name: "c2c/cpu:\(placement.writerCPUs[0])->cpu:\(placement.readerCPUs[0])")
        }
    }
}

/// `c2c`: cache-line ping-pong between two pinned threads (the shape of
/// rigtorp/c2clat). The first thread stores n to line A and waits for the
/// second to echo n on line B (release stores, acquire loads); one way is
/// half a round trip, sampled per 100 round trips. The physical floor for
/// any store to become visible to a reader on that CPU pair.
struct C2CWorkload: ScenarioWorkload {
    let threads: [PinnedThreadSpec]
    /// Line A (written by the first thread) and line B (by the second).
    let ping: SharedU32
    let pong: SharedU32
    static let roundsPerSample = 100

    enum Tally: Sendable {
        case initiator(MeasuredWindow, LatencyRecorder)
        case responder
    }

    func body(_ context: PinnedThreadContext, _ control: RepetitionControl) -> Tally {
        let phase = control.phase
        if context.index == 1 {
            var last = pong.loadAcquire()
            var spins = 0
            while true {
                let v = ping.loadAcquire()
                if v != last {
                    pong.storeRelease(v)
                    last = v
                } else {
                    pv_cpu_relax()
                    spins &+= 1
                    if spins & 1023 == 0, phase.isStopped { break }
                }
            }
            return .responder
        }
        var recorder = LatencyRecorder(conversion: control.conversion)
        var n = ping.loadAcquire()
        // Round trips per sample: roundsPerSample while they are fast, fewer
        // when a batch takes over a millisecond (a loaded machine, where both
        // threads are seldom on their CPUs at once), so samples still end
        // inside the window; a clock read per round is noise at that speed.
        var rounds = Self.roundsPerSample
        let window = measuredLoop(control, thread: context.index) { measuring in
            let start = CycleClock.now()
            var done = 0
            rounds: while done < rounds {
                n &+= 1
                ping.storeRelease(n)
                var spins = 0
                while pong.loadAcquire() != n {
                    pv_cpu_relax()
                    spins &+= 1
                    if spins & 1023 == 0, phase.isStopped { break rounds }
                }
                done += 1
            }
            // Stopped mid-batch: the round trips done count, but the batch's
            // time includes the wait for one that never came: no sample.
            guard done == rounds else { return UInt64(done) }
            let ns = control.conversion.nanoseconds(from: start, to: CycleClock.now())
            if measuring { recorder.record(nanoseconds: (ns + UInt64(rounds)) / UInt64(2 * rounds)) }
            if ns > 1_000_000 { rounds = max(1, rounds / 4) } else if ns < 250_000 { rounds = min(Self.roundsPerSample, rounds * 2) }
            return UInt64(done)
        }
        return .initiator(window, recorder)
    }

    func summarize(_ tallies: [Tally], clock: CycleClock) -> RepetitionFigures {
        guard case let .initiator(window, recorder)? = tallies.first else {
            return RepetitionFigures(iterations: 0, nanosecondsPerOperation: 0, counters: [:])
        }
        let oneWay = LatencyDistribution(merging: [recorder])
        var counters = oneWay.counters(prefix: "one_way_")
        if !oneWay.isEmpty { counters["one_way_ns"] = Double(oneWay.percentile(50)) }
        counters["round_trips_per_second"] = window.rate(clock.conversion) ?? 0
        return RepetitionFigures(iterations: Int64(window.operations),
                                 nanosecondsPerOperation: oneWay.isEmpty ? 0 : oneWay.mean, counters: counters)
    }
}
