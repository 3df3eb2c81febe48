import Foundation
import PVModel
import PVRuntime

/// One check `pvbench validate` decides, as the programs its litmus files are written from.
public struct LitmusCheck: Sendable {
    /// The file stem (herd7's test name).
    public var name: String
    /// Checked under ARMv8 and SC.
    public var aarch64: Program
    /// Checked under x86-TSO; nil: the AArch64 program as `X86Mapping` runs it.
    public var x86: Program?
    /// What the LKMM file is written from (orderings as recorded).
    public var lkmm: Program
    /// The opening lines of each file's comment.
    public var notes: [String]
}

/// `validate --emit-litmus`: each check as AArch64, X86_64 and LKMM C
/// litmus, and pvbench's own checker reading back the AArch64 and X86_64
/// files to the verdicts of the direct check.
public enum LitmusEmission {
    public enum Flavour: String, CaseIterable, Sendable {
        case aarch64 = "AArch64"
        case x86 = "X86"
        case lkmm = "LKMM"
    }

    /// Every recordable strategy × record × question of `strategies` × `records`,
    /// then the lost-update pair when the preempted flag is among the records;
    /// and the strategy × record pairs that have no program to write, each as
    /// `strategy/record: why` (the reason validate gives for "not modelled").
    public static func checksAndOmissions(strategies: [StrategyKind], records: [SharedRecordKind])
        -> (checks: [LitmusCheck], omitted: [String]) {
        var out: [LitmusCheck] = []
        var omitted: [String] = []
        for k in strategies {
            for r in records where k.applies(to: r) {
                guard let s = StrategyModel.recordable(k, r) else {
                    omitted.append("\(k)/\(r): \(StrategyModel.notRecordable(k))")
                    continue
                }
                for q in StrategyModel.questions(s) {
                    // Code the recorder cannot see into (ck-sequence calls C) has no
                    // program: validate reports it not modelled, with the same reason.
                    let p: Program
                    do { p = try StrategyModel.program(s, record: r, q) } catch {
                        let line = "\(k)/\(r): \(error.description)"
                        if !omitted.contains(line) { omitted.append(line) }
                        continue
                    }
                    out.append(LitmusCheck(name: p.name, aarch64: p, x86: nil, lkmm: p, notes: [
                        "pvbench validate: strategy \(k) on \(r), question: can the reader see a \(q) value?",
                        "Recorded from the strategy's own code (C11 → AArch64 as ProgramRecorder states).",
                    ]))
                }
            }
        }
        if records.contains(.preempted) {
            for c in PreemptClear.allCases {
                let x = LostUpdateModel.x86(c)
                out.append(LitmusCheck(name: x.name, aarch64: LostUpdateModel.aarch64(c), x86: x, lkmm: x, notes: [
                    "pvbench validate: \(c), CVE-2019-3016's lost flush request: \(c.summary).",
                    "The guest's cmpxchg(PREEMPTED → PREEMPTED|FLUSH_TLB) is an exchange of 3 whose old value the condition requires to be 1.",
                ]))
            }
        }
        return (out, omitted)
    }

    /// A file to write, or the reason it is not written.
    public struct File: Sendable {
        public var check: String
        public var flavour: Flavour
        public var fileName: String
        public var text: String?
        public var notWritten: String?
    }

    /// What the direct check decides: per model, `allowed`, `forbidden` or `not modelled`.
    static func verdict(_ p: Program, _ m: ModelKind) -> ModelAnswer {
        do { return ModelAnswer(allowed: try ModelChecker.check(p, model: m).allowed) } catch { return .notModelled }
    }

    /// The models a flavour's file is re-checked under, with the program the direct check decides.
    static func models(_ c: LitmusCheck, _ f: Flavour) -> [(ModelKind, Program)] {
        switch f {
        case .aarch64: [(.armv8, c.aarch64), (.sc, c.aarch64)]
        case .x86: [(.x86TSO, c.x86 ?? c.aarch64)]
        case .lkmm: []
        }
    }

    public static func files(_ c: LitmusCheck) -> [File] {
        Flavour.allCases.map { f in
            var file = File(check: c.name, flavour: f, fileName: "\(c.name).\(f.rawValue).litmus")
            let expected = models(c, f).map { "\($0.0.rawValue): \(verdict($0.1, $0.0))" }
            let notes = c.notes + (expected.isEmpty ? [] : ["pvbench's checker: \(expected.joined(separator: ", ")) (allowed = Sometimes)."])
            do {
                switch f {
                case .aarch64: file.text = try AArch64Litmus.write(c.aarch64, notes: notes)
                case .x86: file.text = try X86Litmus.write(c.x86 ?? c.aarch64, notes: notes)
                case .lkmm: file.text = try LKMMLitmus.write(c.lkmm, notes: notes)
                }
            } catch {
                file.notWritten = "\(error)"
            }
            return file
        }
    }

    /// Reads `text` back and decides it under the flavour's models; nil when
    /// every verdict is the direct check's, else what differs.
    public static func recheck(_ text: String, as f: Flavour, of c: LitmusCheck) -> String? {
        let parsed: Program
        do { parsed = try LitmusParser.parse(text) } catch { return "\(c.name).\(f.rawValue): does not parse: \(error)" }
        for (m, direct) in models(c, f) {
            let want = verdict(direct, m), got = verdict(parsed, m)
            if want != got { return "\(c.name).\(f.rawValue) under \(m.rawValue): read back \(got), direct \(want)" }
        }
        return nil
    }

    /// Writes each file as a temporary file renamed into `directory` (created
    /// if missing); returns the files written, in order.
    public static func write(_ files: [File], to directory: String) throws -> [String] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw EmissionError("\(directory) exists and is not a directory") }
        } else {
            do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw EmissionError("cannot create directory \(directory): \(error.localizedDescription)")
            }
        }
        var written: [String] = []
        for f in files {
            guard let text = f.text else { continue }
            let path = (directory as NSString).appendingPathComponent(f.fileName)
            let temporary = (directory as NSString).appendingPathComponent(".\(f.fileName).\(getpid()).tmp")
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
                if rename(temporary, path) != 0 { throw EmissionError("cannot rename into \(path): \(String(cString: strerror(errno)))") }
            } catch let e as EmissionError {
                try? fm.removeItem(atPath: temporary)
                throw e
            } catch {
                throw EmissionError("cannot write \(temporary): \(error.localizedDescription)")
            }
            written.append(path)
        }
        return written
    }
}

/// A directory or file `--emit-litmus` cannot write; one line.
public struct EmissionError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
