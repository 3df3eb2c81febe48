import Foundation
import PVModel

/// One test under one model: herd7's answer, or why there is none.
public enum ModelOutcome: Sendable {
    case answered(ModelAnswered)
    /// Not decided: not modelled, refused, or too large to enumerate.
    case failed(file: String, test: String, model: ModelKind?, reason: String)

    /// Lines for stderr, in order, each `note: …`, `warning: …` or `error: …`;
    /// `unrollOption` names the bound as the caller sets it (the CLI: `--unroll`).
    public func diagnostics(unrollOption: String) -> [String] {
        switch self {
        case let .failed(file, test, model, reason):
            return ["error: \(file): \(test)\(model.map { " under \($0.rawValue)" } ?? ""): \(reason)"]
        case let .answered(a):
            var out: [String] = []
            if !a.x86Mapping.isEmpty {
                out.append("note: \(a.result.program.name) under x86-tso runs as x86: \(a.x86Mapping.joined(separator: "; "))")
            }
            if a.result.unrollingLimitReached {
                out.append("warning: \(a.file): \(a.result.program.name): unrolling limit (\(unrollOption) \(a.result.unroll)) exceeded, "
                    + "legal outcomes may be missing")
            }
            return out
        }
    }

    /// herd7's text for stdout (a C test's mapped program first), or nil when failed.
    public func text(hexadecimal: Bool = false) -> String? {
        guard case let .answered(a) = self else { return nil }
        return [a.mapped, HerdReport.render(a.result, hexadecimal: hexadecimal)].compactMap { $0 }.joined(separator: "\n")
    }

    /// The answer as `--json` prints it, or nil when failed.
    public var answer: HerdAnswer? {
        guard case let .answered(a) = self else { return nil }
        return HerdAnswer(a.result, program: a.mapped)
    }
}

/// A decided check.
public struct ModelAnswered: Sendable {
    public var file: String
    /// For a C test under armv8 / x86-tso its `mapping` is the kernel mapping's notes.
    public var result: CheckResult
    /// An AArch64 test under x86-tso: the checker's mapping to x86 (said as a note).
    public var x86Mapping: [String]
    /// A C test's mapped AArch64/X86_64 program, as herd7 reads it.
    public var mapped: String?
}

/// One answer of `pvbench model --json`: herd7's answer as fields.
public struct HerdAnswer: Encodable, Sendable {
    public let test: String
    public let model: String
    public let kind: String
    public let observed: [String]
    public let states: [[String]]
    public let ok: Bool
    public let positive: Int
    public let negative: Int
    public let condition: String
    public let observation: String
    public let mapping: [String]
    /// The cat file's flags an allowed execution raises (`data-race`).
    public let flags: [String]
    /// A C test's mapped AArch64/X86_64 program, as herd7 reads it.
    public let program: String?
    /// Set when an allowed execution was cut by the unrolling bound (herd7's `Loop`).
    public let unrollingLimit: Int?

    public init(_ r: CheckResult, program: String? = nil) {
        let text = HerdReport.render(r).split(separator: "\n").map(String.init)
        let observation = text.last { $0.hasPrefix("Observation ") } ?? ""
        test = r.program.name
        model = r.model.rawValue
        kind = String(text[0].split(separator: " ").last ?? "")
        observed = r.observed.map { HerdReport.atom(r.program, $0) }
        states = r.states.map { s in zip(r.observed, s.values).map { HerdReport.value(r.program, $0.0, $0.1) } }
        ok = r.conditionHolds
        (positive, negative) = (r.satisfying, r.notSatisfying)
        condition = HerdReport.condition(r.program)
        self.observation = String(observation.split(separator: " ")[2])
        (mapping, flags, self.program) = (r.mapping, r.flags, program)
        unrollingLimit = r.unrollingLimitReached ? r.unroll : nil
    }

    /// Answers as `--json` prints them: a pretty-printed, key-sorted array.
    public static func json(_ answers: [HerdAnswer]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(answers), as: UTF8.self)
    }
}
