import Foundation
@testable import PVExperiments
import PVModel
import PVRuntime
import Testing

/// A C strategy file's functions inlined into a C litmus test for LKMM
/// (``CStrategyLKMM``): the translation of small sources, and the shipped
/// examples' tests compared with the recorded ones and with herd7 7.57's
/// answers (Fixtures/lkmm-c-strategies/herd7.txt, `-conf linux-kernel.cfg`).
@Suite("C strategy files under LKMM: the translation and herd7's answers")
struct CStrategyLKMMTests {
    static let fixtures = Tool.packageRoot.appendingPathComponent("Tests/PVHarnessTests/Fixtures/lkmm-c-strategies")

    /// herd7's Observation line per test.
    static let herd7 = Herd7Fixture(fixtures.appendingPathComponent("herd7.txt")).observations

    static let examples: [(String, [SharedRecordKind])] = [
        ("read_once", [.stolenTime, .preempted]), ("seqcount", [.stolenTime]), ("seqcount_normb", [.stolenTime]), ("ldp_record", [.stolenTime]),
    ]

    static func answer(_ text: String) throws -> (allowed: Bool, observation: String?) {
        let r = try ModelChecker.check(LitmusParser.program(text), model: .lkmm)
        return (r.allowed, HerdReport.render(r).split(separator: "\n").first { $0.hasPrefix("Observation ") }.map(String.init))
    }

    static func translate(_ source: String, _ record: SharedRecordKind = .stolenTime, _ question: ModelQuestion = .torn) throws -> CStrategyLKMM.Translation {
        try CStrategyLKMM.translate(source: source, name: "t", record: record, question: question)
    }

    @Test("the examples: each test as recorded, and pvbench's LKMM Observation line is herd7's",
          .enabled(if: Tool.find("cc") != nil, "no C compiler (cc) on PATH to preprocess the examples"))
    func examplesAgreeWithHerd7() throws {
        let dir = try Tool.temporaryDirectory()
        var agreed = true
        var verdicts: [String: Bool] = [:]
        for (example, records) in Self.examples {
            for record in records {
                for question in CStrategyModel.questions {
                    let name = "\(example)+\(record)+\(question.rawValue)"
                    let t = try CStrategyLKMM.translate(path: Tool.packageRoot.appendingPathComponent("examples/\(example).c").path,
                                                        name: example, record: record, question: question, directory: dir)
                    try t.text.write(to: dir.appendingPathComponent("\(name).litmus"), atomically: true, encoding: .utf8)
                    let recorded = try? String(contentsOf: Self.fixtures.appendingPathComponent("\(name).litmus"), encoding: .utf8)
                    let (allowed, mine) = try Self.answer(t.text)
                    verdicts[name] = allowed
                    if t.text != recorded || mine != Self.herd7[name] { agreed = false }
                    #expect(t.text == recorded, "\(name): the translation differs from the recorded one (new one in \(dir.path))")
                    #expect(mine == Self.herd7[name], "\(name): pvbench \(mine ?? "-") vs herd7 \(Self.herd7[name] ?? "not recorded")")
                }
            }
        }
        #expect(verdicts["seqcount_normb+stolen-time+torn"] == true, "no smp_rmb: the halves may come from two updates")
        #expect(verdicts["seqcount+stolen-time+torn"] == false)
        #expect(verdicts["read_once+stolen-time+torn"] == false)
        #expect(verdicts.filter { $0.key.hasSuffix("+backwards") }.allSatisfy { !$0.value }, "\(verdicts)")
        if agreed { try? FileManager.default.removeItem(at: dir) }
    }

    @Test("a READ_ONCE over the writer's two 32-bit halves becomes one READ_ONCE per half, and the result and condition are per half")
    func splitLoad() throws {
        let t = try Self.translate("""
            u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries) { return READ_ONCE(st->stolen_time); }
            void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 v)
            {
                u32 *h = (u32 *)(void *)&st->stolen_time;
                WRITE_ONCE(h[0], (u32)v);
                smp_wmb();
                WRITE_ONCE(h[1], (u32)(v >> 32));
            }
            """)
        #expect(t.text.contains("\tWRITE_ONCE(*st_8_u32, 2);\n\tsmp_wmb();\n\tWRITE_ONCE(*st_12_u32, 1);\n"), "\(t.text)")
        #expect(t.text.contains("\tt0 = READ_ONCE(*st_8_u32);\n\tt1 = READ_ONCE(*st_12_u32);\n\tr0_0 = t0;\n\tr0_4 = t1;\n"), "\(t.text)")
        #expect(t.text.contains("exists (~((1:r0_0=0 /\\ 1:r0_4=0) \\/ (1:r0_0=2 /\\ 1:r0_4=1) \\/ (1:r0_0=4 /\\ 1:r0_4=3)))"), "\(t.text)")
        #expect(t.notes == [CStrategyLKMM.splitNote])
        #expect(try Self.answer(t.text).allowed, "two unordered reads of the halves see a mix")
    }

    @Test("a reader's retry loop is one attempt: its end sets retried, and the condition requires it 0")
    func oneAttempt() throws {
        let t = try Self.translate("""
            u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries)
            {
                for (;;) {
                    u64 v = smp_load_acquire(&st->stolen_time);
                    if (v != 0)
                        return v;
                    *retries += 1;
                }
            }
            void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 v) { smp_store_release(&st->stolen_time, v); }
            """, .stolenTime, .backwards)
        #expect(t.text.contains("if ((t0 != 0)) {\n\t\tr0 = t0;\n\t\tt1 = smp_load_acquire(st_8_u64);"), "the rest copied into the branch: \(t.text)")
        #expect(t.text.contains("retried = 1;"), "\(t.text)")
        #expect(t.text.contains("exists (1:retried=0 /\\ 1:r0=4294967298 /\\ 1:r0=0)") == false)
        #expect(t.text.contains("exists (1:retried=0 /\\ 1:r0=4294967298 /\\ 1:r1=0)"), "\(t.text)")
        #expect(t.notes == [CStrategyModel.oneAttempt])
        #expect(try Self.answer(t.text).allowed == false)
    }

    @Test("outside the subset: refused with the construct named", arguments: [
        ("u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *r) { u64 v; __asm__ volatile(\"ldr %0, [%1]\" : \"=r\"(v) : \"r\"(st)); return v; }",
         "a string or character literal"),
        ("u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *r) { return smp_load_acquire(&st->stolen_time); }",
         "acquire 8-byte load over 2 cells"),
        ("u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *r) { return st->stolen_time; }",
         "plain 8-byte load over 2 cells"),
        ("u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *r) { u32 *h = (u32 *)(void *)&st->stolen_time; return (u64)READ_ONCE(h[1]) << 32 | READ_ONCE(h[0]); }",
         "'<<' of a loaded value"),
        ("u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *r) { return atomic64_read(st); }",
         "a call of atomic64_read"),
    ])
    func refused(_ reader: String, _ why: String) throws {
        let writer = """
            void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 v)
            {
                u32 *h = (u32 *)(void *)&st->stolen_time;
                WRITE_ONCE(h[0], (u32)v);
                WRITE_ONCE(h[1], (u32)(v >> 32));
            }
            """
        #expect {
            _ = try Self.translate(reader + "\n" + writer)
        } throws: { "\($0)".contains(why) }
    }

    @Test("a loop in the writer is refused (only a reader's retry is one attempt)")
    func writerLoop() {
        #expect {
            _ = try Self.translate("""
                u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *r) { return READ_ONCE(st->stolen_time); }
                void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 v) { for (;;) { WRITE_ONCE(st->stolen_time, v); return; } }
                """)
        } throws: { "\($0)".contains("a loop in the writer") }
    }
}
