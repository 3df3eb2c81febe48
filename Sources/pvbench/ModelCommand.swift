import ArgumentParser
import Foundation
import PVExperiments
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
            A file outside the subset gets one line naming the line and token, the other files are still answered \
            (as herd7 does), and the exit status is 64; it is 1 when a test cannot be decided (not modelled, or too \
            large to enumerate). With --compile --fail-on-weaker it is 2 when a target's compiled code allows a \
            state the kernel model forbids, and 1 when a target without such a state had a loop cut by --unroll \
            (docs/compiled.md).
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

    @Flag(help: "With --compile: exit status 2 when a target's compiled code allows a state the kernel model forbids (a gate for CI; a source LKMM flags as a data race does not count); 1 when none was found but a loop was cut by --unroll, so none is proven.")
    var failOnWeaker = false

    @Option(help: ArgumentHelp("With --compile: write each lifted test (and the C it came from) into this directory.", valueName: "dir"))
    var emitLifted: String?

    func validate() throws {
        for m in model where ModelKind(rawValue: m) == nil {
            throw ValidationError("unknown model '\(m)'; valid: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if files.isEmpty { throw ValidationError("give at least one litmus file") }
        if unroll < 0 { throw ValidationError("--unroll must be 0 or more, not \(unroll)") }
        _ = try request
        if emitLifted != nil, compile.isEmpty { throw ValidationError("--emit-lifted needs --compile") }
        if failOnWeaker, compile.isEmpty { throw ValidationError("--fail-on-weaker needs --compile") }
    }

    var request: ModelRequest {
        get throws {
            var r = ModelRequest(files: files)
            (r.models, r.options, r.emitLifted) = (model.compactMap(ModelKind.init(rawValue:)), CheckOptions(lse2: lse2, unroll: unroll), emitLifted)
            do { r.compile = try ModelRequest.compileTargets(compile) } catch { throw ValidationError(error.description) }
            return r
        }
    }

    func run() throws {
        let r = try request
        do {
            if !compile.isEmpty {
                let report = try ModelSession.compiled(r) { if !json { print($0) } }
                if json { print(try report.json()) }
                try Self.finish(report, failOnWeaker: failOnWeaker, unroll: unroll)
                return
            }
            var answers: [HerdAnswer] = []
            let summary = try ModelSession.run(r) { outcome in
                outcome.diagnostics(unrollOption: "--unroll").forEach { writeStandardError(Data("pvbench: \($0)\n".utf8)) }
                if json { answers += outcome.answer.map { [$0] } ?? [] } else if let text = outcome.text(hexadecimal: hexa) { print(text) }
            }
            if json { print(try HerdAnswer.json(answers)) }
            // A bad file among several: each said in its line, the others answered; exit 64 after them all.
            if let last = summary.inputErrors.last {
                summary.inputErrors.dropLast().forEach { writeStandardError(Data("pvbench: error: \($0)\n".utf8)) }
                throw last
            }
            if let why = summary.undecided { throw RuntimeError(why) }
        } catch let e as ModelInputError {
            if case let .compileNeedsC(f) = e { throw ValidationError("--compile takes C tests; \(f) is not one") }
            throw ValidationError(e.description)
        }
    }

    /// `--compile`'s exit: 2 for a finding under --fail-on-weaker; else 1
    /// for a check not decided (under --fail-on-weaker, also a loop cut by
    /// the unrolling bound with no finding: the gate cannot pass on it); else 0.
    static func finish(_ report: CompiledReport, failOnWeaker: Bool, unroll: Int) throws {
        func some(_ names: [String]) -> String { names[0] + (names.count > 1 ? " and \(names.count - 1) more" : "") }
        var undecided: [String] = report.undecided > 0 ? ["\(report.undecided) compiled checks not decided"] : []
        if failOnWeaker, !report.cutWithoutFinding.isEmpty {
            undecided.append("no finding is not proven where a loop was cut by --unroll \(unroll) (states may be missing): "
                + some(report.cutWithoutFinding))
        }
        if failOnWeaker, !report.findings.isEmpty {
            undecided.forEach { writeStandardError(Data("pvbench: error: \($0)\n".utf8)) }
            writeStandardError(Data("pvbench: error: compiled code allows what the kernel model forbids: \(some(report.findings))\n".utf8))
            throw ExitCode(2)
        }
        guard let last = undecided.last else { return }
        undecided.dropLast().forEach { writeStandardError(Data("pvbench: error: \($0)\n".utf8)) }
        throw RuntimeError(last)
    }
}
