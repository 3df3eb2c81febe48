import PVModel
import PVRuntime

/// One strategy × record × question as the compilers ship it: the recorded
/// program written as LKMM C (`StrategyModel.lkmm`), compiled for one
/// target with the kernel's primitives, lifted from the object code and
/// checked under the target's architecture model, beside the recorded
/// program's own verdict under that model. Compiled code that allows what
/// the recorded program forbids fails `validate`; the other way round (the
/// compiler's code is stronger) is said, not failed.
public struct CompiledStrategyVerdict: Sendable, Codable, Equatable {
    public var strategy: StrategyKind
    public var record: SharedRecordKind
    public var question: ModelQuestion
    /// `gcc:armv8-a`, …
    public var target: String
    /// ARMv8 for the arm64 targets, x86-TSO for x86-64.
    public var model: ModelKind
    public var verdict: ModelAnswer
    /// The recorded program's verdict under `model` (the table's column for it).
    public var recorded: ModelAnswer
    /// Why not compiled, lifted or decided.
    public var reason: String?
    /// For an allowed verdict: the lifted litmus test (herd7 reads it); for a
    /// C kernel's, that of every decided verdict.
    public var witness: String?
    /// The `CPVReference` kernels compiled (``CompiledKernelModel``); nil: the recorded program's C.
    public var kernel: String?

    /// The compiled code allows a failure the recorded program forbids.
    public var weaker: Bool { verdict == .allowed && recorded == .forbidden }
    /// The compiled code forbids a failure the recorded program allows (normal: stronger).
    public var stronger: Bool { verdict == .forbidden && recorded == .allowed }
    /// A C kernel's verdict that is not the recorded program's (either way): the
    /// kernel and the strategy it stands for are not the same code.
    public var differs: Bool { kernel != nil && verdict != .notModelled && recorded != .notModelled && verdict != recorded }
}

/// The compiled column of `validate --model compiled`.
public enum CompiledStrategyModel {
    /// Every question of one strategy × record, compiled for each of
    /// `targets` (those whose compiler is absent are left out by the caller).
    public static func check(_ kind: StrategyKind, _ record: SharedRecordKind, targets: [CompileTarget]) -> [CompiledStrategyVerdict] {
        guard let s = StrategyModel.recordable(kind, record) else { return [] }
        var out: [CompiledStrategyVerdict] = []
        for q in StrategyModel.questions(s) {
            // No program: the other columns say why (not modelled).
            guard let p = try? StrategyModel.program(s, record: record, q) else { continue }
            let c: CLitmusTest?
            var why: String?
            do { c = try StrategyModel.lkmm(p).test } catch {
                c = nil
                why = "no LKMM C for the recorded program: \(error)"
            }
            var recorded: [ModelKind: ModelAnswer] = [:]
            for t in targets {
                let m: ModelKind = t.arch.isArm64 ? .armv8 : .x86TSO
                if recorded[m] == nil {
                    recorded[m] = (try? ModelChecker.check(p, model: m)).map { ModelAnswer(allowed: $0.allowed) } ?? .notModelled
                }
                var v = CompiledStrategyVerdict(strategy: kind, record: record, question: q, target: t.description, model: m,
                                                verdict: .notModelled, recorded: recorded[m]!, reason: why)
                if let c {
                    do {
                        switch try CompiledComparison.check(c, target: t, source: nil) {
                        case let .refused(r): v.reason = r
                        case let .decided(d):
                            v.verdict = ModelAnswer(allowed: d.result.allowed)
                            if d.result.allowed { v.witness = d.compiled.lifted.text }
                        }
                    } catch {
                        v.reason = "\(error)"
                    }
                }
                out.append(v)
            }
        }
        return out
    }

    /// The table cell for one strategy × record × question: the verdict when
    /// every target agrees, else each target's; a target weaker than the
    /// recorded program is marked.
    public static func cell(_ vs: [CompiledStrategyVerdict]) -> String {
        guard !vs.isEmpty else { return "-" }
        func mark(_ v: CompiledStrategyVerdict) -> String { v.weaker ? "ALLOWED (recorded forbids)" : v.verdict.rawValue }
        let all = Set(vs.map(mark))
        if all.count == 1 { return "\(all.first!) (\(vs.count) targets)" }
        // By architecture when that makes it uniform, else target by target.
        let arm = vs.filter { $0.model == .armv8 }, x86 = vs.filter { $0.model == .x86TSO }
        if Set(arm.map(mark)).count <= 1, Set(x86.map(mark)).count <= 1 {
            return [arm.first.map { "arm64 \(mark($0))" }, x86.first.map { "x86-64 \(mark($0))" }].compactMap { $0 }.joined(separator: ", ")
        }
        return vs.map { "\($0.target) \(mark($0))" }.joined(separator: ", ")
    }
}
