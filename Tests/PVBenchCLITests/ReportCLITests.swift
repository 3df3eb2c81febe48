import Foundation
import Testing

@Suite("pvbench report from the command line")
struct ReportCLITests {
    /// A minimal google-benchmark-shaped file with one pvbench run.
    static let resultJSON = """
        {
          "context": {"date": "2026-11-21T10:00:00+00:00", "host_name": "bench1", "executable": "pvbench run --suite smoke",
                      "num_cpus": 2, "mhz_per_cpu": 2100, "cpu_scaling_enabled": false, "caches": [],
                      "library_build_type": "release"},
          "benchmarks": [
            {"name": "steal-clock/relaxed/cacheline/vcpus:1/readers:1/writers:1",
             "run_name": "steal-clock/relaxed/cacheline/vcpus:1/readers:1/writers:1", "run_type": "iteration",
             "repetitions": 1, "repetition_index": 0, "threads": 2, "iterations": 1000, "real_time": 2.5,
             "cpu_time": 2.5, "time_unit": "ns", "scenario": "steal-clock", "strategy": "relaxed", "layout": "cacheline",
             "reads_per_second": 400000000, "p50_ns": 2.5, "p99_ns": 30, "torn_reads": 0, "backwards_reads": 0}
          ]
        }
        """

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-report-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("writes summary.md, then refuses to overwrite it without --force")
    func writesAndRefuses() throws {
        let dir = try Self.scratch()
        let file = dir.appendingPathComponent("run.json")
        try Data(Self.resultJSON.utf8).write(to: file)
        let out = dir.appendingPathComponent("report").path

        let first = try CLI.run(["report", file.path, "--output", out])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("wrote \(out)/summary.md"))
        let summary = try String(contentsOfFile: "\(out)/summary.md", encoding: .utf8)
        #expect(summary.contains("| relaxed | cacheline | readers 1, vcpus 1, writers 1 | 400.0M reads/s |"))

        let second = try CLI.run(["report", file.path, "--output", out])
        #expect(second.status == 1)
        #expect(second.stderr.hasPrefix("pvbench: error: \(out)/summary.md"))
        #expect(second.stderr.contains("use --force"))
        #expect(try String(contentsOfFile: "\(out)/summary.md", encoding: .utf8) == summary)

        let forced = try CLI.run(["report", file.path, "--output", out, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
    }

    @Test("bad input: one line naming the file, exit 64 (as compare); no file at all is a usage error too")
    func badInput() throws {
        let dir = try Self.scratch()
        let truncated = dir.appendingPathComponent("truncated.json")
        try Data(Self.resultJSON.utf8.prefix(200)).write(to: truncated)
        let foreign = dir.appendingPathComponent("foreign.json")
        try Data(#"{"hello": "world"}"#.utf8).write(to: foreign)
        let binary = dir.appendingPathComponent("binary.json")
        try Data([0x7B, 0xFF, 0x00, 0x7D]).write(to: binary)

        for (path, expected) in [(truncated.path, "not valid JSON"), (foreign.path, "missing key 'context'"),
                                 (binary.path, "not UTF-8"), (dir.appendingPathComponent("absent.json").path, "cannot open")] {
            let r = try CLI.run(["report", path, "--output", dir.appendingPathComponent("out").path])
            #expect(r.status == 64)
            #expect(r.stderr.hasPrefix("pvbench: error: \(path): "))
            #expect(r.stderr.contains(expected), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/summary.md").path))

        let none = try CLI.run(["report"])
        #expect(none.status == 64)
    }
}
