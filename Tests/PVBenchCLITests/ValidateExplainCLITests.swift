import Foundation
import Testing

@Suite("pvbench validate --explain and --hardware")
struct ValidateExplainCLITests {
    @Test("--explain: each recorded access as C11 → AArch64 → x86-64, the checker's x86 mapping, the verdicts per model")
    func explain() throws {
        let r = try CLI.run(["validate", "--model-only", "--explain", "--strategy", "seq-cst", "--strategy", "acquire-release"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("LDAR, not LDAPR"))
        #expect(r.stdout.contains("seq-cst/stolen-time:"))
        #expect(r.stdout.range(of: #"writer +store stolen_time \(8 B\) +seq_cst +STLR +XCHG"#, options: .regularExpression) != nil, "\(r.stdout)")
        #expect(r.stdout.range(of: #"reader +load stolen_time \(8 B\) +acquire +LDAR +MOV"#, options: .regularExpression) != nil, "\(r.stdout)")
        #expect(r.stdout.range(of: #"writer +store preempted \(4 B\) +release +STLR +MOV"#, options: .regularExpression) != nil, "\(r.stdout)")
        #expect(r.stdout.contains("checker's x86-TSO program: STLR → XCHG"))
        #expect(r.stdout.contains("torn: ARMv8 forbidden, x86-TSO forbidden, SC forbidden"))
        let json = try CLI.run(["validate", "--model-only", "--explain", "--json"])
        #expect(json.status == 64)
        #expect(json.stderr.contains("--explain prints text"))
    }

    @Test("--hardware FILE: another run's hardware column beside the models, titled with its machine",
          .enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2, "the race needs two CPUs"))
    func hardwareFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-hw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let race = try CLI.run(["validate", "--json", "--strategy", "relaxed", "--record", "stolen-time", "--mode", "spec",
                                "--reads", "20000"])
        #expect(race.status == 0, "\(race.stderr)")
        let file = dir.appendingPathComponent("other.json")
        try Data(race.stdout.utf8).write(to: file)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(race.stdout.utf8)) as? [String: Any])
        let machine = try #require(report["machine"] as? [String: Any])
        let host = try #require(machine["hostName"] as? String)

        let r = try CLI.run(["validate", "--model-only", "--hardware", file.path, "--strategy", "relaxed"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("hardware on \(host) ("), "\(r.stdout)")
        #expect(!r.stdout.contains("hardware here"))
        #expect(r.stdout.range(of: #"relaxed/stolen-time +torn +forbidden +forbidden +forbidden +forbidden +Never"#, options: .regularExpression) != nil,
                "\(r.stdout)")
        // A strategy × record the file has no case for shows "-".
        #expect(r.stdout.range(of: #"relaxed/preempted +torn +forbidden +forbidden +forbidden +forbidden +-"#, options: .regularExpression) != nil)

        // A case naming a strategy this pvbench does not know (a newer one's) is left out with a warning.
        var cases = try #require(report["cases"] as? [[String: Any]])
        var first = cases[0]
        var named = try #require(first["validationCase"] as? [String: Any])
        named["strategy"] = "a-newer-strategy"
        first["validationCase"] = named
        cases.append(first)
        var newer = report
        newer["cases"] = cases
        let newerFile = dir.appendingPathComponent("newer.json")
        try JSONSerialization.data(withJSONObject: newer).write(to: newerFile)
        let n = try CLI.run(["validate", "--model-only", "--hardware", newerFile.path, "--strategy", "relaxed"])
        #expect(n.status == 0, "\(n.stderr)")
        #expect(n.stderr.contains("1 case(s) left out"))
        #expect(n.stdout.range(of: #"relaxed/stolen-time +torn +forbidden +forbidden +forbidden +forbidden +Never"#, options: .regularExpression) != nil)
    }

    @Test("--hardware with a missing, non-JSON or --model-only file: one line saying what is wrong, exit 64")
    func badHardwareFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-hw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try CLI.run(["validate", "--model-only", "--hardware", dir.appendingPathComponent("none.json").path])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("cannot read --hardware"))
        let garbage = dir.appendingPathComponent("garbage.json")
        try Data("{\"cases\": 3}".utf8).write(to: garbage)
        let bad = try CLI.run(["validate", "--model-only", "--hardware", garbage.path])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("is not the output of `pvbench validate --json`: unexpected value at cases"), "\(bad.stderr)")
        let modelOnly = dir.appendingPathComponent("model.json")
        try Data(try CLI.run(["validate", "--model-only", "--json", "--strategy", "relaxed"]).stdout.utf8).write(to: modelOnly)
        let verdictsOnly = try CLI.run(["validate", "--model-only", "--hardware", modelOnly.path])
        #expect(verdictsOnly.status == 64)
        #expect(verdictsOnly.stderr.contains("has no hardware rows"))
        for r in [missing, bad, verdictsOnly] {
            #expect(r.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") || $0.hasPrefix("pvbench") }.count == 1, "\(r.stderr)")
        }
    }
}
