import Foundation
import PVTestSupport
import Testing

/// `pvbench run --c FILE.c`: a C strategy file as a case beside the
/// built-ins, in results `compare` pairs; bad files end the run with one
/// line and leave result files whole. Runs are a few 50 ms repetitions.
@Suite("pvbench run --c: C strategy files in the scenarios",
       .enabled(if: CStrategyFiles.compilerFound, "no C compiler (cc) on PATH"),
       .enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2, "the scenarios need two CPUs"))
struct CStrategyRunCLITests {
    /// Short, and judged on a busy machine: disturbed repetitions kept.
    static let short = ["--duration", "50ms", "--warmup", "10ms", "--repetitions", "2", "--idle-floor", "0", "--disturbed", "keep"]

    static func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-crun-\(UUID().uuidString)-\(name)").path
    }

    /// A file `<name>.c` with the stolen-time pair alone, READ_ONCE/WRITE_ONCE.
    static func stealOnly(_ name: String) throws -> String {
        try CStrategyFiles.write(name, """
            u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries) { return READ_ONCE(st->stolen_time); }
            void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 v) { WRITE_ONCE(st->stolen_time, v); }
            """)
    }

    /// The `strategy` of every iteration row of a result file.
    static func strategies(_ path: String) throws -> Set<String> {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let rows = json?["benchmarks"] as? [[String: Any]] ?? []
        return Set(rows.filter { $0["run_type"] as? String == "iteration" }.compactMap { $0["strategy"] as? String })
    }

    @Test("read_once.c runs in steal-clock beside relaxed, named after the file, and compare pairs it across two files")
    func besideBuiltIn() throws {
        let (a, b) = (Self.scratch("a.json"), Self.scratch("b.json"))
        for path in [a, b] {
            let r = try CLI.run(["run", "--scenario", "steal-clock", "--strategy", "relaxed", "--c", CStrategyFiles.example("read_once"),
                                 "--json", path] + Self.short)
            #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
            #expect(r.stdout.hasPrefix("compile: "), "the compile command is printed: \(r.stdout)")
            #expect(r.stdout.contains("read_once / relaxed"), "per-round ratio to the first strategy: \(r.stdout)")
            #expect(try Self.strategies(path) == ["relaxed", "read_once"])
        }
        let c = try CLI.run(["compare", a, b])
        #expect(c.stdout.contains("steal-clock/read_once"), "\(c.stdout)\n\(c.stderr)")
        #expect(c.stdout.contains("steal-clock/relaxed"), "\(c.stdout)")
    }

    @Test("two files run side by side in preempt-poll, each its own strategy")
    func twoFiles() throws {
        let json = Self.scratch("two.json")
        let r = try CLI.run(["run", "--scenario", "preempt-poll", "--c", CStrategyFiles.example("read_once"),
                             "--c", CStrategyFiles.example("seqcount"), "--json", json] + Self.short)
        // seqcount.c has no preempted pair: refused in one line, before anything runs.
        #expect(r.status == 64, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("C strategy seqcount ("), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: json))
        let flag = try CStrategyFiles.write("flag_once", """
            u32 pv_preempted_read(struct pvsched_vcpu_state *ps, u64 *retries) { return READ_ONCE(ps->preempted); }
            void pv_preempted_write(struct pvsched_vcpu_state *ps, u32 v) { WRITE_ONCE(ps->preempted, v); }
            """)
        let ok = try CLI.run(["run", "--scenario", "preempt-poll", "--c", CStrategyFiles.example("read_once"), "--c", flag,
                              "--json", json, "--force"] + Self.short)
        #expect(ok.status == 0, "\(ok.stdout)\n\(ok.stderr)")
        #expect(try Self.strategies(json) == ["read_once", "flag_once"])
    }

    @Test("--keep-c-build keeps the shared object, with its symbols, for perf; without it the build directory goes at exit")
    func keepBuild() throws {
        let kept = try CLI.run(["run", "--scenario", "idle-scan", "--c", CStrategyFiles.example("read_once"), "--keep-c-build"] + Self.short)
        #expect(kept.status == 0, "\(kept.stdout)\n\(kept.stderr)")
        let line = kept.stdout.split(separator: "\n").first { $0.hasPrefix("kept: ") }
        let library = line.map { String($0.dropFirst(6).prefix { $0 != " " }) } ?? ""
        #expect(library.hasSuffix("/libread_once.so"), "\(kept.stdout)")
        let symbols = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"), ["nm", "-D", library], timeout: 30)
        #expect(symbols.stdout.contains("pv_preempted_read"), "\(symbols.stdout)\n\(symbols.stderr)")
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: library).deletingLastPathComponent().path)
        let gone = try CLI.run(["run", "--scenario", "idle-scan", "--c", CStrategyFiles.example("read_once")] + Self.short)
        #expect(gone.status == 0, "\(gone.stderr)")
        let command = gone.stdout.split(separator: "\n").first { $0.hasPrefix("compile: ") } ?? ""
        let output = command.split(separator: " ").drop { $0 != "-o" }.dropFirst().first.map(String.init) ?? ""
        #expect(output.hasSuffix("/libread_once.so"), "\(gone.stdout)")
        #expect(!FileManager.default.fileExists(atPath: output), "the build directory is removed at exit")
    }

    @Test("in overcommit the scheduler stores both records through the file's writers, from its signal handler")
    func overcommit() throws {
        let json = Self.scratch("overcommit.json")
        let args = ["run", "--scenario", "overcommit", "--workload", "lock", "--vcpus", "4"] + Self.short
        let r = try CLI.run(args + ["--strategy", "relaxed", "--c", CStrategyFiles.example("read_once"), "--json", json])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(try Self.strategies(json) == ["relaxed", "read_once"])
        let packed = try CLI.run(args + ["--c", CStrategyFiles.example("read_once"), "--layout", "packed"])
        #expect(packed.status == 64, "\(packed.stderr)")
        #expect(packed.stderr.contains("the packed layout gives 4 bytes per record and a C file may use all 64"), "\(packed.stderr)")
        let stealOnly = try CLI.run(args + ["--c", try Self.stealOnly("steal_pair")])
        #expect(stealOnly.status == 64, "\(stealOnly.stderr)")
        #expect(stealOnly.stderr.contains("its scheduler stores both records, and the file defines only the stolen-time pair"), "\(stealOnly.stderr)")
        // The first vcpu_put made on a vCPU thread crashes (the scheduler's
        // own stores of 1 before the vCPUs start, and after each repetition,
        // are on the main thread, whose thread id is the process id). Every
        // vCPU thread puts at least once per repetition (its exit), so this
        // crashes whatever the machine's load, in the first repetition of the
        // pv-sched:on case: which repetition that is depends on the round's
        // case order, so only that one is named is checked.
        let crashes = try CStrategyFiles.write("put_crashes", """
            #include <sys/syscall.h>
            #include <unistd.h>
            u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries) { return READ_ONCE(st->stolen_time); }
            void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 v) { WRITE_ONCE(st->stolen_time, v); }
            u32 pv_preempted_read(struct pvsched_vcpu_state *ps, u64 *retries) { return READ_ONCE(ps->preempted); }
            void pv_preempted_write(struct pvsched_vcpu_state *ps, u32 v)
            {
            \tif (v == 1 && syscall(SYS_gettid) != getpid()) *(volatile u32 *)0 = v;
            \tWRITE_ONCE(ps->preempted, v);
            }
            """)
        let c = try CLI.run(args + ["--c", crashes])
        #expect(c.status == 70, "\(c.stdout)\n\(c.stderr)")
        #expect(c.stderr.contains("the case of C strategy \(crashes) crashed: SIGSEGV (bad memory access) in thread vcpu"), "\(c.stderr)")
        #expect(c.stderr.contains("(repetition ") && c.stderr.contains("/2 of case overcommit/lock/put_crashes/cacheline/overcommit:4:2/"),
                "\(c.stderr)")
        #expect(c.stderr.split(separator: "\n").filter { $0.contains("crashed") }.count == 1, "one line, however many threads crash: \(c.stderr)")
    }

    @Test("a suite runs the file in every scenario and layout it fits, notes the rest in one line, and writes its result file")
    func suite() throws {
        let json = Self.scratch("smoke.json")
        let r = try CLI.run(["run", "--suite", "smoke", "--c", CStrategyFiles.example("read_once"), "--json", json] + Self.short)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(try Self.strategies(json).contains("read_once"), "the file's cases are in the result file")
    }

    @Test("the default suite's packed steal-clock case gets no C-file twin: a note, and the run goes on to write its file")
    func defaultSuitePacked() throws {
        let json = Self.scratch("default.json")
        let r = try CLI.run(["run", "--c", CStrategyFiles.example("read_once"), "--json", json, "--duration", "10ms", "--warmup", "2ms",
                             "--repetitions", "1", "--idle-floor", "0", "--disturbed", "keep"], timeout: 300)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        let notes = r.stderr.split(separator: "\n").filter { $0.hasPrefix("pvbench: note: C strategy read_once") }
        #expect(notes.contains { $0.contains("does not apply to steal-clock: the packed layout gives 16 bytes per record") }, "\(r.stderr)")
        #expect(try Self.strategies(json).contains("read_once"))
    }

    @Test("a single case in a layout too narrow for the kernel's 64-byte struct is refused before anything runs")
    func packedRefused() throws {
        let json = Self.scratch("packed.json")
        let r = try CLI.run(["run", "--scenario", "steal-clock", "--layout", "packed", "--c", CStrategyFiles.example("read_once"),
                             "--json", json] + Self.short)
        #expect(r.status == 64, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("C strategy read_once (") && r.stderr.contains("does not apply to steal-clock: the packed layout gives 16 bytes "
            + "per record and a C file may use all 64 of the kernel's struct"), "\(r.stderr)")
        #expect(!r.stderr.contains("sequence word"), "no seqlock wording for a C file: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: json))
    }

    @Test("--c in a scenario that reads no record (c2c) is refused in one line")
    func noRecord() throws {
        let r = try CLI.run(["run", "--scenario", "c2c", "--c", CStrategyFiles.example("read_once")] + Self.short)
        #expect(r.status == 64, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("does not apply to c2c: its threads read no shared record"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").filter { $0.hasPrefix("pvbench: error:") }.count == 1, "\(r.stderr)")
    }

    @Test("a file with only the steal pair does not apply to preempt-poll: one line, nothing run")
    func stealOnlyInPreemptPoll() throws {
        let file = try Self.stealOnly("steal_only")
        let r = try CLI.run(["run", "--scenario", "preempt-poll", "--c", file] + Self.short)
        #expect(r.status == 64, "\(r.stdout)\n\(r.stderr)")
        let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("pvbench: error:") }
        #expect(errors.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("C strategy steal_only (\(file)) does not apply to preempt-poll: it defines no pv_preempted_read/pv_preempted_write pair"),
                "\(r.stderr)")
    }

    @Test("a crash in the file's code ends the run with the repetition and the thread named; an existing result file stays as it was")
    func crash() throws {
        let file = try CStrategyFiles.steal("crashes", writerFirst: ["if ((u32)(v >> 32) > 1) *(volatile u64 *)0 = v;"])
        let json = Self.scratch("kept.json")
        try Data("{\"kept\": true}\n".utf8).write(to: URL(fileURLWithPath: json))
        let r = try CLI.run(["run", "--scenario", "steal-clock", "--c", file, "--json", json, "--force"] + Self.short)
        #expect(r.status == 70, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.hasPrefix("compile: "), "what was printed before the crash is out: \(r.stdout)")
        #expect(r.stderr.contains("the case of C strategy \(file) crashed: SIGSEGV (bad memory access) in thread hv-w0 "
            + "(repetition 1/2 of case steal-clock/crashes/cacheline/vcpus:1/readers:1/writers:1)"), "\(r.stderr)")
        #expect(try String(contentsOfFile: json, encoding: .utf8) == "{\"kept\": true}\n")
    }

    @Test("a reader that never returns is reported hung, by thread and repetition, once the repetition has stopped")
    func hang() throws {
        let file = try CStrategyFiles.write("hangs", """
            u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries)
            {
            \tu64 v = READ_ONCE(st->stolen_time);
            \tif ((u32)(v >> 32) > 1) for (;;) cpu_relax();
            \treturn v;
            }
            void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 v) { WRITE_ONCE(st->stolen_time, v); }
            """)
        let json = Self.scratch("hang.json")
        let r = try CLI.run(["run", "--scenario", "steal-clock", "--c", file, "--json", json] + Self.short,
                            environment: CLI.hangSooner, timeout: 90)
        #expect(r.status == 70, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("the case of C strategy \(file) hung: thread(s) "), "\(r.stderr)")
        #expect(r.stderr.contains("still running 3.0 seconds after the run was stopped (repetition 1/2 of case steal-clock/hangs/"),
                "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: json), "no result file half-written")
    }

    @Test("a writer that never returns from the record's first store, made on the main thread before any repetition, is reported hung")
    func setupHang() throws {
        let file = try CStrategyFiles.steal("hangs_setup", writerFirst: ["static int calls;", "if (calls++ == 0) for (;;) cpu_relax();"])
        let r = try CLI.run(["run", "--scenario", "steal-clock", "--c", file] + Self.short, environment: CLI.hangSooner, timeout: 90)
        #expect(r.status == 70, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("the case of C strategy \(file) hung: thread(s) pvbench (main) still in the case's setup "
            + "(storing the records' first values) 3.0 seconds after it began (case steal-clock/hangs_setup/"), "\(r.stderr)")
    }

    @Test("a file named like a built-in, or two files with one name, are refused: results could not tell them apart")
    func names() throws {
        let relaxed = try Self.stealOnly("relaxed")
        let r = try CLI.run(["run", "--scenario", "steal-clock", "--c", relaxed] + Self.short)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("would be strategy 'relaxed', which is already a built-in strategy's name"), "\(r.stderr)")
        let twice = try CLI.run(["run", "--scenario", "steal-clock", "--c", CStrategyFiles.example("read_once"),
                                 "--c", CStrategyFiles.example("read_once")] + Self.short)
        #expect(twice.status == 1, "\(twice.stderr)")
        #expect(twice.stderr.contains("would be strategy 'read_once', which is already the name of"), "\(twice.stderr)")
    }
}
