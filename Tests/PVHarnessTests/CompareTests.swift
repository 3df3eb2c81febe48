import Foundation
import Testing
@testable import PVResults
import PVTestSupport

/// Result files made for comparing: cases with known repetitions, optional
/// disturbed flags, and a context that says its figures' directions.
enum CompareFixtures {
    static let steal = HeadlineFigures(rate: .rate("reads"), cost: .nanoseconds("read_cost_p50_ns"))

    /// Nine repetitions around `base` with a seeded spread of about ±2 %.
    static func values(_ base: Double, count: Int = 9, seed: UInt64) -> [Double] {
        var g = SeededGenerator(seed: seed)
        return (0 ..< count).map { _ in base * (1 + Double.random(in: -0.02 ... 0.02, using: &g)) }
    }

    /// One steal-clock case per entry of `cases` (name suffix → reads/s per repetition).
    static func file(_ cases: [(String, [Double])], host: String = "bench1", figures: Bool = true,
                     disturbed: [String: Set<Int>] = [:], scale: Double = 1) -> ResultFile {
        var entries: [BenchmarkEntry] = []
        for (name, reps) in cases {
            let rows = reps.enumerated().map { i, v in
                BenchmarkEntry(name: name, repetitions: reps.count, repetitionIndex: i, iterations: 1000,
                               realTime: 1e9 / (v * scale), cpuTime: 1e9 / (v * scale), scenario: "steal-clock",
                               strategy: "relaxed", layout: "cacheline",
                               counters: ["reads_per_second": v * scale, "read_cost_p50_ns": 1e9 / (v * scale)])
            }
            entries += rows + BenchmarkEntry.aggregates(of: rows).entries
        }
        var context = ResultsTests.sampleContext()
        context.interrupted = false
        context.injectedFaults = []
        context.hostName = host
        context.figures = figures ? ["steal-clock": steal] : nil
        return ResultFile(context: context, benchmarks: entries)
    }

    /// The file as bytes and back, as `compare` reads it; `disturbed` marks
    /// repetitions (case name → indices) with `"disturbed": true`.
    static func input(_ file: ResultFile, path: String, disturbed: [String: Set<Int>] = [:]) throws -> ReportInput {
        var object = try JSONSerialization.jsonObject(with: try file.jsonData()) as! [String: Any]
        var benchmarks = object["benchmarks"] as! [[String: Any]]
        for i in benchmarks.indices where benchmarks[i]["run_type"] as? String == "iteration" {
            let name = benchmarks[i]["run_name"] as! String, index = benchmarks[i]["repetition_index"] as! Int
            benchmarks[i]["disturbed"] = disturbed[name]?.contains(index) ?? false
        }
        object["benchmarks"] = benchmarks
        return try ReportInput.parse(Array(JSONSerialization.data(withJSONObject: object)), path: path)
    }

    static func suite(_ n: Int, base: Double = 1e9, reps: Int = 9, seed: UInt64 = 1) -> [(String, [Double])] {
        (0 ..< n).map { ("steal-clock/case\($0)/cacheline/vcpus:1/readers:1/writers:1", values(base * Double($0 + 1), count: reps, seed: seed + UInt64($0))) }
    }
}

@Suite("compare: verdicts, direction, Holm, inconclusive cases, context differences")
struct CompareTests {
    func compare(_ old: ResultFile, _ new: ResultFile, options: Comparison.Options = .init(),
                 oldDisturbed: [String: Set<Int>] = [:]) throws -> Comparison {
        try Comparison(old: try CompareFixtures.input(old, path: "old.json", disturbed: oldDisturbed),
                       new: try CompareFixtures.input(new, path: "new.json"), options: options)
    }

    @Test("the same file: no significant change everywhere, exit 0")
    func same() throws {
        let f = CompareFixtures.file(CompareFixtures.suite(5))
        let c = try compare(f, f)
        #expect(c.cases.count == 5 && c.cases.allSatisfy { $0.verdict == .noSignificantChange && $0.change == 0 })
        #expect(c.exitStatus == 0 && c.differences.isEmpty)
        #expect(c.cases.allSatisfy { $0.figure.key == "reads_per_second" && $0.figureSource == .file })
        #expect(!c.disturbanceRuleRecorded && CompareRendering.text(c).contains("neither file records a disturbance rule"))
        var interrupted = f
        interrupted.context.interrupted = true
        interrupted.context.interruptSignal = "SIGINT"
        let cut = try compare(f, interrupted)
        #expect(cut.notes.contains("NEW was interrupted (SIGINT): its figures cover only part of the run"))
        #expect(cut.differences.contains { $0.kind == .run && $0.what == "interrupted" })
    }

    @Test("rates divided by 1.4: slower everywhere, exit 1; multiplied: faster, exit 0; by 1.02: no significant change")
    func scaled() throws {
        let cases = CompareFixtures.suite(25)
        let old = CompareFixtures.file(cases)
        let slower = try compare(old, CompareFixtures.file(cases, scale: 1 / 1.4))
        #expect(slower.cases.allSatisfy { $0.verdict == .slower } && slower.exitStatus == 1)
        let k = try #require(slower.cases.first)
        #expect(abs(k.change! - (1 / 1.4 - 1)) < 1e-9 && k.changeLow! <= k.change! && k.change! <= k.changeHigh!)
        let faster = try compare(old, CompareFixtures.file(cases, scale: 1.4))
        #expect(faster.cases.allSatisfy { $0.verdict == .faster } && faster.exitStatus == 0)
        let small = try compare(old, CompareFixtures.file(cases, scale: 1.02))
        #expect(small.cases.allSatisfy { $0.verdict == .noSignificantChange } && small.exitStatus == 0)
        // A real 2 % shift of identical samples is significant, but within the threshold.
        #expect(small.cases.contains { $0.reason?.contains("within the 5 % threshold") == true })
        let strict = try compare(old, CompareFixtures.file(cases, scale: 1 / 1.04), options: .init(threshold: 0.03))
        #expect(strict.cases.allSatisfy { $0.verdict == .slower })
    }

    @Test("direction from the figure's type: a lower-is-better cost that rises is slower")
    func direction() throws {
        let cases = CompareFixtures.suite(3)
        let old = CompareFixtures.file(cases), new = CompareFixtures.file(cases, scale: 1 / 1.4)
        let cost = try compare(old, new, options: .init(figure: .role(.cost)))
        #expect(cost.cases.allSatisfy { $0.figure.better == .lower && $0.change! > 0.3 && $0.verdict == .slower })
        let time = try compare(old, new, options: .init(figure: .key("real_time")))
        #expect(time.cases.allSatisfy { $0.figureSource == .googleBenchmark && $0.verdict == .slower })
        // Without a map in the file: the scenario catalogue, else google-benchmark's real_time.
        let bare = CompareFixtures.file(cases, figures: false), bareNew = CompareFixtures.file(cases, figures: false, scale: 1 / 1.4)
        let catalogue = try Comparison(old: try CompareFixtures.input(bare, path: "a"), new: try CompareFixtures.input(bareNew, path: "b"),
                                       resolver: FigureResolver(catalogue: ["steal-clock": CompareFixtures.steal]))
        #expect(catalogue.cases.allSatisfy { $0.figureSource == .scenarioTypes && $0.verdict == .slower })
        let schema = try compare(bare, bareNew)
        #expect(schema.cases.allSatisfy { $0.figure.key == "real_time" && $0.verdict == .slower })
        #expect(throws: Comparison.Failure.unknownFigure("no_such_counter")) {
            try compare(old, new, options: .init(figure: .key("no_such_counter")))
        }
    }

    @Test("the headline: the rate, or the latency p50 a scenario names; a file without compared_by takes the catalogue's")
    func headline() throws {
        let pingPong = HeadlineFigures(rate: .rate("trips", key: "round_trips_per_second"), latencyPrefix: "one_way_",
                                       comparedBy: .latencyP50)
        let plain = HeadlineFigures(rate: .rate("trips", key: "round_trips_per_second"), latencyPrefix: "one_way_")
        #expect(pingPong.headline.key == "one_way_p50_ns" && pingPong.headline.better == .lower)
        #expect(CompareFixtures.steal.headline.key == "reads_per_second")
        let resolver = FigureResolver(catalogue: ["c2c": pingPong, "steal-clock": CompareFixtures.steal])
        // The file's own choice, either way.
        #expect(resolver.resolve(.headline, scenario: "c2c", fileFigures: ["c2c": pingPong])?.figure.key == "one_way_p50_ns")
        #expect(FigureResolver().resolve(.headline, scenario: "c2c", fileFigures: ["c2c": pingPong])?.source == .file)
        // A file written before the key: this pvbench's choice, the figure (and source) still the file's.
        let old = try JSONDecoder().decode(HeadlineFigures.self, from: Data(#"{"rate":{"key":"round_trips_per_second","unit":"/s","better":"higher","operation":"trips"},"latency_prefix":"one_way_"}"#.utf8))
        #expect(old.comparedBy == nil && old == plain)
        let r = try #require(resolver.resolve(.headline, scenario: "c2c", fileFigures: ["c2c": old]))
        #expect(r.figure.key == "one_way_p50_ns" && r.source == .file)
        #expect(FigureResolver().resolve(.headline, scenario: "c2c", fileFigures: ["c2c": old])?.figure.key == "round_trips_per_second")
        // A file whose c2c has no latency figure: its rate.
        let rateOnly = HeadlineFigures(rate: .rate("trips", key: "round_trips_per_second"))
        #expect(resolver.resolve(.headline, scenario: "c2c", fileFigures: ["c2c": rateOnly])?.figure.key == "round_trips_per_second")
        // --figure rate still compares the rate; a foreign row, real_time.
        #expect(resolver.resolve(.role(.rate), scenario: "c2c", fileFigures: ["c2c": pingPong])?.figure.key == "round_trips_per_second")
        #expect(resolver.resolve(.headline, scenario: nil, fileFigures: nil)?.figure.key == "real_time")
        #expect(CompareFigureChoice(argument: "headline") == .headline && CompareFigureChoice.headline.description == "headline")
        // The choice round-trips through a result file's context.figures.
        let back = try JSONDecoder().decode(HeadlineFigures.self, from: try JSONEncoder().encode(pingPong))
        let encoded = String(decoding: try JSONEncoder().encode(pingPong), as: UTF8.self)
        #expect(back == pingPong && encoded.contains(#""compared_by":"latency-p50""#))
        // A compared_by this pvbench does not know: the file is still read, judged by its rate.
        let newer = try JSONDecoder().decode(HeadlineFigures.self, from: Data(#"{"rate":{"key":"round_trips_per_second","unit":"/s","better":"higher","operation":"trips"},"latency_prefix":"one_way_","compared_by":"latency-p42"}"#.utf8))
        #expect(newer == plain && newer.headline.key == "round_trips_per_second")
        // spin-on-owner by its break-out p50 spread over the counter's step.
        let breakOut = HeadlineFigures(rate: .rate("episodes"), latencyPrefix: "breakout_", comparedBy: .latencyP50Interpolated)
        #expect(breakOut.headline.key == "breakout_p50_interpolated_ns" && breakOut.headline.better == .lower)
        #expect(CompareFigureChoice(argument: "latency-p50-interpolated") == .role(.latencyP50Interpolated))
        // A case whose rows lack the named figure on one side (a file written before spin-on-owner named
        // it): both sides by the rate. With it on both: by it. Another role is never swapped.
        func row(_ counters: [String: Double]) -> BenchmarkEntry {
            BenchmarkEntry(name: "spin-on-owner/relaxed", repetitions: 1, repetitionIndex: 0, iterations: 1, realTime: 1, cpuTime: 1,
                           scenario: "spin-on-owner", counters: counters)
        }
        let before = row(["episodes_per_second": 19_500, "breakout_p50_ns": 55])
        let after = row(["episodes_per_second": 19_500, "breakout_p50_interpolated_ns": 53.2])
        let spinResolver = FigureResolver(catalogue: ["spin-on-owner": breakOut])
        let beforeFigures = ["spin-on-owner": HeadlineFigures(rate: .rate("episodes"), latencyPrefix: "breakout_")]
        #expect(spinResolver.resolve(.headline, scenario: "spin-on-owner", old: (beforeFigures, [before]),
                                     new: (["spin-on-owner": breakOut], [after]))?.figure.key == "episodes_per_second")
        #expect(spinResolver.resolve(.headline, scenario: "spin-on-owner", old: (["spin-on-owner": breakOut], [after]),
                                     new: (["spin-on-owner": breakOut], [after]))?.figure.key == "breakout_p50_interpolated_ns")
        #expect(spinResolver.resolve(.role(.latencyP50Interpolated), scenario: "spin-on-owner", old: (beforeFigures, [before]),
                                     new: (["spin-on-owner": breakOut], [after]))?.figure.key == "breakout_p50_interpolated_ns")
    }

    @Test("too few repetitions: inconclusive with the reason, never a silent 'no change'")
    func tooFew() throws {
        let three = CompareFixtures.suite(2, reps: 3)
        let c = try compare(CompareFixtures.file(three), CompareFixtures.file(three, scale: 1 / 1.4))
        #expect(c.cases.allSatisfy { $0.verdict == .inconclusive && $0.reason!.contains("3 vs 3") && $0.pValue == nil })
        #expect(c.exitStatus == 0 && c.counts.inconclusive == 2)
        // 5 a side can pass alone (p ≥ 2/252) but not Holm's first step over 25 cases (0.05/25).
        let five = CompareFixtures.suite(25, reps: 5)
        let family = try compare(CompareFixtures.file(five), CompareFixtures.file(five, scale: 1 / 1.4))
        #expect(family.cases.allSatisfy { $0.verdict == .inconclusive } && family.notes.count == 1)
        #expect(family.notes[0].contains("Holm across 25 cases"))
        let one = try compare(CompareFixtures.file(CompareFixtures.suite(1, reps: 5)),
                              CompareFixtures.file(CompareFixtures.suite(1, reps: 5), scale: 1 / 1.4))
        #expect(one.cases[0].verdict == .slower)
    }

    @Test("disturbed repetitions are left out of the medians and the test")
    func disturbed() throws {
        let name = "steal-clock/relaxed/cacheline/vcpus:1/readers:1/writers:1"
        var reps = CompareFixtures.values(1e9, count: 12, seed: 7)
        for i in 0 ..< 3 { reps[i] = 3e8 }  // a slow spell, flagged
        let old = CompareFixtures.file([(name, reps)])
        let new = CompareFixtures.file([(name, CompareFixtures.values(1e9, count: 9, seed: 8))])
        let c = try compare(old, new, oldDisturbed: [name: [0, 1, 2]])
        #expect(c.cases[0].old.disturbed == 3 && c.cases[0].old.repetitions == 12)
        #expect(c.cases[0].verdict == .noSignificantChange && abs(c.cases[0].change!) < 0.03)
        let all = try compare(old, new, oldDisturbed: [name: Set(0 ..< 12)])
        #expect(all.cases[0].verdict == .inconclusive && all.cases[0].reason!.contains("every repetition in OLD was disturbed"))
    }

    @Test("a file's own ci_low/ci_high aggregates are its CI; without them the CI comes from the repetitions")
    func fileInterval() throws {
        let name = "steal-clock/relaxed/cacheline/vcpus:1/readers:1/writers:1"
        var file = CompareFixtures.file([(name, CompareFixtures.values(1e9, seed: 9))])
        // pvbench run writes them beside _median; make them distinct from what the repetitions give.
        for i in file.benchmarks.indices where file.benchmarks[i].aggregateName == "ci_low" || file.benchmarks[i].aggregateName == "ci_high" {
            file.benchmarks[i].counters["reads_per_second"] = file.benchmarks[i].aggregateName == "ci_low" ? 9.9e8 : 1.01e9
        }
        if !file.benchmarks.contains(where: { $0.aggregateName == "ci_low" }) {
            for (aggregate, v) in [("ci_low", 9.9e8), ("ci_high", 1.01e9)] {
                file.benchmarks.append(BenchmarkEntry(name: "\(name)_\(aggregate)", runName: name, runType: .aggregate, aggregateName: aggregate,
                                                      repetitions: 9, iterations: 9, realTime: 1, cpuTime: 1, scenario: "steal-clock",
                                                      counters: ["reads_per_second": v]))
            }
        }
        var bare = CompareFixtures.file([(name, CompareFixtures.values(1e9, seed: 9))])
        bare.benchmarks.removeAll { $0.aggregateName == "ci_low" || $0.aggregateName == "ci_high" }
        let c = try compare(file, bare)
        #expect(c.cases[0].old.ciSource == "file" && c.cases[0].old.ciLow == 9.9e8 && c.cases[0].old.ciHigh == 1.01e9)
        #expect(c.cases[0].new.ciSource == "x(2)..x(8) of 9")
    }

    @Test("disjoint cases: an error; partly disjoint: listed as only in one file")
    func disjoint() throws {
        let a = CompareFixtures.file([("steal-clock/a", CompareFixtures.values(1e9, seed: 1))])
        let b = CompareFixtures.file([("steal-clock/b", CompareFixtures.values(1e9, seed: 2))])
        #expect(throws: Comparison.Failure.self) { try compare(a, b) }
        let ab = CompareFixtures.file([("steal-clock/a", CompareFixtures.values(1e9, seed: 1)), ("steal-clock/b", CompareFixtures.values(1e9, seed: 2))])
        let c = try compare(a, ab)
        #expect(c.onlyInNew == ["steal-clock/b"] && c.onlyInOld.isEmpty && c.cases.count == 1)
    }

    @Test("different hosts and placements are flagged in the header")
    func differentHosts() throws {
        let cases = CompareFixtures.suite(2)
        var other = CompareFixtures.file(cases, host: "bench2")
        other.context.placement?.readerCPUs = [3]
        other.context.build = BuildRecord(configuration: "release", compiler: "Swift 6.3", architecture: "x86_64", kernel: "6.2.0", flags: [])
        let c = try compare(CompareFixtures.file(cases), other)
        #expect(c.crossesMachinesOrPlacements)
        #expect(c.differences.contains { $0.kind == .machine && $0.what == "host" && $0.old == "bench1" && $0.new == "bench2" })
        #expect(c.differences.contains { $0.kind == .placement && $0.what == "reader CPUs" && $0.new == "3" })
        #expect(c.differences.contains { $0.kind == .build && $0.what == "kernel" })
        let text = CompareRendering.text(c)
        #expect(text.contains("WARNING: a comparison across MACHINES AND PLACEMENTS: host bench1 → bench2"))
        #expect(CompareRendering.markdown(c).contains("> **WARNING"))
        // A disturbance rule, however the context spells it.
        let rule = ContextDifference.between(.object(["disturbance_rule": .string("off-CPU > 1%")]),
                                             .object(["disturbance_rule": .string("off-CPU > 2%")]))
        #expect(rule == [ContextDifference(kind: .disturbance, what: "disturbance rule", old: "off-CPU > 1%", new: "off-CPU > 2%")])
        // As pvbench run records it: context.rounds (the seed differs every run and is not a difference).
        // The idle floor is compared by value: its rule text differs in every run.
        func rounds(_ fraction: Double, seed: Double, floor: Double? = nil) -> JSONValue {
            var r: [String: JSONValue] = ["round_seed": .number(seed), "rounds": .number(9), "disturbed_policy": .string("retry"),
                                          "off_cpu_fraction": .number(fraction),
                                          "rule": .string("off-CPU above \(fraction) of the window above \(floor ?? 0)")]
            if let floor { r["idle_floor"] = .object(["off_cpu_fraction": .number(floor), "window_ns": .number(6e7)]) }
            return .object(["rounds": .object(r)])
        }
        let fromRun = ContextDifference.between(rounds(0.01, seed: 1), rounds(0.02, seed: 2))
        #expect(fromRun.map(\.what) == ["disturbed above off-CPU fraction"])
        #expect(ContextDifference.between(rounds(0.01, seed: 1), rounds(0.01, seed: 7)).isEmpty)
        #expect(ContextDifference.between(rounds(0.01, seed: 1, floor: 0.009), rounds(0.01, seed: 7, floor: 0.012)).isEmpty)
        #expect(ContextDifference.between(rounds(0.01, seed: 1, floor: 0.009), rounds(0.01, seed: 7, floor: 0.31))
            == [ContextDifference(kind: .disturbance, what: "idle floor", old: "0.90%", new: "31.00%")])
        #expect(ContextDifference.between(rounds(0.01, seed: 1), rounds(0.01, seed: 7, floor: 0.009)).map(\.what) == ["idle floor"])
        #expect(ContextDifference.recordsDisturbanceRule(rounds(0.01, seed: 1)))
    }

    @Test("google-benchmark JSON from another tool: real_time in its unit, aggregates skipped")
    func googleBenchmark() throws {
        func file(_ scale: Double) -> [UInt8] {
            var rows: [String] = []
            for (i, v) in CompareFixtures.values(120, seed: 3).enumerated() {
                rows.append(#"{"name": "BM_Lookup/64", "family_index": 0, "per_family_instance_index": 0, "run_name": "BM_Lookup/64", "run_type": "iteration", "repetitions": 9, "repetition_index": \#(i), "threads": 1, "iterations": 5000000, "real_time": \#(v * scale), "cpu_time": \#(v * scale), "time_unit": "us", "items_per_second": \#(1e6 / (v * scale))}"#)
            }
            rows.append(#"{"name": "BM_Lookup/64_mean", "run_name": "BM_Lookup/64", "run_type": "aggregate", "repetitions": 9, "threads": 1, "aggregate_name": "mean", "aggregate_unit": "time", "iterations": 9, "real_time": 120, "cpu_time": 120, "time_unit": "us"}"#)
            let json = #"{"context": {"date": "2024-01-01T00:00:00+00:00", "host_name": "ci", "executable": "./bm", "num_cpus": 8, "mhz_per_cpu": 3000, "cpu_scaling_enabled": false, "caches": [], "load_avg": [0.1], "library_build_type": "release"}, "benchmarks": [\#(rows.joined(separator: ","))]}"#
            return Array(json.utf8)
        }
        let old = try ReportInput.parse(file(1), path: "gb-old.json"), new = try ReportInput.parse(file(1.4), path: "gb-new.json")
        let c = try Comparison(old: old, new: new)
        #expect(c.cases.count == 1 && c.cases[0].verdict == .slower && c.cases[0].figure.key == "real_time")
        #expect(abs(c.cases[0].old.median! - 120_000) < 3000)  // us → ns
        let items = try Comparison(old: old, new: new, options: .init(figure: .key("items_per_second")))
        #expect(items.cases[0].figure.better == .higher && items.cases[0].verdict == .slower)
        #expect(c.differences.isEmpty)
    }
}
