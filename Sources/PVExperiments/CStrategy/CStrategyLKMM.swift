import Foundation
import PVModel
import PVRuntime

/// The LKMM side of a C strategy file: the file's writer and reader
/// inlined into a C litmus test's `P0` and `P1`, the kernel primitives kept
/// as LKMM spells them, and the test decided by the checker's `lkmm`.
///
/// How a file becomes a test:
/// - `cc -E -undef -P` with ``lkmmHeader`` (the byte-order helpers are the
///   identity; `READ_ONCE`, `smp_rmb`, … stay unexpanded): the file's
///   portable C, with neither `__aarch64__` nor `__x86_64__` defined.
/// - A small C subset is read (``CStrategyC``) and executed symbolically:
///   constants fold, a helper is inlined, an `if` on a loaded value becomes
///   an `if` of the test with the rest of the function copied into both
///   branches, and a reader's `for (;;)` is ONE attempt: where it would go
///   round again it sets `retried = 1` and ends, and the condition requires
///   `1:retried=0` (as the compiled side's `oneAttempt`).
/// - Each record access is at an (offset, size); the record becomes one
///   variable per cell, the cells being cut at every access's ends
///   (`st_8_u32` is stolen_time's low half when the writer stores halves).
///   LKMM has no mixed sizes: a `READ_ONCE` (or volatile) load over several
///   cells becomes one `READ_ONCE` per cell with no order between them. Under
///   a mixed-size model such a load may take each cell from a different
///   store anyway, so this adds no behaviour the tear question asks about.
///   A store, an acquire or a plain load over several cells is refused.
/// - Anything else (inline asm, a loop in the writer, a shift of a loaded
///   value, …) is `not modelled` with the construct named.
public enum CStrategyLKMM {
    /// What the translation says of a split load (the footnote of an LKMM verdict that has one).
    static let splitNote = "LKMM has no mixed sizes: the reader's load over several cells is one READ_ONCE per cell, unordered among themselves (a mixed-size load may take each cell from a different store, so the split adds no tear)"

    /// The primitives' spellings a file may use, kept as LKMM reads them.
    static let header = """
        #define le32_to_cpu(x) (x)
        #define le64_to_cpu(x) (x)
        #define cpu_to_le32(x) (x)
        #define cpu_to_le64(x) (x)

        """

    /// The C litmus test for one record × question, or why there is none.
    public struct Translation: Sendable, Equatable {
        public var text: String
        /// Footnotes the verdict carries (a split load, one attempt of the reader).
        public var notes: [String]
    }

    /// Preprocesses the file at `path` (with `$CC`, else `cc`) and translates it; `name` names the test.
    public static func translate(path: String, name: String, record: SharedRecordKind, question: ModelQuestion, directory: URL) throws -> Translation {
        let h = directory.appendingPathComponent("pvbench_lkmm.h")
        try header.write(to: h, atomically: true, encoding: .utf8)
        let cc = ProcessInfo.processInfo.environment["CC"] ?? "cc"
        guard let exe = CompileRunner.locate(cc) else { throw CStrategyC.Refusal("\(cc) is not installed (the file is preprocessed with it)") }
        let (status, out) = CStrategyFile.run(exe, ["-E", "-undef", "-P", "-include", h.path, path])
        guard status == 0 else { throw CStrategyC.Refusal("\(cc) -E failed: \(out.split(separator: "\n").first.map(String.init) ?? "exit \(status)")") }
        return try translate(source: out, name: name, record: record, question: question)
    }

    /// Translates preprocessed C (no `#` lines left).
    public static func translate(source: String, name: String, record: SharedRecordKind, question: ModelQuestion) throws -> Translation {
        let unit = try CStrategyC.parse(source)
        let (read, write) = record == .preempted ? ("pv_preempted_read", "pv_preempted_write") : ("pv_steal_read", "pv_steal_write")
        let field = record == .preempted ? CStrategyC.Access(offset: 0, size: 4) : CStrategyC.Access(offset: 8, size: 8)
        let values = (1 ... question.writes).map { CStrategyModel.value(record, $0) }
        // Pass 1 finds the accesses (whole), pass 2 writes each over the cells they cut the record into.
        let prefix = record == .preempted ? "ps" : "st"
        var first = CStrategyC.Executor(unit: unit, record: record, prefix: prefix, cells: nil)
        _ = try first.thread(writer: write, values: values, reader: nil, reads: 0)
        _ = try first.thread(writer: nil, values: [], reader: read, reads: question.reads)
        let cells = CStrategyC.cells(first.accesses + [field])
        var exec = CStrategyC.Executor(unit: unit, record: record, prefix: prefix, cells: cells)
        let p0 = try exec.thread(writer: write, values: values, reader: nil, reads: 0)
        let p1 = try exec.thread(writer: nil, values: [], reader: read, reads: question.reads)
        if let bad = exec.accesses.first(where: { $0.size > 8 && cells.filter($0.covers).count == 1 }) {
            throw CStrategyC.Refusal("a \(bad.size)-byte access at offset \(bad.offset) (LKMM's values are at most 8 bytes)")
        }
        if let odd = cells.first(where: { ![1, 2, 4, 8].contains($0.size) }) {
            throw CStrategyC.Refusal("the accesses cut the record into a \(odd.size)-byte cell at offset \(odd.offset) (no C type of that size)")
        }
        let fieldCells = cells.filter(field.covers)
        func variable(_ c: CStrategyC.Access) -> String { CStrategyC.variable(prefix, c) }
        func typeName(_ size: Int) -> String { "uint\(size * 8)_t" }
        func result(_ k: Int) -> [(String, CStrategyC.Access)] {
            fieldCells.count == 1 ? [("r\(k)", fieldCells[0])] : fieldCells.map { ("r\(k)_\($0.offset - field.offset)", $0) }
        }
        func part(_ v: UInt64, _ c: CStrategyC.Access) -> UInt64 {
            let shifted = v >> UInt64((c.offset - field.offset) * 8)
            return c.size >= 8 ? shifted : shifted & ((1 << UInt64(c.size * 8)) - 1)
        }
        func equals(_ k: Int, _ v: UInt64) -> String {
            result(k).map { "1:\($0.0)=\(part(v, $0.1))" }.joined(separator: " /\\ ")
        }
        let retried = p1.retries ? "1:retried=0 /\\ " : ""
        let condition: String
        switch question {
        case .backwards:
            condition = "exists (\(retried)\(equals(0, values[0])) /\\ \(equals(1, 0)))"
        default:
            let written = ([0] + values).map { fieldCells.count == 1 ? equals(0, $0) : "(\(equals(0, $0)))" }
            condition = "exists (\(retried)~(\(written.joined(separator: " \\/ "))))"
        }
        var notes: [String] = []
        if exec.split { notes.append(splitNote) }
        if p1.retries { notes.append(CStrategyModel.oneAttempt) }
        let params = cells.map { "\(typeName($0.size)) *\(variable($0))" }.joined(separator: ", ")
        var text = "C \(name)+\(record)+\(question.rawValue)\n\n"
        text += "(* pvbench validate --c: the \(question.rawValue) question for \(record), \(write) and \(read) inlined (CStrategyLKMM).\n"
        text += "   The record as one variable per cell: \(cells.map { "\(variable($0)) (offset \($0.offset), \($0.size) bytes)" }.joined(separator: ", ")).\n"
        for n in notes { text += "   \(n).\n" }
        text += "   Run with herd7 -conf linux-kernel.cfg\(cells.contains { $0.size == 8 } ? " -variant s128 (64-bit values)" : ""). *)\n\n"
        text += "{\n" + cells.map { "\t\(typeName($0.size)) \(variable($0));\n" }.joined() + "}\n\n"
        for (i, t) in [p0, p1].enumerated() {
            var locals = t.registers.map { "\t\(typeName($0.size)) \($0.name);\n" }.joined()
            if i == 1 {
                for k in 0 ..< question.reads { locals += result(k).map { "\t\(typeName($0.1.size)) \($0.0) = 0;\n" }.joined() }
                if t.retries { locals += "\tint retried = 0;\n" }
            }
            text += "P\(i)(\(params))\n{\n\(locals)\(locals.isEmpty ? "" : "\n")"
            text += t.lines.map { "\t\($0)\n" }.joined() + "}\n\n"
        }
        text += condition + "\n"
        return Translation(text: text, notes: notes)
    }
}
