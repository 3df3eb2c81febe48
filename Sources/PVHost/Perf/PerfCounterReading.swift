/// What one counter gave: a count, or why there is none. There is never a
/// made-up 0 for a counter that was not counted.
public enum PerfCounterReading: Sendable, Equatable {
    case value(PerfCount)
    case unavailable(PerfUnavailableReason)

    /// The count, or nil when unavailable.
    public var count: PerfCount? {
        if case let .value(c) = self { return c }
        return nil
    }

    /// The reason, or nil when counted.
    public var unavailableReason: PerfUnavailableReason? {
        if case let .unavailable(r) = self { return r }
        return nil
    }
}
