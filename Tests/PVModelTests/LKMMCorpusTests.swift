import Foundation
import PVModel
import Testing

/// The kernel-model corpus: C litmus tests (the kernel's
/// tools/memory-model/litmus-tests and paulmckrcu/litmus families) with
/// herd7 7.57's answers under `-conf linux-kernel.cfg` (Fixtures/lkmm-corpus,
/// recorded by scripts/lkmm-corpus). pvbench must give herd7's verdict,
/// witness counts, final states and flags for every test it decides; a
/// test it refuses is tallied by reason; a test herd7 rejects
/// (`rejected.txt`) pvbench must not answer either.
@Suite("LKMM differential corpus")
struct LKMMCorpusTests {
    static let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("lkmm-corpus")

    /// The corpus cannot pass by being missing: at least this many tests,
    /// and at least this many decided (compared with herd7).
    static let minimumTests = 100
    static let minimumDecided = 60

    @Test("pvbench gives herd7's verdict, counts, states and flags on every C test it decides")
    func corpus() throws {
        let families = try FileManager.default.contentsOfDirectory(atPath: Self.root.path)
            .filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: Self.root.appendingPathComponent($0).path, isDirectory: &d) && d.boolValue }
            .sorted()
        var tally = HerdCorpusTests.Tally()
        var rejectedByHerd = 0
        var perFamily: [String] = []
        for family in families {
            let before = tally
            rejectedByHerd += try check(family: family, into: &tally)
            perFamily.append("\(family) \(tally.compared - before.compared)/\(tally.agreed - before.agreed)/\(tally.refused - before.refused)")
        }
        let total = tally.compared + tally.refused
        print("lkmm corpus: compared \(tally.compared), agreed \(tally.agreed), refused \(tally.refused) of \(total)"
            + " (\(total == 0 ? 0 : tally.refused * 100 / total) %), herd7-rejected and refused \(rejectedByHerd)"
            + (tally.reasons.isEmpty ? "" : " (" + tally.reasons.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: "; ") + ")")
            + "; per family compared/agreed/refused: " + perFamily.joined(separator: ", "))
        for d in tally.disagreements { Issue.record(Comment(rawValue: d)) }
        #expect(total >= Self.minimumTests, "only \(total) tests in the corpus")
        #expect(tally.compared >= Self.minimumDecided, "only \(tally.compared) tests decided")
    }

    /// Compares one family; returns how many tests herd7 rejected (and pvbench refused too).
    func check(family: String, into tally: inout HerdCorpusTests.Tally) throws -> Int {
        let dir = Self.root.appendingPathComponent(family)
        let herdText = try String(contentsOf: dir.appendingPathComponent("herd7.txt"), encoding: .utf8)
        let answers = HerdAnswer.parseAll(herdText)
        // Each answer's lines from `Test NAME` to `Observation NAME`, by name.
        var blocks: [String: [String]] = [:]
        var block: [String] = []
        for line in herdText.split(whereSeparator: \.isNewline).map(String.init) {
            if line.hasPrefix("Test ") { block = [] }
            block.append(line)
            if line.hasPrefix("Observation "), let name = line.split(separator: " ").dropFirst().first { blocks[String(name)] = block }
        }
        let rejectedText = (try? String(contentsOf: dir.appendingPathComponent("rejected.txt"), encoding: .utf8)) ?? ""
        let rejected = Set(rejectedText.split(whereSeparator: \.isNewline).compactMap { $0.split(separator: ":").first.map(String.init) })
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".litmus") }.sorted()
        #expect(!files.isEmpty, "\(family): no tests")
        var rejectedCount = 0
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            let result: CheckResult
            do {
                result = try ModelChecker.check(try LitmusParser.program(text))
            } catch let e as LitmusError {
                if rejected.contains(file) { rejectedCount += 1; continue }
                tally.refused += 1
                tally.reasons["parse: \(e.message)", default: 0] += 1
                continue
            } catch let e as ModelError {
                if rejected.contains(file) { rejectedCount += 1; continue }
                tally.refused += 1
                switch e {
                case let .notModelled(why): tally.reasons[why.replacingOccurrences(of: #" \(line \d+\)"#, with: "", options: .regularExpression), default: 0] += 1
                case .tooLarge: tally.reasons["too large to enumerate", default: 0] += 1
                }
                continue
            }
            if rejected.contains(file) {
                tally.disagreements.append("\(family)/\(file): herd7 rejects it, pvbench answered")
                continue
            }
            let name = result.program.name
            guard let herd = answers[name] else {
                tally.disagreements.append("\(family)/\(file): no herd7 answer named '\(name)' in herd7.txt")
                continue
            }
            tally.compare(result, with: herd, label: "\(family)/\(name)")
            // Line for line too: states in herd7's order, flags where herd7 prints them.
            let ours = HerdReport.render(result).split(whereSeparator: \.isNewline).map(String.init)
            if let text = blocks[name], text != ours {
                tally.disagreements.append("\(family)/\(name): not herd7's text line for line:\n\(ours.joined(separator: "\n"))\nherd7:\n\(text.joined(separator: "\n"))")
            }
        }
        return rejectedCount
    }
}
