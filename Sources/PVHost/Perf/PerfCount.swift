/// One counter's value over a measurement window, with the times the
/// kernel reports so multiplexing can be seen and corrected.
public struct PerfCount: Sendable, Equatable {
    /// The raw count while the event was on a counter.
    public let raw: UInt64
    /// ns the event was enabled.
    public let timeEnabled: UInt64
    /// ns it actually ran on a counter (less than enabled when multiplexed).
    public let timeRunning: UInt64
    /// Counted in user space only (`exclude_kernel`), as perf_event_paranoid demanded.
    public let userSpaceOnly: Bool

    public init(raw: UInt64, timeEnabled: UInt64, timeRunning: UInt64, userSpaceOnly: Bool = false) {
        self.raw = raw
        self.timeEnabled = timeEnabled
        self.timeRunning = timeRunning
        self.userSpaceOnly = userSpaceOnly
    }

    /// Whether the kernel multiplexed the event, so ``value`` is an estimate
    /// scaled up from the part of the window it was counted in.
    public var isScaled: Bool { timeRunning > 0 && timeRunning < timeEnabled }

    /// The fraction of the window the event was counted in (1 when not multiplexed).
    public var runningFraction: Double {
        timeEnabled == 0 ? 1 : Double(timeRunning) / Double(timeEnabled)
    }

    /// The count, scaled by enabled/running time when multiplexed (what
    /// `perf stat` prints).
    public var value: Double {
        isScaled ? Double(raw) * Double(timeEnabled) / Double(timeRunning) : Double(raw)
    }
}
