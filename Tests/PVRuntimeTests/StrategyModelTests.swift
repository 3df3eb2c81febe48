import Testing
import PVModel
import PVRuntime

/// The programs the checker analyses are recorded from the strategies' own
/// code: these tests pin what that code does, so a change to a strategy's
/// access or ordering shows here (and in the verdicts) instead of drifting.
@Suite("StrategyModel")
struct StrategyModelTests {
    /// What each single-access strategy's code must record, per record: the
    /// reader's load and the writer's store (AArch64, after the C11 mapping).
    static let expected: [(StrategyKind, LoadOrdering, StoreOrdering)] = [
        (.relaxed, .plain, .plain), (.acquireRelease, .acquire, .release), (.seqCst, .acquire, .release),
    ]

    @Test("single-access strategies record one load and one store each, with the ordering their type names")
    func recorded() throws {
        for (kind, load, store) in Self.expected {
            for (record, bytes, register) in [(SharedRecordKind.stolenTime, 8, 12), (.preempted, 4, 10)] {
                let s = try #require(StrategyModel.recordable(kind, record))
                let p = StrategyModel.program(s, record: record, .torn)
                #expect(p.threads[1].instructions == [
                    .load(destination: 0, address: Address(base: .register(register)), bytes: bytes, ordering: load, exclusive: false),
                ], "\(kind)/\(record) reader")
                let (v1, v2) = bytes == 8 ? (UInt64(0x1_0000_0001), UInt64(0x2_0000_0002)) : (1, 2)
                #expect(p.threads[0].instructions == [v1, v2].map {
                    .store(source: .immediate($0), address: Address(base: .register(register)), bytes: bytes, ordering: store, status: nil)
                }, "\(kind)/\(record) writer")
            }
        }
    }

    @Test("an aligned single access neither tears nor goes backwards under ARMv8, x86-TSO or SC")
    func singleAccessSafe() {
        for (kind, _, _) in Self.expected {
            for record in kind.targets {
                let verdicts = StrategyModel.check(kind, record)
                #expect(verdicts.count == 6)
                for v in verdicts {
                    #expect(v.verdict == "forbidden", "\(kind)/\(record) \(v.question) under \(v.model): \(v.verdict) \(v.reason ?? "")")
                    #expect(v.claimed)
                }
            }
        }
    }

    @Test("a strategy not yet recordable is 'not modelled' with its reason, never forbidden")
    func notModelled() {
        for v in StrategyModel.check(.doubleWord, .record) {
            #expect(v.verdict == "not modelled")
            #expect(v.reason != nil)
            #expect(!v.violatesClaim)
        }
    }

    @Test("the emitted AArch64 litmus reads back with the same verdict under every model")
    func roundTrip() throws {
        for (kind, _, _) in Self.expected {
            for record in kind.targets {
                let s = try #require(StrategyModel.recordable(kind, record))
                for q in ModelQuestion.allCases {
                    let p = StrategyModel.program(s, record: record, q)
                    let back = try LitmusParser.parse(AArch64Litmus.text(p))
                    for m in StrategyModel.models {
                        #expect(try ModelChecker.check(back, model: m).allowed == ModelChecker.check(p, model: m).allowed,
                                "\(p.name) under \(m)")
                    }
                }
            }
        }
    }
}
