import ArgumentParser
import Foundation
import PVExperiments
import PVModel

/// `pvbench model FILE --compile TARGET`: a C test compiled by a real
/// compiler, lifted back from its object code and checked under the
/// architecture's model beside the source's verdict (docs/compiled.md).
extension ModelCommand {
    /// The targets `--compile` names (`all`: every one), each with whether it can run here.
    static func compileTargets(_ names: [String]) throws -> [CompileTarget] {
        var out: [CompileTarget] = []
        for n in names {
            if n == "all" { out += CompileTarget.all; continue }
            guard let t = CompileTarget(n) else {
                throw ValidationError("unknown compile target '\(n)'; valid: all, \(CompileTarget.all.map(\.description).joined(separator: ", "))")
            }
            out.append(t)
        }
        return out.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// One line per target for each C test; the number of checks not decided.
    func runCompiled(_ cTests: [(String, CLitmusTest)], targets: [CompileTarget], emitDirectory: String?) throws -> Int {
        var undecided = 0
        let options = CheckOptions(lse2: lse2, unroll: unroll)
        for t in targets where !CompileRunner.present(t) {
            print("\(t): absent (\(t.command.executable) or a disassembler \(t.disassemblers.joined(separator: "/")) not installed)")
        }
        let runnable = targets.filter(CompileRunner.present)
        for (file, test) in cTests {
            let names = CompiledComparison.observables(test)
            print("Test \(test.name) (\(file))")
            // The source is the C test under LKMM; where LKMM does not decide it, nothing is compared.
            var source: CompiledComparison.Source?
            do {
                let s = try CompiledComparison.lkmm(test, options: options)
                let flags = s.flags.isEmpty ? "" : "; flags \(s.flags.joined(separator: ", ")) (the C has undefined behaviour there: a state beyond it is not a compiler's fault)"
                print("  source (LKMM): \(s.result.allowed ? "Allowed" : "Forbidden"), \(s.states.count) final states\(flags)")
                source = s
            } catch {
                print("  source (LKMM): refused: \(error); the compiled verdicts below are not compared")
            }
            for target in runnable {
                let prefix = "  \(target.description.padding(toLength: 16, withPad: " ", startingAt: 0))"
                let src = source
                let outcome = try CompiledComparison.check(test, target: target, source: src, options: options) { compiled, decided in
                    guard let dir = emitDirectory else { return }
                    let base = URL(fileURLWithPath: dir).appendingPathComponent(
                        "\(test.name.replacingOccurrences(of: "/", with: "_"))+\(target.compiler.rawValue)-\(target.arch.rawValue)")
                    try compiled.source.text.write(to: base.appendingPathExtension("c"), atomically: true, encoding: .utf8)
                    // Only a lift pvbench decides is written: herd7 is given what pvbench answers.
                    if decided { try compiled.lifted.text.write(to: base.appendingPathExtension("litmus"), atomically: true, encoding: .utf8) }
                }
                switch outcome {
                case let .refused(why):
                    print("\(prefix) refused: \(why)")
                    undecided += 1
                case let .decided(d):
                    var line = "\(prefix) \(d.result.allowed ? "Allowed" : "Forbidden") under \(d.result.model.rawValue), \(d.states.count) final states"
                    if src == nil { line += "; not compared (LKMM refuses the source)" }
                    if let src {
                        if let w = d.extra.first {
                            line += "; compiled code allows what the kernel model forbids (\(src.label)): \(d.extra.count) state\(d.extra.count == 1 ? "" : "s"), witness { \(CompiledComparison.render(names, w)) }"
                            if !src.flags.isEmpty { line += " (LKMM flags \(src.flags.joined(separator: ", ")): undefined behaviour, not a finding)" }
                        } else {
                            line += "; within \(src.label)'s states"
                            if d.missing > 0 { line += " (\(d.missing) of its states not reached: normal, the compiled code is stronger)" }
                        }
                    }
                    // A loop cut by the unrolling bound (herd7's `Loop`): states may be missing, so "fewer" proves nothing.
                    if d.result.unrollingLimitReached { line += "; unrolling limit (--unroll \(d.result.unroll)) exceeded: states may be missing" }
                    print(line)
                    // A finding shows the execution that reaches the witness state, and the instructions involved:
                    // the lifted program, as herd7 reads it.
                    if !d.extra.isEmpty {
                        if !d.witness.isEmpty { print("    witness execution (compiled program):\n" + d.witness.map { "      " + $0 }.joined(separator: "\n")) }
                        print(d.compiled.lifted.text.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
                    }
                }
            }
        }
        return undecided
    }
}
