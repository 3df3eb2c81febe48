import PVABI
import PVHost

/// The offset between the cycle counters of the CPUs a repetition's threads
/// run on, measured by those threads, so that a latency stamped on one CPU
/// and observed on another measures the cache line and not the clocks.
///
/// Why: on an x86_64 KVM guest the invariant TSC is one clock in rate, but
/// the values two vCPUs read at the same instant differ by the host's
/// per-core offset (here ±10 ns, changing when the host moves a vCPU), so a
/// one-way latency from two stamps is the latency plus that offset: a
/// 2-vCPU guest read 70 ns one way and 50 ns the other over a 49 ns line.
///
/// How: thread i > 0 stamps t0 and stores a sequence number on its own
/// line; thread 0 (the hub), spinning on it, stamps its sight (tr), stamps
/// again (ts) and answers; thread i stamps t1 when it sees the answer. The
/// hub publishes tr and ts after answering (so that no store waits for a
/// counter read), and thread i reads them after the next answer. Each leg
/// then has exactly the shape of a visibility sample (stamp, store | see,
/// stamp): out = tr − t0 = L − θ, back = t1 − ts = L + θ, where θ is thread
/// i's counter minus the hub's; with both directions equally long (the
/// assumption the c2c one-way figure, half a round trip, rests on too)
/// θ = (median(back) − median(out)) / 2. A single hub stamp per round trip
/// (Cristian's method) read 5 ns towards the asking thread here, against
/// the half-difference of one-way samples taken in both directions; two
/// stamps agree with it to the counter's 5 ns step.
///
/// Every access to the exchange's lines goes through the `Shared*` accessors.
final class CounterOffsetExchange: @unchecked Sendable {
    /// Threads taking part: thread 0 is the hub.
    let threads: Int
    /// Round trips per thread per exchange.
    let roundTrips: Int
    private let memory: UnsafeMutableRawPointer
    /// Where the hub's stamps go: per thread, (tr, ts) for each of a session's round trips.
    private let slots: UnsafeMutableRawPointer
    private static let line = 64

    /// - Parameter threads: the repetition's thread count (≥ 1).
    init(threads: Int, roundTrips: Int = 64) {
        self.threads = max(1, threads)
        self.roundTrips = max(2, roundTrips)
        let bytes = 2 * Self.line * self.threads
        memory = .allocate(byteCount: bytes, alignment: Self.line)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        let slotBytes = 16 * (self.roundTrips + 1) * self.threads
        slots = .allocate(byteCount: slotBytes, alignment: Self.line)
        slots.initializeMemory(as: UInt8.self, repeating: 0, count: slotBytes)
    }

    deinit {
        memory.deallocate()
        slots.deallocate()
    }

    // Thread i's lines: the request line (written by i: sequence, sessions
    // done) and the answer line (written by the hub: sequence, hub stamp).
    private func request(_ i: Int) -> SharedU64 { SharedU64(memory + 2 * Self.line * i) }
    private func sessions(_ i: Int) -> SharedU64 { SharedU64(memory + 2 * Self.line * i + 8) }
    private func answer(_ i: Int) -> SharedU64 { SharedU64(memory + 2 * Self.line * i + Self.line) }
    /// The hub's two stamps for thread i's request `seq` (a session's
    /// roundTrips + 1 consecutive numbers never share a slot).
    private func seen(_ i: Int, _ seq: UInt64) -> SharedU64 { SharedU64(slots + slot(i, seq)) }
    private func sent(_ i: Int, _ seq: UInt64) -> SharedU64 { SharedU64(slots + slot(i, seq) + 8) }
    private func slot(_ i: Int, _ seq: UInt64) -> Int { 16 * ((roundTrips + 1) * i + Int(seq % UInt64(roundTrips + 1))) }

    /// One exchange as thread `index`: the hub answers until every other
    /// thread has finished (or `timeoutTicks` pass) and returns 0; any other
    /// thread returns its counter minus the hub's, in ticks, or nil when
    /// fewer than half its round trips were answered within `timeoutTicks`.
    func exchange(index: Int, timeoutTicks: UInt64) -> Int64? {
        guard threads > 1 else { return 0 }
        let deadline = CycleClock.now() &+ timeoutTicks
        return index == 0 ? serve(until: deadline) : ask(index, until: deadline)
    }

    private func serve(until deadline: UInt64) -> Int64? {
        let clients = 1 ..< threads
        let before = clients.map { sessions($0).loadAcquire() }
        var answered = clients.map { answer($0).loadRelaxed() }
        var spins = 0
        while true {
            for (k, i) in clients.enumerated() {
                let seq = request(i).loadAcquire()
                if seq != answered[k] {
                    let tr = CycleClock.now()
                    let ts = CycleClock.now()
                    answer(i).storeRelease(seq)
                    seen(i, seq).storeRelaxed(tr)
                    sent(i, seq).storeRelaxed(ts)
                    answered[k] = seq
                }
            }
            spins &+= 1
            if spins & 255 == 0 {
                if clients.allSatisfy({ sessions($0).loadAcquire() != before[$0 - 1] }) { break }
                if CycleClock.now() >= deadline { break }
            }
        }
        return 0
    }

    private func ask(_ i: Int, until deadline: UInt64) -> Int64? {
        let first = request(i).loadRelaxed() &+ 1
        var stamps: [(t0: UInt64, t1: UInt64)] = []
        stamps.reserveCapacity(roundTrips + 1)
        // One round trip more than used: the hub's stamps of the last one
        // used are known to be published once its answer to the next is seen.
        trips: for k in 0 ... roundTrips {
            let seq = first &+ UInt64(k)
            let t0 = CycleClock.now()
            request(i).storeRelease(seq)
            var spins = 0
            while answer(i).loadAcquire() != seq {
                spins &+= 1
                if spins & 255 == 0, CycleClock.now() >= deadline { break trips }
            }
            stamps.append((t0, CycleClock.now()))
        }
        sessions(i).storeRelease(sessions(i).loadRelaxed() &+ 1)
        let used = stamps.count - 1
        guard used * 2 >= roundTrips else { return nil }
        var out: [Int64] = [], back: [Int64] = []
        for k in 0 ..< used {
            let seq = first &+ UInt64(k)
            out.append(Int64(bitPattern: seen(i, seq).loadRelaxed() &- stamps[k].t0))
            back.append(Int64(bitPattern: stamps[k].t1 &- sent(i, seq).loadRelaxed()))
        }
        out.sort()
        back.sort()
        return (back[used / 2] - out[used / 2]) / 2
    }
}

/// One thread's counter minus the hub's (ticks), measured before and after
/// its measured window; nil where the exchange got no answer.
struct CounterOffsetReading: Sendable {
    var before: Int64?
    var after: Int64?

    /// The offset to correct with: the mean of the two, or the one there is.
    var value: Int64? {
        switch (before, after) {
        case let (b?, a?): b / 2 + a / 2 + (b % 2 + a % 2) / 2
        case let (b?, nil): b
        case let (nil, a?): a
        case (nil, nil): nil
        }
    }

    /// How far the offset moved over the window (ticks), when both ends were measured.
    var drift: Int64? { before.flatMap { b in after.map { a in a > b ? a - b : b - a } } }
}
