import Testing
import PVModel
import PVRuntime

/// The programs the checker analyses are recorded from the strategies' own
/// code: these tests pin what that code does, written out instruction by
/// instruction, so a change to a strategy's accesses, orderings or fences
/// fails here unless the expectation (and so the model) follows.
@Suite("StrategyModel")
struct StrategyModelTests {
    static func x(_ l: Int, _ offset: Int64 = 0) -> Address { Address(base: .register(20 + l), offset: offset) }
    static func ld(_ d: Int, _ a: Address, _ n: Int, _ o: LoadOrdering = .plain) -> Instruction {
        .load(destination: d, address: a, bytes: n, ordering: o, exclusive: false)
    }
    static func st(_ v: UInt64, _ a: Address, _ n: Int, _ o: StoreOrdering = .plain) -> Instruction {
        .store(source: .immediate(v), address: a, bytes: n, ordering: o, status: nil)
    }
    /// Updates 1 and 2 (every 16-bit piece is the update's number).
    static let u1: UInt64 = 0x0001_0001_0001_0001, u2: UInt64 = 0x0002_0002_0002_0002

    static func torn(_ kind: StrategyKind, _ record: SharedRecordKind) throws -> Program {
        try StrategyModel.program(#require(StrategyModel.recordable(kind, record)), record: record, .torn)
    }

    @Test("single-access strategies record one load and one store per update, with the ordering their type names")
    func singleAccess() throws {
        for (kind, load, store) in [(StrategyKind.relaxed, LoadOrdering.plain, StoreOrdering.plain),
                                    (.acquireRelease, .acquire, .release), (.seqCst, .acquire, .release)] {
            let t = try Self.torn(kind, .stolenTime)
            #expect(t.locations.map(\.name) == ["stolen_time"])
            #expect(t.threads[0].instructions == [Self.st(Self.u1, Self.x(0), 8, store), Self.st(Self.u2, Self.x(0), 8, store)], "\(kind) writer")
            #expect(t.threads[1].instructions == [Self.ld(0, Self.x(0), 8, load)], "\(kind) reader")
            let p = try Self.torn(kind, .preempted)
            #expect(p.threads[0].instructions == [Self.st(0x1_0001, Self.x(0), 4, store), Self.st(0x2_0002, Self.x(0), 4, store)])
            #expect(p.threads[1].instructions == [Self.ld(0, Self.x(0), 4, load)])
        }
    }

    /// The seqlock writer's update `k` on the record (X20 revision_attributes, X21 stolen_time, X22 sequence).
    static func seqlockWrite(_ k: UInt64, fenced: Bool) -> [Instruction] {
        [ld(Int(k) - 1, x(2), 4), st(2 * k - 1, x(2), 4)] + (fenced ? [.fence(.dmbFull)] : [])
            + [st(u1 * k, x(0), 8), st(u1 * k, x(1), 8), st(2 * k, x(2), 4, fenced ? .release : .plain)]
    }

    @Test("seqlock and seqlock-nofence record the writer's update and the reader's accepted attempt")
    func seqlock() throws {
        for (kind, fenced) in [(StrategyKind.seqlock, true), (.seqlockNoFence, false)] {
            let p = try Self.torn(kind, .record)
            #expect(p.locations.map(\.name) == ["revision_attributes", "stolen_time", "sequence"])
            #expect(p.threads[0].instructions == Self.seqlockWrite(1, fenced: fenced) + Self.seqlockWrite(2, fenced: fenced), "\(kind) writer")
            #expect(p.threads[1].instructions == [Self.ld(0, Self.x(2), 4, fenced ? .acquire : .plain), Self.ld(1, Self.x(0), 8),
                                                  Self.ld(2, Self.x(1), 8)] + (fenced ? [.fence(.dmbLoad)] : []) + [Self.ld(3, Self.x(2), 4)],
                    "\(kind) reader")
        }
        let field = try Self.torn(.seqlock, .stolenTime)
        #expect(field.locations.map(\.name) == ["stolen_time", "sequence"])
        #expect(field.threads[1].instructions == [Self.ld(0, Self.x(1), 4, .acquire), Self.ld(1, Self.x(0), 8), .fence(.dmbLoad),
                                                  Self.ld(2, Self.x(1), 4)])
    }

    @Test("split-halves, straddle and flag-then-data record the accesses they make")
    func others() throws {
        let halves = try Self.torn(.splitHalves, .stolenTime)
        #expect(halves.locations.map(\.name) == ["stolen_time"])
        #expect(halves.threads[0].instructions == [Self.st(0x1_0001, Self.x(0), 4), Self.st(0x1_0001, Self.x(0, 4), 4),
                                                   Self.st(0x2_0002, Self.x(0), 4), Self.st(0x2_0002, Self.x(0, 4), 4)])
        #expect(halves.threads[1].instructions == [Self.ld(0, Self.x(0), 4), Self.ld(1, Self.x(0, 4), 4)])
        // The field 4 bytes before a line boundary: one location from the line's start, accessed at 60.
        let straddle = try Self.torn(.straddle, .stolenTime)
        #expect(straddle.locations.map(\.byteSize) == [68])
        #expect(straddle.threads[1].instructions == [Self.ld(0, Self.x(0, 60), 8)])
        let flag = try StrategyModel.program(#require(StrategyModel.recordable(.flagThenData, .stolenTime)), record: .stolenTime, .inconsistent)
        #expect(flag.locations.map(\.name) == ["stolen_time", "valid"])
        #expect(flag.threads[0].instructions == [Self.st(Self.u1, Self.x(0), 8), Self.st(1, Self.x(1), 4)])
        #expect(flag.threads[1].instructions == [Self.ld(0, Self.x(1), 4), Self.ld(1, Self.x(0), 8)])
    }

    /// Every strategy × record × question × model, checked once for all the tests below.
    static let all: [StrategyVerdict] = StrategyKind.allCases.flatMap { k in k.targets.flatMap { StrategyModel.check(k, $0) } }

    static func check(_ kind: StrategyKind, _ record: SharedRecordKind) -> [StrategyVerdict] {
        all.filter { $0.strategy == kind && $0.record == record }
    }

    /// Verdicts by question, in the order armv8, x86-tso, sc.
    static func verdicts(_ kind: StrategyKind, _ record: SharedRecordKind) -> [ModelQuestion: [ModelAnswer]] {
        var out: [ModelQuestion: [ModelAnswer]] = [:]
        for v in check(kind, record) { out[v.question, default: []].append(v.verdict) }
        return out
    }

    static let forbidden: [ModelAnswer] = [.forbidden, .forbidden, .forbidden]
    static let armOnly: [ModelAnswer] = [.allowed, .forbidden, .forbidden]

    @Test("verdicts: safe strategies forbidden everywhere, the unsafe ones allowed where the models allow them")
    func verdictTable() {
        for kind in [StrategyKind.relaxed, .acquireRelease, .seqCst] {
            for record in kind.targets {
                #expect(Self.verdicts(kind, record) == [.torn: Self.forbidden, .backwards: Self.forbidden], "\(kind)/\(record)")
            }
        }
        for record in StrategyKind.seqlock.targets {
            #expect(Self.verdicts(.seqlock, record) == [.torn: Self.forbidden, .backwards: Self.forbidden, .inconsistent: Self.forbidden])
        }
        #expect(Self.verdicts(.seqlockNoFence, .record)[.torn] == Self.armOnly)
        let field = Self.verdicts(.seqlockNoFence, .stolenTime)
        #expect(field[.torn] == Self.forbidden)
        #expect(field[.inconsistent] == Self.armOnly)
        #expect(Self.verdicts(.flagThenData, .stolenTime)[.inconsistent] == Self.armOnly)
        for kind in [StrategyKind.splitHalves, .straddle] {
            for record in kind.targets {
                #expect(Self.verdicts(kind, record)[.torn] == [.allowed, .allowed, .allowed], "\(kind)/\(record)")
            }
        }
    }

    @Test("lkmm: the recorded program as LKMM C — the seqlock forbids a tear, without its barriers it allows one, the witness is the C")
    func lkmm() {
        func lkmm(_ k: StrategyKind, _ r: SharedRecordKind, _ q: ModelQuestion) -> StrategyVerdict? {
            StrategyModel.check(k, r, models: [.lkmm]).first { $0.question == q }
        }
        for q in ModelQuestion.allCases { #expect(lkmm(.seqlock, .record, q)?.verdict == .forbidden, "seqlock/record \(q)") }
        let torn = lkmm(.seqlockNoFence, .record, .torn)
        #expect(torn?.verdict == .allowed && torn?.claimed == false)
        #expect(torn?.witness?.hasPrefix("C seqlock-nofence+record+torn") == true)
        #expect(lkmm(.flagThenData, .stolenTime, .inconsistent)?.verdict == .allowed)
        // Mixed-size accesses have no LKMM C: not modelled, with the writer's reason.
        let split = lkmm(.splitHalves, .stolenTime, .torn)
        #expect(split?.verdict == .notModelled && split?.reason?.contains("mixed-size") == true)
    }

    @Test("claims are per model: an allowed failure breaks a claim only under a model the strategy claims")
    func claims() {
        #expect(StrategyKind.seqlockNoFence.claimedModels == [.x86TSO])
        #expect(StrategyKind.splitHalves.claimedModels.isEmpty)
        #expect(Set(StrategyKind.seqlock.claimedModels) == Set(StrategyModel.validateModels))
        let broken = Self.all.filter(\.violatesClaim).map { "\($0.strategy)/\($0.record) \($0.question) \($0.model)" }
        #expect(broken.isEmpty, "\(broken)")
        let nofence = Self.check(.seqlockNoFence, .record).first { $0.question == .torn && $0.model == .armv8 }
        #expect(nofence?.cell == "allowed (torn as expected)")
        #expect(nofence?.witness?.contains("exists") == true)
        let note = Self.check(.seqlockNoFence, .stolenTime).first { $0.question == .torn && $0.model == .armv8 }
        #expect(note?.note?.contains("inconsistent") == true)
    }

    @Test("code the recorder cannot see is 'not modelled' with its reason, never forbidden")
    func notModelled() {
        for (kind, record, words) in [(StrategyKind.doubleWord, SharedRecordKind.record, "LDXP/STXP"), (.ckSequence, .record, "calls C"),
                                      (.ckSequence, .stolenTime, "calls C")] {
            let verdicts = Self.check(kind, record)
            #expect(!verdicts.isEmpty)
            for v in verdicts {
                #expect(v.verdict == .notModelled)
                #expect(v.reason?.contains(words) == true, "\(kind): \(v.reason ?? "no reason")")
                #expect(!v.violatesClaim)
            }
        }
    }

    @Test("the emitted AArch64 litmus reads back with the same verdict under every model")
    func roundTrip() throws {
        var checked = 0
        for kind in StrategyKind.allCases {
            for record in kind.targets {
                guard let s = StrategyModel.recordable(kind, record) else { continue }
                for q in StrategyModel.questions(s) {
                    let p: Program
                    do { p = try StrategyModel.program(s, record: record, q) } catch {
                        // A refusal is the verdict table's "not modelled", with this reason.
                        let rows = Self.check(kind, record).filter { $0.question == q }
                        #expect(!rows.isEmpty && rows.allSatisfy { $0.verdict == .notModelled && $0.reason == error.description },
                                "\(kind)/\(record) \(q) refused (\(error)) but the table says \(rows.map(\.verdict))")
                        continue
                    }
                    checked += 1
                    let back = try LitmusParser.parse(AArch64Litmus.text(p))
                    for m in StrategyModel.models {
                        #expect(try ModelChecker.check(back, model: m).allowed == ModelChecker.check(p, model: m).allowed,
                                "\(p.name) under \(m)")
                    }
                }
            }
        }
        // Every (strategy, record, question) the verdict table models was written out and read back.
        let modelled = Set(Self.all.filter { $0.verdict != .notModelled }.map { "\($0.strategy)/\($0.record)/\($0.question)" })
        #expect(modelled.count >= 20, "only \(modelled.count) modelled questions")
        #expect(checked >= modelled.count, "\(checked) round trips for \(modelled.count) modelled questions")
    }
}
