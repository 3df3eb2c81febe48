#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Testing
@testable import PVResults
@testable import PVExperiments

/// Synthetic result files: every scenario the report plots, with known figures.
extension ReportDataset {
    /// The dataset as `pvbench report` builds it: with the scenarios' figures and plots.
    init(pvbench inputs: [ReportInput]) {
        self.init(inputs: inputs, figures: ScenarioKind.figureCatalogue, plots: ScenarioKind.plotCatalogue)
    }
}

enum ReportFixtures {
    static func runs(_ name: String, scenario: String, strategy: String, layout: String,
                     counters: (Int) -> [String: Double]) -> [BenchmarkEntry] {
        let reps = (0 ..< 3).map { i in
            BenchmarkEntry(name: name, repetitions: 3, repetitionIndex: i, iterations: 1000, realTime: 2, cpuTime: 2,
                           scenario: scenario, strategy: strategy, layout: layout, counters: counters(i))
        }
        return reps + BenchmarkEntry.aggregates(of: reps).entries
    }

    static func file(interrupted: Bool = false) -> ResultFile {
        var entries: [BenchmarkEntry] = []
        for strategy in ["relaxed", "seqlock"] {
            for layout in ["packed", "cacheline"] {
                let base = strategy == "relaxed" ? 4.0e8 : 1.0e8
                entries += runs("steal-clock/\(strategy)/\(layout)/vcpus:4/readers:1/writers:1", scenario: "steal-clock",
                                strategy: strategy, layout: layout) { i in
                    ["reads_per_second": base + Double(i) * 1e7, "read_cost_p50_ns": 2.5, "read_cost_p99_ns": 40, "torn_reads": 0,
                     "backwards_reads": 0]
                }
            }
        }
        entries += runs("preempt-poll/relaxed/cacheline/vcpus:1/readers:1/writers:1", scenario: "preempt-poll",
                        strategy: "relaxed", layout: "cacheline") { _ in
            ["polls_per_second": 3e8, "visibility_min_ns": 90, "visibility_p50_ns": 200, "visibility_p90_ns": 300,
             "visibility_p99_ns": 900, "visibility_p999_ns": 4000, "visibility_max_ns": 20000, "torn_reads": 0]
        }
        for layout in ["packed", "page"] {
            for vcpus in [1, 16, 256] {
                entries += runs("idle-scan/relaxed/\(layout)/vcpus:\(vcpus)/readers:1/writers:1", scenario: "idle-scan",
                                strategy: "relaxed", layout: layout) { _ in
                    ["scans_per_second": 1e9 / Double(vcpus), "ns_per_flag": 1]
                }
            }
        }
        for (a, b) in [(0, 1), (1, 0)] {
            entries += runs("c2c/cpu:\(a)->cpu:\(b)", scenario: "c2c", strategy: "-", layout: "-") { _ in
                ["one_way_ns": 150 + Double(a) * 10, "one_way_p50_ns": 150 + Double(a) * 10, "round_trips_per_second": 3e6]
            }
        }
        var context = ResultsTests.sampleContext()
        context.interrupted = interrupted
        return ResultFile(context: context, benchmarks: entries)
    }

    /// overcommit lock cases at 1:1, 2:1 and 4:1 with PV sched on and off:
    /// on keeps its throughput and barely spins, off spins more per vCPU.
    static func overcommitFile() -> ResultFile {
        var entries: [BenchmarkEntry] = []
        for (n, mode) in [2, 4, 8].flatMap({ n in ["on", "off"].map { (n, $0) } }) {
            let name = "overcommit/lock/relaxed/cacheline/overcommit:\(n):2/pv-sched:\(mode)/slice:1ms/cs:2us"
            entries += runs(name, scenario: "overcommit", strategy: "relaxed", layout: "cacheline") { i in
                let spin = mode == "on" || n == 2 ? 0.0 : Double(n) * 1e8 + Double(i) * 1e6
                return ["iterations_per_second": 1e5, "acquisitions_per_second": (mode == "on" ? 3e5 : 1e5) + Double(i) * 1e3,
                        "spin_on_preempted_owner_ns_total": spin, "backwards_reads": 0]
            }
        }
        return ResultFile(context: ResultsTests.sampleContext(), benchmarks: entries)
    }

    static func input(_ path: String = "synthetic.json", interrupted: Bool = false) -> ReportInput {
        ReportInput(path: path, file: file(interrupted: interrupted))
    }

    /// A fresh empty directory under the system temp directory.
    static func temporaryDirectory() -> String {
        var template = Array("\(NSTemporaryDirectory())/pvbench-report-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

@Suite("pvbench report: tables, plots and hostile input")
struct ReportTests {
    @Test("runs become rows with the aggregates' median, min, max and CV")
    func rows() throws {
        let dataset = ReportDataset(pvbench: [ReportFixtures.input()])
        #expect(dataset.scenarios == ["steal-clock", "preempt-poll", "idle-scan", "c2c"])
        #expect(dataset.rows.count == 4 + 1 + 6 + 2)
        let row = try #require(dataset.rows.first { $0.runName == "steal-clock/relaxed/packed/vcpus:4/readers:1/writers:1" })
        #expect(row.throughputKey == "reads_per_second")
        #expect(row.throughput?.median == 4.1e8)
        #expect(row.throughput?.min == 4.0e8)
        #expect(row.throughput?.max == 4.2e8)
        #expect(row.throughput?.cv != nil)
        #expect(row.costP50 == 2.5)
        #expect(row.tornReads == 0)
        #expect(row.vcpus == 4)
        #expect(row.repetitions == 3)

        let poll = try #require(dataset.rows.first { $0.scenario == "preempt-poll" })
        #expect(poll.latencyKind == "visibility")
        #expect(poll.latencyCDF.map(\.fraction) == [0, 0.5, 0.9, 0.99, 0.999, 1])
        #expect(poll.latencyCDF.map(\.nanoseconds) == [90, 200, 300, 900, 4000, 20000])

        let pairs = dataset.rows.compactMap(\.cpuPair).map { [$0.from, $0.to] }
        #expect(pairs == [[0, 1], [1, 0]])
        #expect(dataset.rows.first { $0.cpuPair?.from == 1 }?.oneWayNanoseconds == 160)
    }

    @Test("a file with repetitions but no aggregates gets its figures computed; no rate counter means ops/s from real_time")
    func withoutAggregates() throws {
        let entries = (0 ..< 3).map { i in
            BenchmarkEntry(name: "BM_Foreign", repetitions: 3, repetitionIndex: i, iterations: 10,
                           realTime: [10, 20, 40][i], cpuTime: 1, timeUnit: .nanoseconds)
        }
        let input = ReportInput(path: "gb.json", file: ResultFile(context: ResultsTests.sampleContext(), benchmarks: entries))
        let row = try #require(ReportDataset(inputs: [input]).rows.first)
        #expect(row.throughputKey.hasPrefix("ops_per_second"))
        #expect(row.throughput?.median == 5e7)
        #expect(row.throughput?.min == 2.5e7)
        #expect(row.throughput?.max == 1e8)
    }

    @Test("plots exist exactly for the data present")
    func plotsForData() {
        let all = ReportPlots.plots(for: ReportDataset(pvbench: [ReportFixtures.input()])).map(\.name)
        #expect(all == ["throughput-steal-clock", "throughput-preempt-poll", "latency-cdf-preempt-poll",
                        "throughput-idle-scan", "idle-scan-vcpus", "c2c-heatmap", "repetitions-steal-clock",
                        "repetitions-preempt-poll", "repetitions-idle-scan", "repetitions-c2c"])

        var only = ReportFixtures.file()
        only.benchmarks = only.benchmarks.filter { $0.scenario == "steal-clock" }
        let some = ReportPlots.plots(for: ReportDataset(pvbench: [ReportInput(path: "s.json", file: only)])).map(\.name)
        #expect(some == ["throughput-steal-clock", "repetitions-steal-clock"])

        let heatmap = ReportPlots.plots(for: ReportDataset(pvbench: [ReportFixtures.input()])).first { $0.name == "c2c-heatmap" }!
        #expect(heatmap.script.contains("\n1 0 150.0\n"))   // x: to CPU 1, y: from CPU 0
        #expect(heatmap.script.contains("\n0 1 160.0\n"))   // x: to CPU 0, y: from CPU 1
        #expect(heatmap.script.contains("0 0 NaN"))   // the diagonal was not measured

        // One pair (the default suite's c2c 0 -> 1, no --matrix): no map of one cell among NaNs.
        var onePair = ReportFixtures.file()
        onePair.benchmarks = onePair.benchmarks.filter { $0.scenario != "c2c" || $0.runName.hasSuffix("cpu:0->cpu:1") }
        #expect(onePair.benchmarks.contains { $0.scenario == "c2c" }, "the fixture keeps its 0 -> 1 pair")
        let names = ReportPlots.plots(for: ReportDataset(pvbench: [ReportInput(path: "one.json", file: onePair)])).map(\.name)
        #expect(!names.contains("c2c-heatmap") && names.contains("repetitions-c2c"), "\(names)")
    }

    @Test("repetitions plot: each panel's tics get the decimals its range needs, so no two read alike")
    func repetitionTickFormat() {
        // 5.33–5.37 G (a 1 ms writer's relaxed reads): tics 5 M apart need 3 decimals of G.
        #expect(ReportPlots.tickFormat([5.33e9, 5.37e9, 5.35e9]) == "%.3s%c")
        // 4.0–5.2 G (the two placements): one decimal tells 0.2 G tics apart.
        #expect(ReportPlots.tickFormat([4.0e9, 5.2e9]) == "%.1s%c")
        // 19.5–19.8 k episodes/s: the mantissa is 19.5, tics 0.03 apart.
        #expect(ReportPlots.tickFormat([19_500, 19_800]) == "%.2s%c")
        // Below one gnuplot goes to milli: 0.90–0.95 reads 900.0m–950.0m, tics 5 m apart.
        #expect(ReportPlots.tickFormat([0.90, 0.95]) == "%.1s%c")
        #expect(ReportPlots.tickFormat([0.9000, 0.9004]) == "%.2s%c")
        // All equal, or nothing finite: the old default.
        #expect(ReportPlots.tickFormat([7e6, 7e6]) == "%.2s%c")
        #expect(ReportPlots.tickFormat([.nan]) == "%.2s%c")
        // At most 4 decimals, however narrow.
        #expect(ReportPlots.tickFormat([1e9, 1e9 + 1]) == "%.4s%c")

        let plot = ReportPlots.plots(for: ReportDataset(pvbench: [ReportFixtures.input()])).first { $0.name == "repetitions-steal-clock" }
        #expect(plot?.script.contains("set format y \"%.") == true, "each panel sets its own format")
        #expect(plot?.script.contains("set format y \"%.2s%c\"\nset tics") == false, "no one format for every panel")
    }

    @Test("overcommit: throughput and spin waste against N:M, PV sched on and off as two series, with their data tables")
    func overcommitPlots() throws {
        let input = ReportInput(path: "oc.json", file: ReportFixtures.overcommitFile())
        let plots = ReportPlots.plots(for: ReportDataset(pvbench: [input]))
        let throughput = try #require(plots.first { $0.name == "overcommit-throughput" })
        let spin = try #require(plots.first { $0.name == "overcommit-spin-waste" })
        for plot in [throughput, spin] {
            #expect(plot.script.contains("title \"pv-sched on\"") && plot.script.contains("title \"pv-sched off\""))
            #expect(plot.script.contains("\"2:1\" 2.0") && plot.script.contains("\"4:1\" 4.0"))
            let lines = try #require(plot.data).split(separator: "\n")
            #expect(lines.count == 1 + 6, "a header and one line per case")
            #expect(lines[0].hasPrefix("series\tovercommit\tvcpus\thost_cpus\t"))
        }
        // Medians over the repetitions: on at 4:1 is 301k acquisitions/s; off at 2:1 spins 401 ms, at 4:1 801 ms.
        #expect(throughput.script.contains("\n4.0 301000.0 300000.0 302000.0\n"))
        #expect(spin.script.contains("\n2.0 401.0 400.0 402.0\n4.0 801.0 800.0 802.0\n"))
        #expect(try #require(spin.data).contains("pv-sched off\t8:2\t8\t2\t801000000.0\t"))
        // No overcommit rows: no such plot.
        #expect(!ReportPlots.plots(for: ReportDataset(pvbench: [ReportFixtures.input()])).contains { $0.name.hasPrefix("overcommit") })

        // A sweep split over files draws one line per mode; the same case in
        // two files (with and without a fault) gets a line per file.
        var low = ReportFixtures.overcommitFile(), high = low
        low.benchmarks = low.benchmarks.filter { $0.name.contains("overcommit:2:2") }
        high.benchmarks = high.benchmarks.filter { !$0.name.contains("overcommit:2:2") }
        let split = ReportPlots.plots(for: ReportDataset(pvbench: [ReportInput(path: "a.json", file: low),
                                                                  ReportInput(path: "b.json", file: high)]))
        #expect(split.first { $0.name == "overcommit-throughput" }?.script.contains("title \"pv-sched on\"") == true)
        let twice = ReportPlots.plots(for: ReportDataset(pvbench: [input, ReportInput(path: "drop/oc.json", file: input.file)]))
        let both = try #require(twice.first { $0.name == "overcommit-throughput" }?.script)
        #expect(both.contains("title \"pv-sched on oc.json\"") && both.contains("title \"pv-sched on drop/oc.json\""))
        #expect(both.components(separatedBy: "with yerrorlines").count - 1 == 4, "on and off per file")

        let dir = ReportFixtures.temporaryDirectory()
        let outcome = try ReportGenerator.generate(inputs: [input], directory: dir, overwrite: false, gnuplot: nil,
                                                   command: "pvbench report oc.json", plots: ScenarioKind.plotCatalogue)
        #expect(outcome.written.contains("\(dir)/overcommit-throughput.tsv") && outcome.written.contains("\(dir)/overcommit-spin-waste.tsv"))
        #expect(!outcome.written.contains { $0.hasSuffix(".svg") }, "no gnuplot: no images")
        #expect(try String(contentsOfFile: "\(dir)/overcommit-spin-waste.tsv", encoding: .utf8) == spin.data)
        let summary = try String(contentsOfFile: "\(dir)/summary.md", encoding: .utf8)
        #expect(summary.contains("[overcommit-throughput.tsv](overcommit-throughput.tsv)"))
        // Atomic writes: nothing but the report's files is left in the directory.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(left == outcome.written.map { ReportPlots.lastComponent($0) }.sorted())
    }

    @Test("overcommit plots render with gnuplot", .enabled(if: Gnuplot.find() != nil, "gnuplot is not installed"))
    func overcommitPlotsRender() throws {
        let dir = ReportFixtures.temporaryDirectory()
        let input = ReportInput(path: "oc.json", file: ReportFixtures.overcommitFile())
        let outcome = try ReportGenerator.generate(inputs: [input], directory: dir, overwrite: false, gnuplot: Gnuplot.find(),
                                                   command: "pvbench report oc.json", plots: ScenarioKind.plotCatalogue)
        #expect(outcome.notes == [])
        for name in ["overcommit-throughput", "overcommit-spin-waste"] {
            let svg = try String(contentsOfFile: "\(dir)/\(name).svg", encoding: .utf8)
            #expect(svg.contains("<svg") && svg.contains("pv-sched off"))
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(name).png"))
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(name).tsv"))
        }
    }

    @Test("the summary has a table per scenario and each file's context")
    func markdown() {
        let dataset = ReportDataset(pvbench: [ReportFixtures.input(interrupted: true)])
        let md = ReportMarkdown.render(dataset, plots: [], plotNote: "No plots: test", command: "pvbench report x.json")
        for heading in ["## steal-clock", "## preempt-poll", "## idle-scan", "## c2c", "## Plots", "## Context"] {
            #expect(md.contains("\n\(heading)\n"), "missing \(heading)")
        }
        #expect(md.contains("| relaxed | packed | readers 1, vcpus 4, writers 1 | 410.0M reads/s | 400.0M … 420.0M |"))
        #expect(md.contains("| 0 | 1 | 150 |"))
        #expect(md.contains("| interrupted | yes (SIGINT): figures cover only part of the run |"))
        #expect(md.contains("> **Interrupted:**"))
        #expect(md.contains("| clock | x86_64 TSC"))
        #expect(md.contains("| placement | same-node: writers on CPUs 0, readers on CPUs 1, memory on node(s) 0 |"))
        #expect(md.contains("| warnings | spread is large |"))
        #expect(md.contains("No plots: test"))
    }

    @Test("without gnuplot: only the summary, which says how to get plots; no overwrite without force")
    func withoutGnuplot() throws {
        let dir = ReportFixtures.temporaryDirectory() + "/new/sub"
        let outcome = try ReportGenerator.generate(inputs: [ReportFixtures.input()], directory: dir, overwrite: false,
                                                   gnuplot: nil, command: "pvbench report synthetic.json",
                                                   figures: ScenarioKind.figureCatalogue)
        #expect(outcome.written == ["\(dir)/summary.md"])
        #expect(outcome.notes.first?.contains("apt-get install gnuplot-nox") == true)
        let text = try String(contentsOfFile: "\(dir)/summary.md", encoding: .utf8)
        #expect(text.contains("No plots: gnuplot was not found on PATH"))

        #expect(throws: ReportOutputError.exists(["\(dir)/summary.md"])) {
            try ReportGenerator.generate(inputs: [ReportFixtures.input()], directory: dir, overwrite: false,
                                         gnuplot: nil, command: "again")
        }
        #expect(try String(contentsOfFile: "\(dir)/summary.md", encoding: .utf8) == text)
        _ = try ReportGenerator.generate(inputs: [ReportFixtures.input()], directory: dir, overwrite: true,
                                         gnuplot: nil, command: "pvbench report --force")
        #expect(try String(contentsOfFile: "\(dir)/summary.md", encoding: .utf8).contains("pvbench report --force"))
    }

    @Test("with gnuplot: every plot as SVG and PNG", .enabled(if: Gnuplot.find() != nil, "gnuplot is not installed"))
    func withGnuplot() throws {
        let dir = ReportFixtures.temporaryDirectory()
        let outcome = try ReportGenerator.generate(inputs: [ReportFixtures.input()], directory: dir, overwrite: false,
                                                   gnuplot: Gnuplot.find(), command: "pvbench report synthetic.json",
                                                   figures: ScenarioKind.figureCatalogue, plots: ScenarioKind.plotCatalogue)
        #expect(outcome.notes == [])
        #expect(outcome.written.count == 1 + 2 * 10 + 1, "the summary, each plot as SVG and PNG, idle-scan-vcpus's data table")
        for path in outcome.written where path.hasSuffix(".svg") {
            let svg = try String(contentsOfFile: path, encoding: .utf8)
            #expect(svg.contains("<svg"), "\(path) is not SVG")
        }
        for path in outcome.written where path.hasSuffix(".png") {
            let png = try #require(FileManager.default.contents(atPath: path))
            #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "\(path) is not PNG")
        }
        let summary = try String(contentsOfFile: "\(dir)/summary.md", encoding: .utf8)
        #expect(summary.contains("![c2c: one-way cache-line latency (ns) per CPU pair](c2c-heatmap.svg)"))
    }

    @Test("malformed or foreign JSON gets one line naming the file and the problem",
          arguments: [
              ("", "empty file"),
              ("{\"context\": {\"date\": \"x\"", "not valid JSON"),
              ("[1, 2, 3]", "wrong type at top level"),
              ("{\"name\": \"not a result\"}", "missing key 'context'"),
              ("{\"context\": {\"date\": 1}, \"benchmarks\": []}", "wrong type at context.date"),
              (String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000), "nested deeper than 64"),
              ("\u{FEFF}{}", "missing key"),
          ])
    func malformed(_ text: String, _ expected: String) {
        #expect {
            _ = try ReportInput.parse(Array(text.utf8), path: "bad.json")
        } throws: { error in
            let line = "\(error)"
            return line.hasPrefix("bad.json: ") && line.contains(expected) && !line.contains("\n")
        }
    }

    @Test("wrong types, huge numbers and non-UTF-8 bytes inside an otherwise good file are refused")
    func hostileValues() throws {
        let good = try ReportFixtures.file().jsonData()
        let text = String(decoding: good, as: UTF8.self)
        let cases: [(String, [UInt8], String)] = [
            ("iterations as string", Array(text.replacingOccurrences(of: "\"iterations\" : 1000", with: "\"iterations\" : \"many\"").utf8),
             "wrong type at benchmarks[0].iterations"),
            ("huge iterations", Array(text.replacingOccurrences(of: "\"iterations\" : 1000", with: "\"iterations\" : 1e400").utf8),
             "number 1e400 at offset"),
            ("negative real_time", Array(text.replacingOccurrences(of: "\"real_time\" : 2", with: "\"real_time\" : -2").utf8),
             "real_time is negative"),
            ("non-UTF-8", Array(good.prefix(40)) + [0xFF, 0xFE] + Array(good.dropFirst(40)), "not UTF-8 text (invalid byte 0xff at offset 40)"),
            ("truncated", Array(good.prefix(good.count / 2)), "not valid JSON"),
        ]
        #expect(text.contains("\"iterations\" : 1000"))
        for (what, bytes, expected) in cases {
            #expect("\(what)", performing: { _ = try ReportInput.parse(bytes, path: "f.json") }, throws: { error in
                let line = "\(error)"
                return line.hasPrefix("f.json: ") && line.contains(expected)
            })
        }
        // The unmodified file is accepted.
        #expect(try ReportInput.parse(Array(good), path: "f.json").file.benchmarks.count == ReportFixtures.file().benchmarks.count)
    }

    @Test("UTF-8 check: valid multi-byte text passes, overlongs and surrogates do not")
    func utf8() {
        #expect(ReportInput.invalidUTF8Offset(Array("µs → ✓ 𝄞".utf8)) == nil)
        #expect(ReportInput.invalidUTF8Offset([0x41, 0xC0, 0xAF]) == 1)          // overlong '/'
        #expect(ReportInput.invalidUTF8Offset([0xED, 0xA0, 0x80]) == 1)          // UTF-16 surrogate
        #expect(ReportInput.invalidUTF8Offset([0x41, 0xE2, 0x82]) == 1)          // cut short
    }
}
