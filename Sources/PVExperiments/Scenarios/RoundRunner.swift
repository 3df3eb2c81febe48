import PVHost
import PVResults
import PVRuntime
import PVRecords

/// What is done with a repetition whose measured threads were disturbed
/// (``DisturbanceRule``): its entry is always kept in the JSON, flagged.
public enum DisturbedPolicy: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// Left out of the aggregates and run again, within a budget of as many
    /// extra attempts as the case has repetitions (more while none counts)
    /// and half the run's planned repetitions, rounded up.
    case retry
    /// Counted like any other repetition.
    case keep
    /// Left out of the aggregates, not run again.
    case drop

    public var description: String { rawValue }
}

/// Runs cases in interleaved rounds: round r runs one repetition of every
/// case, in an order shuffled per round from a recorded seed, so a slow
/// spell of the machine spreads over all cases instead of sinking one. With
/// ``DisturbedPolicy/retry``, cases short of undisturbed repetitions get
/// extra rounds while their budget lasts. Each case's repetitions are then
/// merged into one result whose aggregates come from the repetitions that
/// count.
public struct RoundRunner: Sendable {
    public let runner: ScenarioRunner
    public let seed: UInt64
    public let policy: DisturbedPolicy
    /// Run before each round and after each repetition (the c2c probe's
    /// one-way ns, ``ScenarioRunner/placementProbe(cpus:seconds:warmup:)``):
    /// a repetition carries the values on either side of it, `c2c_probe_ns`
    /// and `c2c_probe_after_ns`. Once a round was not enough: the host moved
    /// the vCPUs within rounds of 10 s, and the c2c case itself measured
    /// another placement than its round's probe in 11 of 36 rounds
    /// (docs/measurement.md). Nil: no probe.
    public var placementProbe: (@Sendable () -> Double?)?
    /// Run beside the placement probe, before it (``CoreProbe``: ns per
    /// step of a throughput-bound loop on the slowest of the run's CPUs): a
    /// repetition carries the values on either side of it as the counters
    /// `core_probe_ns` and `core_probe_after_ns`. It shows the host's work
    /// on the other hardware thread of a vCPU's core, which takes no time
    /// from the vCPU and so passes the disturbance rule. Nil: no probe.
    public var coreProbe: (@Sendable () -> Double?)?

    public init(runner: ScenarioRunner, seed: UInt64, policy: DisturbedPolicy) {
        self.runner = runner
        self.seed = seed
        self.policy = policy
    }

    /// What the rounds produced.
    public struct Outcome: Sendable {
        /// One merged result per case, in the order given.
        public var results: [CaseResult]
        /// The order cases ran in, per round (indices into the cases).
        public var rounds: [[Int]]
        /// Every placement probe's value in the order taken: one after each
        /// repetition, and one before a round that does not follow one (the
        /// first; nil: it failed).
        public var probes: [Double?] = []
    }

    /// The order of `count` cases in round `round` (0-based), reproducible from `seed`.
    public static func order(round: Int, count: Int, seed: UInt64) -> [Int] {
        var rng = SplitMix64(seed: seed ^ (UInt64(round) &* 0x9E37_79B9_7F4A_7C15))
        var order = Array(0 ..< count)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
            }
        }
        return order
    }

    /// Runs every case for its repetitions in rounds; `progress` gets a line per run.
    public func run(_ cases: [RunSettings], progress: (String) -> Void = { _ in },
                    stopped: () -> Bool = { false }) throws -> Outcome
    {
        var parts = [[CaseResult]](repeating: [], count: cases.count)
        var rounds: [[Int]] = []
        var interrupted = false
        func counted(_ i: Int) -> Int { parts[i].filter { !isExcluded($0) }.count }
        var probes: [Double?] = []
        var coreProbes: [Double?] = []
        func coreFloor() -> Double? { coreProbes.compactMap { $0 }.filter { $0 > 0 }.min() }
        // Whether the last thing run was a probe: a round then starts from its value.
        var probed = false, coreProbed = false
        func probeBeforeRound() {
            if !coreProbed { coreProbes.append(coreProbe?()) }
            if !probed { probes.append(placementProbe?()) }
            probed = false
            coreProbed = false
        }
        func attempt(_ i: Int, label: String) throws {
            var one = cases[i]
            one.repetitions = 1
            progress("\(label) \(cases[i].name)")
            let probe = probes.last ?? nil
            let core = coreProbes.last ?? nil
            var part = try runner.run(one, repetition: (parts[i].count + 1, cases[i].repetitions))
            var after: Double?, coreAfter: Double?
            let goOn = !part.interrupted && !stopped()
            coreProbed = coreProbe != nil && goOn
            if coreProbed, let coreProbe {
                coreAfter = coreProbe()
                coreProbes.append(coreAfter)
            }
            probed = placementProbe != nil && goOn
            if probed, let placementProbe {
                after = placementProbe()
                probes.append(after)
            }
            let latency = one.scenario.figures.latencyP50?.key
            for k in part.entries.indices where part.entries[k].runType == .iteration {
                part.entries[k].placementProbeNanoseconds = probe
                part.entries[k].placementProbeAfterNanoseconds = after
                if let core { part.entries[k].counters["core_probe_ns"] = core }
                if let coreAfter { part.entries[k].counters["core_probe_after_ns"] = coreAfter }
                if let latency, let p50 = part.entries[k].counters[latency],
                   let ratio = Self.latencyOverProbe(p50, before: probe, after: after) {
                    part.entries[k].counters["latency_p50_over_c2c"] = ratio
                }
            }
            Self.judgeCoreShare(&part, floor: coreFloor())
            parts[i].append(part)
            if part.interrupted { interrupted = true }
        }
        // The floor only falls as probes come in: repetitions judged before
        // the run saw its core unshared are judged again, before the retry
        // rounds (so they are retried) and before the merge.
        func judgeAgain() {
            let floor = coreFloor()
            for i in parts.indices { for k in parts[i].indices { Self.judgeCoreShare(&parts[i][k], floor: floor) } }
        }
        let planned = cases.map(\.repetitions).max() ?? 0
        var round = 0
        // Planned rounds: every case that still wants a repetition.
        while round < planned, !interrupted, !stopped() {
            let order = Self.order(round: round, count: cases.count, seed: seed).filter { round < cases[$0].repetitions }
            rounds.append(order)
            probeBeforeRound()
            for (k, i) in order.enumerated() {
                if interrupted || stopped() { break }
                try attempt(i, label: "[round \(round + 1)/\(planned), \(k + 1)/\(order.count)]")
            }
            round += 1
        }
        // Retry rounds: cases short of undisturbed repetitions, within budget:
        // per case as many extra attempts as it has repetitions (more while
        // none counts), and for the whole run ``retryBudget(planned:)``. The
        // cases with the fewest repetitions that count go first
        // (``retryRound(_:seed:counted:attempts:repetitions:)``).
        judgeAgain()
        if policy == .retry {
            var budget = Self.retryBudget(planned: cases.map(\.repetitions).reduce(0, +))
            while !interrupted, !stopped(), budget > 0 {
                let short = Self.retryRound(round, seed: seed, counted: cases.indices.map(counted),
                                            attempts: parts.map(\.count), repetitions: cases.map(\.repetitions))
                if short.isEmpty { break }
                rounds.append(short)
                probeBeforeRound()
                for (k, i) in short.enumerated() {
                    if interrupted || stopped() || budget == 0 { break }
                    try attempt(i, label: "[retry round \(round + 1 - planned), \(k + 1)/\(short.count)]")
                    budget -= 1
                }
                round += 1
            }
        }
        judgeAgain()
        let results = cases.indices.compactMap { i in
            parts[i].isEmpty ? nil : Self.merge(parts[i], cases[i], policy: policy)
        }
        return Outcome(results: results, rounds: rounds, probes: probes)
    }

    /// The retry attempts a run has: half its planned repetitions, rounded
    /// up, so a machine disturbed all along costs about 1.5 times the
    /// planned time, not twice, and a run of one repetition still gets its
    /// one retry (rounded down it got none).
    public static func retryBudget(planned: Int) -> Int { (planned + 1) / 2 }

    /// The cases retry round `round` runs, in the round's shuffled order:
    /// of the cases short of repetitions that count (`counted` below
    /// `repetitions`) with attempts left (below twice `repetitions`, or any
    /// number while none counts: the run's budget still bounds them), those
    /// with the fewest that count. A run whose host disturbs nine
    /// repetitions in ten has budget for a few clean ones; spent on every
    /// short case alike, it left 5 and 8 of 28 cases with none (two such
    /// runs, docs/measurement.md), and a case with none is a run lost to
    /// `compare`, while a ninth repetition beside eight moves a median little.
    public static func retryRound(_ round: Int, seed: UInt64, counted: [Int], attempts: [Int], repetitions: [Int]) -> [Int] {
        let short = repetitions.indices.filter { i in
            counted[i] < repetitions[i] && (attempts[i] < 2 * repetitions[i] || counted[i] == 0)
        }
        guard let fewest = short.map({ counted[$0] }).min() else { return [] }
        return order(round: round, count: repetitions.count, seed: seed).filter { short.contains($0) && counted[$0] == fewest }
    }

    /// A repetition's latency p50 over the line as the probe just before it
    /// measured it (`latency_p50_over_c2c`); nil without a probe, with a
    /// stalled one, or when the probe after it is more than
    /// ``PlacementClasses/minimumRatio`` away from it: the host moved the
    /// vCPUs while the repetition ran, and the ratio would be to another
    /// placement's line. A stalled probe after says nothing either way.
    static func latencyOverProbe(_ p50: Double, before: Double?, after: Double?) -> Double? {
        guard let before, before > 0, !PlacementClasses.isStalled(before) else { return nil }
        if let after, after > 0, !PlacementClasses.isStalled(after),
           max(after, before) / min(after, before) > PlacementClasses.minimumRatio { return nil }
        return p50 / before
    }

    /// A core probe above this many times its run's floor (the fastest
    /// value the run has seen) says the host ran other work on the core of
    /// one of the run's vCPUs (``CoreShare/limit``).
    public static let coreShareLimit = CoreShare.limit

    /// Whether a repetition ran on a shared core: its core probe before or
    /// after it read more than ``coreShareLimit`` × `floor`. No floor or no
    /// value says nothing.
    static func coreShared(before: Double?, after: Double?, floor: Double?) -> Bool {
        guard let floor, floor > 0 else { return false }
        return [before, after].contains { v in v.map { $0 > coreShareLimit * floor } ?? false }
    }

    /// Flags a part's repetitions that ran on a shared core: `core_shared`
    /// = 1, and disturbed (the thread did not have its whole core, as it
    /// did not have its whole window when it was off its CPU), so `retry`
    /// runs them again and `drop` leaves them out. A flag is never taken
    /// back: the floor only falls.
    static func judgeCoreShare(_ part: inout CaseResult, floor: Double?) {
        for k in part.entries.indices where part.entries[k].runType == .iteration {
            let e = part.entries[k]
            guard e.counters["core_shared"] == nil,
                  coreShared(before: e.counters["core_probe_ns"], after: e.counters["core_probe_after_ns"], floor: floor)
            else { continue }
            part.entries[k].counters["core_shared"] = 1
            part.entries[k].disturbance?.disturbed = true
        }
    }

    func isExcluded(_ part: CaseResult) -> Bool {
        policy != .keep && part.iterations.contains { $0.disturbance?.disturbed == true }
    }

    /// One result from single-repetition results: entries renumbered and
    /// flagged, aggregates recomputed from the repetitions that count.
    public static func merge(_ parts: [CaseResult], _ settings: RunSettings, policy: DisturbedPolicy) -> CaseResult {
        var result = parts[0]
        result.settings = settings
        result.settings.repetitions = parts.count
        var rows: [BenchmarkEntry] = []
        for part in parts {
            for var e in part.iterations {
                e.repetitionIndex = rows.count
                e.repetitions = parts.count
                e.excluded = policy != .keep && e.disturbance?.disturbed == true ? true : nil
                rows.append(e)
            }
        }
        let (aggregates, warnings) = BenchmarkEntry.aggregates(of: rows)
        let counting = rows.filter { $0.excluded != true }.count
        result.entries = rows + (counting > 1 ? aggregates : [])
        // A part's aggregate warnings are of its one repetition: a disturbed
        // one said "every repetition was disturbed" of a case whose other
        // repetitions count. The merged rows' warnings replace them.
        var partWarnings: [RunWarning] = []
        for w in parts.flatMap(\.warnings) where w.category != .allDisturbed && w.category != .spread && !partWarnings.contains(w) {
            partWarnings.append(w)
        }
        result.warnings = partWarnings + RunWarning.keeping(warnings, quoted: settings.scenario.figures.quoted.map(\.key))
        result.violations = parts.reduce(ReaderCounts()) { $0 + $1.violations }
        result.firstViolation = parts.compactMap(\.firstViolation).first
        result.interrupted = parts.contains(where: \.interrupted)
        result.threads = parts.last?.threads ?? result.threads
        result.disturbedRepetitions = rows.filter { $0.disturbance?.disturbed == true }.count
        result.retries = policy == .retry ? max(0, parts.count - settings.repetitions) : 0
        result.budgetExhausted = policy != .keep && counting < settings.repetitions && !result.interrupted
        return result
    }

    /// Per-round ratios of two cases' time per operation (`a` / `b`): the
    /// k-th repetition that counts of each, so both come from the same round
    /// or the nearest retry; with their median and its 95 % interval.
    public static func ratio(_ a: CaseResult, _ b: CaseResult) -> RoundRatio? {
        let x = a.iterations.filter { $0.excluded != true }.map(\.realTime)
        let y = b.iterations.filter { $0.excluded != true }.map(\.realTime)
        let ratios = zip(x, y).compactMap { s, t in t > 0 ? s / t : nil }
        guard let median = SampleStatistics.median(ratios) else { return nil }
        return RoundRatio(ratios: ratios, median: median, interval: SampleStatistics.medianInterval(ratios))
    }
}

/// A ratio of two cases measured round by round.
public struct RoundRatio: Sendable, Equatable {
    /// One per round pair.
    public var ratios: [Double]
    public var median: Double
    /// The median's 95 % interval (nil below 6 pairs).
    public var interval: MedianInterval?

    /// `1.012 [0.981, 1.047]` or `1.012 (n=4: too few pairs for a 95% CI)`.
    public var text: String {
        let m = formatRatio(median)
        guard let interval else { return "\(m) (\(ratios.count) pairs: too few for a 95% CI)" }
        return "\(m) [\(formatRatio(interval.low)), \(formatRatio(interval.high))]"
    }

    /// Whether the interval covers 1 (no difference can be told), nil without one.
    public var coversOne: Bool? { interval.map { $0.low <= 1 && 1 <= $0.high } }
}

func formatRatio(_ x: Double) -> String {
    let r = (x * 1000).rounded() / 1000
    var s = "\(r)"
    while s.split(separator: ".").last.map({ $0.count < 3 }) ?? false { s += "0" }
    return s
}
