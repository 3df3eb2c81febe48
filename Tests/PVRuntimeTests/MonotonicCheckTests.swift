import Testing
@testable import PVRuntime
import PVABI

@Suite("Monotonic check (the run loops' per-read detector)")
struct MonotonicCheckTests {
    @Test func growingStolenTimeIsNeverFlagged() {
        var check = MonotonicCheck<StolenTimeFieldTarget>()
        var v = StolenTimeFieldTarget.specInitial
        for n in 1 ... 10_000 as ClosedRange<UInt64> {
            v = StolenTimeFieldTarget.kvmNext(after: v, index: n)
            check.observe(v)
            check.observe(v)  // re-reading the same value is fine
        }
        #expect(check.torn == 0 && check.backwards == 0 && check.firstViolation == nil)
        #expect(check.last == v)
    }

    @Test func aSmallerValueIsBackwardsAndDescribed() {
        var check = MonotonicCheck<StolenTimeFieldTarget>(initial: 1_000)
        check.observe(2_000)
        check.observe(1_999)
        #expect(check.backwards == 1 && check.torn == 0)
        #expect(check.firstViolation?.contains("smaller than the previous value read (2000)") == true)
        // Same semantics as the C kernels: the check then continues from the value read.
        check.observe(1_999)
        #expect(check.backwards == 1)
    }

    @Test func aRecordWithNonZeroRevisionIsTorn() {
        var check = MonotonicCheck<StolenTimeRecordTarget>(initial: RecordWords(low: 0, high: StolenTimeFieldTarget.specStart))
        check.observe(RecordWords(revision: 0, attributes: 0, stolenTime: StolenTimeFieldTarget.specStart + 5))
        check.observe(RecordWords(revision: 1, attributes: 0, stolenTime: StolenTimeFieldTarget.specStart + 6))
        #expect(check.torn == 1 && check.backwards == 0)
        #expect(check.firstViolation?.contains("invariants") == true)
    }

    @Test func aFlagMayAlternateButNotLeaveZeroOrOne() {
        var check = MonotonicCheck<PreemptedFlagTarget>()
        for v: UInt32 in [1, 0, 1, 1, 0] { check.observe(v) }
        #expect(check.torn == 0 && check.backwards == 0)
        check.observe(0x0100)
        #expect(check.torn == 1)
    }

    @Test func agreesWithTheDetectorsMonotonicModeOnBackwardsValues() {
        let values: [UInt64] = [StolenTimeFieldTarget.specStart, 4_300_000_000, 4_300_000_500, 4_299_999_999, 4_400_000_000]
        var check = MonotonicCheck<StolenTimeFieldTarget>()
        var detector = TornReadDetector<StolenTimeFieldTarget>(mode: .monotonic, detail: .countsOnly)
        for v in values { check.observe(v); detector.observe(v) }
        #expect(check.backwards == detector.counts.backwards)
        #expect(check.torn == detector.counts.torn)
    }

    @Test func aDropIsARestartOnlyWhenTheHypervisorAnnouncedOne() {
        let resets = RecordResets()
        var check = MonotonicCheck<StolenTimeFieldTarget>(initial: 5_000)
        check.resets = resets
        check.observe(9_000)
        check.observe(100)  // no reset announced: backwards
        #expect(check.backwards == 1 && check.restarts == 0)
        resets.announceReset()
        check.observe(9_000)
        check.observe(50)  // explained by the announced reset
        #expect(check.backwards == 1 && check.restarts == 1)
        check.observe(40)  // one reset explains one drop
        #expect(check.backwards == 2 && check.restarts == 1)
    }
}
