import Testing
import PVRuntime
import PVTestSupport
import PVExperiments
import PVABI

/// Where a scripted strategy reads from: the next entry of a fixed script
/// (nil = a read that gave up). Lives at the record address it is handed.
struct ScriptState<Value> {
    var next: Int
    var script: UnsafePointer<Value?>
}

/// The strategy kind a scripted strategy poses as: the kernel takes its
/// chunked path for single-access kinds and its one-at-a-time path for
/// protocols that retry.
protocol ScriptedKind { static var kind: StrategyKind { get } }
enum AsSingleAccess: ScriptedKind { static var kind: StrategyKind { .relaxed } }
enum AsProtocol: ScriptedKind { static var kind: StrategyKind { .seqlock } }

/// A strategy whose reads replay a script instead of loading shared memory,
/// so the steal-clock kernel's check can be driven through every case —
/// drops at each position of its eight-read chunks, invalid values, reads
/// that gave up — deterministically, on one thread.
enum ScriptedReads<T: SharedTarget, K: ScriptedKind>: OrderingStrategy {
    typealias Target = T
    static var kind: StrategyKind { K.kind }
    static var footprint: Int { MemoryLayout<ScriptState<T.Value>>.size }
    static var requiredAlignment: Int { MemoryLayout<ScriptState<T.Value>>.alignment }

    static func readBounded(_ base: UnsafeMutableRawPointer, retries: inout UInt64, limit: UInt64) -> T.Value? {
        let state = base.assumingMemoryBound(to: ScriptState<T.Value>.self)
        defer { state.pointee.next += 1 }
        return state.pointee.script[state.pointee.next]
    }

    static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> T.Value {
        readBounded(base, retries: &retries, limit: 0) ?? T.specInitial
    }

    static func write(_ base: UnsafeMutableRawPointer, _ value: T.Value) {
        preconditionFailure("a scripted strategy is read-only")
    }
}

/// Runs the kernel over `script` in batches of `batch` reads (the last one
/// shorter), carrying the check from batch to batch as the run loop does.
func runKernel<T: SharedTarget, K: ScriptedKind>(
    _: T.Type, as _: K.Type, _ script: [T.Value?], batch: Int, check: inout MonotonicCheck<T>
) -> UInt64 {
    var gaveUp: UInt64 = 0
    script.withUnsafeBufferPointer { buffer in
        var state = ScriptState(next: 0, script: buffer.baseAddress!)
        withUnsafeMutableBytes(of: &state) { raw in
            var done = 0
            while done < script.count {
                let n = min(batch, script.count - done)
                gaveUp += pvGuestStealClockReads(ScriptedReads<T, K>.self, record: raw.baseAddress!, count: n, check: &check).gaveUp
                done += n
            }
        }
        precondition(state.next == script.count, "the kernel read \(state.next) values of \(script.count)")
    }
    return gaveUp
}

/// The same script through the per-value check, one value at a time: what
/// the kernel's chunked, branch-free check must agree with.
func referenceCheck<T: SharedTarget>(_: T.Type, _ script: [T.Value?], check: inout MonotonicCheck<T>) -> UInt64 {
    var gaveUp: UInt64 = 0
    for value in script {
        if let value { check.observe(value) } else { gaveUp += 1 }
    }
    return gaveUp
}

@Suite("Steal-clock read kernel: chunked check agrees with the per-value check")
struct StealClockKernelTests {
    /// The kernel's two loops: chunked (single-access strategies) and one
    /// read at a time (protocols that retry).
    static let paths: [StrategyKind] = [.relaxed, .seqlock]
    static func posing(_ kind: StrategyKind) -> any ScriptedKind.Type {
        kind.retriesReads ? AsProtocol.self : AsSingleAccess.self
    }

    /// Growing stolen time with a decrease at read `dropAt` (and nothing else).
    static func growing(_ n: Int, dropAt: Int? = nil) -> [UInt64?] {
        (0 ..< n).map { i in i == dropAt ? UInt64(5) : UInt64(1_000 + 10 * i) }
    }

    @Test(arguments: Self.paths) func aCleanStreamReportsNothing(path: StrategyKind) {
        for n in [0, 1, 7, 8, 9, 16, 17, 1_000] {
            var check = MonotonicCheck<StolenTimeFieldTarget>(initial: 0)
            let gaveUp = runKernel(StolenTimeFieldTarget.self, as: Self.posing(path), Self.growing(n), batch: 256, check: &check)
            #expect(check.backwards == 0 && check.torn == 0 && gaveUp == 0 && check.firstViolation == nil, "n=\(n)")
            #expect(check.last == (n == 0 ? 0 : UInt64(1_000 + 10 * (n - 1))), "n=\(n)")
        }
    }

    /// A single decrease at every position of the first chunks and of the
    /// tail (a batch of 37 = four chunks and five single reads): found,
    /// counted once, and described with the value and the one before it.
    @Test(arguments: Self.paths) func aDropAtAnyPositionIsFoundExactly(path: StrategyKind) {
        for at in 0 ..< 37 {
            var check = MonotonicCheck<StolenTimeFieldTarget>(initial: 0)
            _ = runKernel(StolenTimeFieldTarget.self, as: Self.posing(path), Self.growing(37, dropAt: at), batch: 37, check: &check)
            // Dropping to 5 is one decrease (at read 0 it follows the
            // initial 0, so it is none); the climb back after it is none.
            #expect(check.backwards == (at == 0 ? 0 : 1), "drop at \(at)")
            let previous = at == 0 ? 0 : 1_000 + 10 * (at - 1)
            let expected = at == 0 ? nil : "smaller than the previous value read (\(previous))"
            if let expected {
                #expect(check.firstViolation?.contains(expected) == true, "drop at \(at): \(check.firstViolation ?? "nil")")
                #expect(check.firstViolation?.hasPrefix("value [05 00 00 00 00 00 00 00]") == true, "drop at \(at)")
            }
        }
    }

    /// A drop between batches (the first read of a batch below the last of
    /// the one before) is seen: `last` is carried.
    @Test(arguments: Self.paths) func aDropAcrossBatchesIsSeen(path: StrategyKind) {
        var check = MonotonicCheck<StolenTimeFieldTarget>(initial: 0)
        let script: [UInt64?] = (0 ..< 16).map { UInt64(100 + $0) } + [UInt64(7)] + (0 ..< 15).map { UInt64(200 + $0) }
        _ = runKernel(StolenTimeFieldTarget.self, as: Self.posing(path), script, batch: 16, check: &check)
        #expect(check.backwards == 1)
        #expect(check.firstViolation?.contains("previous value read (115)") == true, "\(check.firstViolation ?? "nil")")
    }

    /// Random scripts mixing decreases, invalid records and reads that gave
    /// up, in batch sizes that split chunks every way: the kernel's counts,
    /// first violation and last key equal the per-value check's.
    @Test(arguments: Self.paths) func randomScriptsAgreeWithThePerValueCheck(path: StrategyKind) {
        var rng = SeededGenerator(seed: 0x5EED_0F_57EA1)
        var mismatches: [String] = []
        var violationsSeen: UInt64 = 0
        for round in 0 ..< 400 {
            let n = Int(rng.below(300))
            let rate = [0, 2, 20, 200][round % 4]  // violations per 1000 reads
            var stolen: UInt64 = 1 << 20
            var script: [RecordWords?] = []
            for _ in 0 ..< n {
                stolen &+= rng.below(3)  // equal values are fine
                let roll = rng.below(1_000)
                if roll < rate / 2 {
                    script.append(RecordWords(revision: 0, attributes: 0, stolenTime: stolen - 1 - rng.below(1 << 10)))
                } else if roll < rate * 3 / 4 {
                    script.append(RecordWords(revision: UInt32(1 + rng.below(7)), attributes: 0, stolenTime: stolen))
                } else if roll < rate {
                    script.append(nil)
                } else {
                    script.append(RecordWords(revision: 0, attributes: 0, stolenTime: stolen))
                }
            }
            let batch = [1, 7, 8, 9, 64, 300][Int(rng.below(6))]
            let start = RecordWords(low: 0, high: 0)
            var kernel = MonotonicCheck<StolenTimeRecordTarget>(initial: start)
            var reference = MonotonicCheck<StolenTimeRecordTarget>(initial: start)
            let kernelGaveUp = runKernel(StolenTimeRecordTarget.self, as: Self.posing(path), script, batch: batch, check: &kernel)
            let referenceGaveUp = referenceCheck(StolenTimeRecordTarget.self, script, check: &reference)
            violationsSeen += reference.backwards + reference.torn + referenceGaveUp
            // Within one batch the kernel reports the first violation of the
            // batch; across batches the detector keeps the first it heard of,
            // so the first violation overall must match too.
            let same = kernel.backwards == reference.backwards && kernel.torn == reference.torn
                && kernelGaveUp == referenceGaveUp && kernel.last == reference.last
                && kernel.firstViolation == reference.firstViolation
            if !same {
                mismatches.append(
                    "round \(round) n=\(n) batch=\(batch): kernel \(kernel.backwards)/\(kernel.torn)/\(kernelGaveUp) "
                        + "\(kernel.firstViolation ?? "-"); reference \(reference.backwards)/\(reference.torn)/"
                        + "\(referenceGaveUp) \(reference.firstViolation ?? "-")")
            }
        }
        #expect(mismatches.count == 0, "\(mismatches.prefix(3))")
        // The scripts did exercise the rare paths.
        #expect(violationsSeen > 1_000)
    }
}
