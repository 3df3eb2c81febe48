/// The counters of one ``PerfCounterSet`` read after a measurement window,
/// in the order the events were asked for.
public struct PerfCounterReadings: Sendable, Equatable {
    /// One entry per requested event.
    public let readings: [(event: PerfEvent, reading: PerfCounterReading)]

    public init(_ readings: [(event: PerfEvent, reading: PerfCounterReading)]) {
        self.readings = readings
    }

    public static func == (a: PerfCounterReadings, b: PerfCounterReadings) -> Bool {
        a.readings.elementsEqual(b.readings) { $0.event == $1.event && $0.reading == $1.reading }
    }

    /// The reading for `event`, or nil when it was not requested.
    public subscript(event: PerfEvent) -> PerfCounterReading? {
        readings.first { $0.event == event }?.reading
    }

    /// The events that were counted.
    public var available: [PerfEvent] { readings.filter { $0.reading.count != nil }.map(\.event) }

    /// Figures per operation for a result row: `cycles_per_op`, … for every
    /// counted event, and for every other one the reason it is missing.
    /// - Parameter ops: operations the thread did in the window (reads,
    ///   polls, writes). With 0 operations no per-op figure exists, and every
    ///   counter says so instead.
    public func perOperation(_ ops: UInt64) -> PerfOperationCounters {
        var counters: [String: Double] = [:]
        var unavailable: [PerfOperationCounters.Missing] = []
        var notes: [String] = []
        for (event, reading) in readings {
            switch reading {
            case let .unavailable(reason):
                unavailable.append(.init(event: event, reason: reason.text))
            case let .value(count):
                guard ops > 0 else {
                    unavailable.append(.init(event: event, reason: "no operations were counted, so there is no per-operation figure"))
                    continue
                }
                counters[event.perOperationKey] = count.value / Double(ops)
                if count.isScaled {
                    let pct = (count.runningFraction * 100).formatted(maxFractionDigits: 1)
                    notes.append("\(event) was multiplexed: counted \(pct)% of the time, scaled up by enabled/running time")
                }
                if count.userSpaceOnly { notes.append("\(event) counts user space only (perf_event_paranoid)") }
            }
        }
        return PerfOperationCounters(counters: counters, unavailable: unavailable, notes: notes)
    }
}

extension Double {
    /// Plain decimal with at most `maxFractionDigits` digits after the point.
    fileprivate func formatted(maxFractionDigits: Int) -> String {
        var s = String(format: "%.\(maxFractionDigits)f", self)
        while s.contains("."), s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
