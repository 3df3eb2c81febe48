import PVModel
import PVRuntime

/// One access of a strategy's writer or reader, through the mapping:
/// C11 ordering → the AArch64 instruction the recorder wrote → the x86-64
/// instruction Swift emits.
public struct ExplainedAccess: Sendable, Equatable {
    public enum Side: String, Sendable { case writer, reader }
    public var side: Side
    /// The field as the kernel names it (`stolen_time`, `revision`, `preempted`).
    public var field: String
    public var bytes: Int
    public var kind: SharedAccessKind
    public var ordering: C11Ordering
    /// The instruction in the checker's program (``ProgramRecorder``).
    public var aarch64: String
    /// What Swift emits on x86-64; nil: nothing (a compiler barrier).
    public var x86: String?

    /// `load stolen_time (8 B) relaxed`.
    public var access: String { kind == .fence ? "fence" : "\(kind) \(field) (\(bytes) B)" }
}

/// The mapping applied to one strategy × record: each access of one write
/// and one read, recorded from the strategy's own code, and how the
/// checker ran the AArch64 program under x86-TSO.
public struct StrategyExplanation: Sendable {
    public var strategy: StrategyKind
    public var record: SharedRecordKind
    /// Writer accesses first (one write), then reader accesses (one read).
    public var accesses: [ExplainedAccess]
    /// Why there is no recording (the strategy is not written over the accessors yet); nil when recorded.
    public var notRecorded: String?
    /// The checker's AArch64 → x86 mapping notes for this program (`CheckResult.mapping`).
    public var checkerX86: [String]
    /// Whether some thread stores and then loads: only then can the checker's
    /// XCHG for a release store (stronger than Swift's MOV) change a verdict.
    public var storeThenLoad: Bool

    public var writer: [ExplainedAccess] { accesses.filter { $0.side == .writer } }
    public var reader: [ExplainedAccess] { accesses.filter { $0.side == .reader } }

    /// Every strategy × record it applies to, in `StrategyKind.allCases` order.
    public static func all(_ kinds: [StrategyKind] = StrategyKind.allCases,
                           records: [SharedRecordKind] = SharedRecordKind.allCases) -> [StrategyExplanation] {
        kinds.flatMap { k in records.filter(k.applies(to:)).map { explain(k, $0) } }
    }

    public static func explain(_ kind: StrategyKind, _ record: SharedRecordKind) -> StrategyExplanation {
        var e = StrategyExplanation(strategy: kind, record: record, accesses: [], notRecorded: nil, checkerX86: [],
                                    storeThenLoad: false)
        guard let s = StrategyModel.recordable(kind, record) else {
            e.notRecorded = "\(kind) is not yet written over the recording accessors"
            return e
        }
        let (traces, recordings) = trace(s)
        if let refusal = recordings.lazy.compactMap(\.refusal).first {
            e.notRecorded = refusal
            return e
        }
        let program: Program
        do { program = try StrategyModel.program(s, record: record, .torn) } catch {
            e.notRecorded = "\(error)"
            return e
        }
        let fields = StrategyModel.fields(record, s.guardWord)
        for (side, trace, recorder) in zip3([ExplainedAccess.Side.writer, .reader], traces, recordings) {
            guard trace.accesses.count == recorder.instructions.count else {
                e.notRecorded = "\(kind)/\(record) \(side): \(trace.accesses.count) accesses traced but "
                    + "\(recorder.instructions.count) instructions recorded"
                return e
            }
            for (a, i) in zip(trace.accesses, recorder.instructions) {
                e.accesses.append(ExplainedAccess(
                    side: side, field: a.kind == .fence ? "-" : fields.first { a.offset >= $0.offset && a.offset < $0.offset + $0.bytes }?.name
                        ?? "offset \(a.offset)", bytes: a.bytes, kind: a.kind, ordering: a.ordering,
                    aarch64: OrderingMapping.mnemonic(i), x86: OrderingMapping.x86(a.kind, a.ordering)))
            }
        }
        e.storeThenLoad = program.threads.contains { t in
            guard let firstStore = t.instructions.firstIndex(where: { if case .store = $0 { true } else { false } }) else { return false }
            return t.instructions[firstStore...].contains { if case .load = $0 { true } else { false } }
        }
        e.checkerX86 = (try? ModelChecker.check(program, model: .x86TSO).mapping) ?? []
        return e
    }

    /// One write and one read of `s`, traced (C11) and recorded (AArch64).
    static func trace<S: RecordableStrategy>(_ s: S.Type) -> ([AccessTrace], [ProgramRecorder]) {
        var tw = AccessTrace(), rw = ProgramRecorder()
        S.write(&tw, S.recordedValue(1))
        let tr = AccessTrace.acceptedRead(S.self)
        S.recordWrite(&rw, 1)
        // The recorder's read on the same accepted path (its guard word loaded twice at most).
        var rr = ProgramRecorder(script: tr.values.mapValues { [$0, $0] })
        var retries: UInt64 = 0
        _ = S.readBounded(&rr, retries: &retries, limit: 1)
        return ([tw, tr], [rw, rr])
    }
}

private func zip3<A, B, C>(_ a: [A], _ b: [B], _ c: [C]) -> [(A, B, C)] {
    zip(a, zip(b, c)).map { ($0, $1.0, $1.1) }
}
