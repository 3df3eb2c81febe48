/// What ``PerfCounters/probe(events:)`` found: per event, whether it counts
/// here and, if not, why.
public struct PerfProbe: Sendable, Equatable {
    /// `kernel.perf_event_paranoid`, nil when unreadable.
    public let paranoid: Int?
    /// The probe loop's readings.
    public let readings: PerfCounterReadings
    /// Result of the probe loop (kept so the loop is not optimised away).
    let checksum: UInt64

    /// The events that count here.
    public var available: [PerfEvent] { readings.available }

    /// The events that do not, with their reasons.
    public var unavailable: [(event: PerfEvent, reason: PerfUnavailableReason)] {
        readings.readings.compactMap { e, r in r.unavailableReason.map { (e, $0) } }
    }

    /// Lines for a terminal, e.g.
    /// `perf counters (perf_event_open, per thread; kernel.perf_event_paranoid=2):`
    /// then one `  cycles: unavailable: ENOENT: …` / `  task-clock: counted` per event.
    public var summaryLines: [String] {
        let p = paranoid.map { "kernel.perf_event_paranoid=\($0)" } ?? "kernel.perf_event_paranoid unreadable"
        var lines = ["perf counters (perf_event_open, per thread; \(p)):"]
        let width = readings.readings.map(\.event.rawValue.count).max() ?? 0
        for (event, reading) in readings.readings {
            let name = event.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            switch reading {
            case let .value(c):
                var how = "counted"
                if c.userSpaceOnly { how += " (user space only)" }
                if c.isScaled { how += " (multiplexed, scaled)" }
                lines.append("  \(name)  \(how)")
            case let .unavailable(reason):
                lines.append("  \(name)  unavailable: \(reason)")
            }
        }
        return lines
    }

    public static func == (a: PerfProbe, b: PerfProbe) -> Bool {
        a.paranoid == b.paranoid && a.readings == b.readings
    }
}
