import PVResults

/// `overcommit --pv-sched both`: the same case with PV sched on and off in
/// interleaved rounds (on, off, off, on, …: drift and the machine's noise
/// hit both alike), and what the flag buys: the throughput ratio of each
/// round's pair, its median with a distribution-free CI, and the spin on a
/// preempted owner saved.
public struct OvercommitComparison: Sendable {
    public var on: CaseResult
    public var off: CaseResult

    /// on / off throughput of each round.
    public var ratios: [Double] {
        let key = OvercommitScenario.figures.rate.key
        return zip(on.iterations, off.iterations).compactMap { a, b in
            guard let x = a.counters[key], let y = b.counters[key], y > 0 else { return nil }
            return x / y
        }
    }

    public var ratio: Double? { SampleStatistics.median(ratios) }
    /// 95 % CI of the median ratio; nil below 6 rounds.
    public var ratioInterval: MedianInterval? { SampleStatistics.medianInterval(ratios) }

    /// 1 - (spin on a preempted owner with PV sched) / (without), medians.
    public var spinSaved: Double? {
        let key = "spin_on_preempted_owner_ns_total"
        guard let a = on.median?.counters[key], let b = off.median?.counters[key], b > 0 else { return nil }
        return 1 - a / b
    }

    /// The ratio and the saving as counters, added to the `on` result's rows.
    var counters: [String: Double] {
        var c: [String: Double] = [:]
        c["pv_sched_throughput_ratio"] = ratio
        c["pv_sched_throughput_ratio_ci_low"] = ratioInterval?.low
        c["pv_sched_throughput_ratio_ci_high"] = ratioInterval?.high
        c["pv_sched_spin_on_preempted_owner_saved_fraction"] = spinSaved
        return c
    }

    /// One line for the terminal.
    public var summary: String {
        let name = on.settings.name.replacingOccurrences(of: "pv-sched:on", with: "pv-sched:on/off")
        let r = ratio.map { String(format: "%.3f", $0) } ?? "-"
        let ci = ratioInterval.map { String(format: " (95%% CI %.3f-%.3f)", $0.low, $0.high) }
            ?? " (no CI: fewer than 6 rounds)"
        let saved = spinSaved.map { String(format: "; spin on a preempted owner %.1f%% less", $0 * 100) } ?? ""
        return "\(name): throughput on/off \(r)\(ci) over \(ratios.count) rounds\(saved)"
    }

    public static func run(_ settings: RunSettings, on runner: ScenarioRunner) throws -> OvercommitComparison {
        var one = settings
        one.repetitions = 1
        var parts: [OvercommitSettings.PVSched: [CaseResult]] = [.on: [], .off: []]
        for round in 0 ..< settings.repetitions {
            for mode in round % 2 == 0 ? [OvercommitSettings.PVSched.on, .off] : [.off, .on] {
                one.overcommit.pvSched = mode
                parts[mode]!.append(try runner.run(one))
            }
            if parts.values.contains(where: { $0.last!.interrupted }) || runner.isInterrupted() { break }
        }
        func merged(_ mode: OvercommitSettings.PVSched) -> CaseResult {
            var s = settings
            s.overcommit.pvSched = mode
            var r = ImplementationComparison.merge(parts[mode]!, s, settings.implementation)
            r.settings = s
            r.settings.repetitions = parts[mode]!.count
            return r
        }
        var comparison = OvercommitComparison(on: merged(.on), off: merged(.off))
        let extra = comparison.counters
        for i in comparison.on.entries.indices { comparison.on.entries[i].counters.merge(extra) { a, _ in a } }
        return comparison
    }
}
