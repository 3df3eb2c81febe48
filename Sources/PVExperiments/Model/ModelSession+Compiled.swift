import Foundation
import PVModel

/// `pvbench model FILE --compile TARGET`: a C test compiled by a real
/// compiler, lifted back from its object code and checked under the
/// architecture's model beside the source's verdict (docs/compiled.md).
extension ModelSession {
    /// One line per target for each C test, said as soon as known (a target
    /// that cannot run here first, as absent), and all of it as a report.
    public static func compiled(_ request: ModelRequest, say: (String) -> Void) throws -> CompiledReport {
        let cTests = try request.inputs().cTests
        if let d = request.emitLifted { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        var report = CompiledReport()
        for t in request.compile where !CompileRunner.present(t) {
            let why = "\(t.command.executable) or a disassembler \(t.disassemblers.joined(separator: "/")) not installed"
            say("\(t): absent (\(why))")
            report.absent.append(.init(target: t.description, status: .absent, reason: why))
        }
        let runnable = request.compile.filter(CompileRunner.present)
        for (file, test) in cTests {
            say("Test \(test.name) (\(file))")
            var entry = CompiledReport.Test(name: test.name, file: file)
            // The source is the C test under LKMM; where LKMM does not decide it, nothing is compared.
            var source: CompiledComparison.Source?
            do {
                let s = try CompiledComparison.lkmm(test, options: request.options)
                let flags = s.flags.isEmpty ? "" : "; flags \(s.flags.joined(separator: ", ")) (the C has undefined behaviour there: a state beyond it is not a compiler's fault)"
                say("  source (LKMM): \(s.result.allowed ? "Allowed" : "Forbidden"), \(s.states.count) final states\(flags)")
                source = s
                entry.source = .init(model: "lkmm", verdict: s.result.allowed ? "Allowed" : "Forbidden", states: s.states.count, flags: s.flags)
            } catch {
                say("  source (LKMM): refused: \(error); the compiled verdicts below are not compared")
                entry.sourceRefused = "\(error)"
            }
            let names = CompiledComparison.observables(test)
            for target in runnable {
                let src = source
                let outcome = try CompiledComparison.check(test, target: target, source: src, options: request.options) { compiled, decided in
                    guard let dir = request.emitLifted else { return }
                    try emit(compiled, decided: decided, test: test, target: target, directory: dir)
                }
                entry.targets.append(CompiledReport.Target(outcome, target: target, source: src, names: names))
                compiledLines(outcome, target: target, source: src, names: names).forEach(say)
            }
            report.tests.append(entry)
        }
        report.undecided = report.checks { $0.status == .refused }.count
        report.weaker = report.findings.count
        return report
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

/// `pvbench model --compile --json`: each C test's source verdict and, per
/// target, the compiled code's verdict and what it allows beyond the source.
public struct CompiledReport: Codable, Sendable, Equatable {
    /// Targets that cannot run here (compiler or disassembler not installed).
    public var absent: [Target] = []
    public var tests: [Test] = []
    /// Checks not decided (a target's compile, lift or check refused).
    public var undecided = 0
    /// Targets whose compiled code allows a state the kernel model forbids,
    /// over all tests (not counting sources LKMM flags as undefined behaviour).
    public var weaker = 0

    public init() {}

    /// "TEST target" for each target whose compiled code allows a state the
    /// kernel model forbids (a state beyond a source LKMM flags as
    /// undefined behaviour is not a finding), in the order checked.
    public var findings: [String] { checks { $0.weaker != nil && $0.undefinedBehaviour != true } }

    /// "TEST target" for each compared target that shows no finding but
    /// whose loop was cut by the unrolling bound: states may be missing, so
    /// "no finding" is not proven there.
    public var cutWithoutFinding: [String] {
        checks { $0.status == .decided && $0.compared == true && $0.weaker == nil && $0.unrollingLimitReached == true }
    }

    /// "TEST target" for each target `where` holds.
    func checks(where keep: (Target) -> Bool) -> [String] {
        tests.flatMap { t in t.targets.filter(keep).map { "\(t.name) \($0.target)" } }
    }

    public struct Test: Codable, Sendable, Equatable {
        public var name: String
        public var file: String
        /// The C test under LKMM; nil when LKMM refuses it (then `sourceRefused`).
        public var source: Source?
        public var sourceRefused: String?
        public var targets: [Target] = []
    }

    public struct Source: Codable, Sendable, Equatable {
        public var model: String
        /// herd7's word for the condition: Allowed or Forbidden.
        public var verdict: String
        public var states: Int
        /// The cat file's flags an allowed execution raises (`data-race`: undefined behaviour).
        public var flags: [String]
    }

    public enum Status: String, Codable, Sendable { case absent, refused, decided }

    public struct Target: Codable, Sendable, Equatable {
        public var target: String
        public var status: Status
        /// Why absent or refused.
        public var reason: String?
        /// The compiled program's model (armv8, x86-tso), verdict and final states.
        public var model: String?
        public var verdict: String?
        public var states: Int?
        /// False when LKMM refuses the source: the verdict stands alone.
        public var compared: Bool?
        /// States beyond the source's: how many, and the first as `0:r0=1; x=2;`.
        public var weaker: Weaker?
        /// The source is flagged (data race): a state beyond it is not a finding.
        public var undefinedBehaviour: Bool?
        /// Source states the compiled code does not reach (it is stronger: normal).
        public var missingStates: Int?
        /// A loop was cut by `--unroll` (herd7's `Loop`): states may be missing.
        public var unrollingLimitReached: Bool?

        public struct Weaker: Codable, Sendable, Equatable {
            public var states: Int
            public var witness: String
            /// The compiled program's execution that reaches the witness state.
            public var execution: [String]
        }

        init(target: String, status: Status, reason: String? = nil) {
            (self.target, self.status, self.reason) = (target, status, reason)
        }

        init(_ outcome: CompiledComparison.Outcome, target t: CompileTarget, source: CompiledComparison.Source?, names: [CObservable]) {
            switch outcome {
            case let .refused(why):
                self.init(target: t.description, status: .refused, reason: why)
            case let .decided(d):
                self.init(target: t.description, status: .decided)
                model = d.result.model.rawValue
                verdict = d.result.allowed ? "Allowed" : "Forbidden"
                states = d.states.count
                unrollingLimitReached = d.result.unrollingLimitReached
                compared = source != nil
                guard let source else { return }
                missingStates = d.missing
                if let w = d.extra.first {
                    weaker = Weaker(states: d.extra.count, witness: CompiledComparison.render(names, w), execution: d.witness)
                    undefinedBehaviour = !source.flags.isEmpty
                }
            }
        }
    }

    /// Key-sorted, snake_case JSON.
    public func json() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try e.encode(self), as: UTF8.self)
    }
}
