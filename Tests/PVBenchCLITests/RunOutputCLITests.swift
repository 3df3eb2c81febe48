import Foundation
import Testing

/// Runs pvbench with stdout and stderr on one pipe, as a terminal or a CI log has them.
func runMerged(_ arguments: [String]) throws -> (status: Int32, text: String) {
    let process = Process()
    process.executableURL = CLI.executable
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

@Suite("run output a person reads", .serialized)
struct RunOutputCLITests {
    @Test("stdout and stderr never interleave mid-line; rounds, CIs and the disturbance rule are reported")
    func noInterleavedLines() throws {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-rounds-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: json) }
        let (status, text) = try runMerged(["run", "--scenario", "steal-clock", "--strategy", "relaxed", "--strategy", "seq-cst",
                                            "--duration", "20ms", "--warmup", "5ms", "--repetitions", "6",
                                            "--update-interval", "10us", "--oversubscribe", "--seed", "7",
                                            "--json", json, "--force"])
        #expect(status == 0, "\(text)")
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // A diagnostic starts its own line; it never follows table or summary text.
            for marker in ["warning:", "pvbench: "] {
                if let r = line.range(of: marker) {
                    #expect(r.lowerBound == line.startIndex || line.hasPrefix("pvbench: "), "interleaved: \(line)")
                }
            }
        }
        #expect(text.contains("rounds: "), "\(text)")
        #expect(text.contains("seed 7"))
        #expect(text.contains("seq-cst / relaxed"), "the per-round ratio table")
        let file = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any]
        let context = file["context"] as! [String: Any]
        let rounds = try #require(context["rounds"] as? [String: Any])
        #expect(rounds["round_seed"] as? Int == 7 && rounds["disturbed_policy"] as? String == "retry")
        // The idle floor measured before the run, on the CPUs it used, and named in the rule.
        let floor = try #require(rounds["idle_floor"] as? [String: Any])
        let windows = try #require(floor["window_off_cpu_fractions"] as? [Double])
        #expect(windows.count == 5 && (floor["cpus"] as? [Int])?.isEmpty == false)
        #expect((rounds["rule"] as? String)?.contains("above the idle floor of") == true)
        #expect(text.contains("above an idle floor of"), "\(text)")
        let entries = file["benchmarks"] as! [[String: Any]]
        let iterations = entries.filter { $0["run_type"] as? String == "iteration" }
        #expect(iterations.count >= 12)
        #expect(iterations.allSatisfy { $0["disturbed"] is Bool && $0["off_cpu_ns"] is Int && $0["run_delay_ns"] is Int })
        // Medians carry their interval whenever at least 6 repetitions count.
        for name in Set(iterations.compactMap { $0["run_name"] as? String }) {
            let counted = iterations.filter { $0["run_name"] as? String == name && $0["excluded"] == nil }.count
            let ci = entries.contains { $0["run_name"] as? String == name && $0["aggregate_name"] as? String == "ci_low" }
            #expect(ci == (counted >= 6), "\(name): \(counted) repetitions counted")
        }
    }

    @Test("a floor given with --idle-floor is named in the text as in the JSON's rule; --idle-floor 0 names none")
    func givenFloorNamed() throws {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-given-floor-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: json) }
        for (floor, named) in [("0.5%", true), ("0", false)] {
            let (status, text) = try runMerged(["run", "--scenario", "steal-clock", "--strategy", "relaxed", "--duration", "10ms",
                                                "--warmup", "2ms", "--repetitions", "1", "--oversubscribe", "--disturbed", "keep",
                                                "--idle-floor", floor, "--json", json, "--force"])
            #expect(status == 0, "\(text)")
            let file = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any]
            let rounds = try #require((file["context"] as? [String: Any])?["rounds"] as? [String: Any])
            #expect(rounds["idle_floor"] == nil, "nothing was measured")
            #expect((rounds["rule"] as? String)?.contains("above the idle floor of 0.50%") == named, "\(rounds)")
            #expect(text.contains("above an idle floor of 0.50%") == named, "\(text)")
            #expect(!text.contains("idle floor of 0.00%"), "\(text)")
        }
    }

    @Test("bad disturbance options are refused with one line")
    func badOptions() throws {
        for args in [["--disturbed", "sometimes"], ["--disturbance-limit", "150%"], ["--disturbance-limit", "x"],
                     ["--idle-floor", "often"], ["--idle-floor", "100%"],
                     ["--strategy", "relaxed", "--strategy", "relaxed"]] {
            let r = try CLI.run(["run", "--scenario", "steal-clock"] + args)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
    }
}
