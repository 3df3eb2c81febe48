import Foundation
import PVModel
import PVRuntime

/// The model side of a C strategy file: the torn and backwards questions
/// `validate` asks of a built-in strategy, asked of the file's own
/// functions as the compilers emit them. Per question, a translation unit
/// that includes the file and defines two threads,
///
/// ```c
/// void P0(struct pvclock_vcpu_stolen_time *st) { pv_steal_write(st, V1); pv_steal_write(st, V2); }
/// void P1(struct pvclock_vcpu_stolen_time *st, u64 *P1_r0) { u64 n = 0; *P1_r0 = pv_steal_read(st, &n); }
/// ```
///
/// is compiled for each present target as the kernel builds (-O2,
/// freestanding), disassembled, lifted (``ObjdumpLifter``) with the record
/// as one 64-byte location `st[8]` the code reaches at offsets and sizes
/// (the checker's mixed sizes), and checked under the target's model:
/// ARMv8 for arm64, x86-TSO for x86-64. The reader's retry is lifted as
/// one attempt (``ObjdumpLifter/lift(_:source:objdump:arch:name:oneAttempt:)``),
/// and a verdict on it says so. Beside the targets, each question is asked
/// of the file's C under LKMM (``CStrategyLKMM``: the functions inlined into
/// a C litmus test). Whatever is not compiled, lifted, translated or
/// decided is `not modelled` with the reason, never a verdict.
public struct CStrategyModel: Sendable, Encodable {
    /// One target's answer to one question.
    public struct Cell: Sendable, Encodable {
        /// `gcc:armv8-a`, …
        public var target: String
        public var model: ModelKind
        public var verdict: ModelAnswer
        /// Why not modelled; or what bounds a forbidden verdict (loops unrolled).
        public var reason: String?
        /// For an allowed verdict: the lifted litmus test (re-check it with `pvbench model` or herd7).
        public var witness: String?
    }

    /// One record × question across the targets.
    public struct Row: Sendable, Encodable {
        public var record: SharedRecordKind
        public var question: ModelQuestion
        public var cells: [Cell]
        /// The file's functions inlined into a C litmus test, under LKMM (``CStrategyLKMM``).
        public var lkmm: Cell
    }

    public var rows: [Row]
    /// Targets whose compiler or disassembler is not installed here.
    public var absentTargets: [String]

    /// The questions asked of a file (no `inconsistent`: the sequence value
    /// the reader accepted stays inside its compiled code, no observable).
    public static let questions: [ModelQuestion] = [.torn, .backwards]

    /// Asks every question of every record the file has a pair for, on every present target.
    /// `directory` holds the generated sources and objects (the file's build directory).
    public static func check(_ file: CStrategyFile, directory: URL, targets: [CompileTarget] = CompileTarget.all,
                             progress: (String) -> Void = { _ in }) -> CStrategyModel {
        let present = targets.filter(CompileRunner.present)
        var rows: [Row] = []
        for record in file.targets {
            for question in questions {
                var cells: [Cell] = []
                for target in present {
                    progress("model \(file.name)/\(record)/\(question.rawValue) on \(target)")
                    cells.append(cell(file, record: record, question: question, target: target, directory: directory))
                }
                progress("model \(file.name)/\(record)/\(question.rawValue) under LKMM")
                rows.append(Row(record: record, question: question, cells: cells,
                                lkmm: lkmmCell(file, record: record, question: question, directory: directory)))
            }
        }
        return CStrategyModel(rows: rows, absentTargets: targets.filter { !present.contains($0) }.map(\.description))
    }

    /// The value of update `k` (from 1): halves `2k-1` (high) and `2k` (low), so
    /// a value made of two updates' halves or bytes (or of one and the initial
    /// zero) is no update. Not one of AArch64's bitmask immediates, so the
    /// compilers build it with MOV and MOVK, which herd7 reads (a bitmask
    /// `MOV` is an ORR it refuses as a MOV).
    static func value(_ record: SharedRecordKind, _ k: Int) -> UInt64 {
        let half: UInt64 = record == .preempted ? 16 : 32
        return UInt64(2 * k - 1) << half | UInt64(2 * k)
    }

    /// What the checker is asked, as a C litmus skeleton (threads, result
    /// locals, condition) for ``CompiledSource`` and the lifter: the code
    /// itself is the generated translation unit.
    static func skeleton(_ record: SharedRecordKind, _ question: ModelQuestion) throws -> CLitmusTest {
        let local = record == .preempted ? "int" : "long"
        let reads = (0 ..< question.reads).map { "r\($0)" }
        let condition: String
        switch question {
        case .backwards:
            condition = "exists (1:r0=\(value(record, 1)) /\\ 1:r1=0)"
        default:
            let written = [0] + (1 ... question.writes).map { value(record, $0) }
            condition = "exists (~(" + written.map { "1:r0=\($0)" }.joined(separator: " \\/ ") + "))"
        }
        let text = """
            C \(record)+\(question.rawValue)
            {}
            P0(long *st) {
            \tint w;
            }
            P1(long *st) {
            \(reads.map { "\t\(local) \($0);" }.joined(separator: "\n"))
            }
            \(condition)

            """
        return try CLitmusParser.parse(text)
    }

    /// The translation unit for one question: the file included, then P0 (writer) and P1 (reader).
    static func translationUnit(_ file: CStrategyFile, _ record: SharedRecordKind, _ question: ModelQuestion) -> String {
        let path = URL(fileURLWithPath: file.source).standardizedFileURL.path
        let (type, read, write, value) = record == .preempted
            ? ("struct pvsched_vcpu_state", "pv_preempted_read", "pv_preempted_write", "u32")
            : ("struct pvclock_vcpu_stolen_time", "pv_steal_read", "pv_steal_write", "u64")
        var out = "/* pvbench: \(question.rawValue) question for \(record), generated from \(path) */\n"
        out += "#include \"\(path)\"\n\n"
        out += "void P0(\(type) *st)\n{\n"
        for k in 1 ... question.writes { out += "\t\(write)(st, 0x\(String(Self.value(record, k), radix: 16))u);\n" }
        out += "}\n\n"
        let results = (0 ..< question.reads).map { "\(value) *\(CompiledSource.resultName(thread: 1, local: "r\($0)"))" }
        out += "void P1(\(type) *st, \(results.joined(separator: ", ")))\n{\n\tu64 retries = 0;\n"
        for k in 0 ..< question.reads { out += "\t*\(CompiledSource.resultName(thread: 1, local: "r\(k)")) = \(read)(st, &retries);\n" }
        out += "}\n"
        return out
    }

    /// The header the generated unit is compiled against: the strategy
    /// header with its two libc includes replaced (the targets compile
    /// freestanding, -nostdinc, as the kernel does).
    static var freestandingHeader: String {
        CStrategyHeader.text
            .replacingOccurrences(of: "#include <stdint.h>\n", with: "typedef unsigned char uint8_t;\ntypedef unsigned int uint32_t;\ntypedef unsigned long uint64_t;\n")
            .replacingOccurrences(of: "#include <stddef.h>\n", with: "#define offsetof(t, m) __builtin_offsetof(t, m)\n")
    }

    static func cell(_ file: CStrategyFile, record: SharedRecordKind, question: ModelQuestion, target: CompileTarget, directory: URL) -> Cell {
        let model: ModelKind = target.arch.isArm64 ? .armv8 : .x86TSO
        func refused(_ why: String) -> Cell { Cell(target: target.description, model: model, verdict: .notModelled, reason: why) }
        let name = "\(file.name)+\(record)+\(question.rawValue)+\(target.compiler.rawValue)-\(target.arch.rawValue)"
        let test: CLitmusTest
        var source: CompiledSource
        do {
            test = try skeleton(record, question)
            source = try CompiledSource(test, arch: target.arch)
        } catch { return refused("the question's skeleton: \(error)") }
        source.text = translationUnit(file, record, question)
        guard let cc = CompileRunner.locate(target.command.executable),
              let dis = target.disassemblers.lazy.compactMap(CompileRunner.locate).first else { return refused("\(target) is not installed") }
        let header = directory.appendingPathComponent("pvbench_strategy_freestanding.h")
        let c = directory.appendingPathComponent("\(name).c"), o = directory.appendingPathComponent("\(name).o")
        do {
            try freestandingHeader.write(to: header, atomically: true, encoding: .utf8)
            try source.text.write(to: c, atomically: true, encoding: .utf8)
        } catch { return refused("cannot write \(c.path): \(error)") }
        let (status, output) = CStrategyFile.run(cc, target.command.flags + ["-include", header.path, "-c", c.path, "-o", o.path])
        guard status == 0 else {
            let first = output.split(separator: "\n").first { $0.contains("error") }.map(String.init) ?? "exit \(status)"
            return refused("\(target.command.executable) does not compile it: \(first)")
        }
        let (dstatus, dump) = CStrategyFile.run(dis, ["-dr", "--no-show-raw-insn", o.path])
        guard dstatus == 0 else { return refused("\(dis) failed on \(o.path)") }
        var lifted: LiftedTest
        do { lifted = try ObjdumpLifter.lift(test, source: source, objdump: dump, arch: target.arch, name: name, oneAttempt: [1]) } catch {
            return refused("lifting: \(error)")
        }
        lifted.text = recordAsArray(lifted.text).replacingOccurrences(of: ",LSL#", with: ",LSL #")
        try? lifted.text.write(to: directory.appendingPathComponent("\(name).litmus"), atomically: true, encoding: .utf8)
        let program: Program
        do { program = try LitmusParser.parse(lifted.text) } catch let e as LitmusError {
            return refused("the lifted code: \(CompiledComparison.origin(e, lifted))")
        } catch { return refused("the lifted code: \(error)") }
        let r: CheckResult
        do { r = try ModelChecker.check(program, model: model) } catch { return refused("undecided under \(model.rawValue): \(error)") }
        // One attempt that no execution completes would make "forbidden" vacuous: every
        // execution left out. Asked first, as its own condition on the same program.
        if !r.allowed, let completes = lifted.attemptCompletes {
            var lines = lifted.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            while lines.last?.isEmpty == true { lines.removeLast() }
            lines[lines.count - 1] = completes
            let completed: Bool
            do { completed = try ModelChecker.check(try LitmusParser.parse(lines.joined(separator: "\n") + "\n"), model: model).allowed } catch {
                return refused("undecided under \(model.rawValue) whether one attempt of the reader completes: \(error)")
            }
            guard completed else {
                return refused("no execution completes one attempt of the reader (every one takes its retry branch): the question has no answer on one attempt")
            }
        }
        var cell = Cell(target: target.description, model: model, verdict: ModelAnswer(allowed: r.allowed),
                        witness: r.allowed ? lifted.text : nil)
        if !r.allowed, r.unrollingLimitReached {
            cell.reason = "forbidden in the executions that take each backward branch at most \(r.unroll) times (herd7 -unroll \(r.unroll))"
        }
        if !lifted.oneAttempt.isEmpty {
            cell.reason = [cell.reason, Self.oneAttempt].compactMap { $0 }.joined(separator: "; ")
        }
        return cell
    }

    /// What a verdict on a retrying reader covers (the lifter's `oneAttempt`).
    static let oneAttempt = "one attempt of the reader: its retry branch ends the thread marked, and the condition leaves those executions out (a retry starts afresh; herd7's seqlock tests do the same)"

    /// (The lifter writes a MOVK's shift `LSL#32`; herd7 reads `LSL #32`.)
    ///
    /// The lifter declares the record parameter as one 64-bit location;
    /// the file's code reaches it at offsets (stolen_time at 8, a sequence in
    /// the padding at 16): it is the 64-byte record, eight 64-bit words.
    static func recordAsArray(_ text: String) -> String {
        text.replacingOccurrences(of: "int64_t st=0;", with: "int64_t st[8];")
    }

    /// The LKMM verdict of the file's functions inlined into a C litmus test;
    /// `not modelled` with the construct the translation refused.
    static func lkmmCell(_ file: CStrategyFile, record: SharedRecordKind, question: ModelQuestion, directory: URL) -> Cell {
        func refused(_ why: String) -> Cell { Cell(target: "lkmm", model: .lkmm, verdict: .notModelled, reason: why) }
        let t: CStrategyLKMM.Translation
        do { t = try CStrategyLKMM.translate(path: file.source, name: file.name, record: record, question: question, directory: directory) } catch {
            return refused("not translated into a C litmus test: \(error)")
        }
        // Beside the lifted tests, in a folder of their own (C tests, not lifted ones).
        let lkmmDirectory = directory.appendingPathComponent("lkmm")
        try? FileManager.default.createDirectory(at: lkmmDirectory, withIntermediateDirectories: true)
        try? t.text.write(to: lkmmDirectory.appendingPathComponent("\(file.name)+\(record)+\(question.rawValue).litmus"), atomically: true, encoding: .utf8)
        let r: CheckResult
        do { r = try ModelChecker.check(LitmusParser.program(t.text), model: .lkmm) } catch { return refused("the translated test: \(error)") }
        return Cell(target: "lkmm", model: .lkmm, verdict: ModelAnswer(allowed: r.allowed),
                    reason: t.notes.isEmpty ? nil : t.notes.joined(separator: "; "), witness: r.allowed ? t.text : nil)
    }
}
