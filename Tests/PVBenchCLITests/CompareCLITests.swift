import Foundation
import Testing
import PVTestSupport

@Suite("pvbench compare from the command line: verdicts, exit status, formats, hostile input, baselines")
struct CompareCLITests {
    static let name = "steal-clock/relaxed/cacheline/vcpus:1/readers:1/writers:1"

    /// A pvbench-shaped file: one steal-clock case, `reps` repetitions of
    /// reads/s around `rate` (seeded ±2 %), its figure map in the context.
    static func file(rate: Double, reps: Int = 9, host: String = "bench1", seed: UInt64 = 1) -> String {
        var g = SeededGenerator(seed: seed)
        let rows = (0 ..< reps).map { i -> String in
            let v = rate * (1 + Double.random(in: -0.02 ... 0.02, using: &g))
            return #"{"name": "\#(name)", "run_name": "\#(name)", "run_type": "iteration", "repetitions": \#(reps), "repetition_index": \#(i), "threads": 2, "iterations": 1000, "real_time": \#(1e9 / v), "cpu_time": \#(1e9 / v), "time_unit": "ns", "scenario": "steal-clock", "reads_per_second": \#(v), "disturbed": false}"#
        }
        return #"{"context": {"date": "2026-11-21T10:00:00+00:00", "host_name": "\#(host)", "executable": "pvbench", "num_cpus": 2, "mhz_per_cpu": 2100, "cpu_scaling_enabled": false, "caches": [], "library_build_type": "release", "pvbench_version": "0.1.0", "figures": {"steal-clock": {"rate": {"key": "reads_per_second", "unit": "/s", "operation": "reads", "better": "higher"}}}}, "benchmarks": [\#(rows.joined(separator: ",\n"))]}"#
    }

    static func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test("same, slower, faster: exit 0, 1, 0 with the verdict in the table")
    func verdicts() throws {
        let dir = try ReportCLITests.scratch()
        let old = try Self.write(Self.file(rate: 1e9), "old.json", in: dir)
        let same = try CLI.run(["compare", old, old])
        #expect(same.status == 0 && same.stdout.contains("no significant change") && same.stderr.isEmpty, "\(same.stderr)")
        let slowerFile = try Self.write(Self.file(rate: 1e9 / 1.4, seed: 2), "slower.json", in: dir)
        let slower = try CLI.run(["compare", old, slowerFile])
        #expect(slower.status == 1 && slower.stdout.contains("slower") && slower.stdout.contains("1 slower"), "\(slower.stdout)")
        let faster = try CLI.run(["compare", slowerFile, old])
        #expect(faster.status == 0 && faster.stdout.contains("faster"))
        // A 40 % slowdown below a 50 % threshold is no verdict of slower.
        let lenient = try CLI.run(["compare", old, slowerFile, "--threshold", "50%"])
        #expect(lenient.status == 0 && lenient.stdout.contains("within the 50 % threshold"))
        let other = try Self.write(Self.file(rate: 1e9, host: "bench2", seed: 3), "other.json", in: dir)
        let hosts = try CLI.run(["compare", old, other])
        #expect(hosts.stdout.contains("WARNING: a comparison across MACHINES: host bench1 → bench2"))
    }

    @Test("--json parses and carries the verdicts; --markdown is a table")
    func formats() throws {
        let dir = try ReportCLITests.scratch()
        let old = try Self.write(Self.file(rate: 1e9), "old.json", in: dir)
        let new = try Self.write(Self.file(rate: 1e9 / 1.4, seed: 2), "new.json", in: dir)
        let json = try CLI.run(["compare", old, new, "--json"])
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let cases = try #require(object["cases"] as? [[String: Any]])
        #expect(cases.count == 1 && cases[0]["verdict"] as? String == "slower" && object["exit_status"] as? Int == 1)
        #expect((cases[0]["figure"] as? [String: Any])?["better"] as? String == "higher")
        #expect(cases[0]["p_holm"] is Double && cases[0]["change_ci_low"] is Double)
        let md = try CLI.run(["compare", old, new, "--markdown"])
        #expect(md.status == 1 && md.stdout.contains("| case | figure | old | new |") && md.stdout.contains("**slower**"))
        let both = try CLI.run(["compare", old, new, "--markdown", "--json"])
        #expect(both.status == 64)
    }

    @Test("bad input is one line and exit 64: missing, truncated, wrong types, huge numbers, deep nesting, no case in common")
    func hostile() throws {
        let dir = try ReportCLITests.scratch()
        let good = Self.file(rate: 1e9)
        let old = try Self.write(good, "old.json", in: dir)
        var hostile: [(String, String)] = [
            ("truncated", String(good.prefix(good.count / 2))),
            ("empty", ""),
            ("wrong-types", good.replacingOccurrences(of: #""iterations": 1000"#, with: #""iterations": "many""#)),
            ("huge-number", good.replacingOccurrences(of: #""real_time": "#, with: #""real_time": 1e999, "z": "#)),
            ("huge-integer", good.replacingOccurrences(of: #""iterations": 1000"#, with: #""iterations": 99999999999999999999999"#)),
            ("deep", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)),
            ("not-an-object", "[1, 2, 3]"),
            ("figures-wrong", good.replacingOccurrences(of: #""better": "higher""#, with: #""better": "sideways""#)),
            ("benchmarks-null", #"{"context": {}, "benchmarks": null}"#),
            ("other-case", good.replacingOccurrences(of: Self.name, with: "steal-clock/other")),
        ]
        hostile.append(("negative-time", good.replacingOccurrences(of: #""real_time": "#, with: #""real_time": -1, "w": "#)))
        for (label, text) in hostile {
            let path = try Self.write(text, "\(label).json", in: dir)
            for args in [["compare", old, path], ["compare", path, old]] {
                let r = try CLI.run(args)
                #expect(r.status == 64, "\(label): \(r.status) \(r.stderr)")
                #expect(r.stderr.hasPrefix("pvbench: error: ") && r.stderr.split(separator: "\n").count == 1, "\(label): \(r.stderr)")
                #expect(r.stdout.isEmpty, "\(label)")
            }
        }
        // A readable file whose figure is not a number: a verdict (inconclusive), not a guess.
        let strings = try Self.write(good.replacingOccurrences(of: #""reads_per_second": "#, with: #""reads_per_second": "x", "y": "#),
                                     "strings.json", in: dir)
        let inconclusive = try CLI.run(["compare", old, strings])
        #expect(inconclusive.status == 0 && inconclusive.stdout.contains("inconclusive: NEW has no reads_per_second"), "\(inconclusive.stdout)")
        // A CI gate that must not pass on what was not decided.
        let strict = try CLI.run(["compare", old, strings, "--fail-on-inconclusive"])
        #expect(strict.status == 2 && strict.stderr.hasPrefix("pvbench: error: --fail-on-inconclusive: ")
            && strict.stderr.split(separator: "\n").count == 1, "\(strict.status) \(strict.stderr)")
        #expect(try CLI.run(["compare", old, old, "--fail-on-inconclusive"]).status == 0, "nothing inconclusive: 0")
        let missing = try CLI.run(["compare", old, dir.appendingPathComponent("nope.json").path])
        #expect(missing.status == 64 && missing.stderr.contains("nope.json: cannot open"))
        let one = try CLI.run(["compare", old])
        #expect(one.status == 64 && one.stderr.split(separator: "\n").count == 1)
        // A figure nobody declares is bad input, not a guess.
        let figure = try CLI.run(["compare", old, old, "--figure", "zap_per_second"])
        #expect(figure.status == 64 && figure.stderr.contains("neither file says whether higher or lower is better"))
    }

    @Test("baselines: run --baseline save, compare --baseline, run --baseline compare")
    func baselines() throws {
        let dir = try ReportCLITests.scratch()
        func run(_ args: [String]) throws -> CLIResult { try Subprocess.run(CLI.executable, args, in: dir) }
        let missing = try run(["compare", "--baseline", "main", "x.json"])
        #expect(missing.status == 64 && missing.stderr.contains("no baseline 'main'"), "\(missing.stderr)")
        let refused = try run(["run", "--scenario", "steal-clock", "--duration", "20ms", "--warmup", "0", "--repetitions", "1",
                               "--baseline", "compare", "main"])
        #expect(refused.status == 64 && refused.stdout.isEmpty, "\(refused.stderr)")
        let badName = try run(["compare", "--baseline", "../etc", "x.json"])
        #expect(badName.status == 64)
        let saved = try run(["run", "--scenario", "steal-clock", "--duration", "20ms", "--warmup", "0", "--repetitions", "4",
                             "--baseline", "save", "main"])
        #expect(saved.status == 0 && saved.stdout.contains("saved baseline main (.pvbench-baselines/main.json)"), "\(saved.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".pvbench-baselines/main.json").path))
        let new = try Self.write(Self.file(rate: 1e9), "new.json", in: dir)
        let cmp = try run(["compare", "--baseline", "main", new])
        #expect(cmp.status == 0 || cmp.status == 1, "\(cmp.stderr)")
        #expect(cmp.stdout.contains("OLD  .pvbench-baselines/main.json"))
        let again = try run(["run", "--scenario", "steal-clock", "--duration", "20ms", "--warmup", "0", "--repetitions", "4",
                             "--baseline", "compare", "main"])
        #expect(again.status == 0 || again.status == 1, "\(again.stderr)")
        #expect(again.stdout.contains("NEW  this run") && again.stdout.contains("(1 case in both files)"), "\(again.stdout)")
    }
}
