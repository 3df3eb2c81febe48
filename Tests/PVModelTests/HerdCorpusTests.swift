import Foundation
import PVModel
import Testing

/// The differential corpus: litmus families generated with diy7 7.57 and
/// scripts/herd-corpus-mixed.py, and herdtools7's catalogue/aarch64-mixed,
/// each family with herd7 7.57's answers (Fixtures/herd-corpus/README.md
/// says how they were made). pvbench must give herd7's verdict, witness
/// counts and set of final states for every test it decides; a test it
/// refuses (outside the subset, too large) is tallied by reason.
@Suite("herd7 differential corpus")
struct HerdCorpusTests {
    static let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("herd-corpus")

    /// The corpus cannot pass by being missing or refused wholesale: at
    /// least this many tests, and refusals under 2 % of them (issues 22, 25).
    static let minimumTests = 1500

    @Test("pvbench gives herd7's verdict, witness counts and final states on every test it decides")
    func corpus() throws {
        var tally = Tally()
        let perFamily = try tally.run(try Tally.families(in: Self.root), check(family:into:))
        print("herd7 corpus: compared \(tally.compared), agreed \(tally.agreed), refused \(tally.refused)"
            + tally.reasonsText + "; per family compared/agreed/refused: " + perFamily.joined(separator: ", "))
        for d in tally.disagreements { Issue.record(Comment(rawValue: d)) }
        let total = tally.compared + tally.refused
        #expect(total >= Self.minimumTests, "only \(total) tests in the corpus")
        #expect(tally.refused * 50 < total, "\(tally.refused) of \(total) tests refused (2 % at most)")
    }

    /// The family's herd7 options that change an answer (`herd7.options`,
    /// written by scripts/herd-corpus): only `-unroll N` is read here.
    static func options(family dir: URL) throws -> CheckOptions {
        var o = CheckOptions()
        let file = dir.appendingPathComponent("herd7.options")
        guard FileManager.default.fileExists(atPath: file.path) else { return o }
        let words = try String(contentsOf: file, encoding: .utf8).split(whereSeparator: \.isWhitespace).map(String.init)
        if let i = words.firstIndex(of: "-unroll"), i + 1 < words.count, let n = Int(words[i + 1]) { o.unroll = n }
        return o
    }

    struct Tally {
        var compared = 0, agreed = 0, refused = 0
        var reasons: [String: Int] = [:]
        var disagreements: [String] = []

        /// The family folders under `root`, sorted.
        static func families(in root: URL) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: root.path).filter { name in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isDirectory)
                    && isDirectory.boolValue
            }.sorted()
        }

        /// Checks each family into this tally; per family `name compared/agreed/refused`.
        mutating func run(_ families: [String], _ check: (String, inout Tally) throws -> Void) rethrows -> [String] {
            try families.map { family in
                let before = self
                try check(family, &self)
                return "\(family) \(compared - before.compared)/\(agreed - before.agreed)/\(refused - before.refused)"
            }
        }

        /// ` (reason ×n; …)`, or nothing when nothing was refused.
        var reasonsText: String {
            reasons.isEmpty ? "" : " (" + reasons.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: "; ") + ")"
        }

        /// Compares pvbench's answer, read back from its herd7 text, with herd7's.
        mutating func compare(_ result: CheckResult, with herd: HerdAnswer, label: String) {
            compared += 1
            guard let ours = HerdAnswer.parseAll(HerdReport.render(result))[result.program.name] else {
                disagreements.append("\(label): pvbench's answer does not read back")
                return
            }
            var differences = ours.differences(from: herd)
            if ours.flags != herd.flags { differences.append("flags \(ours.flags.sorted()), herd7 \(herd.flags.sorted())") }
            // herd7's order of the States lines (negative values included), once the sets agree.
            if ours.states == herd.states, ours.stateOrder != herd.stateOrder { differences.append("the same states in another order than herd7's") }
            if differences.isEmpty {
                agreed += 1
            } else {
                disagreements.append("\(label): " + differences.joined(separator: "; "))
            }
        }
    }

    func check(family: String, into tally: inout Tally) throws {
        let dir = Self.root.appendingPathComponent(family)
        let answers = HerdAnswer.parseAll(try String(contentsOf: dir.appendingPathComponent("herd7.txt"), encoding: .utf8))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".litmus") }.sorted()
        #expect(!files.isEmpty, "\(family): no tests")
        #expect(answers.count == files.count, "\(family): \(files.count) tests, \(answers.count) herd7 answers")
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            // The header `ARCH NAME` names the test as herd7's answer does.
            let name = text.split(whereSeparator: \.isNewline).first.map { $0.split(separator: " ").dropFirst().first.map(String.init) ?? "" } ?? ""
            guard let herd = answers[name] else {
                tally.disagreements.append("\(family)/\(file): no herd7 answer named '\(name)' in herd7.txt")
                continue
            }
            let result: CheckResult
            do {
                result = try ModelChecker.check(try LitmusParser.parse(text), options: try Self.options(family: dir))
            } catch let e as LitmusError {
                tally.refused += 1
                // The message and the token's first word (the mnemonic, for an instruction).
                tally.reasons["parse: \(e.message) (\(e.token.split(separator: " ").first ?? ""))", default: 0] += 1
                continue
            } catch let e as ModelError {
                tally.refused += 1
                switch e {
                case .notModelled: tally.reasons[e.description, default: 0] += 1
                case .tooLarge: tally.reasons["too large to enumerate", default: 0] += 1
                }
                continue
            }
            tally.compare(result, with: herd, label: "\(family)/\(name)")
        }
    }
}

/// One test's answer in herd7's text: verdict, witness counts and final
/// states, values compared as numbers (herd7 `-hexa` prints 0x102, pvbench
/// 258 by default; the radix is formatting, not an answer).
struct HerdAnswer {
    var name: String
    var states: Set<[String: String]> = []
    /// The same, in the order printed.
    var stateOrder: [[String: String]] = []
    var positive = -1, negative = -1
    /// `Observation NAME Always|Sometimes|Never S N`, without the name.
    var observation = ""
    /// `Ok`, `No`, or `Loop Ok`/`Loop No` when an execution reached the unrolling bound.
    var verdict = ""
    /// `Flag NAME` lines (linux-kernel.cat's `data-race`, aarch64fences.cat's
    /// `Assuming-common-inner-shareable-domain`), compared by the LKMM and the
    /// herd7 corpus; `differences` leaves them out.
    var flags: Set<String> = []

    /// Every block of a herd7 output (`Test NAME …` to `Observation …`), by name.
    static func parseAll(_ text: String) -> [String: HerdAnswer] {
        var out: [String: HerdAnswer] = [:]
        var current: HerdAnswer?
        var pendingStates = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let words = line.split(separator: " ")
            if pendingStates > 0, current != nil {
                current!.states.insert(state(line))
                current!.stateOrder.append(state(line))
                pendingStates -= 1
            } else if words.first == "Test", words.count >= 2 {
                current = HerdAnswer(name: String(words[1]))
            } else if words.first == "States", words.count == 2, let n = Int(words[1]) {
                pendingStates = n
            } else if ["Ok", "No", "Loop"].contains(words.first ?? ""), current != nil {
                current?.verdict = line
            } else if words.first == "Positive:", words.count == 4, let p = Int(words[1]), let n = Int(words[3]) {
                current?.positive = p
                current?.negative = n
            } else if words.first == "Flag", words.count == 2 {
                current?.flags.insert(String(words[1]))
            } else if words.first == "Observation", words.count == 5, var c = current {
                c.observation = words[2...].joined(separator: " ")
                out[c.name] = c
                current = nil
            }
        }
        return out
    }

    /// `1:X0=0x1; [x]=258;` → ["1:X0": "1", "[x]": "258"].
    static func state(_ line: String) -> [String: String] {
        var s: [String: String] = [:]
        for part in line.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2 { s[kv[0]] = number(kv[1]) }
        }
        return s
    }

    /// A decimal or 0x-hexadecimal integer, possibly negative, in decimal;
    /// anything else (a location name as a value) as it is.
    static func number(_ v: String) -> String {
        let negative = v.hasPrefix("-")
        let digits = negative ? v.dropFirst() : v[...]
        let magnitude = digits.hasPrefix("0x") ? UInt64(digits.dropFirst(2), radix: 16) : UInt64(digits)
        guard let m = magnitude else { return v }
        return (negative && m != 0 ? "-" : "") + String(m)
    }

    func differences(from herd: HerdAnswer) -> [String] {
        var d: [String] = []
        if observation != herd.observation { d.append("Observation \(observation), herd7 \(herd.observation)") }
        if verdict != herd.verdict { d.append("'\(verdict)', herd7 '\(herd.verdict)'") }
        if (positive, negative) != (herd.positive, herd.negative) {
            d.append("Positive/Negative \(positive)/\(negative), herd7 \(herd.positive)/\(herd.negative)")
        }
        let show = { (s: Set<[String: String]>) in
            s.map { $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }.sorted().joined(separator: " | ")
        }
        if states != herd.states {
            let onlyHerd = herd.states.subtracting(states), onlyOurs = states.subtracting(herd.states)
            d.append("states: \(states.count), herd7 \(herd.states.count)"
                + (onlyHerd.isEmpty ? "" : "; only herd7: \(show(onlyHerd))")
                + (onlyOurs.isEmpty ? "" : "; only pvbench: \(show(onlyOurs))"))
        }
        return d
    }
}
