import PVResults

/// `overcommit --pv-sched both`: the same case with PV sched on and off in
/// interleaved rounds (``RoundRunner``: drift and the machine's noise hit
/// both alike), and what the flag buys: the throughput ratio of each
/// round's pair, its median with a distribution-free CI, and the spin on a
/// preempted owner saved.
public struct OvercommitComparison: Sendable {
    public var on: CaseResult
    public var off: CaseResult

    /// The pair, with the ratio and the saving added as counters to the
    /// `on` result's rows.
    public init(on: CaseResult, off: CaseResult) {
        self.on = on
        self.off = off
        let extra = counters
        for i in self.on.entries.indices { self.on.entries[i].counters.merge(extra) { a, _ in a } }
    }

    /// on / off throughput of each round (repetitions that count).
    public var ratios: [Double] {
        let key = OvercommitScenario.figures.rate.key
        func rates(_ r: CaseResult) -> [Double?] { r.iterations.filter { $0.excluded != true }.map { $0.counters[key] } }
        return zip(rates(on), rates(off)).compactMap { a, b in
            guard let x = a, let y = b, y > 0 else { return nil }
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
            + (details.isEmpty ? "" : "\n  " + details.joined(separator: "; "))
    }

    /// The medians of ``detailKeys`` either half has, on/off.
    var details: [String] {
        Self.detailKeys.compactMap { key, label, scale, unit in
            guard on.median?.counters[key] != nil || off.median?.counters[key] != nil else { return nil }
            return "\(label) on/off \(figure(on, key, scale))/\(figure(off, key, scale))\(unit.isEmpty ? "" : " " + unit)"
        }
    }

    /// The medians the summary's second line shows: (counter, label, scale, unit).
    static let detailKeys: [(String, String, Double, String)] = [
        ("acquisitions_per_second", "acquisitions/s", 1e-3, "k"),
        ("spin_on_preempted_owner_ns_total", "spin on a preempted owner", 1e-6, "ms"),
        ("acquisition_p99_ns", "acquisition p99", 1e-3, "us"),
        ("acquisition_p999_ns", "p99.9", 1e-3, "us"),
        ("preempt_stores_skipped", "preempted stores skipped", 1, ""),
    ]

    private func figure(_ r: CaseResult, _ key: String, _ scale: Double) -> String {
        r.median?.counters[key].map { v in String(format: abs(v * scale) >= 100 ? "%.0f" : "%.3g", v * scale) } ?? "-"
    }

    /// A `both` case as its two cases, on then off, for ``RoundRunner`` to
    /// interleave; any other case as itself.
    public static func expand(_ settings: RunSettings) -> [RunSettings] {
        guard settings.scenario == .overcommit, settings.overcommit.pvSched == .both else { return [settings] }
        return [OvercommitSettings.PVSched.on, .off].map { mode in
            var s = settings
            s.overcommit.pvSched = mode
            return s
        }
    }

    /// The comparisons of every `both` case among `cases`, from the results
    /// of their expansion.
    public static func pairs(_ cases: [RunSettings], in results: [CaseResult]) -> [OvercommitComparison] {
        let byName = Dictionary(results.map { ($0.settings.name, $0) }, uniquingKeysWith: { a, _ in a })
        return cases.compactMap { c in
            let halves = expand(c)
            guard halves.count == 2, let on = byName[halves[0].name], let off = byName[halves[1].name] else { return nil }
            return OvercommitComparison(on: on, off: off)
        }
    }

    /// Runs a `both` case's two halves in seeded interleaved rounds.
    public static func run(_ settings: RunSettings, on runner: ScenarioRunner, seed: UInt64 = 0x5EED) throws -> OvercommitComparison {
        let halves = expand(settings)
        let done = try RoundRunner(runner: runner, seed: seed, policy: .keep).run(halves)
        guard let c = pairs([settings], in: done.results).first else {
            throw ScenarioError.invalidSettings("no results for \(settings.name)")
        }
        return c
    }
}
