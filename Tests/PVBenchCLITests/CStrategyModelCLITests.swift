import Foundation
import PVTestSupport
import Testing

/// `validate --c`'s model side: the file's own functions compiled for the
/// arm64 targets, lifted and checked under ARMv8. Races bounded by --reads.
@Suite("pvbench validate --c: the compiled code's verdicts",
       .enabled(if: CStrategyFiles.compilerFound, "no C compiler (cc) on PATH"),
       .enabled(if: CStrategyFiles.tool("aarch64-linux-gnu-gcc"), "no aarch64-linux-gnu-gcc cross compiler on PATH"),
       .enabled(if: CStrategyFiles.tool("aarch64-linux-gnu-objdump"), "no aarch64-linux-gnu-objdump on PATH"),
       .enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2, "the race needs two CPUs"))
struct CStrategyModelCLITests {
    /// The model rows of `validate --c FILE --json`: (record, question, target, model, verdict, reason).
    static func cells(_ stdout: String) throws -> [(record: String, question: String, target: String, model: String, verdict: String, reason: String?)] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        let model = try #require(json["model"] as? [String: Any], "no model in \(stdout.prefix(400))")
        let rows = try #require(model["rows"] as? [[String: Any]])
        return rows.flatMap { row in
            (row["cells"] as? [[String: Any]] ?? []).map { c in
                (row["record"] as? String ?? "", row["question"] as? String ?? "", c["target"] as? String ?? "",
                 c["model"] as? String ?? "", c["verdict"] as? String ?? "", c["reason"] as? String)
            }
        }
    }

    @Test("read_once.c: the single 64-bit and 32-bit accesses are forbidden to tear or go backwards under ARMv8, for each arm64 target")
    func readOnceForbidden() throws {
        let r = try CLI.run(["validate", "--c", CStrategyFiles.example("read_once"), "--reads", "20000", "--cost-rounds", "0", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let arm = try Self.cells(r.stdout).filter { $0.model == "armv8" && $0.target.hasPrefix("gcc:") }
        #expect(Set(arm.map(\.record)) == ["stolen-time", "preempted"])
        #expect(Set(arm.map(\.question)) == ["torn", "backwards"])
        for c in arm { #expect(c.verdict == "forbidden", "\(c)") }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let cost = try #require(json["cost"] as? [String: Any], "the cost is in the JSON, measured or not")
        #expect(cost["rounds"] as? Int == 0 && (cost["entries"] as? [Any])?.isEmpty == true, "--cost-rounds 0: no rounds, no entries: \(cost)")
    }

    @Test("a writer that stores the value as two 32-bit halves: ARMv8 allows the tear for every arm64 target, and the run fails with the lifted test")
    func halvesAllowed() throws {
        let file = try CStrategyFiles.halves("halves2")
        let r = try CLI.run(["validate", "--c", file, "--mode", "stress", "--reads", "20000", "--cost-rounds", "0"])
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        let table = r.stdout.split(separator: "\n").first { $0.hasPrefix("stolen-time  torn") }.map(String.init) ?? ""
        #expect(table.contains("ALLOWED"), "\(r.stdout)")
        #expect(r.stdout.contains("AArch64 halves2+stolen-time+torn+"), "the lifted test is shown: \(r.stdout)")
        #expect(r.stdout.contains("STR W"), "the halves are two 32-bit stores in the lifted test: \(r.stdout)")
        let json = try CLI.run(["validate", "--c", file, "--mode", "stress", "--reads", "20000", "--cost-rounds", "0", "--json"])
        let torn = try Self.cells(json.stdout).filter { $0.model == "armv8" && $0.question == "torn" }
        #expect(!torn.isEmpty)
        for c in torn { #expect(c.verdict == "allowed", "\(c)") }
    }

    @Test("seqcount.c: no target's code is allowed to tear or go backwards; what is not lifted is not modelled, with the reason")
    func seqcountNeverAllowed() throws {
        let r = try CLI.run(["validate", "--c", CStrategyFiles.example("seqcount"), "--reads", "20000", "--cost-rounds", "0", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let cells = try Self.cells(r.stdout)
        #expect(!cells.isEmpty)
        for c in cells {
            #expect(c.verdict != "allowed", "\(c)")
            if c.verdict == "not modelled" { #expect(c.reason?.isEmpty == false, "a reason is given: \(c)") }
            if c.reason?.contains("backward branch") == true { #expect(c.reason?.contains(" at 0x") == true, "the refused branch is named: \(c)") }
        }
        let lkmm = try Self.lkmm(r.stdout)
        #expect(lkmm.map(\.question).sorted() == ["backwards", "torn"], "\(lkmm)")
        for c in lkmm { #expect(c.verdict == "forbidden", "the counter, ordered by smp_rmb, keeps the halves whole under LKMM: \(c)") }
        let text = try CLI.run(["validate", "--c", CStrategyFiles.example("seqcount"), "--reads", "20000", "--cost-rounds", "0"])
        let torn = text.stdout.split(separator: "\n").first { $0.hasPrefix("stolen-time  torn") }.map(String.init) ?? ""
        let compiled = cells.filter { $0.question == "torn" && $0.verdict == "forbidden" }.count
        #expect(torn.split(separator: " ").filter { $0 == "forbidden" }.count == compiled + 1, "each target's and LKMM's: \(text.stdout)")
    }

    /// The LKMM cell of each row of `validate --c FILE --json`: (question, verdict, reason).
    static func lkmm(_ stdout: String) throws -> [(question: String, verdict: String, reason: String?)] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        let rows = try #require((json["model"] as? [String: Any])?["rows"] as? [[String: Any]])
        return rows.compactMap { row in
            (row["lkmm"] as? [String: Any]).map { (row["question"] as? String ?? "", $0["verdict"] as? String ?? "", $0["reason"] as? String) }
        }
    }

    /// The x86-tso cells come from the x86-64 target, which is the native
    /// gcc/clang: only an x86-64 host has it.
    static var x86Host: Bool {
        #if arch(x86_64)
        true
        #else
        false
        #endif
    }

    /// `validate --c seqcount_normb.c`, once as JSON and once as the table,
    /// shared by the two tests below: each run compiles the file for every
    /// target, lifts and checks it, and the two tests read the same runs.
    /// (Made on first use; a failure to spawn fails each test that reads it.)
    static let seqcountNoRmbRuns = Result { () throws -> (json: CLIResult, text: CLIResult) in
        let arguments = ["validate", "--c", CStrategyFiles.example("seqcount_normb"), "--reads", "20000", "--cost-rounds", "0"]
        return (try CLI.run(arguments + ["--json"]), try CLI.run(arguments))
    }

    @Test("seqcount_normb.c: torn allowed under ARMv8 for every arm64 target, backwards forbidden; the bound of the verdicts is said")
    func seqcountNoRmbTorn() throws {
        let (r, text) = try Self.seqcountNoRmbRuns.get()
        #expect(r.status == 1, "ARMv8 allows the tear: \(r.stderr)")
        let cells = try Self.cells(r.stdout)
        let arm = cells.filter { $0.question == "torn" && $0.model == "armv8" }
        #expect(!arm.isEmpty, "\(cells)")
        for c in arm { #expect(c.verdict == "allowed", "\(c)") }
        for c in cells where c.question == "backwards" && c.model == "armv8" { #expect(c.verdict == "forbidden", "\(c)") }
        #expect(text.stdout.contains("one attempt of the reader"), "the bound of the verdicts is said: \(text.stdout)")
        let lkmm = try Self.lkmm(r.stdout)
        #expect(lkmm.first { $0.question == "torn" }?.verdict == "allowed", "no smp_rmb: LKMM allows the tear too: \(lkmm)")
        #expect(lkmm.first { $0.question == "backwards" }?.verdict == "forbidden", "\(lkmm)")
        let line = text.stdout.split(separator: "\n").first { $0.hasPrefix("stolen-time  torn") }.map(String.init) ?? ""
        let columns = line.split(separator: " ").map(String.init)
        #expect(columns.filter { $0 == "ALLOWED" }.count == arm.count + 1, "the arm64 targets' and LKMM's: \(line)")
        #expect(text.stdout.contains("LKMM: LKMM has no mixed sizes: the reader's load over several cells is one READ_ONCE per cell"), "the split is said: \(text.stdout)")
    }

    @Test("seqcount_normb.c: torn forbidden under x86-TSO for the x86-64 targets, and the output says this machine cannot show ARMv8's tear",
          .enabled(if: Self.x86Host, "the x86-64 targets are the native compilers: an x86-64 host only"))
    func seqcountNoRmbTSO() throws {
        let (r, text) = try Self.seqcountNoRmbRuns.get()
        let cells = try Self.cells(r.stdout)
        let tso = cells.filter { $0.model == "x86-tso" }
        #expect(tso.contains { $0.question == "torn" }, "\(cells)")
        for c in tso { #expect(c.verdict == "forbidden", "\(c)") }
        #expect(text.stdout.contains("this machine cannot show it: ARMv8 allows a torn stolen-time value in the code compiled for gcc:armv8-a"), "\(text.stdout)")
    }

    @Test("a reader that never returns under --reads is reported hung, and the build directory goes at exit")
    func hungReaderUnderReads() throws {
        let file = try CStrategyFiles.write("hangsread", """
            static unsigned long calls;
            u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries)
            {
            \tif (++calls > 5000) for (;;) cpu_relax();
            \treturn READ_ONCE(st->stolen_time);
            }
            void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 v) { WRITE_ONCE(st->stolen_time, v); }
            """)
        let r = try CLI.run(["validate", "--c", file, "--mode", "stress", "--reads", "100000"], environment: CLI.hangSooner, timeout: 90)
        #expect(r.status == 70, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("C strategy \(file) hung: thread(s) gst-r0 completed no read for"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: try Self.buildDirectory(r.stdout)), "the build directory is removed")

        let ok = try CLI.run(["validate", "--c", CStrategyFiles.example("read_once"), "--reads", "20000", "--cost-rounds", "0"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(!FileManager.default.fileExists(atPath: try Self.buildDirectory(ok.stdout)), "the build directory is removed")
    }

    /// The build directory from the printed compile command (`-o DIR/libNAME.so`).
    static func buildDirectory(_ stdout: String) throws -> String {
        let line = try #require(stdout.split(separator: "\n").first { $0.hasPrefix("compile: ") })
        let words = line.split(separator: " ")
        let o = try #require(words.firstIndex(of: "-o"))
        return URL(fileURLWithPath: String(words[o + 1])).deletingLastPathComponent().path
    }
}
