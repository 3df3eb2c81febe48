import ArgumentParser
import Foundation
import PVModel

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Decide litmus tests under the SC, x86-TSO, ARMv8 or Linux-kernel memory model, answering as herd7 does.",
        discussion: """
            Reads herd7 litmus files (AArch64, X86, X86_64, and kernel C tests under lkmm as herd7 -conf linux-kernel.cfg \
            decides them; see docs/model.md and docs/lkmm.md for the subsets) and prints herd7's \
            answer for each, line for line (without Time and Hash). The answer is the model's, not this machine's. \
            An AArch64 test under x86-tso runs as its C11-mapped x86 program (DMB full→MFENCE, STLR→XCHG, LDAR/LDAPR→MOV; \
            DMB LD/ST, ISB and dependencies dropped; exclusives refused); the mapping used is printed on stderr. An x86 \
            test is not mapped to ARMv8 (refused); sc takes any test. \
            Exit status 64 for a file outside the subset (one line naming the line and token), 1 when a test cannot be \
            decided (not modelled, or too large to enumerate).
            """)

    @Argument(help: ArgumentHelp("Litmus files.", valueName: "file.litmus"))
    var files: [String]

    @Option(help: ArgumentHelp("armv8, x86-tso, sc or lkmm; repeatable: each test under each (default: the test's own architecture's model).",
                               valueName: "model"))
    var model: [String] = []

    @Flag(help: "FEAT_LSE2: a 16-byte aligned LDP/STP of X registers is single-copy atomic.")
    var lse2 = false

    @Flag(help: "Print values in hexadecimal, as herd7 -hexa does.")
    var hexa = false

    @Flag(help: "Print JSON instead of herd7 text.")
    var json = false

    func validate() throws {
        for m in model where ModelKind(rawValue: m) == nil {
            throw ValidationError("unknown model '\(m)'; valid: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if files.isEmpty { throw ValidationError("give at least one litmus file") }
    }

    struct Answer: Encodable {
        let test: String
        let model: String
        let kind: String
        let observed: [String]
        let states: [[String]]
        let ok: Bool
        let positive: Int
        let negative: Int
        let condition: String
        let observation: String
        let mapping: [String]
        /// The cat file's flags an allowed execution raises (`data-race`).
        let flags: [String]
    }

    func run() throws {
        var programs: [(String, Program)] = []
        var failed: [String] = []
        for f in files {
            guard let data = FileManager.default.contents(atPath: f), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("\(f): cannot read the file")
            }
            do { programs.append((f, try LitmusParser.program(text))) } catch let e as LitmusError {
                throw ValidationError("\(f):\(e.line): \(e.message) at '\(e.token)'")
            } catch let e as ModelError {
                FileHandle.standardError.write(Data("pvbench: error: \(f): \(e)\n".utf8))
                failed.append(f)
            }
        }
        let options = CheckOptions(lse2: lse2)
        var answers: [Answer] = []
        let models: [ModelKind?] = model.isEmpty ? [nil] : model.compactMap(ModelKind.init(rawValue:))
        for (f, p) in programs {
            for m in models {
                do {
                    let r = try ModelChecker.check(p, model: m, options: options)
                    if !r.mapping.isEmpty {
                        FileHandle.standardError.write(Data("pvbench: note: \(p.name) under x86-tso runs as x86: \(r.mapping.joined(separator: "; "))\n".utf8))
                    }
                    if json { answers.append(answer(r)) } else { print(HerdReport.render(r, hexadecimal: hexa)) }
                } catch let e as ModelError {
                    FileHandle.standardError.write(Data("pvbench: error: \(f): \(p.name)\(m.map { " under \($0.rawValue)" } ?? ""): \(e)\n".utf8))
                    failed.append(f)
                }
            }
        }
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try enc.encode(answers), as: UTF8.self))
        }
        if !failed.isEmpty { throw RuntimeError("\(failed.count) of \(files.count * models.count) checks not decided") }
    }

    private func answer(_ r: CheckResult) -> Answer {
        let text = HerdReport.render(r).split(separator: "\n").map(String.init)
        let observation = text.last { $0.hasPrefix("Observation ") } ?? ""
        return Answer(
            test: r.program.name, model: r.model.rawValue,
            kind: String(text[0].split(separator: " ").last ?? ""),
            observed: r.observed.map { HerdReport.atom(r.program, $0) },
            states: r.states.map { s in zip(r.observed, s.values).map { HerdReport.value(r.program, $0.0, $0.1) } },
            ok: r.conditionHolds,
            positive: r.satisfying, negative: r.notSatisfying,
            condition: HerdReport.condition(r.program),
            observation: String(observation.split(separator: " ")[2]),
            mapping: r.mapping, flags: r.flags)
    }
}
