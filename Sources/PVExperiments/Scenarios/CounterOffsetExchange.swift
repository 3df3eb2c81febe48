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
/// How (Cristian's method, as NTP does it): thread i > 0 stamps t0, stores a
/// sequence number on its own line; thread 0 (the hub), spinning on it,
/// stamps th and answers with th; thread i stamps t1 when it sees the
/// answer. With both legs equally long, th − (t0 + t1)/2 is the hub's
/// counter minus thread i's. That assumption is the one the c2c one-way
/// figure (half a round trip) rests on, and each leg has the shape of a
/// visibility sample (stamp, store | see, stamp). Of `roundTrips` answers,
/// the faster half (by round trip) give the median.
///
/// Every access to the exchange's lines goes through the `Shared*` accessors.
final class CounterOffsetExchange: @unchecked Sendable {
    /// Threads taking part: thread 0 is the hub.
    let threads: Int
    /// Round trips per thread per exchange.
    let roundTrips: Int
    private let memory: UnsafeMutableRawPointer
    private static let line = 64

    /// - Parameter threads: the repetition's thread count (≥ 1).
    init(threads: Int, roundTrips: Int = 64) {
        self.threads = max(1, threads)
        self.roundTrips = max(2, roundTrips)
        let bytes = 2 * Self.line * self.threads
        memory = .allocate(byteCount: bytes, alignment: Self.line)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
    }

    deinit { memory.deallocate() }

    // Thread i's lines: the request line (written by i: sequence, sessions
    // done) and the answer line (written by the hub: sequence, hub stamp).
    private func request(_ i: Int) -> SharedU64 { SharedU64(memory + 2 * Self.line * i) }
    private func sessions(_ i: Int) -> SharedU64 { SharedU64(memory + 2 * Self.line * i + 8) }
    private func answer(_ i: Int) -> SharedU64 { SharedU64(memory + 2 * Self.line * i + Self.line) }
    private func stamp(_ i: Int) -> SharedU64 { SharedU64(memory + 2 * Self.line * i + Self.line + 8) }

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
                    stamp(i).storeRelaxed(CycleClock.now())
                    answer(i).storeRelease(seq)
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
        var seq = request(i).loadRelaxed()
        var samples: [(roundTrip: UInt64, offset: Int64)] = []
        samples.reserveCapacity(roundTrips)
        trips: for _ in 0 ..< roundTrips {
            seq &+= 1
            let t0 = CycleClock.now()
            request(i).storeRelease(seq)
            var spins = 0
            while answer(i).loadAcquire() != seq {
                spins &+= 1
                if spins & 255 == 0, CycleClock.now() >= deadline { break trips }
            }
            let t1 = CycleClock.now()
            let hub = stamp(i).loadRelaxed()
            // This thread's counter minus the hub's: (t0 + t1)/2 − th.
            let mid = t0 &+ (t1 &- t0) / 2
            samples.append((t1 &- t0, Int64(bitPattern: mid &- hub)))
        }
        sessions(i).storeRelease(sessions(i).loadRelaxed() &+ 1)
        guard samples.count * 2 >= roundTrips else { return nil }
        let fast = samples.sorted { $0.roundTrip < $1.roundTrip }.prefix((samples.count + 1) / 2)
        let offsets = fast.map(\.offset).sorted()
        return offsets[offsets.count / 2]
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
