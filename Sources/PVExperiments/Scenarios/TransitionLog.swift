import PVHost
/// A fixed-capacity log of (ticks, vCPU, state) events kept by one thread in
/// its own memory: the hypervisor's flag stores, or a reader's first sight of
/// a change. Appending never allocates; past capacity events are counted as
/// dropped. Matched after the repetition to compute visibility latency.
struct TransitionLog: @unchecked Sendable {
    struct Event: Sendable {
        var ticks: UInt64
        var vcpu: Int32
        var state: UInt32
        /// A store the hypervisor meant to make but did not (`--inject`).
        var dropped: Bool { state & TransitionLog.droppedBit != 0 }
    }

    /// Marks a store that was skipped: the flag kept its old value.
    static let droppedBit: UInt32 = 1 << 31

    private(set) var events: UnsafeMutableBufferPointer<Event>
    private(set) var count = 0
    private(set) var dropped: UInt64 = 0

    init(capacity: Int) {
        events = .allocate(capacity: max(1, capacity))
    }

    /// Frees the buffer; call once, after the events have been used.
    func deallocate() { events.deallocate() }

    @inline(__always)
    mutating func append(ticks: UInt64, vcpu: Int, state: UInt32) {
        if count < events.count {
            events[count] = Event(ticks: ticks, vcpu: Int32(truncatingIfNeeded: vcpu), state: state)
            count &+= 1
        } else {
            dropped &+= 1
        }
    }

    var recorded: UnsafeMutableBufferPointer<Event>.SubSequence { events[0 ..< count] }

    /// The latest event at or before `ticks` with `state` (searching back a
    /// few events, as the reader may have seen an older store late), or nil.
    func latest(atOrBefore ticks: UInt64, state: UInt32) -> Event? {
        var lo = 0, hi = count  // first index with events[i].ticks > ticks
        while lo < hi {
            let mid = (lo + hi) / 2
            if events[mid].ticks <= ticks { lo = mid + 1 } else { hi = mid }
        }
        var i = lo - 1
        var looked = 0
        while i >= 0, looked < 4 {
            if events[i].state == state { return events[i] }  // a dropped store (bit set) never matches
            i -= 1
            looked += 1
        }
        return nil
    }
}

extension TransitionLog {
    /// Staleness from a writer's log: each skipped store leaves the flag
    /// wrong until the writer's next store that happens. Returns the skipped
    /// stores and the total time (ns) flags were stale.
    func staleness(_ conversion: TickConversion) -> (dropped: UInt64, staleNanoseconds: UInt64) {
        var dropped: UInt64 = 0, stale: UInt64 = 0
        var since: UInt64?
        for e in recorded {
            if e.dropped {
                dropped += 1
                if since == nil { since = e.ticks }
            } else if let s = since {
                stale += conversion.nanoseconds(from: s, to: e.ticks)
                since = nil
            }
        }
        return (dropped, stale)
    }
}

/// Visibility latency: each reader observation matched to the hypervisor
/// store it saw (the latest store of that state to that vCPU at or before
/// the observation; both stamped with the synchronised cycle counter).
struct VisibilityMatcher {
    /// `writerLogs[w]` holds writer w's stores; vCPU v belongs to writer v % writers.
    /// `readerOffsets[r]` / `writerOffsets[w]`: each thread's counter minus a
    /// common reference's, in ticks (``CounterOffsetExchange``); an
    /// observation is moved onto its writer's counter before it is matched.
    /// Empty: the counters are taken as one clock.
    static func match(observations: [TransitionLog], writerLogs: [TransitionLog], conversion: TickConversion,
                      into recorder: inout LatencyRecorder, readerOffsets: [Int64] = [],
                      writerOffsets: [Int64] = []) -> (matched: UInt64, unmatched: UInt64)
    {
        var matched: UInt64 = 0, unmatched: UInt64 = 0
        let writers = writerLogs.count
        let corrected = readerOffsets.count == observations.count && writerOffsets.count == writers
        for (r, log) in observations.enumerated() {
            for o in log.recorded {
                let w = Int(o.vcpu) % writers
                let seen = corrected ? o.ticks &- UInt64(bitPattern: readerOffsets[r] &- writerOffsets[w]) : o.ticks
                if let store = writerLogs[w].latest(atOrBefore: seen, state: o.state) {
                    recorder.record(fromTicks: store.ticks, toTicks: seen)
                    matched += 1
                } else {
                    unmatched += 1
                }
            }
        }
        return (matched, unmatched)
    }
}
