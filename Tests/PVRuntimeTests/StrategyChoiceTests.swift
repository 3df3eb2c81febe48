import Testing
@testable import PVRuntime

/// A case's strategy, built-in or C file: dispatch reaches the right
/// concrete type, and each C slot calls its own file's functions.
@Suite("Strategy choice: built-ins and C file slots", .serialized)
struct StrategyChoiceTests {
    /// Reads and writes once through the dispatched type on a zeroed record.
    private struct RoundTrip: RecordVisitor {
        let value: UInt32
        func visit<S: RecordStrategy>(_: S.Type) -> UInt32 {
            let base = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
            defer { base.deallocate() }
            base.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
            S.write(base, S.Target.stressValue(value))
            var retries: UInt64 = 0
            return S.Target.stressIndex(S.read(base, retries: &retries)) ?? .max
        }
    }

    @Test("a built-in goes through its kind's dispatch, for the records it has a pair for")
    func builtIn() throws {
        for kind in StrategyKind.allCases {
            for target in SharedRecordKind.allCases {
                let r = try StrategyChoice.builtIn(kind).dispatch(target, to: RoundTrip(value: 5))
                #expect((r != nil) == kind.applies(to: target), "\(kind) on \(target)")
                if r != nil, kind != .flagThenData { #expect(r == 5, "\(kind) on \(target)") }
            }
        }
    }

    /// The steal pair of slot 2 adds 100 to what it stores, slot 3's 200:
    /// each slot reads its own file's functions.
    @Test("two slots call two files: each its own functions")
    func slotsAreSeparate() throws {
        let write2: CStrategyFunctions.StealWrite = { base, v in base!.advanced(by: 8).storeBytes(of: v &+ 100, as: UInt64.self) }
        let write3: CStrategyFunctions.StealWrite = { base, v in base!.advanced(by: 8).storeBytes(of: v &+ 200, as: UInt64.self) }
        let read: CStrategyFunctions.StealRead = { base, _ in base!.advanced(by: 8).load(as: UInt64.self) }
        let r = unsafeBitCast(read, to: UnsafeMutableRawPointer.self)
        CStrategyFunctions.bind(slot: 2, .stolenTime, read: r, write: unsafeBitCast(write2, to: UnsafeMutableRawPointer.self))
        CStrategyFunctions.bind(slot: 3, .stolenTime, read: r, write: unsafeBitCast(write3, to: UnsafeMutableRawPointer.self))
        struct Stored: RecordVisitor {
            func visit<S: RecordStrategy>(_: S.Type) -> UInt64 {
                let base = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
                defer { base.deallocate() }
                base.initializeMemory(as: UInt8.self, repeating: 0, count: 64)
                var retries: UInt64 = 0
                S.write(base, UInt64(1) as! S.Target.Value)
                return S.read(base, retries: &retries) as! UInt64
            }
        }
        let two = StrategyChoice.cFile(LoadedCStrategy(name: "two", source: "two.c", slot: 2, targets: [.stolenTime]))
        let three = StrategyChoice.cFile(LoadedCStrategy(name: "three", source: "three.c", slot: 3, targets: [.stolenTime]))
        #expect(try two.dispatch(.stolenTime, to: Stored()) == 101)
        #expect(try three.dispatch(.stolenTime, to: Stored()) == 201)
        #expect(try two.dispatch(.preempted, to: Stored()) == nil, "no preempted pair: does not apply")
        #expect(two.description == "two" && two.claimsSafety && two.builtIn == nil)
        #expect(two.strategyType(for: .stolenTime)?.footprint == 64)
        #expect(two.strategyType(for: .preempted) == nil)
    }
}
