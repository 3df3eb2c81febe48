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

    /// The final states of `r` over the C test's observables, as herd7 prints the values.
    private static func states(_ r: CheckResult, _ names: [CObservable], _ atom: (CObservable) -> Observable?) -> Set<[String]> {
        let index = names.map { o in atom(o).flatMap { r.observed.firstIndex(of: $0) } }
        return Set(r.states.map { s in index.enumerated().map { k, i in i.map { HerdReport.value(r.program, r.observed[$0], s.values[$0]) } ?? "?\(k)" } })
    }

    private static func render(_ names: [CObservable], _ s: [String]) -> String {
        zip(names, s).map { o, v in
            switch o {
            case let .local(t, n): return "\(t):\(n)=\(v);"
            case let .global(n, e): return "\(n)\(e.map { "[\($0)]" } ?? "")=\(v);"
            }
        }.joined(separator: " ")
    }

    /// The lifted text's parse error, named by the instruction it came from.
    private static func origin(_ e: LitmusError, _ lifted: LiftedTest) -> String {
        let lines = lifted.text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.firstIndex(where: { $0.hasPrefix(" P0 ") || $0 == " P0 ;" }) else { return "\(e.message) at '\(e.token)'" }
        let row = e.line - 1 - header - 1
        let candidates = lifted.origins.enumerated().compactMap { t, o in row >= 0 && row < o.count ? (t, o[row]) : nil }
        let hit = candidates.first { $0.1.text.lowercased().hasPrefix(e.token.lowercased()) } ?? candidates.first
        guard let (t, o) = hit else { return "\(e.message) at '\(e.token)'" }
        return "P\(t) at 0x\(o.address): '\(o.text)': \(e.message)"
    }

    /// One line per target for each C test; the number of checks not decided.
    func runCompiled(_ cTests: [(String, CLitmusTest)], targets: [CompileTarget], emitDirectory: String?) throws -> Int {
        var undecided = 0
        let options = CheckOptions(lse2: lse2)
        for t in targets where !CompileRunner.present(t) {
            print("\(t): absent (\(t.command.executable) or a disassembler \(t.disassemblers.joined(separator: "/")) not installed)")
        }
        let runnable = targets.filter(CompileRunner.present)
        for (file, test) in cTests {
            let names = test.condition.proposition.observables + test.locations.filter { !test.condition.proposition.observables.contains($0) }
            print("Test \(test.name) (\(file))")
            // The source verdict: the kernel's own mapping of each primitive, per architecture.
            var source: [Bool: (Set<[String]>, String)] = [:]
            for arm in Set(runnable.map(\.arch.isArm64)) {
                let model: ModelKind = arm ? .armv8 : .x86TSO
                let label = "kernel mapping under \(model.rawValue)"
                do {
                    let mapped = try KernelMapping.program(test, target: arm ? .arm64 : .x86_64)
                    let r = try ModelChecker.check(mapped.program, model: model, options: options)
                    let s = Self.states(r, names) { o in
                        switch o {
                        case let .local(t, n): return mapped.registers[t][n].map { .register(thread: t, register: $0) }
                        case let .global(n, e): return .memory(location: n, element: e)
                        }
                    }
                    print("  source (\(label)): \(r.allowed ? "Allowed" : "Forbidden"), \(s.count) final states")
                    source[arm] = (s, label)
                } catch {
                    print("  source (\(label)): undecided: \(error)")
                }
            }
            for target in runnable {
                let prefix = "  \(target.description.padding(toLength: 16, withPad: " ", startingAt: 0))"
                let compiled: CompileRunner.Compiled
                do { compiled = try CompileRunner.compile(test, target: target) } catch {
                    print("\(prefix) refused: \(error)"); undecided += 1; continue
                }
                let base = emitDirectory.map { URL(fileURLWithPath: $0).appendingPathComponent("\(test.name)+\(target.compiler.rawValue)-\(target.arch.rawValue)") }
                if let base { try compiled.source.text.write(to: base.appendingPathExtension("c"), atomically: true, encoding: .utf8) }
                let program: Program
                do { program = try LitmusParser.parse(compiled.lifted.text) } catch let e as LitmusError {
                    print("\(prefix) refused: \(Self.origin(e, compiled.lifted))"); undecided += 1; continue
                }
                // Only a lift pvbench reads back is written: herd7 is given what pvbench answers.
                if let base { try compiled.lifted.text.write(to: base.appendingPathExtension("litmus"), atomically: true, encoding: .utf8) }
                let model: ModelKind = target.arch.isArm64 ? .armv8 : .x86TSO
                let r: CheckResult
                do { r = try ModelChecker.check(program, model: model, options: options) } catch {
                    print("\(prefix) undecided under \(model.rawValue): \(error)"); undecided += 1; continue
                }
                let s = Self.states(r, names) { o in
                    switch o {
                    case .local: return compiled.source.results[o].map { .memory(location: $0, element: nil) }
                    case let .global(n, e): return .memory(location: n, element: e)
                    }
                }
                var line = "\(prefix) \(r.allowed ? "Allowed" : "Forbidden") under \(model.rawValue), \(s.count) final states"
                if let (src, label) = source[target.arch.isArm64] {
                    let extra = s.subtracting(src).sorted { $0.lexicographicallyPrecedes($1) }
                    let missing = src.subtracting(s).count
                    if let w = extra.first {
                        line += "; compiled code allows what the kernel model forbids (\(label)): \(extra.count) state\(extra.count == 1 ? "" : "s"), witness { \(Self.render(names, w)) }"
                    } else {
                        line += "; within the \(label)"
                        if missing > 0 { line += " (\(missing) of its states not reached: normal, the compiled code is stronger)" }
                    }
                }
                print(line)
            }
        }
        return undecided
    }
}
