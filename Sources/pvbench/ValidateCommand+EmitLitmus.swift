import ArgumentParser
import Foundation
import PVExperiments
import PVRuntime

/// `validate --emit-litmus DIR`: every model check as herd7 AArch64 and
/// X86_64 litmus and LKMM C litmus, read back by pvbench's own checker.
struct EmitLitmusOption: ParsableArguments {
    @Option(name: .customLong("emit-litmus"), help: ArgumentHelp(
        "Write each strategy × record × question check as <name>.AArch64.litmus, <name>.X86.litmus and <name>.LKMM.litmus into this directory (created if missing); the AArch64 and X86 files are read back and re-checked.",
        valueName: "dir"))
    var directory: String?

    /// Writes and re-checks the files; throws (one line, nonzero exit) when a
    /// file cannot be written or reads back to another verdict.
    func emit(strategies: [StrategyKind], records: [SharedRecordKind], say: (String) -> Void) throws {
        guard let directory else { return }
        guard !directory.isEmpty else { throw ValidationError("--emit-litmus needs a directory, got an empty path") }
        let (checks, omitted) = LitmusEmission.checksAndOmissions(strategies: strategies, records: records)
        let pairs = checks.flatMap { c in LitmusEmission.files(c).map { (c, $0) } }
        let files = pairs.map(\.1)
        let written: [String]
        do { written = try LitmusEmission.write(files, to: directory) } catch let e as EmissionError {
            throw ValidationError("--emit-litmus: \(e.description)")
        }
        say("litmus: \(written.count) files written to \(directory)")
        for f in files where f.notWritten != nil { say("litmus: \(f.fileName) not written: \(f.notWritten!)") }
        for o in omitted { say("litmus: no file for \(o)") }
        var mismatches: [String] = []
        var rechecked = 0
        for (c, f) in pairs where f.text != nil && f.flavour != .lkmm {
            let path = (directory as NSString).appendingPathComponent(f.fileName)
            guard let data = FileManager.default.contents(atPath: path) else {
                mismatches.append("\(path): cannot be read back")
                continue
            }
            rechecked += 1
            if let m = LitmusEmission.recheck(String(decoding: data, as: UTF8.self), as: f.flavour, of: c) { mismatches.append(m) }
        }
        guard mismatches.isEmpty else {
            throw RuntimeError("litmus read back to other verdicts: \(mismatches.joined(separator: "; "))")
        }
        say("re-checked: \(rechecked) files, same verdicts")
    }
}
