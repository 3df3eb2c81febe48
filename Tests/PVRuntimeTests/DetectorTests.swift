import Testing
@testable import PVRuntime
import PVTestSupport
import PVABI

/// Byte `i` of the result is `a`'s when bit `i` of `mask` is 0, `b`'s when 1.
func mixBytes(_ a: [UInt8], _ b: [UInt8], mask: UInt32) -> [UInt8] {
    (0 ..< a.count).map { mask >> $0 & 1 == 0 ? a[$0] : b[$0] }
}

/// Every byte-wise mix of `a` and `b` that is neither of them, read back
/// little-endian (masks 1 to all-but-one: the first and last are `a` and `b`).
func distinctMixes<V: FixedWidthInteger>(of a: [UInt8], _ b: [UInt8], as _: V.Type) -> [V] {
    (UInt32(1) ..< (1 << UInt32(a.count)) - 1).compactMap { mask in
        let m = mixBytes(a, b, mask: mask)
        guard m != a, m != b else { return nil }
        return m.enumerated().reduce(V(0)) { $0 | V($1.element) << (8 * $1.offset) }
    }
}

/// A 64-bit mask with byte `i` all ones when bit `i` of `bits` is set.
func byteMask(_ bits: UInt32) -> UInt64 {
    var m: UInt64 = 0
    for i in 0 ..< 8 where bits >> UInt32(i) & 1 == 1 { m |= UInt64(0xFF) << UInt64(8 * i) }
    return m
}

func pairs(count: Int, seed: UInt64) -> [(UInt32, UInt32)] {
    var g = SeededGenerator(seed: seed)
    var result: [(UInt32, UInt32)] = [(0, 1), (1, 2), (0xFF, 0x100), (0xFFFF, 0x1_0000), (0xFFFF_FFFE, 0xFFFF_FFFF)]
    while result.count < count {
        let a = UInt32.random(in: 0 ... .max, using: &g)
        // Half neighbours (what a tear between consecutive writes gives), half far apart.
        let b = result.count.isMultiple(of: 2) ? a &+ UInt32.random(in: 1 ... 300, using: &g) : UInt32.random(in: 0 ... .max, using: &g)
        if a != b { result.append((a, b)) }
    }
    return result
}

@Suite("Torn-read detector")
struct DetectorTests {
    @Test("StressHash.unmix inverts mix")
    func hashInverse() {
        var g = SeededGenerator(seed: 1)
        for x in [0, 1, 0xFFFF_FFFF, 0x8000_0000] + (0 ..< 10_000).map({ _ in UInt32.random(in: 0 ... .max, using: &g) }) {
            #expect(StressHash.unmix(StressHash.mix(x)) == x)
        }
    }

    /// Runs `flagged` (how many distinct byte mixes of `a` and `b` it checked,
    /// each recorded as an issue unless flagged) over every pair, expects
    /// more than `minimum` mixes in all, and says how many.
    static func expectEveryMixFlagged(_ what: String, _ pairs: [(UInt32, UInt32)], moreThan minimum: Int,
                                      flagged: (UInt32, UInt32) -> Int) {
        let checked = pairs.reduce(0) { $0 + flagged($1.0, $1.1) }
        #expect(checked > minimum)
        print("\(what): \(checked) distinct byte mixes of \(pairs.count) pairs, all flagged")
    }

    @Test("every byte-wise mix of two stolen-time stress values is flagged torn")
    func fieldMixes() {
        Self.expectEveryMixFlagged("stolen-time stress code", pairs(count: 400, seed: 2), moreThan: 90_000) { a, b in
            let va = StolenTimeFieldTarget.bytes(of: StolenTimeFieldTarget.stressValue(a))
            let vb = StolenTimeFieldTarget.bytes(of: StolenTimeFieldTarget.stressValue(b))
            let mixes = distinctMixes(of: va, vb, as: UInt64.self)
            for value in mixes {
                var d = TornReadDetector<StolenTimeFieldTarget>(mode: .stress, detail: .countsOnly)
                d.observe(value)
                #expect(d.counts.torn == 1, "a mix of \(a), \(b) passed as \(String(value, radix: 16))")
            }
            return mixes.count
        }
    }

    @Test("every byte-wise mix of two record stress values is flagged torn")
    func recordMixes() {
        Self.expectEveryMixFlagged("record stress code", pairs(count: 24, seed: 3), moreThan: 1_500_000) { a, b in
            let va = StolenTimeRecordTarget.stressValue(a), vb = StolenTimeRecordTarget.stressValue(b)
            var checked = 0
            for mask in UInt32(1) ..< 0xFFFF {
                // Mix word-wise with byte masks: fast enough for 65534 masks per pair.
                let lowMask = byteMask(mask & 0xFF), highMask = byteMask(mask >> 8)
                let m = RecordWords(low: va.low & ~lowMask | vb.low & lowMask, high: va.high & ~highMask | vb.high & highMask)
                if m == va || m == vb { continue }
                if StolenTimeRecordTarget.stressIndex(m) != nil {
                    Issue.record("mask \(mask) of \(a), \(b) passed")
                }
                checked += 1
            }
            return checked
        }
    }

    @Test("every byte-wise mix of two flag stress values is flagged torn (all 256 x 255 pairs)")
    func flagMixes() {
        var checked = 0
        for a in UInt32(0) ..< 256 {
            for b in UInt32(0) ..< 256 where a != b {
                let va = PreemptedFlagTarget.bytes(of: PreemptedFlagTarget.stressValue(a))
                let vb = PreemptedFlagTarget.bytes(of: PreemptedFlagTarget.stressValue(b))
                for value in distinctMixes(of: va, vb, as: UInt32.self) {
                    #expect(PreemptedFlagTarget.stressIndex(value) == nil)
                    checked += 1
                }
            }
        }
        #expect(checked == 256 * 255 * 14)
    }

    @Test("legitimate values in write order, with skipped writes, are never flagged", arguments: DetectorMode.allCases)
    func legitimateNeverFlagged(mode: DetectorMode) {
        var g = SeededGenerator(seed: 4)
        func run<T: SharedTarget>(_: T.Type) -> ReaderCounts {
            var d = TornReadDetector<T>(mode: mode)
            var value = TornReadDetector<T>.initialValue(mode: mode)
            d.observe(value)
            for n in UInt64(1) ... 200_000 {
                value = TornReadDetector<T>.writerValue(n, mode: mode)
                // A reader sees some writes twice and skips others.
                let seen = UInt64.random(in: 0 ... 3, using: &g)
                for _ in 0 ..< seen { d.observe(value) }
            }
            return d.counts
        }
        for counts in [run(StolenTimeFieldTarget.self), run(StolenTimeRecordTarget.self), run(PreemptedFlagTarget.self)] {
            #expect(counts.reads > 200_000)
            #expect(counts.violations == 0)
        }
    }

    @Test("stress index that went backwards is flagged")
    func stressBackwards() {
        var d = TornReadDetector<StolenTimeFieldTarget>(mode: .stress)
        d.observe(StolenTimeFieldTarget.stressValue(10))
        d.observe(StolenTimeFieldTarget.stressValue(5))
        d.observe(StolenTimeFieldTarget.stressValue(11))
        #expect(d.counts == ReaderCounts(reads: 3, torn: 0, backwards: 1))
        #expect(d.firstViolation?.kind == .backwards)
        #expect(d.firstViolation?.observed == StolenTimeFieldTarget.bytes(of: StolenTimeFieldTarget.stressValue(5)))
        #expect(d.firstViolation?.previous == StolenTimeFieldTarget.bytes(of: StolenTimeFieldTarget.stressValue(10)))
    }

    @Test("stress index wrapping past 2^32 is not backwards; a jump of 2^30 or more is unordered, not a violation")
    func stressWrap() {
        var d = TornReadDetector<StolenTimeFieldTarget>(mode: .stress)
        // Steps just under 2^30, through the wrap at 2^32.
        for k: UInt32 in [0x3000_0000, 0x6FFF_FFFF, 0xAFFF_FFF0, 0xEFFF_FFE0, 0x2FFF_FFD0, 0x2FFF_FFD3, 0x2FFF_FFD9] {
            d.observe(StolenTimeFieldTarget.stressValue(k))
        }
        #expect(d.counts.violations == 0)
        #expect(d.counts.unordered == 0)
        // 2^31 ahead and 2^31 behind are the same 32-bit index: neither can be told; nor can 2^30.
        d.observe(StolenTimeFieldTarget.stressValue(0x2FFF_FFD9 &+ 0x8000_0000))
        d.observe(StolenTimeFieldTarget.stressValue(0x2FFF_FFD9 &+ 0x8000_0000 &+ 0x4000_0000))
        #expect(d.counts.violations == 0)
        #expect(d.counts.unordered == 2)
        #expect(d.verdict.firstUndecided?.contains("far ahead from far behind") == true)
    }

    @Test("spec and monotonic: stolen time going backwards is flagged", arguments: [DetectorMode.spec, .monotonic])
    func specBackwards(mode: DetectorMode) {
        var d = TornReadDetector<StolenTimeRecordTarget>(mode: mode)
        let values = (UInt64(1) ... 10).map(StolenTimeRecordTarget.specValue)
        d.observe(values[8])
        d.observe(values[3])
        #expect(d.counts.backwards == 1)
        #expect(d.counts.torn == 0)
    }

    @Test("spec: a never-written value no two writes make up is unexplained, not torn; monotonic: broken invariants are torn")
    func specInvariant() {
        var d = TornReadDetector<StolenTimeRecordTarget>(mode: .spec)
        d.observe(RecordWords(revision: 0, attributes: 1, stolenTime: StolenTimeFieldTarget.specStart))
        #expect(d.counts.torn == 0 && d.counts.unexplained == 1)
        var spec = TornReadDetector<PreemptedFlagTarget>(mode: .spec)
        spec.observe(2)  // 0 and 1 mix only into 0 or 1
        #expect(spec.counts.torn == 0 && spec.counts.unexplained == 1)
        #expect(spec.verdict.firstUndecided?.contains("never written") == true)
        var f = TornReadDetector<PreemptedFlagTarget>(mode: .monotonic)
        f.observe(2)
        #expect(f.counts.torn == 1)
    }

    @Test("spec: halves of two writes across a carry are torn, explained by those writes")
    func specSplitAcrossCarry() throws {
        // The first write whose high half differs from its predecessor's.
        var n: UInt64 = 1
        while StolenTimeFieldTarget.specValue(n) >> 32 == StolenTimeFieldTarget.specValue(n - 1) >> 32 { n += 1 }
        let prev = StolenTimeFieldTarget.specValue(n - 1), next = StolenTimeFieldTarget.specValue(n)
        let torn = next & 0xFFFF_FFFF_0000_0000 | prev & 0xFFFF_FFFF  // new high, old low: a jump forward
        var d = TornReadDetector<StolenTimeFieldTarget>(mode: .spec, initial: StolenTimeFieldTarget.specValue(n - 3))
        d.observe(torn)
        #expect(d.counts.torn == 1)
        let mixed = try #require(d.firstViolation?.mixed)
        #expect(mixed.first == n - 1 && mixed.second == n)
        #expect(mixed.explainsEveryByte)
    }

    @Test("stress: a split-halves tear names the two writes it mixed")
    func stressExplanation() throws {
        var d = TornReadDetector<StolenTimeFieldTarget>(mode: .stress)
        d.observe(StolenTimeFieldTarget.stressValue(7))
        let torn = StolenTimeFieldTarget.stressValue(9) & 0xFFFF_FFFF_0000_0000 | StolenTimeFieldTarget.stressValue(8) & 0xFFFF_FFFF
        d.observe(torn)
        let v = try #require(d.firstViolation)
        #expect(v.kind == .torn)
        #expect(v.readNumber == 2)
        #expect(v.mixed?.first == 8 && v.mixed?.second == 9)
        #expect(v.mixed?.explainsEveryByte == true)
    }

    @Test("counts-only keeps the same counts and no details")
    func countsOnly() {
        var full = TornReadDetector<PreemptedFlagTarget>(mode: .stress, detail: .firstViolation)
        var cheap = TornReadDetector<PreemptedFlagTarget>(mode: .stress, detail: .countsOnly)
        let (a, b) = (PreemptedFlagTarget.stressValue(3), PreemptedFlagTarget.stressValue(4))
        // Two mixes of writes 3 and 4, and 0x12345678: no two flag writes make it up (each byte names another write).
        for v: UInt32 in [PreemptedFlagTarget.stressValue(1), a & 0xFF | b & ~0xFF, 0x1234_5678, PreemptedFlagTarget.stressValue(2),
                          b & 0xFFFF | a & ~0xFFFF] {
            full.observe(v)
            cheap.observe(v)
        }
        #expect(full.counts == cheap.counts)
        #expect(full.counts.torn == 2)
        #expect(full.counts.unexplained == 1)
        #expect(full.firstViolation != nil)
        #expect(cheap.firstViolation == nil)
    }
}
