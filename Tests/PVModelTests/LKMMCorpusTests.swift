import Foundation
import PVModel
import Testing

/// The kernel-model corpus: C litmus tests (the kernel's
/// tools/memory-model/litmus-tests and paulmckrcu/litmus families) with
/// herd7 7.57's answers under `-conf linux-kernel.cfg` (Fixtures/lkmm-corpus,
/// recorded by scripts/lkmm-corpus). pvbench must give herd7's verdict,
/// witness counts, final states and flags for every test it decides; a
/// test it refuses is tallied by reason.
@Suite("LKMM differential corpus")
struct LKMMCorpusTests {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    static let root = fixtures.appendingPathComponent("lkmm-corpus")

    /// The corpus cannot pass by being missing: at least this many tests,
    /// and at least this many decided (compared with herd7).
    static let minimumTests = 1000
    static let minimumDecided = 700

    @Test("pvbench gives herd7's verdict, counts, states and flags on every C test it decides")
    func corpus() throws {
        var tally = HerdCorpusTests.Tally()
        // The round trip (Fixtures/lkmm-emitted: what validate --emit-litmus writes) counts as one more family.
        let perFamily = try tally.run(try HerdCorpusTests.Tally.families(in: Self.root) + ["../lkmm-emitted"], check(family:into:))
        let total = tally.compared + tally.refused
        print("lkmm corpus: compared \(tally.compared), agreed \(tally.agreed), refused \(tally.refused) of \(total)"
            + " (\(total == 0 ? 0 : tally.refused * 100 / total) %)"
            + tally.reasonsText + "; per family compared/agreed/refused: " + perFamily.joined(separator: ", "))
        for d in tally.disagreements { Issue.record(Comment(rawValue: d)) }
        #expect(total >= Self.minimumTests, "only \(total) tests in the corpus")
        #expect(tally.compared >= Self.minimumDecided, "only \(tally.compared) tests decided")
    }

    /// Compares one family: herd7.txt answers its files in the order of
    /// their sorted names (`CLitmusParserTests.herdBlocks`); the files herd7
    /// rejects are not in the corpus.
    func check(family: String, into tally: inout HerdCorpusTests.Tally) throws {
        let dir = Self.root.appendingPathComponent(family)
        guard let herdText = try? String(contentsOf: dir.appendingPathComponent("herd7.txt"), encoding: .utf8) else { return }
        let blocks = CLitmusParserTests.herdBlocks(herdText)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".litmus") }.sorted()
        #expect(files.count == blocks.count, "\(family): \(files.count) tests, \(blocks.count) herd7 answers")
        for (file, block) in zip(files, blocks) {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            let result: CheckResult
            do {
                result = try ModelChecker.check(try LitmusParser.program(text))
            } catch let e as LitmusError {
                tally.refused += 1
                tally.reasons["parse: \(e.message)", default: 0] += 1
                continue
            } catch let e as ModelError {
                tally.refused += 1
                switch e {
                case let .notModelled(why): tally.reasons[why.replacingOccurrences(of: #" \(line \d+\)"#, with: "", options: .regularExpression), default: 0] += 1
                case .tooLarge: tally.reasons["too large to enumerate", default: 0] += 1
                }
                continue
            }
            guard let herd = HerdAnswer.parseAll(block).values.first else {
                tally.disagreements.append("\(family)/\(file): herd7's answer does not read")
                continue
            }
            tally.compare(result, with: herd, label: "\(family)/\(file)")
            if result.flags.sorted() != herd.flags.sorted() {
                tally.disagreements.append("\(family)/\(file): flags \(result.flags), herd7 \(herd.flags.sorted())")
            }
            // Line for line too: states in herd7's order, flags where herd7 prints them.
            let ours = HerdReport.render(result).split(whereSeparator: \.isNewline).map(String.init)
            let theirs = block.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.hasPrefix("Time ") && !$0.hasPrefix("Hash=") }
            if ours != theirs {
                tally.disagreements.append("\(family)/\(file): not herd7's text line for line:\n\(ours.joined(separator: "\n"))\nherd7:\n\(theirs.joined(separator: "\n"))")
            }
        }
    }
}
