import PVModel

/// What the checker is asked about one strategy × record.
public enum ModelQuestion: String, Sendable, CaseIterable, Codable {
    /// One read returns a value no write wrote (a mix of writes: torn).
    case torn = "torn"
    /// A second read returns an older value than the first (backwards).
    case backwards = "backwards"
    /// A read accepts a guard word (sequence, valid flag) naming an update
    /// and returns data older than that update (or torn). Only for
    /// strategies whose reader checks such a word.
    case inconsistent = "inconsistent"

    /// Updates the writer makes: two for a tear (a mix of two updates, or
    /// of one and the initial value); one for the others, whose older value
    /// is the initial one (the CoRR and MP shapes).
    public var writes: Int { self == .torn ? 2 : 1 }
    /// Reads the reader makes.
    public var reads: Int { self == .backwards ? 2 : 1 }
}

/// The checker's answer for one strategy × record × question × model.
public struct StrategyVerdict: Sendable, Codable, Equatable {
    public var strategy: StrategyKind
    public var record: SharedRecordKind
    public var question: ModelQuestion
    public var model: ModelKind
    public var verdict: ModelAnswer
    /// Why not modelled.
    public var reason: String?
    /// What the verdict does not say by itself (a forbidden tear whose value can still be inconsistent).
    public var note: String?
    /// Whether the strategy claims to be safe under this model.
    public var claimed: Bool
    /// For an allowed verdict: the AArch64 litmus test whose `exists` the
    /// model allows (re-check it with `pvbench model` or herd7).
    public var witness: String?

    /// A claimed model allows the failure: `pvbench validate` exits 1.
    public var violatesClaim: Bool { claimed && verdict == .allowed }

    /// The table cell: an allowed failure is marked as breaking a claim, or
    /// as what an unsafe strategy is expected to show under this model.
    public var cell: String {
        if violatesClaim { return "ALLOWED (claimed safe)" }
        return verdict == .allowed ? "allowed (\(question.rawValue) as expected)" : verdict.rawValue
    }

    /// The line printed under the table, or nil: why not modelled, or the note.
    public var remark: String? {
        if verdict == .notModelled { return reason.map { "\(strategy)/\(record): not modelled: \($0)" } }
        return note.map { "\(strategy)/\(record) \(question.rawValue) under \(model): \($0)" }
    }
}

/// Strategy → program → verdicts: one writer making one or two successive
/// updates, one reader reading once (twice for `backwards`), each recorded
/// from the strategy's own code. A reader that checks a guard word is
/// recorded along its accepted attempt: the loaded values that make the
/// code accept are found by running the code itself on them, and join the
/// question as a condition on the guard loads.
public enum StrategyModel {
    public static let models: [ModelKind] = [.armv8, .x86TSO, .sc]
    /// What `validate --model` decides by default: the three above and the
    /// kernel's model, on the recorded program written as LKMM C (`lkmm(_:)`).
    public static let validateModels: [ModelKind] = models + [.lkmm]

    /// A recorded program as the kernel's model reads it: written as LKMM C
    /// (`LKMMLitmus.write`: each instruction as the primitive arm64
    /// implements with it), read back by the C front end and lowered
    /// through linux-kernel.def, so that what is decided is the C a reader
    /// of `validate --emit-litmus` sees. Throws where the program has no C
    /// (mixed sizes, exclusives, branches) or LKMM does not decide it.
    public static func lkmm(_ p: Program) throws -> (text: String, test: CLitmusTest, program: Program) {
        let text = try LKMMLitmus.write(p, notes: [])
        let test = try CLitmusParser.parse(text)
        return (text, test, try LKMMLowering.program(test))
    }

    /// The recordable strategy type for (kind, record); nil: not recordable.
    public static func recordable(_ kind: StrategyKind, _ record: SharedRecordKind) -> (any RecordableStrategy.Type)? {
        kind.strategyType(for: record) as? any RecordableStrategy.Type
    }

    /// Why a strategy has no recordable code.
    public static func notRecordable(_ kind: StrategyKind) -> String {
        switch kind {
        case .doubleWord:
            "double-word is one 128-bit atomic: an LDXP/STXP loop on arm64 v8.0 (its loads write too), CASP with FEAT_LSE, "
                + "LDP/STP with FEAT_LSE2, lock cmpxchg16b on x86_64; no 128-bit accessor is recorded yet, and the checker maps no exclusive to x86"
        default: "\(kind) is not written over the recording accessors"
        }
    }

    /// The questions for a strategy: `inconsistent` only where the reader checks a guard word.
    public static func questions(_ s: (any RecordableStrategy.Type)?) -> [ModelQuestion] {
        s?.guardWord == nil ? [.torn, .backwards] : ModelQuestion.allCases
    }

    /// The bits of update `k` (from 1): every 16-bit piece is `k`, so a
    /// value made of two updates' bytes (halves, quarters, the bytes either
    /// side of a cache line) is neither update.
    public static func bits(_ k: Int) -> UInt64 { 0x0001_0001_0001_0001 &* UInt64(k) }

    /// A program that cannot be built from the strategy's code, with why.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    typealias Memory = [Int: UInt8]

    static func value(_ m: Memory, _ offset: Int, _ bytes: Int) -> UInt64 {
        (0 ..< bytes).reduce(0) { $0 | UInt64(m[offset + $1] ?? 0) << UInt64(8 * $1) }
    }

    /// The reader's code for `reads` reads, along the path it takes when
    /// its guard loads return the values it accepts; with the accepted
    /// values (one tuple per accepted path) and where each read's loads end.
    static func acceptedReader(_ s: any RecordableStrategy.Type, reads: Int, guardValues: [UInt64])
        throws(Refusal) -> (ProgramRecorder, [[UInt64]], [Int]) {
        func run(_ script: [UInt64]) -> (ProgramRecorder, Bool, [Int]) {
            var r = ProgramRecorder(script: s.guardWord.map { [$0.offset: script] } ?? [:])
            var accepted = true
            var ends: [Int] = []
            for _ in 0 ..< reads {
                accepted = s.recordRead(&r) && accepted
                ends.append(r.loads.count)
            }
            return (r, accepted, ends)
        }
        guard let g = s.guardWord else {
            let (r, ok, ends) = run([])
            guard ok else { throw Refusal(description: "the reader gives up on its first attempt") }
            return (r, [[]], ends)
        }
        // How many guard loads the code makes (along the path zeros take),
        // then every tuple of written values for them: the code says which it accepts.
        let count = run([]).0.loads.filter { $0.offset == g.offset }.count
        var found: (ProgramRecorder, [Int])?
        var accepted: [[UInt64]] = []
        var tuple = [UInt64](repeating: 0, count: count)
        func each(_ i: Int) throws(Refusal) {
            if i == count {
                let (r, ok, ends) = run(tuple)
                guard ok, r.loads.filter({ $0.offset == g.offset }).count == count, r.script[g.offset]?.isEmpty ?? true else { return }
                if let f = found, f.0.instructions != r.instructions {
                    throw Refusal(description: "the reader's accepted attempt makes different accesses for different values read")
                }
                found = (r, ends)
                accepted.append(tuple)
                return
            }
            for v in guardValues {
                tuple[i] = v
                try each(i + 1)
            }
        }
        try each(0)
        guard let (r, ends) = found else { throw Refusal(description: "the reader accepts none of the values the writer stores in \(g.name)") }
        return (r, accepted, ends)
    }

    /// The program for `question`, from the strategy's code.
    public static func program(_ s: any RecordableStrategy.Type, record: SharedRecordKind, _ question: ModelQuestion)
        throws(Refusal) -> Program {
        var writer = ProgramRecorder()
        var snapshots: [Memory] = [writer.memory]
        for k in 1 ... question.writes {
            s.recordWrite(&writer, bits(k))
            snapshots.append(writer.memory)
        }
        if let why = writer.refusal { throw Refusal(description: why) }
        let g = s.guardWord
        var guardValues: [UInt64] = [0]
        for i in writer.instructions {
            if case let .store(.immediate(v), a, _, _, _) = i, Int(a.offset) == g?.offset, !guardValues.contains(v) { guardValues.append(v) }
        }
        let (reader, accepted, ends) = try acceptedReader(s, reads: question.reads, guardValues: guardValues)
        if let why = reader.refusal { throw Refusal(description: why) }

        func reg(_ r: Int) -> Observable { .register(thread: 1, register: r) }
        func eq(_ l: ProgramRecorder.RecordedLoad, _ v: UInt64) -> Proposition { .equals(reg(l.register), Value(bits: v)) }
        func all(_ ps: [Proposition]) -> Proposition { ps.count == 1 ? ps[0] : .and(ps) }
        func any(_ ps: [Proposition]) -> Proposition { ps.count == 1 ? ps[0] : .or(ps) }
        // Each read's guard loads and data loads.
        let perRead = ends.indices.map { i in Array(reader.loads[(i == 0 ? 0 : ends[i - 1]) ..< ends[i]]) }
        let guards = perRead.map { $0.filter { $0.offset == g?.offset } }
        let data = perRead.map { $0.filter { $0.offset != g?.offset } }
        func isSnapshot(_ read: Int, _ k: Int) -> Proposition { all(data[read].map { eq($0, value(snapshots[k], $0.offset, $0.bytes)) }) }
        let n = snapshots.count
        var cases: [Proposition] = []
        for t in accepted {
            let values = guards.flatMap { $0 }
            let accept = zip(values, t).map { eq($0, $1) }
            let failure: Proposition
            switch question {
            case .torn:
                failure = .not(any((0 ..< n).map { isSnapshot(0, $0) }))
            case .inconsistent:
                // The update the first guard value names: the first snapshot whose guard word holds it.
                let first = guards[0][0]
                let named = (0 ..< n).first { value(snapshots[$0], first.offset, first.bytes) == t[0] }
                failure = named.map { k in .not(any((k ..< n).map { isSnapshot(0, $0) })) } ?? .constant(true)
            case .backwards:
                var older: [Proposition] = []
                for j in 0 ..< n { for i in 0 ..< j { older.append(.and([isSnapshot(0, j), isSnapshot(1, i)])) } }
                failure = any(older)
            }
            cases.append(all(accept + [failure]))
        }
        let (locations, place) = layout(record, accesses: writer.accesses + reader.accesses, guardWord: g)
        var base: [Int: Value] = [:]
        for l in locations.indices { base[ProgramRecorder.baseRegister + l] = Value(location: l) }
        return Program(
            name: "\(s.kind)+\(record)+\(question)", architecture: .aarch64, locations: locations,
            threads: [ProgramThread(instructions: writer.instructions.map(place), initialRegisters: base, registerTypes: writer.registerTypes),
                      ProgramThread(instructions: reader.instructions.map(place), initialRegisters: base, registerTypes: reader.registerTypes)],
            condition: Condition(.exists, any(cases)))
    }

    /// The record's fields, as the kernel names them (the guard word in the padding).
    public static func fields(_ record: SharedRecordKind, _ guardWord: (offset: Int, name: String)?) -> [(offset: Int, bytes: Int, name: String)] {
        let abi: [(Int, Int, String)] = record == .preempted ? [(0, 4, "preempted")]
            : [(0, 4, "revision"), (4, 4, "attributes"), (8, 8, "stolen_time")]
        return abi + (guardWord.map { [($0.offset, 4, $0.name)] } ?? [])
    }

    /// One location per field the code accesses (accesses within one field,
    /// or overlapping, share it), so the litmus reads as the struct does; a
    /// location an access crosses a cache line in starts at that line, so
    /// the checker sees the access misaligned and crossing as it is. Returns
    /// the locations and the relocation of record offsets onto them.
    static func layout(_ record: SharedRecordKind, accesses: [(offset: Int, bytes: Int)], guardWord: (offset: Int, name: String)?)
        -> ([Location], (Instruction) -> Instruction) {
        let fs = fields(record, guardWord)
        func field(_ o: Int, _ n: Int) -> Int? { fs.firstIndex { o >= $0.offset && o + n <= $0.offset + $0.bytes } }
        // Intervals: a field's extent for an access inside one, the access itself otherwise; merged while they overlap.
        var spans: [(start: Int, end: Int)] = accesses.map { a in
            field(a.offset, a.bytes).map { (fs[$0].offset, fs[$0].offset + fs[$0].bytes) } ?? (a.offset, a.offset + a.bytes)
        }
        func anchored(_ s: (start: Int, end: Int)) -> (start: Int, end: Int) {
            s.start / 64 == (s.end - 1) / 64 ? s : (s.start - s.start % 64, s.end)
        }
        while true {
            var out: [(start: Int, end: Int)] = []
            for s in spans.map(anchored).sorted(by: { $0.start < $1.start }) {
                if let last = out.last, s.start < last.end { out[out.count - 1].end = max(last.end, s.end) } else { out.append(s) }
            }
            if out.count == spans.count, zip(out, spans).allSatisfy({ $0 == $1 }) { break }
            spans = out
        }
        let locations = spans.map { s -> Location in
            let size = s.end - s.start
            // The fields an access in the span covers or lies in; none for a field placed off the ABI layout.
            let names = fs.filter { f in
                accesses.contains { a in
                    a.offset >= s.start && a.offset < s.end
                        && (f.offset >= a.offset && f.offset + f.bytes <= a.offset + a.bytes
                            || a.offset >= f.offset && a.offset + a.bytes <= f.offset + f.bytes)
                }
            }.map(\.name)
            let name = names.isEmpty ? "lines" : names.joined(separator: "_")
            if [1, 2, 4, 8].contains(size) { return Location(name: name, type: ValueType(bytes: size, signed: false)) }
            let element = [4, 2, 1].first { size % $0 == 0 }!
            return Location(name: name, type: ValueType(bytes: element, signed: false), count: size / element)
        }
        let place: (Instruction) -> Instruction = { i in
            func moved(_ a: Address) -> Address {
                let o = Int(a.offset)
                let l = spans.firstIndex { o >= $0.start && o < $0.end }!
                return Address(base: .register(ProgramRecorder.baseRegister + l), offset: Int64(o - spans[l].start))
            }
            switch i {
            case let .load(d, a, n, o, x): return .load(destination: d, address: moved(a), bytes: n, ordering: o, exclusive: x)
            case let .store(v, a, n, o, st): return .store(source: v, address: moved(a), bytes: n, ordering: o, status: st)
            default: return i
            }
        }
        return (locations, place)
    }

    /// The models a strategy claims to be safe under.
    public static func claims(_ kind: StrategyKind) -> [ModelKind] { kind.claimedModels }

    /// Every question under every model in `models` for one strategy × record.
    public static func check(_ kind: StrategyKind, _ record: SharedRecordKind, models: [ModelKind] = models) -> [StrategyVerdict] {
        let s = recordable(kind, record)
        var out: [StrategyVerdict] = []
        for q in questions(s) {
            var program: Program?
            var refusal = s == nil ? notRecordable(kind) : nil
            if let s {
                do { program = try self.program(s, record: record, q) } catch { refusal = error.description }
            }
            for m in models {
                var v = StrategyVerdict(strategy: kind, record: record, question: q, model: m,
                                        verdict: .notModelled, claimed: kind.claimedModels.contains(m))
                v.reason = refusal
                if let p = program {
                    do {
                        // Under lkmm: the program as LKMM C, its witness that C.
                        let c = m == .lkmm ? try lkmm(p) : nil
                        let r = try ModelChecker.check(c?.program ?? p, model: m)
                        v.verdict = ModelAnswer(allowed: r.allowed)
                        if r.allowed { v.witness = c?.text ?? AArch64Litmus.text(p) }
                    } catch {
                        v.reason = "\(error)"
                    }
                }
                out.append(v)
            }
        }
        // A forbidden tear says nothing about a value the guard word misnames: say so where that is allowed.
        for i in out.indices where out[i].question == .torn && out[i].verdict == .forbidden {
            if out.contains(where: { $0.question == .inconsistent && $0.model == out[i].model && $0.verdict == .allowed }) {
                out[i].note = "the loads cannot tear (single-copy atomic), but the value can be older than the \(s?.guardWord?.name ?? "guard") word the reader accepted says (see inconsistent)"
            }
        }
        return out
    }
}
