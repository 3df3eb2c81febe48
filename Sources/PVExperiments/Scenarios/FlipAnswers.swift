import CPVPlatform
import PVABI
import PVHost

/// Each reader's answer to the `preempted` flips it sees, so that a writer
/// times a flip as the c2c probe times its line: a round trip on its own
/// counter, halved.
///
/// Why: a one-way figure from a stamp on each CPU holds the offset between
/// the two counters (measured and taken out, ``CounterOffsetExchange``) and
/// both stamps' cost, about one counter read (10 ns here), which is a fifth
/// of a 45 ns line. The c2c one-way figure it is read against is half a
/// round trip, amortised over 100 trips. Timed the same way (writer stamps,
/// stores the flag; the reader, on seeing it, stores its answer; the writer
/// stamps on seeing the answer), the two figures share their method, the
/// visibility figure holds half a counter read, and no offset enters.
///
/// Reader r answers a change of vCPU v < writers (each writer's first vCPU,
/// the one it stores first) on its own line (r, v) with the state it saw.
/// A writer times a flip only for the readers whose answer shows the
/// previous state before it stores (a reader that missed a flip still
/// shows the older state and is left out, so no stale answer is timed).
/// Readers beyond the first 64 answer but are not timed.
///
/// Every access to the answer lines goes through the `SharedU32` accessors.
final class FlipAnswers: @unchecked Sendable {
    let readers: Int
    let writers: Int
    private let memory: UnsafeMutableRawPointer
    private static let line = 64

    init(readers: Int, writers: Int) {
        self.readers = max(1, readers)
        self.writers = max(1, writers)
        let bytes = Self.line * self.readers * self.writers
        memory = .allocate(byteCount: bytes, alignment: Self.line)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
    }

    deinit { memory.deallocate() }

    /// The step the half round trips ``spin(writer:state:armed:start:until:into:stop:)``
    /// records move in: half the counter's (5 ns on a 10 ns TSC).
    static func recordedStep(_ clock: CycleClock) -> Double { clock.observedStepNanoseconds / 2 }

    private func answerLine(_ r: Int, _ w: Int) -> SharedU32 { SharedU32(memory + Self.line * (r * writers + w)) }

    /// Reader `r` saw vCPU `v`'s flag change to `state`.
    @inline(__always)
    func answer(reader r: Int, vcpu v: Int, state: UInt32) {
        if v < writers { answerLine(r, v).storeRelease(state) }
    }

    /// The readers (bit r) whose answer to writer `w` shows `previous`: the
    /// ones whose answer to the coming flip can be timed.
    func armed(writer w: Int, previous: UInt32) -> UInt64 {
        var mask: UInt64 = 0
        for r in 0 ..< min(readers, 64) where answerLine(r, w).loadAcquire() == previous { mask |= 1 << UInt64(r) }
        return mask
    }

    /// Spins until `deadline` (or `stop()` says so, checked every 64 spins),
    /// recording into `recorder`, for each reader in `armed` whose answer
    /// turns to `state`, half the round trip from `start` in ns.
    @inline(__always)
    func spin(writer w: Int, state: UInt32, armed: UInt64, start: UInt64, until deadline: UInt64,
              into recorder: inout LatencyRecorder, stop: () -> Bool)
    {
        var waiting = armed
        var n = 0
        while true {
            var pending = waiting
            while pending != 0 {
                let r = pending.trailingZeroBitCount
                pending &= pending &- 1
                if answerLine(r, w).loadAcquire() == state {
                    let seen = CycleClock.now()
                    recorder.record(nanoseconds: (recorder.conversion.nanoseconds(from: start, to: seen) &+ 1) / 2)
                    waiting &= ~(1 << UInt64(r))
                }
            }
            if pv_read_cycle_counter() >= deadline { return }
            pv_cpu_relax()
            n &+= 1
            if n & 63 == 0, stop() { return }
        }
    }
}
