import Foundation
import Testing
import PVTestSupport

@Suite("runs as the unit: compare OLD… -- NEW…, run --runs K, run with no arguments")
struct RunsCLITests {
    /// Three single-run files a side, each run shifted as a whole (±3 %) around `rate`.
    func side(_ prefix: String, rate: Double, in dir: URL, seed: UInt64) throws -> [String] {
        try [0.97, 1.0, 1.03].enumerated().map { i, shift in
            try CompareCLITests.write(CompareCLITests.file(rate: rate * shift, reps: 5, seed: seed + UInt64(i)), "\(prefix)\(i).json", in: dir)
        }
    }

    @Test("OLD… -- NEW…: a 40 % slower side is different (slower), exit 1; the same runs again are not different, exit 0")
    func compareRuns() throws {
        let dir = try ReportCLITests.scratch()
        let old = try side("old", rate: 1e9, in: dir, seed: 1)
        let slower = try side("slow", rate: 1e9 / 1.4, in: dir, seed: 10)
        let same = try side("same", rate: 1e9, in: dir, seed: 20)
        let r = try CLI.run(["compare"] + old + ["--"] + slower)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("different (slower)") && r.stdout.contains("3/3"), "\(r.stdout)")
        // The table and notes fit 120 columns (the file lists are as long as the paths).
        #expect(r.stdout.split(separator: "\n").filter { !$0.hasPrefix("OLD") && !$0.hasPrefix("NEW") }.allSatisfy { $0.count <= 120 }, "\(r.stdout)")
        let aa = try CLI.run(["compare"] + old + ["--"] + same + ["--json"])
        #expect(aa.status == 0, "\(aa.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(aa.stdout.utf8)) as! [String: Any]
        let cases = json["cases"] as! [[String: Any]]
        #expect(cases.count == 1 && cases[0]["answer"] as? String != "different", "\(cases)")
        // An unknown is inconclusive for a gate that asks.
        let gate = try CLI.run(["compare", old[0], "--", same[0], "--fail-on-inconclusive"])
        #expect(gate.status == 2, "\(gate.stdout)")
        #expect(gate.stdout.contains("cannot show how far the next run moves"), "\(gate.stdout)")
        let none = try CLI.run(["compare", "--", same[0]])
        #expect(none.status == 64 && none.stderr.contains("give OLD files before --"), "\(none.stderr)")
        let noNew = try CLI.run(["compare", old[0], "--"])
        #expect(noNew.status == 64 && noNew.stderr == "pvbench: error: nothing after --: give the NEW side's files, pvbench compare OLD… -- NEW…\n",
                "\(noNew.stderr)")
    }

    @Test("run --runs 2: one file, every repetition with its run_id, each run's medians in context.runs")
    func runs() throws {
        let dir = try ReportCLITests.scratch()
        let out = dir.appendingPathComponent("runs.json").path
        let r = try CLI.run(["run", "--runs", "2", "--scenario", "steal-clock", "--duration", "20ms", "--warmup", "0",
                             "--repetitions", "2", "--disturbed", "keep", "--json", out], timeout: 300)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("2 runs merged"), "\(r.stdout)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        let reps = (json["benchmarks"] as! [[String: Any]]).filter { $0["run_type"] as? String == "iteration" }
        #expect(Set(reps.compactMap { $0["run_id"] as? Int }) == [0, 1])
        let runs = (json["context"] as! [String: Any])["runs"] as! [[String: Any]]
        #expect(runs.count == 2 && runs.allSatisfy { ($0["medians"] as? [String: Any])?.count == 1 }, "\(runs)")
        let bad = try CLI.run(["run", "--runs", "0"])
        #expect(bad.status == 64 && bad.stderr.contains("--runs must be 1 to 100"))
    }

    @Test("The run table fits 120 columns by default (short names); --wide gives the full names")
    func narrowTable() throws {
        let args = ["run", "--scenario", "steal-clock", "--strategy", "relaxed", "--strategy", "acquire-release", "--duration", "20ms",
                    "--warmup", "0", "--repetitions", "2", "--disturbed", "keep", "--idle-floor", "0"]
        let narrow = try CLI.run(args)
        #expect(narrow.status == 0, "\(narrow.stderr)")
        let table = narrow.stdout.components(separatedBy: "\n\n")[0]
        #expect(table.split(separator: "\n").allSatisfy { $0.count <= 120 }, "\(table)")
        #expect(table.contains("steal-clock/acquire-release") && !table.contains("readers:1"), "\(table)")
        let wide = try CLI.run(args + ["--wide"])
        #expect(wide.stdout.contains("steal-clock/acquire-release/cacheline/vcpus:1/readers:1/writers:1"), "\(wide.stdout)")
    }
}
