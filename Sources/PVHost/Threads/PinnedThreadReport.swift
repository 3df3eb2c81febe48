/// Where a pinned thread ran: planned CPU and the CPU `sched_getcpu()`
/// reported before the start barrier and after the body returned.
public struct PinnedThreadReport: Sendable, Codable, Equatable {
    /// The thread's name (its role).
    public let name: String
    public let plannedCPU: Int
    public let observedCPUAtStart: Int
    public let observedCPUAtEnd: Int
    /// The kernel thread id.
    public let tid: Int32

    public init(name: String, plannedCPU: Int, observedCPUAtStart: Int, observedCPUAtEnd: Int, tid: Int32) {
        self.name = name
        self.plannedCPU = plannedCPU
        self.observedCPUAtStart = observedCPUAtStart
        self.observedCPUAtEnd = observedCPUAtEnd
        self.tid = tid
    }

    /// Whether the thread was on its planned CPU both at start and at end.
    public var stayedOnPlannedCPU: Bool { observedCPUAtStart == plannedCPU && observedCPUAtEnd == plannedCPU }
}
