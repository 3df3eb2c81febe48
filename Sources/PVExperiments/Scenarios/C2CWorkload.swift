import CPVPlatform
import PVABI
import PVHost

/// `c2c`: cache-line ping-pong between two pinned threads (the shape of
/// rigtorp/c2clat). The first thread stores n to line A and waits for the
/// second to echo n on line B (release stores, acquire loads); one way is
/// half a round trip, sampled per 100 round trips. The physical floor for
/// any store to become visible to a reader on that CPU pair.
struct C2CWorkload: ScenarioWorkload {
    let threads: [PinnedThreadSpec]
    /// Line A (written by the first thread) and line B (by the second).
    let ping: SharedU32
    let pong: SharedU32
    static let roundsPerSample = 100

    enum Tally: Sendable {
        case initiator(MeasuredWindow, LatencyRecorder)
        case responder
    }

    func body(_ context: PinnedThreadContext, _ control: RepetitionControl) -> Tally {
        let phase = control.phase
        if context.index == 1 {
            var last = pong.loadAcquire()
            var spins = 0
            while true {
                let v = ping.loadAcquire()
                if v != last {
                    pong.storeRelease(v)
                    last = v
                } else {
                    pv_cpu_relax()
                    spins &+= 1
                    if spins & 1023 == 0, phase.isStopped { break }
                }
            }
            return .responder
        }
        var recorder = LatencyRecorder(conversion: control.conversion)
        var n = ping.loadAcquire()
        let rounds = Self.roundsPerSample
        let window = measuredLoop(control, thread: context.index) { measuring in
            let start = CycleClock.now()
            for _ in 0 ..< rounds {
                n &+= 1
                ping.storeRelease(n)
                var spins = 0
                while pong.loadAcquire() != n {
                    pv_cpu_relax()
                    spins &+= 1
                    if spins & 1023 == 0, phase.isStopped { return 0 }
                }
            }
            if measuring {
                let ns = control.conversion.nanoseconds(from: start, to: CycleClock.now())
                recorder.record(nanoseconds: (ns + UInt64(rounds)) / UInt64(2 * rounds))
            }
            return UInt64(rounds)
        }
        return .initiator(window, recorder)
    }

    func summarize(_ tallies: [Tally], clock: CycleClock) -> RepetitionFigures {
        guard case let .initiator(window, recorder)? = tallies.first else {
            return RepetitionFigures(iterations: 0, nanosecondsPerOperation: 0, counters: [:])
        }
        let oneWay = LatencyDistribution(merging: [recorder])
        var counters = oneWay.counters(prefix: "one_way_")
        if !oneWay.isEmpty { counters["one_way_ns"] = Double(oneWay.percentile(50)) }
        counters["round_trips_per_second"] = window.rate(clock.conversion) ?? 0
        return RepetitionFigures(iterations: Int64(window.operations),
                                 nanosecondsPerOperation: oneWay.isEmpty ? 0 : oneWay.mean, counters: counters)
    }
}
