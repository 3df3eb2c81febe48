import Foundation
import PVModel

/// `pvbench model FILE --compile TARGET`: a C test compiled by a real
/// compiler, lifted back from its object code and checked under the
/// architecture's model beside the source's verdict (docs/compiled.md).
extension ModelSession {
    /// One line per target for each C test, said as soon as known (a target
    /// that cannot run here first, as absent); the number of checks not decided.
    public static func compiled(_ request: ModelRequest, say: (String) -> Void) throws -> Int {
        let cTests = try request.inputs().cTests
        if let d = request.emitLifted { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        var undecided = 0
        for t in request.compile where !CompileRunner.present(t) {
            say("\(t): absent (\(t.command.executable) or a disassembler \(t.disassemblers.joined(separator: "/")) not installed)")
        }
        let runnable = request.compile.filter(CompileRunner.present)
        for (file, test) in cTests {
            say("Test \(test.name) (\(file))")
            // The source is the C test under LKMM; where LKMM does not decide it, nothing is compared.
            var source: CompiledComparison.Source?
            do {
                let s = try CompiledComparison.lkmm(test, options: request.options)
                let flags = s.flags.isEmpty ? "" : "; flags \(s.flags.joined(separator: ", ")) (the C has undefined behaviour there: a state beyond it is not a compiler's fault)"
                say("  source (LKMM): \(s.result.allowed ? "Allowed" : "Forbidden"), \(s.states.count) final states\(flags)")
                source = s
            } catch {
                say("  source (LKMM): refused: \(error); the compiled verdicts below are not compared")
            }
            for target in runnable {
                let src = source
                let outcome = try CompiledComparison.check(test, target: target, source: src, options: request.options) { compiled, decided in
                    guard let dir = request.emitLifted else { return }
                    try emit(compiled, decided: decided, test: test, target: target, directory: dir)
                }
                if case .refused = outcome { undecided += 1 }
                compiledLines(outcome, target: target, source: src, names: CompiledComparison.observables(test)).forEach(say)
            }
        }
        return undecided
    }

    /// Writes `compiled`'s C (and, when decided, its lifted test) into `directory`.
    static func emit(_ compiled: CompileRunner.Compiled, decided: Bool, test: CLitmusTest, target: CompileTarget, directory: String) throws {
        let base = URL(fileURLWithPath: directory).appendingPathComponent(
            "\(test.name.replacingOccurrences(of: "/", with: "_"))+\(target.compiler.rawValue)-\(target.arch.rawValue)")
        try compiled.source.text.write(to: base.appendingPathExtension("c"), atomically: true, encoding: .utf8)
        // Only a lift pvbench decides is written: herd7 is given what pvbench answers.
        if decided { try compiled.lifted.text.write(to: base.appendingPathExtension("litmus"), atomically: true, encoding: .utf8) }
    }

    /// One target's line; a finding adds the lifted program, as herd7 reads it, indented.
    static func compiledLines(_ outcome: CompiledComparison.Outcome, target: CompileTarget, source src: CompiledComparison.Source?,
                              names: [CObservable]) -> [String] {
        let prefix = "  \(target.description.padding(toLength: 16, withPad: " ", startingAt: 0))"
        switch outcome {
        case let .refused(why):
            return ["\(prefix) refused: \(why)"]
        case let .decided(d):
            var line = "\(prefix) \(d.result.allowed ? "Allowed" : "Forbidden") under \(d.result.model.rawValue), \(d.states.count) final states"
            // A loop cut by the unrolling bound (herd7's `Loop`): states may be missing, so "fewer" proves nothing.
            let cut = d.result.unrollingLimitReached ? "; unrolling limit (--unroll \(d.result.unroll)) exceeded: states may be missing" : ""
            guard let src else { return [line + "; not compared (LKMM refuses the source)" + cut] }
            guard let w = d.extra.first else {
                line += "; within \(src.label)'s states"
                if d.missing > 0 { line += " (\(d.missing) of its states not reached: normal, the compiled code is stronger)" }
                return [line + cut]
            }
            line += "; compiled code allows what the kernel model forbids (\(src.label)): \(d.extra.count) state\(d.extra.count == 1 ? "" : "s"), "
                + "witness { \(CompiledComparison.render(names, w)) }"
            if !src.flags.isEmpty { line += " (LKMM flags \(src.flags.joined(separator: ", ")): undefined behaviour, not a finding)" }
            // A finding shows the execution that reaches the witness state, and the instructions involved:
            // the lifted program, as herd7 reads it.
            let execution = d.witness.isEmpty ? [] : ["    witness execution (compiled program):\n" + d.witness.map { "      " + $0 }.joined(separator: "\n")]
            return [line + cut] + execution + [d.compiled.lifted.text.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")]
        }
    }
}
