import Foundation
import Testing

@Suite("pvbench validate --model")
struct ValidateModelCLITests {
    @Test("--model-only: every strategy × record × question with a verdict per model, no race, exit 0")
    func modelOnly() throws {
        let r = try CLI.run(["validate", "--model-only"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("strategy/record"))
        #expect(r.stdout.contains("ARMv8"))
        #expect(r.stdout.range(of: #"relaxed/stolen-time +torn +forbidden +forbidden +forbidden +forbidden"#, options: .regularExpression) != nil)
        #expect(r.stdout.contains("LKMM"))
        #expect(r.stdout.contains("double-word/record: not modelled: "))
        #expect(r.stderr.contains("warning: not modelled"))
    }

    @Test("--model selects models; --strict makes 'not modelled' exit 2; an unknown model is a usage error")
    func selection() throws {
        let one = try CLI.run(["validate", "--model-only", "--model", "sc", "--strategy", "relaxed"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(!one.stdout.contains("ARMv8"))
        #expect(one.stdout.contains("SC"))
        let strict = try CLI.run(["validate", "--model-only", "--strategy", "ck-sequence", "--strict"])
        #expect(strict.status == 2)
        let bad = try CLI.run(["validate", "--model-only", "--model", "power"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("unknown model 'power'"))
    }

    static let arm64Compilers = ["/usr/bin", "/usr/local/bin"].contains { FileManager.default.isExecutableFile(atPath: "\($0)/aarch64-linux-gnu-gcc") }
        && ["/usr/bin", "/usr/local/bin"].contains { FileManager.default.isExecutableFile(atPath: "\($0)/aarch64-linux-gnu-objdump") }

    @Test("--model compiled: the seqlock reader as compiled for arm64 — torn/inconsistent allowed without its smp_rmb, forbidden with it",
          .enabled(if: arm64Compilers, "aarch64-linux-gnu-gcc/objdump not installed (Debian gcc-aarch64-linux-gnu, binutils-aarch64-linux-gnu)"))
    func compiled() throws {
        let r = try CLI.run(["validate", "--model-only", "--json", "--model", "compiled", "--strategy", "seqlock", "--strategy", "seqlock-nofence",
                             "--record", "record"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rows = try #require(report["compiled"] as? [[String: Any]])
        func verdicts(_ strategy: String, _ question: String) -> [String: String] {
            Dictionary(rows.filter { $0["strategy"] as? String == strategy && $0["question"] as? String == question && ($0["target"] as? String ?? "").contains("armv8") }
                .map { ($0["target"] as! String, $0["verdict"] as! String) }, uniquingKeysWith: { a, _ in a })
        }
        let fenced = verdicts("seqlock", "torn"), bare = verdicts("seqlock-nofence", "torn")
        #expect(fenced.keys.contains("gcc:armv8-a") && fenced.keys.contains("gcc:armv8.1-a"), "\(fenced)")
        #expect(fenced.values.allSatisfy { $0 == "forbidden" }, "\(fenced)")
        #expect(!bare.isEmpty && bare.values.allSatisfy { $0 == "allowed" }, "\(bare)")
        // The compiled code is never weaker than the recorded program: validate passed.
        #expect(rows.allSatisfy { !($0["verdict"] as? String == "allowed" && $0["recorded"] as? String == "forbidden") })
    }

    @Test("--model compiled --strategy X: the C kernel column beside the recorded program's, gcc armv8-a forbidden as recorded",
          .enabled(if: arm64Compilers, "aarch64-linux-gnu-gcc/objdump not installed (Debian gcc-aarch64-linux-gnu, binutils-aarch64-linux-gnu)"))
    func kernelColumn() throws {
        let r = try CLI.run(["validate", "--model-only", "--model", "compiled", "--strategy", "acquire-release", "--record", "stolen-time"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.range(of: #"compiled \(\d+ targets\) +C kernel compiled \(\d+ targets\)"#, options: .regularExpression) != nil, "\(r.stdout)")
        #expect(!r.stdout.contains("differs from the recorded program"))
        let j = try CLI.run(["validate", "--model-only", "--json", "--model", "compiled", "--strategy", "acquire-release", "--record", "stolen-time"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        let gcc = try #require(report["kernels"] as? [[String: Any]]).filter { $0["target"] as? String == "gcc:armv8-a" }
        #expect(gcc.map { $0["question"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") } == ["backwards", "torn"], "\(gcc)")
        for v in gcc {
            #expect(v["verdict"] as? String == "forbidden" && v["recorded"] as? String == "forbidden", "\(v)")
            #expect((v["kernel"] as? String ?? "").contains("pvref_steal_read_acquire"), "\(v)")
        }
    }

    @Test("--model-only --json: one object per verdict under models, the lost-update pair as the full --json has it")
    func json() throws {
        let r = try CLI.run(["validate", "--model-only", "--json", "--strategy", "acquire-release"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rows = try #require(report["models"] as? [[String: Any]])
        #expect(rows.count == 2 * 2 * 4, "two records × two questions × armv8, x86-tso, sc, lkmm")
        #expect(rows.allSatisfy { $0["verdict"] as? String == "forbidden" && $0["claimed"] as? Bool == true })
        #expect((report["lostUpdates"] as? [Any])?.isEmpty == true, "a named strategy leaves the pair out")
        #expect(report["machine"] is [String: Any])

        let all = try CLI.run(["validate", "--model-only", "--json", "--record", "preempted"])
        #expect(all.status == 0, "\(all.stderr)")
        let full = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any])
        let pair = try #require(full["lostUpdates"] as? [[String: Any]])
        #expect(pair.count == 2, "\(pair)")
        #expect(pair.allSatisfy { $0["hardware"] == nil }, "no race under --model-only")
    }
}
