/// Where one pinned thread ran: the CPU planned for it and the CPU
/// `sched_getcpu()` reported before the start barrier and after the body
/// returned. The pinned threads report it; the result context
/// (`context.placement.threads`) and the validate and litmus reports keep it.
public struct ThreadPlacement: Sendable, Codable, Equatable {
    /// The thread's name (its role).
    public let name: String
    public let plannedCPU: Int
    public let observedCPUAtStart: Int
    public let observedCPUAtEnd: Int
    /// The kernel thread id.
    public let tid: Int32

    enum CodingKeys: String, CodingKey {
        case name, plannedCPU = "planned_cpu", observedCPUAtStart = "observed_cpu_at_start",
             observedCPUAtEnd = "observed_cpu_at_end", tid
    }

    /// Validate and litmus reports before this type spelled the keys as
    /// the properties (`plannedCPU`, …); such a file still reads.
    enum OlderKeys: String, CodingKey { case plannedCPU, observedCPUAtStart, observedCPUAtEnd }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        tid = try c.decode(Int32.self, forKey: .tid)
        if c.contains(.plannedCPU) {
            plannedCPU = try c.decode(Int.self, forKey: .plannedCPU)
            observedCPUAtStart = try c.decode(Int.self, forKey: .observedCPUAtStart)
            observedCPUAtEnd = try c.decode(Int.self, forKey: .observedCPUAtEnd)
        } else {
            let o = try decoder.container(keyedBy: OlderKeys.self)
            plannedCPU = try o.decode(Int.self, forKey: .plannedCPU)
            observedCPUAtStart = try o.decode(Int.self, forKey: .observedCPUAtStart)
            observedCPUAtEnd = try o.decode(Int.self, forKey: .observedCPUAtEnd)
        }
    }

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
