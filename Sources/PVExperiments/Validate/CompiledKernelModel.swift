import Foundation
import PVModel
import PVRuntime

/// The project's own C kernels as compiled: for a strategy whose writer or
/// reader is a `CPVReference` kernel (``CKernel/pair(_:_:)``), each
/// question `validate` asks of the recorded program is asked of a
/// translation unit that includes Sources/CPVReference/reference.c as it is
/// and defines the litmus threads
///
/// ```c
/// __attribute__((flatten)) void P0(uint64_t *stolen_time) { pvref_steal_update_relaxed(stolen_time, 0x1000100010001ul); }
/// __attribute__((flatten)) void P1(uint64_t *stolen_time, uint64_t *P1_r0) {
///         struct pvref_steal_reader r = {0}; pvref_steal_read_relaxed(stolen_time, 1, &r); *P1_r0 = r.last; }
/// ```
///
/// one kernel call per access, `n` = 1, inlined (`flatten`): the kernel's
/// own loop body, with the package's flags (``packageFlags``) and the
/// target's selection only. A side with no kernel (seq-cst's reader,
/// seqlock's writer) is the recorded program's, as LKMM C compiled like
/// the compiled column's. The object code is lifted and checked under the
/// target's architecture model, beside the recorded program's verdict under
/// that model: any difference fails `validate`.
public enum CompiledKernelModel {
    /// Package.swift's cSettings for CPVReference (`CKernelModelTests` reads Package.swift for them).
    public static let packageFlags = ["-O2", "-D_GNU_SOURCE"]
    /// Added for a cross build: no libc for the target is needed (the kernels
    /// include only <stddef.h> and <stdint.h>, the compiler's own), and no libck.
    public static let crossFlags = ["-ffreestanding", "-DPVREF_WITHOUT_CK"]

    /// Sources/CPVReference of the package this was built from.
    public static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("CPVReference")

    /// Every question of `kind` on `record` for each of `targets` (present
    /// ones): empty when neither side has a C kernel. `kernels`: a directory
    /// with reference.c and include/ (tests give a broken one); `keep`: where
    /// the generated C and the lifted tests are written (nil: a temporary
    /// directory, removed).
    public static func check(_ kind: StrategyKind, _ record: SharedRecordKind, targets: [CompileTarget],
                             kernels: URL = sourceDirectory, keep: URL? = nil) -> [CompiledStrategyVerdict] {
        let (writer, reader) = CKernel.pair(kind, record)
        guard writer != nil || reader != nil, let s = StrategyModel.recordable(kind, record) else { return [] }
        let dir = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-kernels-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }
        let label = "writer \(writer?.rawValue ?? "(the recorded program's)"), reader \(reader?.rawValue ?? "(the recorded program's)")"
        var out: [CompiledStrategyVerdict] = []
        for q in StrategyModel.questions(s) {
            guard let p = try? StrategyModel.program(s, record: record, q) else { continue }
            var recorded: [ModelKind: ModelAnswer] = [:]
            var test: CLitmusTest?, why: String?
            do { test = try question(try StrategyModel.lkmm(p).test, record: record, q, reader: reader) } catch { why = "\(error)" }
            for t in targets {
                let m: ModelKind = t.arch.isArm64 ? .armv8 : .x86TSO
                if recorded[m] == nil { recorded[m] = (try? ModelChecker.check(p, model: m)).map { ModelAnswer(allowed: $0.allowed) } ?? .notModelled }
                var v = CompiledStrategyVerdict(strategy: kind, record: record, question: q, target: t.description, model: m,
                                                verdict: .notModelled, recorded: recorded[m]!, reason: why)
                v.kernel = label
                if let test {
                    let name = "\(kind)+\(record)+\(q.rawValue)+kernel+\(t.compiler.rawValue)-\(t.arch.rawValue)"
                    do {
                        let (answer, lifted) = try verdict(test, record: record, q, writer: writer, reader: reader, target: t, kernels: kernels, directory: dir, name: name)
                        v.verdict = answer
                        // Every decided kernel keeps its lifted test: herd7 re-reads each (CKernelModelTests).
                        v.witness = lifted.text
                        if !lifted.oneAttempt.isEmpty { v.reason = CStrategyModel.oneAttempt }
                    } catch {
                        v.reason = "\(error)"
                    }
                }
                out.append(v)
            }
        }
        return out
    }

    /// A refusal with its reason.
    struct Refused: Error, CustomStringConvertible { let description: String }

    /// The recorded program's LKMM C test, with the reader's thread and the
    /// condition replaced when the reader is a kernel: the kernel's results
    /// `r0`, `r1` are the values it returned, and the condition asks the
    /// question of them (the recorded one also asks of guard loads the
    /// kernel keeps to itself).
    static func question(_ recordedTest: CLitmusTest, record: SharedRecordKind, _ q: ModelQuestion, reader: CKernel?) throws -> CLitmusTest {
        guard let reader else { return recordedTest }
        if q == .inconsistent {
            throw Refused(description: "\(reader.rawValue) returns the data only: the sequence value it accepted, which the question is about, stays in its registers")
        }
        if q == .torn, !reader.returnsValue {
            throw Refused(description: "\(reader.rawValue) returns whether the flag is set (!!), not the value it read: a torn value is not observable in its result")
        }
        var test = recordedTest
        let bytes = record == .preempted ? 4 : 8
        let type = CType(base: bytes == 4 ? "uint32_t" : "uint64_t")
        test.threads[1].body = (0 ..< q.reads).map { CStatement(.declaration(type, "r\($0)", nil), line: test.threads[1].line + 1 + $0) }
        func r(_ k: Int) -> CObservable { .local(thread: 1, name: "r\(k)") }
        // What the reader can return: each value the field held, or whether it was non-zero.
        let held = (0 ... q.writes).map { value(record, $0) }.map { reader.returnsValue ? $0 : ($0 == 0 ? 0 : 1) }
        let p: CProposition
        switch q {
        case .backwards: p = .and([.equals(r(0), .integer(Int64(held[1]))), .equals(r(1), .integer(Int64(held[0])))])
        default: p = .not(.or(held.map { .equals(r(0), .integer(Int64($0))) }))
        }
        test.condition = CCondition(.exists, p)
        return test
    }

    /// The field's value after `k` updates: what StrategyModel's writer stores (``StrategyModel/bits(_:)`` at the field's width).
    static func value(_ record: SharedRecordKind, _ k: Int) -> UInt64 {
        record == .preempted ? StrategyModel.bits(k) & 0xffff_ffff : StrategyModel.bits(k)
    }

    /// The translation unit of the kernel threads: reference.c included, then P0 and/or P1.
    static func translationUnit(_ test: CLitmusTest, record: SharedRecordKind, writes: Int, source: CompiledSource, writer: CKernel?, reader: CKernel?,
                                reference: String) throws -> String {
        var out = "/* pvbench: the CPVReference kernels of \(test.name), one call per access (n = 1), inlined */\n"
        out += "#include \"\(reference)\"\n"
        func signature(_ t: Int) throws -> String {
            let thread = test.threads[t]
            return try source.arguments[t].map { name in
                if let p = thread.parameters.first(where: { $0.name == name }) { return "\(p.type) \(name)" }
                guard let l = thread.locals.first(where: { CompiledSource.resultName(thread: t, local: $0.name) == name }) else {
                    throw Refused(description: "the argument \(name) of P\(t)")
                }
                return "\(l.type) *\(name)"
            }.joined(separator: ", ")
        }
        for k in [writer, reader].compactMap({ $0 }) {
            let t = k.isWriter ? 0 : 1
            let missing = k.locations.filter { l in !test.threads[t].parameters.contains { $0.name == l } }
            guard missing.isEmpty else { throw Refused(description: "the recorded program's P\(t) has no location \(missing.joined(separator: ", ")) for \(k.rawValue)") }
            out += "\n__attribute__((flatten)) void P\(t)(\(try signature(t)))\n{\n"
            if k.isWriter {
                for u in 1 ... writes { out += "\t\(k.write(value(record, u), previous: value(record, u - 1)))\n" }
            } else {
                out += "\t\(k.prelude)\n"
                for name in source.arguments[1].dropFirst(test.threads[1].parameters.count) { out += "\t\(k.read(into: name))\n" }
            }
            out += "}\n"
        }
        return out
    }

    /// Compiles, lifts and checks one question for one target.
    static func verdict(_ test: CLitmusTest, record: SharedRecordKind, _ q: ModelQuestion, writer: CKernel?, reader: CKernel?, target: CompileTarget, kernels: URL, directory: URL,
                        name: String) throws -> (ModelAnswer, LiftedTest) {
        guard let cc = CompileRunner.locate(target.executable),
              let dis = target.disassemblers.lazy.compactMap(CompileRunner.locate).first else { throw Refused(description: "\(target) is not installed") }
        let source = try CompiledSource(test, arch: target.arch)
        func objdump(_ text: String, _ flags: [String], _ file: String) throws -> [String: [ObjdumpLifter.Instruction]] {
            let c = directory.appendingPathComponent("\(file).c"), o = directory.appendingPathComponent("\(file).o")
            try text.write(to: c, atomically: true, encoding: .utf8)
            let (status, output) = CStrategyFile.run(cc, flags + ["-c", c.path, "-o", o.path])
            guard status == 0 else {
                throw Refused(description: "\(target.executable) does not compile \(c.lastPathComponent): "
                    + (output.split(separator: "\n").first { $0.contains("error") }.map(String.init) ?? "exit \(status)"))
            }
            let (dstatus, dump) = CStrategyFile.run(dis, ["-dr", "--no-show-raw-insn", o.path])
            guard dstatus == 0 else { throw Refused(description: "\(dis) failed on \(o.path)") }
            return try ObjdumpLifter.functions(dump)
        }
        var functions: [String: [ObjdumpLifter.Instruction]] = [:]
        if writer == nil || reader == nil {
            // The recorded side: its LKMM C as the compiled column builds it.
            functions = try objdump(source.text, target.command.flags, "\(name)+recorded")
        }
        let unit = try translationUnit(test, record: record, writes: q.writes, source: source, writer: writer, reader: reader,
                                       reference: kernels.appendingPathComponent("reference.c").standardizedFileURL.path)
        let flags = packageFlags + crossFlags + target.selection + ["-I", kernels.appendingPathComponent("include").path]
        functions.merge(try objdump(unit, flags, name)) { _, kernel in kernel }
        let lifted = try ObjdumpLifter.lift(test, source: source, functions: functions, arch: target.arch, name: name,
                                            oneAttempt: reader?.retries == true ? [1] : [])
        try? lifted.text.write(to: directory.appendingPathComponent("\(name).litmus"), atomically: true, encoding: .utf8)
        let program: Program
        do { program = try LitmusParser.parse(lifted.text) } catch let e as LitmusError {
            throw Refused(description: "the lifted code: \(CompiledComparison.origin(e, lifted))")
        }
        let r = try ModelChecker.check(program, model: target.arch.isArm64 ? .armv8 : .x86TSO)
        return (ModelAnswer(allowed: r.allowed), lifted)
    }
}
