import Foundation
import PVABI
import Synchronization
import Testing
@testable import PVRuntime

/// A zeroed, page-aligned scratch block standing for shared memory.
final class Scratch {
    let base: UnsafeMutableRawPointer
    init(bytes: Int = 4096) {
        base = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 4096)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
    }
    deinit { base.deallocate() }
}

func roundTrip<S: OrderingStrategy>(_: S.Type, base: UnsafeMutableRawPointer, mode: DetectorMode) -> Bool {
    StrategyLoops.prepare(S.self, base: base, mode: mode)
    var value = TornReadDetector<S.Target>.initialValue(mode: mode)
    for n in UInt64(1) ... 1000 {
        value = TornReadDetector<S.Target>.writerValue(n, mode: mode)
        S.write(base, value)
        var retries: UInt64 = 0
        guard S.read(base, retries: &retries) == value, retries == 0 else { return false }
    }
    return true
}

@Suite("Ordering strategies")
struct StrategyTests {
    static let pairs: [(StrategyKind, SharedRecordKind)] = StrategyKind.allCases.flatMap { s in s.targets.map { (s, $0) } }

    @Test("the registry's types match their names and targets")
    func registry() throws {
        for strategy in StrategyKind.allCases {
            for target in SharedRecordKind.allCases {
                let type = strategy.strategyType(for: target)
                #expect((type != nil) == strategy.applies(to: target), "\(strategy) on \(target)")
                if let type {
                    func check<S: OrderingStrategy>(_: S.Type) {
                        #expect(S.kind == strategy)
                        #expect(S.Target.kind == target)
                        #expect(S.footprint >= target.valueSize)
                    }
                    check(type)
                }
            }
        }
        #expect(StrategyKind.allCases.filter { !$0.claimsSafety } == [.seqlockNoFence, .splitHalves, .straddle, .flagThenData])
        #expect(throws: StrategyNameError.self) { try StrategyKind.named("relaxd") }
        #expect(StrategyNameError(name: "x").description.contains("seqlock"))
    }

    @Test("single-thread round trip: every read returns the last write", arguments: StrategyTests.pairs.map { "\($0.0)/\($0.1)" })
    func roundTrips(name: String) throws {
        let parts = name.split(separator: "/").map(String.init)
        let type = try #require(try StrategyKind.named(parts[0]).strategyType(for: SharedRecordKind(rawValue: parts[1])!))
        for mode in DetectorMode.allCases {
            let scratch = Scratch()
            let ok = roundTrip(type, base: scratch.base + 64, mode: mode)
            #expect(ok, "\(name) \(mode)")
        }
    }

    @Test("the seqlock's sequence word is in the kernel struct's padding and ends even")
    func seqlockSequence() {
        let scratch = Scratch()
        let base = scratch.base + 64
        for n in UInt64(1) ... 5 { SeqLockStrategy.StolenTime.write(base, n) }
        #expect(SharedU32(base + 16).loadRelaxed() == 10)
        for n in UInt64(1) ... 5 { CKSequenceStrategy.StolenTime.write(base + 128, n) }
        #expect(SharedU32(base + 128 + 16).loadRelaxed() == 10)
        #expect(SeqLockStrategy.StolenTime.footprint <= StolenTimeLayout.kernelStructSize)
        #expect(SeqLockStrategy.StolenTime.footprint > StolenTimeLayout.size)  // does not fit a packed 16-byte stride
    }

    @Test("a reader retries while the sequence is odd, and returns once it is even")
    func seqlockRetriesWhileOdd() {
        let scratch = Scratch()
        let base = scratch.base
        SeqLockStrategy.StolenTime.write(base, 42)
        SharedU32(base + 16).storeRelaxed(3)  // a writer stalled mid-update
        let started = StopFlag(), finished = StopFlag()
        let result = Mutex<(UInt64, UInt64)>((0, 0))
        let address = UInt(bitPattern: base)
        let reader = Thread {
            let base = UnsafeMutableRawPointer(bitPattern: address)!
            started.stop()
            var retries: UInt64 = 0
            let v = SeqLockStrategy.StolenTime.read(base, retries: &retries)
            result.withLock { $0 = (v, retries) }
            finished.stop()
        }
        reader.start()
        while !started.isStopped {}
        usleep(20_000)
        #expect(!finished.isStopped, "the reader returned while the sequence was odd")
        SharedU32(base + 16).storeRelease(4)  // the writer finishes
        while !finished.isStopped {}
        let (v, retries) = result.withLock { $0 }
        #expect(v == 42)
        #expect(retries > 0)
    }

    @Test("straddle fields cross a cache line; the others do not")
    func straddlePlacement() {
        #expect(StraddleStrategy.stolenTimeOffset < 64 && StraddleStrategy.stolenTimeOffset + 8 > 64)
        #expect(StraddleStrategy.preemptedOffset < 64 && StraddleStrategy.preemptedOffset + 4 > 64)
        let scratch = Scratch()
        #expect(StraddleStrategy.StolenTime.fits(base: scratch.base, stride: 4096))
        #expect(!StraddleStrategy.StolenTime.fits(base: scratch.base, stride: 64))
        #expect(!StraddleStrategy.StolenTime.fits(base: scratch.base + 8, stride: 4096))
        #expect(!SeqLockStrategy.Record.fits(base: scratch.base, stride: 16))
        #expect(RelaxedStrategy.StolenTime.fits(base: scratch.base, stride: 16))
    }
}
