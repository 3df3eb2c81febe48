import Foundation
import Synchronization
import Testing
@testable import PVRuntime
import PVTestSupport
import PVABI

/// Write numbers worth testing: the start, block edges, carries into 2^32, the end, and random ones.
func specIndices(seed: UInt64, count: Int) -> [UInt64] {
    var g = SeededGenerator(seed: seed)
    var result: [UInt64] = [0, 1, 2, 4095, 4096, 8191, 8192, 8193, 1 << 26, 1 << 40,
                            SpecSequence.lastIndex - 1, SpecSequence.lastIndex]
    while result.count < count { result.append(UInt64.random(in: 0 ... SpecSequence.lastIndex, using: &g)) }
    return result
}

/// A value whose byte `i` is `a`'s when bit `i` of `mask` is 0, `b`'s when 1.
func mix64(_ a: UInt64, _ b: UInt64, mask: UInt32) -> UInt64 {
    let m = byteMask(mask)
    return a & ~m | b & m
}

@Suite("Spec sequence: O(1) membership with a stated detection power")
struct SpecSequenceTests {
    @Test("every write's value decodes to its own number, and its neighbours in value to none")
    func roundTrip() {
        for n in specIndices(seed: 11, count: 100_000) {
            let v = SpecSequence.value(n)
            #expect(SpecSequence.index(of: v) == n)
            #expect(SpecSequence.index(of: v &+ 1) == nil)
            #expect(SpecSequence.index(of: v &- 1) == nil || SpecSequence.index(of: v &- 1) == n - 1)
            #expect(SpecSequence.rank(below: v) == n)
            #expect(SpecSequence.rank(below: v &+ 1) == n + 1)
        }
        #expect(SpecSequence.value(SpecSequence.lastIndex + 5) == SpecSequence.value(SpecSequence.lastIndex))
        #expect(SpecSequence.index(of: SpecSequence.start - 1) == nil)
        #expect(SpecSequence.index(of: .max) == nil)
    }

    @Test("values grow by run_delay-like deltas, with a large one every 8192 writes, and cross 2^32 often")
    func realisticDeltas() {
        var crossings = 0, large = 0
        var previous = SpecSequence.value(0)
        #expect(previous < 1 << 32 && previous > (1 << 32) - 10_000_000)
        for n in UInt64(1) ... 200_000 {
            let v = SpecSequence.value(n)
            let delta = v - previous  // traps if the sequence ever went down
            if n % 8192 == 0 {
                large += 1
                #expect(delta > 1 << 33 && delta < 1 << 34, "write \(n): \(delta)")
            } else {
                #expect(delta > 500_000 && delta < 1_600_000, "write \(n): \(delta) ns")
            }
            if v >> 32 != previous >> 32 { crossings += 1 }
            previous = v
        }
        #expect(large == 24)
        #expect(crossings >= 48)
        print("spec sequence: 200000 writes, \(crossings) carries into the high half, \(large) large deltas")
    }

    @Test("a byte mix of two writes passes membership with probability at most 2^-16 (every byte split of sampled pairs)")
    func detectionPower() {
        var g = SeededGenerator(seed: 12)
        var mixes = 0, passed = 0
        for i in 0 ..< 6_000 {
            let a = UInt64.random(in: 0 ... SpecSequence.lastIndex - 1_000_000, using: &g)
            // Neighbours (what real tears mix), writes a block or more apart, and unrelated ones.
            let b: UInt64 = switch i % 3 {
            case 0: a + UInt64.random(in: 1 ... 64, using: &g)
            case 1: a + UInt64.random(in: 8_000 ... 1_000_000, using: &g)
            default: UInt64.random(in: 0 ... SpecSequence.lastIndex, using: &g)
            }
            let va = SpecSequence.value(a), vb = SpecSequence.value(b)
            for mask in UInt32(1) ..< 0xFF {
                let m = mix64(va, vb, mask: mask)
                if m == va || m == vb { continue }
                mixes += 1
                if let n = SpecSequence.index(of: m) {
                    // Passing means being a written value: the check is exact membership.
                    #expect(SpecSequence.value(n) == m)
                    passed += 1
                }
            }
        }
        #expect(mixes > 500_000)
        #expect(Double(passed) <= Double(mixes) / 65_536, "\(passed) of \(mixes) mixes passed")
        print("spec sequence: \(passed) of \(mixes) distinct byte mixes of 6000 write pairs are written values "
            + "(bound 2^-16 allows \(mixes / 65_536))")
    }

    @Test("every byte mix of two nearby writes is torn and named, whatever the reader last saw nearby")
    func nearbyMixesAreNamed() {
        var g = SeededGenerator(seed: 13)
        var torn = 0
        for _ in 0 ..< 80 {
            let a = UInt64.random(in: 100 ... SpecSequence.lastIndex - 100, using: &g)
            let b = a + UInt64.random(in: 1 ... 40, using: &g)
            let va = SpecSequence.value(a), vb = SpecSequence.value(b)
            let last = a - UInt64.random(in: 0 ... 40, using: &g)
            for mask in UInt32(1) ..< 0xFF {
                let m = mix64(va, vb, mask: mask)
                if m == va || m == vb || SpecSequence.index(of: m) != nil { continue }
                var d = TornReadDetector<StolenTimeFieldTarget>(mode: .spec, initial: SpecSequence.value(last))
                d.observe(m)
                #expect(d.counts.torn == 1 && d.counts.unexplained == 0, "mask \(mask) of \(a), \(b)")
                if let mixed = d.firstViolation?.mixed {
                    let (x, y) = (SpecSequence.value(mixed.first), SpecSequence.value(mixed.second))
                    #expect(StolenTimeFieldTarget.equalBytes(x, m) | StolenTimeFieldTarget.equalBytes(y, m) == 0xFF)
                }
                torn += 1
            }
        }
        #expect(torn > 10_000)
    }

    @Test("a reader that lags 2^40 writes, or jumps about, sees no torn or backwards value", arguments: DetectorMode.allCases)
    func pathologicalLag(mode: DetectorMode) {
        func run<T: SharedTarget>(_: T.Type) -> ReaderCounts {
            var d = TornReadDetector<T>(mode: mode)
            var n: UInt64 = 0
            for jump: UInt64 in [1, 1 << 40, 3, 1 << 26, 1 << 33, 7, (1 << 29) - 1, 1, 1 << 40, 12_345] {
                n += jump
                let value = TornReadDetector<T>.writerValue(n, mode: mode)
                d.observe(value)
                d.observe(value)
            }
            return d.counts
        }
        for counts in [run(StolenTimeFieldTarget.self), run(StolenTimeRecordTarget.self), run(PreemptedFlagTarget.self)] {
            #expect(counts.reads == 20)
            #expect(counts.torn == 0 && counts.backwards == 0, "\(counts)")
            // Only stress mode's 32-bit index can lose track of order, and it says so.
            if mode != .stress { #expect(counts.undecided == 0) }
        }
    }

    @Test("a reader stopped for long spells while a writer runs flat out sees no violation")
    func stoppedReader() throws {
        func race<S: OrderingStrategy>(_: S.Type, mode: DetectorMode) -> ReaderCounts {
            let scratch = Scratch()
            let base = scratch.base + 64
            StrategyLoops.prepare(S.self, base: base, mode: mode)
            let stop = StopFlag()
            let address = UInt(bitPattern: base)
            let writer = Thread {
                _ = StrategyLoops.runWriter(S.self, base: UnsafeMutableRawPointer(bitPattern: address)!, mode: mode, stop: stop)
            }
            writer.start()
            var d = TornReadDetector<S.Target>(mode: mode)
            for _ in 0 ..< 4 {
                StrategyLoops.runReader(S.self, base: base, detector: &d, maxReads: 2_000, stop: StopFlag())
                usleep(25_000)  // the reader is descheduled; the writer runs on
            }
            stop.stop()
            while !writer.isFinished { usleep(1_000) }
            return d.counts
        }
        for kind in StrategyKind.allCases where kind.claimsSafety {
            for target in kind.targets {
                let type = try #require(kind.strategyType(for: target))
                for mode in [DetectorMode.spec, .stress] {
                    let counts = race(type, mode: mode)
                    #expect(counts.violations == 0, "\(kind)/\(target)/\(mode): \(counts)")
                    #expect(counts.reads == 8_000)
                }
            }
        }
    }
}
