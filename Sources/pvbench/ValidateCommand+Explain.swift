import PVExperiments
import PVModel
import PVRuntime

extension ValidateCommand {
    /// `--explain`: per strategy × record, each recorded access as
    /// C11 ordering → AArch64 instruction → x86-64 instruction, how the
    /// checker ran it under x86-TSO, and the verdicts per model.
    func printExplanation(_ verdicts: [StrategyVerdict]) {
        let s = strategies.isEmpty ? StrategyKind.allCases : strategies
        let t = records.isEmpty ? SharedRecordKind.allCases : records
        print()
        print("mapping applied (C11 ordering → AArch64 → x86-64):")
        for n in OrderingMapping.notes { print("  - \(n)") }
        for e in StrategyExplanation.all(s, records: t) {
            print()
            print("\(e.strategy)/\(e.record):")
            if let why = e.notRecorded {
                print("  not recorded: \(why)")
            } else {
                print(formatTable(["  side", "access", "C11", "AArch64", "x86-64 (Swift)"], e.accesses.map {
                    ["  " + $0.side.rawValue, "\($0.kind) \($0.field) (\($0.bytes) B)", $0.ordering.rawValue, $0.aarch64,
                     $0.x86 ?? "(none)"]
                }))
                let x86 = e.checkerX86.isEmpty ? "plain accesses only, nothing to map" : e.checkerX86.joined(separator: "; ")
                print("  checker's x86-TSO program: \(x86)")
                if e.checkerX86.contains(where: { $0.hasPrefix("STLR") }) {
                    print("  " + (e.storeThenLoad
                        ? "a thread stores then loads: XCHG for a release store is stronger than Swift's MOV here"
                        : "no thread stores then loads: XCHG or MOV for the store gives the same verdicts"))
                }
            }
            for q in ModelQuestion.allCases {
                let vs = verdicts.filter { $0.strategy == e.strategy && $0.record == e.record && $0.question == q }
                guard !vs.isEmpty else { continue }
                print("  \(q.rawValue): " + vs.map { "\($0.model.title) \($0.verdict)" }.joined(separator: ", "))
            }
        }
    }
}
