import ArgumentParser
import Foundation
import PVModel

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Decide litmus tests under the SC, x86-TSO, ARMv8 or Linux-kernel memory model, answering as herd7 does.",
        discussion: """
            Reads herd7 litmus files (AArch64, X86, X86_64; see docs/model.md for the subset) and prints herd7's \
            answer for each, line for line (without Time and Hash). The answer is the model's, not this machine's. \
            An AArch64 test under x86-tso runs as its C11-mapped x86 program (DMB full→MFENCE, STLR→XCHG, LDAR/LDAPR→MOV; \
            DMB LD/ST, ISB and dependencies dropped; exclusives refused); the mapping used is printed on stderr. An x86 \
            test is not mapped to ARMv8 (refused); sc takes any test. A C test (`C NAME`, the kernel's litmus dialect) under \
            armv8 or x86-tso is compiled with the kernel's own arm64 or x86-64 instructions for each primitive \
            (docs/model.md); the mapped program is printed, herd7-readable, before its answer. Under lkmm (a C test's \
            default) a C test is decided by the kernel's own model, as herd7 -conf linux-kernel.cfg does (docs/lkmm.md). \
            Exit status 64 for a file outside the subset (one line naming the line and token), 1 when a test cannot be \
            decided (not modelled, or too large to enumerate).
            """)

    @Argument(help: ArgumentHelp("Litmus files.", valueName: "file.litmus"))
    var files: [String]

    @Option(help: ArgumentHelp("armv8, x86-tso, sc or lkmm (a C test's default); repeatable: each test under each (default: the test's own architecture's model).",
                               valueName: "model"))
    var model: [String] = []

    @Flag(help: "FEAT_LSE2: a 16-byte aligned LDP/STP of X registers is single-copy atomic.")
    var lse2 = false

    @Option(help: ArgumentHelp("How many times a path may take a backward jump to one label, as herd7 -unroll (herd7's default: \(CheckOptions.herdUnroll)). An allowed execution that would take it once more is left out, the answer's Ok/No line reads 'Loop Ok'/'Loop No', and a warning names the bound.",
                               valueName: "n"))
    var unroll = CheckOptions.herdUnroll

    @Flag(help: "Print values in hexadecimal, as herd7 -hexa does.")
    var hexa = false

    @Flag(help: "Print JSON instead of herd7 text.")
    var json = false

    @Option(help: ArgumentHelp("A C test compiled for TARGET (gcc:armv8-a, gcc:armv8.1-a, clang:armv8-a, clang:armv8.1-a, gcc:x86-64, clang:x86-64, or all), lifted and checked beside the source's verdict; repeatable (docs/compiled.md).", valueName: "target"))
    var compile: [String] = []

    @Option(help: ArgumentHelp("With --compile: write each lifted test (and the C it came from) into this directory.", valueName: "dir"))
    var emitLifted: String?

    func validate() throws {
        for m in model where ModelKind(rawValue: m) == nil {
            throw ValidationError("unknown model '\(m)'; valid: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if files.isEmpty { throw ValidationError("give at least one litmus file") }
        if unroll < 0 { throw ValidationError("--unroll must be 0 or more, not \(unroll)") }
        _ = try Self.compileTargets(compile)
        if emitLifted != nil, compile.isEmpty { throw ValidationError("--emit-lifted needs --compile") }
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
        /// A C test's mapped AArch64/X86_64 program, as herd7 reads it.
        let program: String?
        /// Set when an allowed execution was cut by the unrolling bound (herd7's `Loop`).
        let unrollingLimit: Int?
    }

    func run() throws {
        var programs: [(String, Program)] = []
        var cTests: [(String, CLitmusTest)] = []
        for f in files {
            guard let data = FileManager.default.contents(atPath: f), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("\(f): cannot read the file")
            }
            do {
                if CLitmusParser.isCLitmus(text) { cTests.append((f, try CLitmusParser.parse(text))) } else { programs.append((f, try LitmusParser.parse(text))) }
            } catch let e as LitmusError {
                throw ValidationError("\(f):\(e.line): \(e.message) at '\(e.token)'")
            }
        }
        if !compile.isEmpty {
            if !programs.isEmpty { throw ValidationError("--compile takes C tests; \(programs[0].0) is not one") }
            if let d = emitLifted { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
            let undecided = try runCompiled(cTests, targets: try Self.compileTargets(compile), emitDirectory: emitLifted)
            if undecided > 0 { throw RuntimeError("\(undecided) compiled checks not decided") }
            return
        }
        let options = CheckOptions(lse2: lse2, unroll: unroll)
        var answers: [Answer] = []
        var failed: [String] = []
        let models: [ModelKind?] = model.isEmpty ? [nil] : model.compactMap(ModelKind.init(rawValue:))
        // (file, program, model, for a C test: the kernel mapping's notes and the mapped text)
        var jobs = programs.flatMap { f, p in models.map { (f, p, $0, [String]?.none, String?.none) } }
        for (f, t) in cTests {
            for m in models {
                do {
                    // Under lkmm (the default) and sc: the test itself, lowered through linux-kernel.def (docs/lkmm.md).
                    if m == nil || m == .lkmm || m == .sc {
                        jobs.append((f, try LKMMLowering.program(t), m, nil, nil))
                        continue
                    }
                    let mapped = try KernelMapping.program(t, target: try Self.kernelTarget(m))
                    let (p, notes) = (mapped.program, mapped.notes)
                    let text = p.architecture == .aarch64 ? try AArch64Litmus.write(p, notes: notes) : try X86Litmus.write(p, notes: notes)
                    // The answer is the printed program's, read back: what herd7 is given is what is answered.
                    jobs.append((f, try LitmusParser.parse(text), m, notes, text))
                } catch {
                    FileHandle.standardError.write(Data("pvbench: error: \(f): \(t.name)\(m.map { " under \($0.rawValue)" } ?? ""): \(error)\n".utf8))
                    failed.append(f)
                }
            }
        }
        for (f, p, m, kernelNotes, mapped) in jobs {
            do {
                var r = try ModelChecker.check(p, model: m, options: options)
                if !r.mapping.isEmpty {
                    FileHandle.standardError.write(Data("pvbench: note: \(p.name) under x86-tso runs as x86: \(r.mapping.joined(separator: "; "))\n".utf8))
                }
                if r.unrollingLimitReached {
                    FileHandle.standardError.write(Data("pvbench: warning: \(f): \(p.name): unrolling limit (--unroll \(r.unroll)) exceeded, legal outcomes may be missing\n".utf8))
                }
                if let kernelNotes { r.mapping = kernelNotes }
                if json { answers.append(answer(r, program: mapped)) } else {
                    if let mapped { print(mapped) }
                    print(HerdReport.render(r, hexadecimal: hexa))
                }
            } catch let e as ModelError {
                FileHandle.standardError.write(Data("pvbench: error: \(f): \(p.name)\(m.map { " under \($0.rawValue)" } ?? ""): \(e)\n".utf8))
                failed.append(f)
            }
        }
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try enc.encode(answers), as: UTF8.self))
        }
        let total = (programs.count + cTests.count) * models.count
        if !failed.isEmpty { throw RuntimeError("\(failed.count) of \(total) checks not decided") }
    }

    /// A C test runs under armv8 / x86-tso as the kernel compiles it for arm64 / x86-64.
    static func kernelTarget(_ m: ModelKind?) throws -> KernelMapping.Target {
        switch m {
        case .armv8?: return .arm64
        case .x86TSO?: return .x86_64
        default: throw ModelError.notModelled("a C test under \(m?.rawValue ?? "its default model (lkmm)"); give --model armv8 or x86-tso for the kernel's arm64 or x86-64 instructions")
        }
    }

    private func answer(_ r: CheckResult, program: String? = nil) -> Answer {
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
            mapping: r.mapping, flags: r.flags, program: program,
            unrollingLimit: r.unrollingLimitReached ? r.unroll : nil)
    }
}
