import Foundation
@testable import PVModel
import Testing

/// The C litmus front end: the shapes of the kernel's tests, herd7's
/// refusals (each checked against herd7 7.57 by hand with
/// `-conf linux-kernel.cfg`), and every test of Fixtures/lkmm-corpus.
@Suite("C litmus parser")
struct CLitmusParserTests {
    static let corpus = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("lkmm-corpus")

    @Test("MP+onceassign+derefonce: pointers in the init block, rcu calls, a local pointer, the condition's address")
    func rcuShape() throws {
        let t = try CLitmusParser.parse("""
            C MP+onceassign+derefonce

            (*
             * Result: Never
             *)

            {
            y=z;
            z=0;
            }

            P0(int *x, int **y)
            {
            \tWRITE_ONCE(*x, 1);
            \trcu_assign_pointer(*y, x);
            }

            P1(int *x, int **y)
            {
            \tint *r0;
            \tint r1;

            \trcu_read_lock();
            \tr0 = rcu_dereference(*y);
            \tr1 = READ_ONCE(*r0);
            \trcu_read_unlock();
            }

            exists (1:r0=x /\\ 1:r1=0)
            """)
        #expect(t.name == "MP+onceassign+derefonce")
        #expect(t.initializations == [CInitialization(name: "y", value: .address(of: "z"), line: 8),
                                      CInitialization(name: "z", value: .integer(0), line: 9)])
        #expect(t.threads.count == 2)
        #expect(t.threads[1].parameters == [CParameter(type: .int.pointer(1), name: "x"), CParameter(type: .int.pointer(2), name: "y")])
        #expect(t.threads[1].locals.map(\.name) == ["r0", "r1"])
        #expect(t.threads[0].body == [
            CStatement(.expression(.call(CCall(name: "WRITE_ONCE", arguments: [.load(.variable("x")), .integer(1)], line: 14))), line: 14),
            CStatement(.expression(.call(CCall(name: "rcu_assign_pointer", arguments: [.load(.variable("y")), .variable("x")], line: 15))), line: 15),
        ])
        #expect(t.threads[1].body[3] == CStatement(.assignment("r0", .call(CCall(name: "rcu_dereference", arguments: [.load(.variable("y"))], line: 24))), line: 24))
        #expect(t.condition == CCondition(.exists, .and([.equals(.local(thread: 1, name: "r0"), .address(of: "x")),
                                                         .equals(.local(thread: 1, name: "r1"), .integer(0))])))
        #expect(t.globalNames == ["y", "z", "x"])
    }

    @Test("control flow, declarations with values, plain stores, herd7's operator precedence, casts")
    func statements() throws {
        let t = try CLitmusParser.parse("""
            C shapes "a doc string"
            { 0:r2 = 3; int a[2] = {1, 2}; int *p = &a; atomic_t v = ATOMIC_INIT(5); }
            void P0(volatile int *x, int *y, struct srcu_struct *s, atomic_t *v)
            {
            \tint r0 = READ_ONCE(*x); // a comment
            \t/* another
            \t   one */
            \tif (r0 & 1 == 0) { *y = r0 + 2 * 3; } else WRITE_ONCE(*y, (int)r0 - 1);
            \twhile (r0) r0 = 0;
            \t*(y) = *x | 4;
            \tr0 = r0 ^ 1 < 2;
            \tsmp_mb();
            }
            locations [x; 0:r0]
            filter (x=0)
            ~exists (0:r0=1 \\/ y != 2)
            """)
        #expect(t.docString == "a doc string")
        #expect(t.initializations.map(\.value) == [.integer(3), .integers([1, 2]), .address(of: "a"), .integer(5)])
        #expect(t.initializations[0].thread == 0)
        #expect(t.initializations[1].arrayCount == 2)
        #expect(t.threads[0].parameters[0].type == CType(base: "int", pointerDepth: 1, isVolatile: true))
        #expect(t.threads[0].parameters[2].type.base == "struct srcu_struct")
        let body = t.threads[0].body.map(\.kind)
        #expect(body[0] == .declaration(.int, "r0", .call(CCall(name: "READ_ONCE", arguments: [.load(.variable("x"))], line: 5))))
        // `&` binds looser than `==` (as in C and herd7), `*` tighter than `+`.
        #expect(body[1] == .ifElse(.binary(.bitAnd, .variable("r0"), .binary(.equal, .integer(1), .integer(0))),
                                   [CStatement(.store(address: .variable("y"), value: .binary(.add, .variable("r0"), .binary(.multiply, .integer(2), .integer(3)))), line: 8)],
                                   [CStatement(.expression(.call(CCall(name: "WRITE_ONCE", arguments: [
                                       .load(.variable("y")), .binary(.subtract, .cast(.int, .variable("r0")), .integer(1)),
                                   ], line: 8))), line: 8)]))
        #expect(body[2] == .whileLoop(.variable("r0"), [CStatement(.assignment("r0", .integer(0)), line: 9)]))
        #expect(body[3] == .store(address: .variable("y"), value: .binary(.bitOr, .load(.variable("x")), .integer(4))))
        // `^` binds looser than `<`.
        #expect(body[4] == .assignment("r0", .binary(.bitXor, .variable("r0"), .binary(.less, .integer(1), .integer(2)))))
        #expect(t.locations == [.global(name: "x", element: nil), .local(thread: 0, name: "r0")])
        #expect(t.filter == .equals(.global(name: "x", element: nil), .integer(0)))
        #expect(t.condition == CCondition(.notExists, .or([.equals(.local(thread: 0, name: "r0"), .integer(1)),
                                                            .not(.equals(.global(name: "y", element: nil), .integer(2)))])))
    }

    /// What herd7 7.57 refuses (its message in the comment), refused here
    /// with the line and token.
    @Test("herd7's refusals are refused, naming line and token", arguments: [
        // unexpected '}' (in prog)
        ("C a\n{ }\nP0(int *x) {\nint r0; r0 = READ_ONCE(*x); if (r0) {} }\nexists (0:r0=1)\n", 4, "}"),
        ("C a\n{ }\nP0(int *x) { }\nexists (x=1)\n", 3, "}"),
        // Processes must be P0, P1, ...
        ("C a\n{ }\nP0(int *x) { WRITE_ONCE(*x,1); }\nP2(int *x) { WRITE_ONCE(*x,1); }\nexists (x=1)\n", 4, "P2"),
        // unexpected 'x' (in prog)
        ("C a\n{ }\nP0(int x) { WRITE_ONCE(*x,1); }\nexists (x=1)\n", 3, "int"),
        // unexpected 'lock' (in prog)
        ("C a\n{ }\nP0(int *lock) { WRITE_ONCE(*lock,1); }\nexists (lock=1)\n", 3, "lock"),
        // unexpected '-1' (in prog)
        ("C a\n{ }\nP0(int *x) { int r0; r0 = READ_ONCE(*x);\n r0 = r0-1; }\nexists (0:r0=1)\n", 4, "-1"),
        // Lex error C lexer
        ("C a\n{ }\nP0(int *x) { int r0; r0 = !READ_ONCE(*x); }\nexists (0:r0=1)\n", 3, "!"),
        // Address 0:x non-unique in init state
        ("C a\n{ }\nP0(int *x, int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)\n", 3, "x"),
        // Cannot find the size of type spinlock_t
        ("C a\n{\n spinlock_t s;\n}\nP0(spinlock_t *s) { spin_lock(s); spin_unlock(s); }\nexists (s=0)\n", 3, "spinlock_t"),
    ])
    func refusals(text: String, line: Int, token: String) {
        #expect {
            _ = try CLitmusParser.parse(text)
        } throws: { e in
            guard let e = e as? LitmusError else { return false }
            return e.line == line && e.token == token
        }
    }

    @Test("every test of the LKMM corpus that herd7 answered parses")
    func corpusParses() throws {
        let fm = FileManager.default
        var parsed = 0
        var failures: [String] = []
        for family in try fm.contentsOfDirectory(atPath: Self.corpus.path).sorted() {
            let dir = Self.corpus.appendingPathComponent(family)
            for f in (try? fm.contentsOfDirectory(atPath: dir.path))?.filter({ $0.hasSuffix(".litmus") }).sorted() ?? [] {
                let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
                do {
                    let t = try CLitmusParser.parse(text)
                    #expect(!t.threads.isEmpty)
                    parsed += 1
                } catch {
                    failures.append("\(family)/\(f): \(error)")
                }
            }
        }
        print("lkmm corpus: \(parsed) parsed, \(failures.count) refused\(failures.isEmpty ? "" : ": " + failures.joined(separator: "; "))")
        #expect(parsed + failures.count >= 900, "the corpus is missing: \(parsed + failures.count) tests")
        #expect(failures.isEmpty, "\(failures.count) tests herd7 reads are refused")
    }
}

extension CLitmusParserTests {
    /// The corpus's tests herd7 7.57 refuses (`<family>/rejected/`, herd7's
    /// message in `<family>/rejected.txt`): pvbench refuses each too, in
    /// the parser or, for a call the kernel model does not define, when
    /// compiling it for arm64.
    @Test("what herd7 refuses in the corpus, pvbench refuses too")
    func herdRefusals() throws {
        let fm = FileManager.default
        var refused = 0
        for family in try fm.contentsOfDirectory(atPath: Self.corpus.path).sorted() {
            let dir = Self.corpus.appendingPathComponent(family).appendingPathComponent("rejected")
            for f in (try? fm.contentsOfDirectory(atPath: dir.path))?.filter({ $0.hasSuffix(".litmus") }).sorted() ?? [] {
                let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
                do {
                    let t = try CLitmusParser.parse(text)
                    _ = try KernelMapping.program(t, target: .arm64)
                    Issue.record("\(family)/\(f): herd7 refuses it, pvbench answers it")
                } catch is LitmusError {
                    refused += 1
                } catch let e as ModelError {
                    guard case .notModelled = e else { Issue.record("\(family)/\(f): \(e)"); continue }
                    refused += 1
                }
            }
        }
        print("herd7-refused corpus tests refused by pvbench: \(refused)")
        #expect(refused >= 5, "the refused tests are missing")
    }
}

extension CLitmusParserTests {
    /// One test of the corpus with herd7's answer to it.
    struct CorpusEntry {
        var family: String
        var file: String
        var text: String
        var herd: HerdAnswer
    }

    /// Every answered test of Fixtures/lkmm-corpus. herd7.txt lists the
    /// answers in the order of the sorted file names (two files may hold
    /// tests of one name).
    static func corpusEntries() throws -> [CorpusEntry] {
        let fm = FileManager.default
        var out: [CorpusEntry] = []
        for family in try fm.contentsOfDirectory(atPath: corpus.path).sorted() {
            let dir = corpus.appendingPathComponent(family)
            guard let answers = try? String(contentsOf: dir.appendingPathComponent("herd7.txt"), encoding: .utf8) else { continue }
            let blocks = herdBlocks(answers)
            let files = try fm.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".litmus") }.sorted()
            #expect(files.count == blocks.count, "\(family): \(files.count) tests, \(blocks.count) herd7 answers")
            for (f, block) in zip(files, blocks) {
                guard let herd = HerdAnswer.parseAll(block).values.first else { Issue.record("\(family)/\(f): herd7's answer does not read"); continue }
                out.append(CorpusEntry(family: family, file: f, text: try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8), herd: herd))
            }
        }
        return out
    }

    /// herd7 output split into one text per test, in order.
    static func herdBlocks(_ text: String) -> [String] {
        var blocks: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Test ") { blocks.append("") }
            if !blocks.isEmpty { blocks[blocks.count - 1] += line + "\n" }
        }
        return blocks
    }
}

extension CType {
    func pointer(_ depth: Int) -> CType { CType(base: base, pointerDepth: depth) }
}
