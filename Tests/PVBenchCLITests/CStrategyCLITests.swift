import Foundation
import PVTestSupport
import Testing

/// `pvbench validate --c FILE.c`: the examples compile, load and race; bad
/// files get one clear error. The races are bounded by --reads.
@Suite("pvbench validate --c: C strategy files",
       .enabled(if: CStrategyFiles.compilerFound, "no C compiler (cc) on PATH"),
       .enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2, "the race needs two CPUs"))
struct CStrategyCLITests {
    @Test("the shipped examples that claim safety compile, load and pass the detector in both modes",
          arguments: ["read_once", "seqcount", "ldp_record"])
    func safeExample(_ name: String) throws {
        let r = try CLI.run(["validate", "--c", CStrategyFiles.example(name), "--reads", "200000", "--cost-rounds", "0"])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("cost: not measured (--cost-rounds 0)"), "\(r.stdout)")
        #expect(r.stdout.contains("compile: "), "\(r.stdout)")
        #expect(r.stdout.contains("-O2") && r.stdout.contains("-shared"), "\(r.stdout)")
        for mode in ["spec", "stress"] {
            #expect(r.stdout.contains("Observation \(name)/stolen-time/\(mode) Never 0 "), "\(r.stdout)")
        }
    }

    /// The cost: each reader alone on a record in this core's cache, the
    /// file's beside every built-in for the same record, rounds interleaved.
    @Test("the cost: the file's reader and every built-in's per record, each a median with its interval; --cost-rounds out of range or without --c is refused")
    func cost() throws {
        let r = try CLI.run(["validate", "--c", CStrategyFiles.example("read_once"), "--reads", "20000", "--cost-rounds", "6"])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("cost: ns/read, one thread, no writer (the floor of a read), median of 6 interleaved rounds") }, "\(r.stdout)")
        for record in ["stolen-time", "preempted"] {
            let line = try #require(lines.first { $0.hasPrefix("  \(record): ") }, "\(r.stdout)")
            // "*read_once 57.42 [57.08–87.31], relaxed 46.51 [46.36–69.67], …"
            let entries = line.dropFirst("  \(record): ".count).components(separatedBy: ", ")
            #expect(entries.filter { $0.hasPrefix("*read_once ") }.count == 1, "the file's reader, starred: \(line)")
            #expect(entries.contains { $0.hasPrefix("relaxed ") } && entries.contains { $0.hasPrefix("straddle ") }, "the built-ins beside it: \(line)")
            for entry in entries {
                let words = entry.split(separator: " ")
                let median = try #require(words.count == 3 ? Double(words[1]) : nil, "name, median, [low–high]: \(entry)")
                let bounds = words[2].dropFirst().dropLast().split(separator: "–").compactMap { Double($0) }
                #expect(bounds.count == 2 && bounds[0] <= median && median <= bounds[1] && median > 0, "\(entry)")
            }
        }
        for bad in [["--cost-rounds", "1001"], ["--cost-rounds", "many"]] {
            let refused = try CLI.run(["validate", "--c", CStrategyFiles.example("read_once")] + bad)
            #expect(refused.status == 64 && refused.stdout.isEmpty, "\(bad): \(refused.stderr)")
            #expect(refused.stderr.split(separator: "\n").last?.hasPrefix("pvbench: error: ") == true, "\(refused.stderr)")
        }
        let alone = try CLI.run(["validate", "--cost-rounds", "3"])
        #expect(alone.status == 64 && alone.stderr.contains("--cost-rounds is the cost of a --c file's reads: give --c FILE.c"), "\(alone.stderr)")
    }

    /// On x86-64 TSO keeps the loads in order, so the race must pass there;
    /// the exit status is then the model's: 1 when an installed arm64
    /// target's code is allowed to tear (docs/c-strategies.md), said with
    /// "this machine cannot show it". Elsewhere the verdict is whatever the
    /// hardware showed.
    @Test("the sequence counter without smp_rmb races and reports")
    func seqcountWithoutRmb() throws {
        let r = try CLI.run(["validate", "--c", CStrategyFiles.example("seqcount_normb"), "--mode", "stress", "--reads", "200000", "--cost-rounds", "0"])
        #expect(r.stdout.contains("seqcount_normb/stolen-time/stress"), "\(r.stdout)\n\(r.stderr)")
        #if arch(x86_64)
        let allowed = r.stdout.contains("ALLOWED")
        #expect(r.status == (allowed ? 1 : 0), "\(r.stdout)\n\(r.stderr)")
        if allowed { #expect(r.stdout.contains("this machine cannot show it: ARMv8 allows a torn stolen-time value"), "\(r.stdout)") }
        #expect(r.stdout.contains("Observation seqcount_normb/stolen-time/stress Never 0 "), "\(r.stdout)")
        #else
        #expect(r.status == 0 || r.stdout.contains("FAIL") || r.stdout.contains("torn"), "\(r.stdout)\n\(r.stderr)")
        #endif
    }

    @Test("a C file that moves the value as two halves with a pause between is seen torn, and fails the run")
    func splitHalvesTear() throws {
        let file = try CStrategyFiles.halves("halves", between: "for (int i = 0; i < 50; i++) cpu_relax();")
        let r = try CLI.run(["validate", "--c", file, "--mode", "stress", "--duration", "2", "--cost-rounds", "0"])
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("Observation halves/stolen-time/stress Sometimes"), "\(r.stdout)")
        #expect(r.stdout.contains("halves/stolen-time/stress: first torn value"), "\(r.stdout)")
        #expect(r.stderr.contains("C strategy halves showed a violation"), "\(r.stderr)")
    }

    @Test("a compile error is the compiler's, with the file's own line numbers")
    func compileError() throws {
        let file = try CStrategyFiles.write("broken", """
            u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries)
            {
            \treturn READ_ONCE(st->stolen_time) + not_declared;
            }
            """)
        let r = try CLI.run(["validate", "--c", file])
        #expect(r.status == 1)
        #expect(r.stderr.contains("C strategy does not compile"), "\(r.stderr)")
        #expect(r.stderr.contains("broken.c:3:"), "\(r.stderr)")
        #expect(r.stderr.contains("not_declared"), "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.last?.hasPrefix("pvbench: error: C strategy does not compile") == true, "one final error line: \(r.stderr)")
        #expect(lines.filter { $0.hasPrefix("pvbench: error:") }.count == 1, "\(r.stderr)")
    }

    @Test("a mis-typed function is a compile error that quotes the expected prototype")
    func misTyped() throws {
        let file = try CStrategyFiles.write("mistyped", """
            u32 pv_steal_read(struct pvclock_vcpu_stolen_time *st) { return 0; }
            void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 v) { WRITE_ONCE(st->stolen_time, v); }
            """)
        let r = try CLI.run(["validate", "--c", file])
        #expect(r.status == 1)
        #expect(r.stderr.contains("mistyped.c:1:"), "\(r.stderr)")
        #expect(r.stderr.contains("u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries);"), "\(r.stderr)")
    }

    @Test("a missing half of a pair, or no function at all, is named with the signature expected")
    func missingFunction() throws {
        let half = try CStrategyFiles.write("half", """
            u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries) { return READ_ONCE(st->stolen_time); }
            """)
        let r = try CLI.run(["validate", "--c", half])
        #expect(r.status == 1)
        #expect(r.stderr.contains("pv_steal_write is missing; define it as: void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 stolen_time);"),
                "\(r.stderr)")
        let none = try CStrategyFiles.write("none", "static int unused;\n")
        let n = try CLI.run(["validate", "--c", none])
        #expect(n.status == 1)
        #expect(n.stderr.contains("defines no strategy function"), "\(n.stderr)")
        let missing = try CLI.run(["validate", "--c", "/nonexistent/strategy.c"])
        #expect(missing.status == 64, "a path that cannot be read is bad usage, as for model and compare")
        #expect(missing.stderr.contains("cannot read C strategy file '/nonexistent/strategy.c' (missing"), "\(missing.stderr)")
        let runMissing = try CLI.run(["run", "--c", "/nonexistent/strategy.c", "--scenario", "steal-clock"])
        #expect(runMissing.status == 64)
        #expect(runMissing.stderr == "pvbench: error: cannot read C strategy file '/nonexistent/strategy.c' (missing, unreadable or a directory)\n")
    }

    @Test("a reader that crashes ends the run with one line naming the case and the thread")
    func crash() throws {
        let file = try CStrategyFiles.write("crashes", """
            u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries)
            {
            \tif (READ_ONCE(st->stolen_time) != 0) return *(volatile u64 *)0;
            \treturn 0;
            }
            void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 v) { WRITE_ONCE(st->stolen_time, v); }
            """)
        let r = try CLI.run(["validate", "--c", file, "--mode", "stress", "--duration", "2"])
        #expect(r.status == 70, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.hasPrefix("compile: "), "what was printed before the crash is out: \(r.stdout)")
        #expect(r.stderr.contains("C strategy \(file) crashed: SIGSEGV (bad memory access) in thread gst-r0 (case 1/1 crashes/stolen-time/stress)"),
                "\(r.stderr)")
    }

    @Test("a writer that never returns is reported hung, by thread, once the run has stopped")
    func hang() throws {
        let file = try CStrategyFiles.steal("hangs", writerFirst: ["if ((u32)(v >> 32) > 1000) for (;;) cpu_relax();"])
        let r = try CLI.run(["validate", "--c", file, "--mode", "stress", "--duration", "0.5"], environment: CLI.hangSooner, timeout: 60)
        #expect(r.status == 70, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("C strategy \(file) hung: thread(s) hv-w0 still inside the file's code"), "\(r.stderr)")
    }

    @Test("a writer that never returns from the record's first store, made on the main thread before the race, is reported hung")
    func setupHang() throws {
        let file = try CStrategyFiles.steal("hangs_first", writerFirst: ["static int calls;", "if (calls++ == 0) for (;;) cpu_relax();"])
        let r = try CLI.run(["validate", "--c", file, "--mode", "stress", "--duration", "0.5"], environment: CLI.hangSooner, timeout: 90)
        #expect(r.status == 70, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("C strategy \(file) hung: thread(s) pvbench (main) still in the case's setup "
            + "(storing the records' first values) 3.0 seconds after it began (case 1/1 hangs_first/stolen-time/stress)"), "\(r.stderr)")
    }

    @Test("a writer that crashes on the record's first store names the main thread, which made it")
    func setupCrash() throws {
        let file = try CStrategyFiles.steal("crashes_first", writerFirst: ["static int calls;", "if (calls++ == 0) *(volatile int *)0 = 1;"])
        let r = try CLI.run(["validate", "--c", file, "--mode", "stress", "--duration", "0.5"], timeout: 90)
        #expect(r.status == 70, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("C strategy \(file) crashed: SIGSEGV (bad memory access) in thread pvbench (main) "
            + "(case 1/1 crashes_first/stolen-time/stress)"), "\(r.stderr)")
    }

    @Test("PVBENCH_HANG_SECONDS that is not seconds in (0, 3600] is refused in one line before the file is compiled",
          arguments: ["soon", "0", "-1", "nan", "3601"])
    func badHangSeconds(value: String) throws {
        let r = try CLI.run(["validate", "--c", CStrategyFiles.example("read_once")], environment: ["PVBENCH_HANG_SECONDS": value])
        #expect(r.status != 0 && r.stdout.isEmpty, "\(r.stdout)\n\(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("PVBENCH_HANG_SECONDS='\(value)' is not a number of seconds in (0, 3600]"), "\(r.stderr)")
    }

    @Test("abi --c-header prints a header that compiles on its own and declares the four prototypes")
    func header() throws {
        let r = try CLI.run(["abi", "--c-header"])
        #expect(r.status == 0)
        for f in ["pv_steal_read", "pv_steal_write", "pv_preempted_read", "pv_preempted_write"] {
            #expect(r.stdout.contains(" \(f)("), "\(f)")
        }
        let path = try CStrategyFiles.write("header_only", r.stdout, ext: "h")
        let cc = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"), ["cc", "-fsyntax-only", "-Wall", "-Werror", path], timeout: 60)
        #expect(cc.status == 0, "\(cc.stderr)")
    }
}

enum CStrategyFiles {
    static let compilerFound: Bool = tool("cc")

    /// Whether `name --version` runs.
    static func tool(_ name: String) -> Bool {
        (try? Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"), [name, "--version"], timeout: 30))?.status == 0
    }

    /// Whether the aarch64 cross compiler finds its C library's headers
    /// (Debian libc6-dev-arm64-cross): the examples include <stdint.h>.
    static var crossLibcHeaders: Bool {
        guard let path = try? write("stdint_probe", "#include <stdint.h>\nuint64_t x;\n") else { return false }
        return (try? Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                    ["aarch64-linux-gnu-gcc", "-fsyntax-only", path], timeout: 60))?.status == 0
    }

    static func example(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/\(name).c").path
    }

    /// Writes `text` to a new file `<name>.<ext>` in a fresh temporary directory.
    static func write(_ name: String, _ text: String, ext: String = "c") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-ctest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("\(name).\(ext)")
        try Data((text + "\n").utf8).write(to: file)
        return file.path
    }

    /// A file `<name>.c` with the stolen-time pair as READ_ONCE/WRITE_ONCE,
    /// the writer running `statements` (C, one a line) before its store.
    static func steal(_ name: String, writerFirst statements: [String]) throws -> String {
        try write(name, """
            u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries) { return READ_ONCE(st->stolen_time); }
            void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 v)
            {
            \(statements.map { "\t\($0)\n" }.joined())\tWRITE_ONCE(st->stolen_time, v);
            }
            """)
    }

    /// A file `<name>.c` whose pair moves stolen_time as two 32-bit halves
    /// (read high then low, written low then high), with the C statement
    /// `between`, if any, between the halves on both sides.
    static func halves(_ name: String, between: String? = nil) throws -> String {
        let pause = between.map { "\t\($0)\n" } ?? ""
        return try write(name, """
            u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries)
            {
            \tu32 *w = (u32 *)(void *)&st->stolen_time;
            \tu32 hi = READ_ONCE(w[1]);
            \(pause)\treturn (u64)hi << 32 | READ_ONCE(w[0]);
            }
            void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 v)
            {
            \tu32 *w = (u32 *)(void *)&st->stolen_time;
            \tWRITE_ONCE(w[0], (u32)v);
            \(pause)\tWRITE_ONCE(w[1], (u32)(v >> 32));
            }
            """)
    }
}

/// The header's arm64 branch and the examples as an arm64 kernel build would
/// compile them: the barriers and loads the examples claim are the ones emitted.
@Suite("C strategy examples compiled for arm64",
       .enabled(if: CStrategyFiles.tool("aarch64-linux-gnu-gcc"), "no aarch64-linux-gnu-gcc cross compiler on PATH"),
       .enabled(if: CStrategyFiles.tool("aarch64-linux-gnu-objdump"), "no aarch64-linux-gnu-objdump on PATH"),
       .enabled(if: CStrategyFiles.crossLibcHeaders, "aarch64-linux-gnu-gcc finds no <stdint.h> (Debian libc6-dev-arm64-cross)"))
struct CStrategyArm64Tests {
    /// The instructions of `function` in `example` compiled for arm64 with the printed header.
    static func disassembly(_ example: String, _ function: String) throws -> String {
        let header = try CLI.run(["abi", "--c-header"])
        let path = try CStrategyFiles.write("pvbench_strategy", header.stdout, ext: "h")
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let object = dir + "/\(example).so"
        let env = URL(fileURLWithPath: "/usr/bin/env")
        let cc = try Subprocess.run(env, ["aarch64-linux-gnu-gcc", "-O2", "-shared", "-fPIC", "-std=gnu11", "-Wall", "-Werror",
                                          "-I", dir, "-include", "pvbench_strategy.h", "-o", object, CStrategyFiles.example(example)],
                                    timeout: 120)
        #expect(cc.status == 0, "\(cc.stderr)")
        let dump = try Subprocess.run(env, ["aarch64-linux-gnu-objdump", "-d", "--no-show-raw-insn", object], timeout: 60)
        let lines = dump.stdout.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasSuffix("<\(function)>:") }) else {
            Issue.record("\(function) not found in \(example).so")
            return ""
        }
        return lines[start...].prefix { !$0.isEmpty }.joined(separator: "\n")
    }

    @Test("seqcount.c's reader has its two dmb ishld; seqcount_normb.c's has none")
    func seqcountBarriers() throws {
        let with = try Self.disassembly("seqcount", "pv_steal_read")
        #expect(with.components(separatedBy: "dmb\tishld").count - 1 == 2, "\(with)")
        let without = try Self.disassembly("seqcount_normb", "pv_steal_read")
        #expect(!without.contains("dmb"), "\(without)")
        let writer = try Self.disassembly("seqcount", "pv_steal_write")
        #expect(writer.components(separatedBy: "dmb\tishst").count - 1 == 2, "\(writer)")
    }

    @Test("read_once.c reads stolen_time with one 64-bit LDR at offset 8; ldp_record.c with one LDP of the record")
    func singleAccesses() throws {
        let readOnce = try Self.disassembly("read_once", "pv_steal_read")
        #expect(readOnce.range(of: #"ldr\tx0, \[x0, #8\]"#, options: .regularExpression) != nil, "\(readOnce)")
        let ldp = try Self.disassembly("ldp_record", "pv_steal_read")
        #expect(ldp.range(of: #"ldp\tx\d+, x\d+, \[x0\]"#, options: .regularExpression) != nil, "\(ldp)")
    }
}
