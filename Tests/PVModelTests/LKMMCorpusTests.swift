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
    static let minimumTests = 1300
    static let minimumDecided = 1250

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
        #expect(tally.refused * 10 < total, "\(tally.refused) of \(total) refused: the bound is under 10 %")
    }

    /// A spinlock cell's coherence orders are enumerated as lock.cat
    /// generates them (critical-section interleavings, `LockCoherence`);
    /// without `lockOrders` every permutation of the lock's writes and
    /// every lock-read source is enumerated instead. Both must give the same
    /// states and counts wherever the second stays within the bound.
    @Test("spinlock cells: critical-section orders give what every permutation of the lock writes gives")
    func lockOrdersLoseNothing() throws {
        let dir = Self.root.appendingPathComponent("manual-locked")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".litmus") }.sorted()
        var unpruned = CheckOptions(maxCandidates: 50_000)
        unpruned.lockOrders = false
        var compared = 0, tooLarge = 0
        for file in files {
            // Refused tests (the corpus test tallies them) have nothing to compare.
            guard let p = try? LitmusParser.program(try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)),
                  let fast = try? ModelChecker.check(p) else { continue }
            let all: CheckResult
            do { all = try ModelChecker.check(p, options: unpruned) } catch ModelError.tooLarge { tooLarge += 1; continue }
            compared += 1
            #expect(fast.states == all.states, "\(file)")
            #expect(fast.satisfying == all.satisfying && fast.notSatisfying == all.notSatisfying, "\(file)")
            #expect(fast.flags == all.flags, "\(file)")
        }
        print("lock orders: \(compared) manual-locked tests enumerated both ways, \(tooLarge) too large without")
        #expect(compared >= 20, "only \(compared) lock tests small enough to enumerate both ways")
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
