import Foundation
import PVHost
import PVModel
import PVResults
import PVRuntime

/// The text `pvbench validate` prints: the race table, the model table with
/// the hardware beside it, the explanation, and the lost-update pair.
public struct ValidateText {
    public var models: [ModelKind]
    /// Hardware columns beside the models: this machine's race, another's.
    public var hardware: [HardwareColumn]
    /// Per strategy × record, each access as C11 → AArch64 → x86-64 (`--explain`), for these.
    public var explain: (strategies: [StrategyKind], records: [SharedRecordKind])?

    public init(models: [ModelKind], hardware: [HardwareColumn], explain: (strategies: [StrategyKind], records: [SharedRecordKind])?) {
        self.models = models
        self.hardware = hardware
        self.explain = explain
    }

    /// The text for `report`: this machine's column when it raced, then
    /// `other` (another machine's `validate --json`) when given; a report
    /// without a race shows `other` alone, or an empty column for this machine.
    public static func render(_ report: ValidateReport, models: [ModelKind], other: HardwareColumn?,
                              explain: (strategies: [StrategyKind], records: [SharedRecordKind])?) -> String {
        let here = HardwareColumn(title: "hardware here", results: report.race?.cases ?? [])
        var text = ValidateText(models: models, hardware: report.race == nil ? [other ?? here] : [here] + (other.map { [$0] } ?? []),
                                explain: explain)
        return text.render(report)
    }

    private var out = ""
    private mutating func say(_ s: String = "", terminator: String = "\n") { out += s + terminator }

    /// The whole report as text (ends with a newline).
    public mutating func render(_ report: ValidateReport) -> String {
        out = ""
        if let race = report.race {
            raceTable(race)
            say()
        }
        modelTable(report.models, compiled: report.compiled, kernels: report.kernels)
        if let explain { explanation(report.models, explain.strategies, explain.records) }
        lostUpdates(report.lostUpdates)
        return out
    }

    private mutating func raceTable(_ race: ValidateReport.Race) {
        let p = race.placement
        say("writer on CPU \(p.writerCPUs.map(String.init).joined(separator: ",")), "
            + "reader(s) on CPU \(p.readerCPUs.map(String.init).joined(separator: ",")) (\(p.relation)); "
            + "memory on node \(p.memoryNodes.map(String.init).joined(separator: ",")); \(race.budget)")
        say()
        let rows = race.cases.map { r -> [String] in
            let t = r.total
            let ttf = r.timeToFirstViolationNanoseconds.map { Self.nanoseconds($0) } ?? "-"
            return [r.validationCase.description, "\(t.reads)", "\(t.torn)", "\(t.backwards)", "\(t.retries)", "\(r.writes)", ttf,
                    r.verdict.rawValue]
        }
        say(TerminalTable.plain(["case", "reads", "torn", "backwards", "retries", "writes", "first violation", "verdict"], rows))
        say()
        for r in race.cases { say(r.observation) }
        let undecided = race.cases.filter { $0.inconclusiveReason != nil }
        if !undecided.isEmpty { say() }
        for r in undecided { say("\(r.validationCase): \(r.verdictText)") }
        let explained = race.cases.filter { $0.firstViolation != nil }
        if !explained.isEmpty { say() }
        for r in explained {
            guard let v = r.firstViolation else { continue }
            var line = "\(r.validationCase): first \(v.kind) value at read \(v.readNumber): \(v.observed.hexBytes)"
            if let m = v.mixed {
                line += m.explainsEveryByte ? " = bytes of writes \(m.first) [\(m.firstBytes.hexBytes)] and \(m.second) [\(m.secondBytes.hexBytes)]"
                    : " (nearest writes \(m.first) [\(m.firstBytes.hexBytes)] and \(m.second) [\(m.secondBytes.hexBytes)])"
            } else {
                line += "; previous \(v.previous.hexBytes)"
            }
            say(line)
        }
    }

    /// Per strategy × record × question, each model's verdict (an allowed
    /// failure the strategy claims is marked), the hardware beside; then
    /// the first witness of each allowed failure and what is not modelled.
    private mutating func modelTable(_ verdicts: [StrategyVerdict], compiled: [CompiledStrategyVerdict] = [], kernels: [CompiledStrategyVerdict] = []) {
        var keys: [String] = []
        var byKey: [String: [StrategyVerdict]] = [:]
        for v in verdicts {
            let key = "\(v.strategy)/\(v.record)/\(v.question.rawValue)"
            if byKey[key] == nil { keys.append(key) }
            byKey[key, default: []].append(v)
        }
        let rows = keys.map { key -> [String] in
            let vs = byKey[key]!
            let first = vs[0]
            let cells = models.map { m in vs.first { $0.model == m }?.cell ?? "-" }
            let hw = hardware.map { first.question == .torn ? $0.rows["\(first.strategy)/\(first.record)"] ?? "-" : "-" }
            let c = [compiled, kernels].filter { !$0.isEmpty }.map { vs in
                CompiledStrategyModel.cell(vs.filter { "\($0.strategy)/\($0.record)/\($0.question.rawValue)" == key })
            }
            return ["\(first.strategy)/\(first.record)", first.question.rawValue] + cells + c + hw
        }
        let compiledTitle = compiled.isEmpty ? [] : ["compiled (\(Set(compiled.map(\.target)).count) targets)"]
        let kernelTitle = kernels.isEmpty ? [] : ["C kernel compiled (\(Set(kernels.map(\.target)).count) targets)"]
        say(TerminalTable.plain(["strategy/record", "can the reader see"] + models.map(\.title) + compiledTitle + kernelTitle + hardware.map(\.title), rows))
        for key in keys {
            // The witness under the first model (in column order) that has one.
            guard let v = models.lazy.compactMap({ m in byKey[key]!.first { $0.model == m && $0.witness != nil } }).first else { continue }
            say()
            say("witness: \(v.strategy)/\(v.record) \(v.question.rawValue), allowed under \(v.model):")
            say(v.witness!, terminator: "")
        }
        for v in compiled where v.weaker {
            say()
            say("compiled code allows what the recorded program forbids: \(v.strategy)/\(v.record) \(v.question.rawValue), \(v.target) under \(v.model):")
            say(v.witness ?? "", terminator: "")
        }
        let stronger = compiled.filter(\.stronger)
        if !stronger.isEmpty { say() }
        for v in stronger {
            say("\(v.strategy)/\(v.record) \(v.question.rawValue): \(v.target) forbids what the recorded program allows under \(v.model) (the compiled code is stronger: normal)")
        }
        for v in kernels where v.differs {
            say()
            say("the C kernel as compiled differs from the recorded program: \(v.strategy)/\(v.record) \(v.question.rawValue), \(v.target) under \(v.model): "
                + "\(v.verdict.rawValue), the recorded program \(v.recorded.rawValue) (\(v.kernel ?? "")); the lifted kernels:")
            say(v.witness ?? "", terminator: "")
        }
        // One line per reason, with the targets it holds for.
        var notCompiled: [String: [String]] = [:]
        for v in compiled + kernels where v.verdict == .notModelled {
            let head = "\(v.strategy)/\(v.record)\(v.kernel == nil ? "" : " \(v.question.rawValue), C kernel")"
                + "\u{1}\(v.kernel == nil ? "not compiled" : "not decided")"
            let key = "\(head)\u{0}\(v.reason ?? "")"
            if !(notCompiled[key]?.contains(v.target) ?? false) { notCompiled[key, default: []].append(v.target) }
        }
        if !notCompiled.isEmpty { say() }
        for key in notCompiled.keys.sorted() {
            let parts = key.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
            let head = parts[0].split(separator: "\u{1}")
            say("\(head[0]) \(notCompiled[key]!.joined(separator: ", ")): \(head[1]): \(parts[1])")
        }
        let reasons = Set(verdicts.compactMap(\.remark)).sorted()
        if !reasons.isEmpty { say() }
        for r in reasons { say(r) }
    }

    private mutating func explanation(_ verdicts: [StrategyVerdict], _ strategies: [StrategyKind], _ records: [SharedRecordKind]) {
        say()
        say("mapping applied (C11 ordering → AArch64 → x86-64):")
        for n in OrderingMapping.notes { say("  - \(n)") }
        for e in StrategyExplanation.all(strategies, records: records) {
            say()
            say("\(e.strategy)/\(e.record):")
            if let why = e.notRecorded {
                say("  not recorded: \(why)")
            } else {
                say(TerminalTable.plain(["  side", "access", "C11", "AArch64", "x86-64 (Swift)"], e.accesses.map {
                    ["  " + $0.side.rawValue, "\($0.kind) \($0.field) (\($0.bytes) B)", $0.ordering.rawValue, $0.aarch64, $0.x86 ?? "(none)"]
                }))
                let x86 = e.checkerX86.isEmpty ? "plain accesses only, nothing to map" : e.checkerX86.joined(separator: "; ")
                say("  checker's x86-TSO program: \(x86)")
                if e.checkerX86.contains(where: { $0.hasPrefix("STLR") }) {
                    say("  " + (e.storeThenLoad
                        ? "a thread stores then loads: XCHG for a release store is stronger than Swift's MOV here"
                        : "no thread stores then loads: XCHG or MOV for the store gives the same verdicts"))
                }
            }
            for q in ModelQuestion.allCases {
                let vs = verdicts.filter { $0.strategy == e.strategy && $0.record == e.record && $0.question == q }
                guard !vs.isEmpty else { continue }
                say("  \(q.rawValue): " + vs.map { "\($0.model.title) \($0.verdict)" }.joined(separator: ", "))
            }
        }
    }

    /// The CVE-2019-3016 pair: the table, then the witnesses and what is not modelled.
    private mutating func lostUpdates(_ results: [LostUpdateCaseResult]) {
        guard !results.isEmpty else { return }
        say()
        let rows = results.map { r -> [String] in
            let cells = models.map { m in
                r.models.first { $0.model == m }.map { $0.violatesClaim ? "ALLOWED (claimed safe)" : $0.verdict.rawValue } ?? "-"
            }
            let hw = r.hardware.map { "\($0.lost) lost of \($0.requests) requests, \($0.rounds) rounds: \($0.verdict)" } ?? "-"
            return [r.variant.rawValue, "lost flush request"] + cells + [hw]
        }
        say(TerminalTable.plain(["case", "can the host lose"] + models.map(\.title) + ["hardware here"], rows))
        for r in results { say("\(r.variant): \(r.variant.summary)") }
        for r in results {
            guard let v = r.models.first(where: { $0.witness != nil }) else { continue }
            say()
            say("witness: \(r.variant) lost flush request, allowed under \(v.model):")
            say(v.witness!, terminator: "")
        }
        for r in results { for v in r.models { if let reason = v.reason { say("\(r.variant): not modelled under \(v.model): \(reason)") } } }
    }

    /// "850 ns", "12.3 µs", "4.56 ms", "1.23 s".
    static func nanoseconds(_ ns: UInt64) -> String {
        switch ns {
        case ..<1_000: "\(ns) ns"
        case ..<1_000_000: String(format: "%.1f µs", Double(ns) / 1e3)
        case ..<1_000_000_000: String(format: "%.2f ms", Double(ns) / 1e6)
        default: String(format: "%.2f s", Double(ns) / 1e9)
        }
    }
}
