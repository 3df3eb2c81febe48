import PVModel

/// What the checker is asked about one strategy × record.
public enum ModelQuestion: String, Sendable, CaseIterable, Codable {
    /// One read returns a value no write wrote (a mix of writes: torn).
    case torn = "torn"
    /// A second read returns an older value than the first (backwards).
    case backwards = "backwards"
}

/// The checker's answer for one strategy × record × question × model.
public struct StrategyVerdict: Sendable, Codable, Equatable {
    public var strategy: String
    public var record: String
    public var question: ModelQuestion
    public var model: String
    /// `allowed`, `forbidden` or `not modelled`.
    public var verdict: String
    public var reason: String?
    /// Whether the strategy claims to be safe under this model.
    public var claimed: Bool
    /// For an allowed verdict: the AArch64 litmus test whose `exists` the
    /// model allows (re-check it with `pvbench model` or herd7).
    public var witness: String?

    /// A claimed model allows the failure: `pvbench validate` exits 1.
    public var violatesClaim: Bool { claimed && verdict == "allowed" }
}

/// Strategy → program → verdicts: one writer making two successive updates,
/// one reader reading (twice for `backwards`), each recorded from the
/// strategy's own code.
public enum StrategyModel {
    public static let models: [ModelKind] = [.armv8, .x86TSO, .sc]

    /// The recordable strategy type for (kind, record); nil: not recordable yet.
    public static func recordable(_ kind: StrategyKind, _ record: SharedRecordKind) -> (any RecordableStrategy.Type)? {
        kind.strategyType(for: record) as? any RecordableStrategy.Type
    }

    /// The two values the writer stores: halves that differ, so a mix of the
    /// two writes is a value neither wrote.
    static func values(bytes: Int) -> (UInt64, UInt64) {
        bytes == 8 ? (0x1_0000_0001, 0x2_0000_0002) : (1, 2)
    }

    /// The program for `question`, from the strategy's code.
    public static func program(_ s: any RecordableStrategy.Type, record: SharedRecordKind, _ question: ModelQuestion) -> Program {
        var writer = ProgramRecorder(), reader = ProgramRecorder()
        let bytes = record == .preempted ? 4 : 8
        let (v1, v2) = values(bytes: bytes)
        s.recordWrite(&writer, v1)
        s.recordWrite(&writer, v2)
        s.recordRead(&reader)
        let firstRead = reader.loads.count
        if question == .backwards { s.recordRead(&reader) }
        let r1 = reader.loads[firstRead - 1]
        func reg(_ r: Int) -> Observable { .register(thread: 1, register: r) }
        func eq(_ r: Int, _ v: UInt64) -> Proposition { .equals(reg(r), Value(bits: v)) }
        let proposition: Proposition
        switch question {
        case .torn:
            proposition = .not(.or([eq(r1, 0), eq(r1, v1), eq(r1, v2)]))
        case .backwards:
            let r2 = reader.loads[reader.loads.count - 1]
            proposition = .or([.and([eq(r1, v2), .or([eq(r2, v1), eq(r2, 0)])]), .and([eq(r1, v1), eq(r2, 0)])])
        }
        // One location per field accessed, named as the kernel names it.
        let offsets = Set(writer.offsets + reader.offsets).sorted()
        let locations = offsets.map { Location(name: fieldName(record, $0), type: ValueType(bytes: bytes, signed: false)) }
        var base: [Int: Value] = [:]
        for (i, o) in offsets.enumerated() { base[ProgramRecorder.register(forOffset: o)] = Value(location: i) }
        return Program(
            name: "\(s.kind)+\(record)+\(question)", architecture: .aarch64, locations: locations,
            threads: [ProgramThread(instructions: writer.instructions, initialRegisters: base, registerTypes: writer.registerTypes),
                      ProgramThread(instructions: reader.instructions, initialRegisters: base, registerTypes: reader.registerTypes)],
            condition: Condition(.exists, proposition))
    }

    static func fieldName(_ record: SharedRecordKind, _ offset: Int) -> String {
        switch (record, offset) {
        case (.preempted, 0): "preempted"
        case (_, 0): "revision"
        case (_, 4): "attributes"
        case (_, 8): "stolen_time"
        default: "offset\(offset)"
        }
    }

    /// The models a strategy claims to be safe under.
    public static func claims(_ kind: StrategyKind) -> [ModelKind] { kind.claimsSafety ? models : [] }

    /// Every question under every model in `models` for one strategy × record.
    public static func check(_ kind: StrategyKind, _ record: SharedRecordKind, models: [ModelKind] = models) -> [StrategyVerdict] {
        var out: [StrategyVerdict] = []
        for q in ModelQuestion.allCases {
            for m in models {
                var v = StrategyVerdict(strategy: kind.rawValue, record: record.rawValue, question: q, model: m.rawValue,
                                        verdict: "not modelled", claimed: claims(kind).contains(m))
                guard let s = recordable(kind, record) else {
                    v.reason = "\(kind) is not yet written over the recording accessors"
                    out.append(v)
                    continue
                }
                let p = program(s, record: record, q)
                do {
                    let r = try ModelChecker.check(p, model: m)
                    v.verdict = r.allowed ? "allowed" : "forbidden"
                    if r.allowed { v.witness = AArch64Litmus.text(p) }
                } catch {
                    v.reason = "\(error)"
                }
                out.append(v)
            }
        }
        return out
    }
}
