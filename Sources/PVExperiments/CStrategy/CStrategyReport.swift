import Foundation
import PVModel
import PVResults
import PVRuntime

/// `validate --c`'s whole answer for one file: the race on this machine,
/// the compiled code's verdict per target, LKMM, and the cost, in one table.
public struct CStrategyReport: Sendable {
    public var validation: CStrategyValidation
    public var model: CStrategyModel
    public var cost: CStrategyCost
    /// This machine's architecture as the model names it (x86-64 shows nothing only ARMv8 allows).
    public var hostIsArm64 = LitmusTarget.host?.model == .armv8

    /// Races the file on this machine, checks its compiled code under each
    /// model and LKMM (in its build directory), and measures its reads in
    /// `costRounds` rounds (none: no cost).
    public static func run(_ file: CStrategyFile, _ request: ValidateRequest, costRounds: Int = CStrategyCost.defaultRounds,
                           progress: @escaping @Sendable (String) -> Void = { _ in }) throws(ValidateError) -> CStrategyReport {
        let validation = try CStrategyValidation.run(file, request, progress: progress)
        let directory = URL(fileURLWithPath: file.library).deletingLastPathComponent()
        return CStrategyReport(validation: validation, model: CStrategyModel.check(file, directory: directory, progress: progress),
                               cost: CStrategyCost.measure(file, rounds: costRounds))
    }

    /// Targets whose compiled code a model allows a torn or backwards value
    /// for: the file claims none, so each is a violation (exit 1).
    public var modelViolations: [(row: CStrategyModel.Row, cell: CStrategyModel.Cell)] {
        model.rows.flatMap { row in (row.cells + [row.lkmm]).filter { $0.verdict == .allowed }.map { (row, $0) } }
    }

    /// What this machine saw for one record × question, over the modes raced.
    func hardware(_ record: SharedRecordKind, _ question: ModelQuestion) -> String {
        let cases = validation.cases.filter { $0.record == record }
        guard !cases.isEmpty else { return "not raced" }
        let total = cases.reduce(ReaderCounts()) { $0 + $1.total }
        let seen = question == .torn ? total.torn : total.backwards
        if seen > 0 { return "SEEN \(seen)×" }
        if cases.allSatisfy({ $0.verdict == .inconclusive }) { return "inconclusive" }
        return "not seen (\(total.reads) reads)"
    }

    public var text: String {
        var out = validation.text
        out += "\n"
        let targets = model.rows.first?.cells.map { "\($0.target) (\($0.model.title))" } ?? []
        var notes: [String] = []
        func mark(_ why: String) -> String {
            if let i = notes.firstIndex(of: why) { return "[\(i + 1)]" }
            notes.append(why)
            return "[\(notes.count)]"
        }
        func verdict(_ c: CStrategyModel.Cell) -> String {
            let why = c.reason.map { c.model == .lkmm ? "LKMM: \($0)" : $0 }
            switch c.verdict {
            case .allowed: return "ALLOWED" + (why.map { " " + mark($0) } ?? "")
            case .forbidden: return "forbidden" + (why.map { " " + mark($0) } ?? "")
            case .notModelled: return "not modelled " + mark(why ?? "no reason given")
            }
        }
        let rows = model.rows.map { row -> [String] in
            [row.record.rawValue, row.question.rawValue, hardware(row.record, row.question)]
                + row.cells.map(verdict) + [verdict(row.lkmm), cost.cell(row.record)]
        }
        out += "\(validation.file.name): this machine, the compiled code per target (the file's functions compiled at -O2, lifted, checked), LKMM, cost\n\n"
        out += TerminalTable.plain(["record", "question", "this machine"] + targets + ["LKMM", "ns/read"], rows) + "\n"
        for (i, n) in notes.enumerated() { out += "[\(i + 1)] \(n)\n" }
        if !model.absentTargets.isEmpty { out += "not installed here (no column): \(model.absentTargets.joined(separator: ", "))\n" }
        out += "\n" + cost.lines.joined(separator: "\n") + "\n"
        // What ARMv8 allows and this x86-64 machine did not see: say plainly whether it could have.
        for row in model.rows where !hostIsArm64 && !hardware(row.record, row.question).hasPrefix("SEEN") {
            let arm = row.cells.filter { $0.model == .armv8 && $0.verdict == .allowed }.map(\.target)
            guard !arm.isEmpty else { continue }
            let x86 = row.cells.filter { $0.model == .x86TSO }
            let what = "ARMv8 allows a \(row.question.rawValue) \(row.record) value in the code compiled for \(arm.joined(separator: ", "))"
            if !x86.isEmpty, x86.allSatisfy({ $0.verdict == .forbidden }) {
                out += "\nthis machine cannot show it: \(what); x86-TSO forbids it in the x86-64 code, so this machine's \"not seen\" is no evidence against it\n"
            } else if x86.contains(where: { $0.verdict == .allowed }) {
                out += "\nthis machine could show it but did not: \(what), and x86-TSO allows it in the x86-64 code too (a longer --duration may catch it)\n"
            } else {
                out += "\nnot seen here, which is no evidence against it: \(what); whether this x86-64 machine can show it is not modelled (see the table)\n"
            }
        }
        if let (row, cell) = modelViolations.first {
            out += "\n\(validation.file.name)/\(row.record) \(row.question.rawValue) allowed under \(cell.model.title) for \(cell.target); "
                + "the lifted test (--json has every allowed one; re-check with `pvbench model` or herd7):\n\(cell.witness ?? "")"
        }
        return out
    }
}

extension CStrategyReport: Encodable {
    enum CodingKeys: String, CodingKey { case model, cost }
    /// The race's keys as before, with `model` and `cost` beside them.
    public func encode(to encoder: any Encoder) throws {
        try validation.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(cost, forKey: .cost)
    }
}
