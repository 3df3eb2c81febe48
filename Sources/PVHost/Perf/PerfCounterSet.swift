#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CPVPlatform

/// Per-thread counters through `perf_event_open(2)`: opened on the calling
/// thread (pid 0, cpu -1), so they count that thread wherever it runs and
/// nothing else.
///
/// The hardware events are opened as one group (the first that opens leads),
/// so the kernel schedules them onto the PMU together and their ratios
/// (instructions per cycle) come from the same instants; the software events
/// form a second group. Each group is read at once through its leader
/// (`PERF_FORMAT_GROUP`) with its enabled and running times, so a
/// multiplexed count is scaled and marked as such.
///
/// Opening never fails as a whole: an event the kernel or VM refuses is kept
/// with the reason (``PerfUnavailableReason``), and ``read()`` reports it as
/// unavailable, never as 0.
///
/// Use it from the thread it measures: open, `start()`, the work, `stop()`,
/// `read()`. The descriptors are closed when the set is released.
public final class PerfCounterSet {
    /// Events scheduled together, started, stopped and read through the leader.
    struct Group {
        let leaderFD: Int32
        /// In the order they joined (leader first): the order of a group read.
        var events: [PerfEvent]
        var fds: [Int32]
        var userSpaceOnly: [Bool]
    }

    private(set) var groups: [Group]
    /// The requested events in order, and why each that is not counted is not.
    private let requested: [(event: PerfEvent, failure: PerfUnavailableReason?)]
    /// `kernel.perf_event_paranoid` when it was opened, nil if unreadable.
    public let paranoid: Int?

    private init(groups: [Group], requested: [(PerfEvent, PerfUnavailableReason?)], paranoid: Int?) {
        self.groups = groups
        self.requested = requested
        self.paranoid = paranoid
    }

    deinit {
        // Members first, the leader last.
        for group in groups { for fd in group.fds.reversed() { pv_perf_close(fd) } }
    }

    /// Opens `events` on the calling thread, disabled. Never throws: each
    /// event that cannot be counted here carries its reason.
    public static func open(events: [PerfEvent] = PerfEvent.allCases) -> PerfCounterSet {
        let paranoid = PerfCounters.paranoidLevel()
        var unique: [PerfEvent] = []
        for e in events where !unique.contains(e) { unique.append(e) }
        var groups: [Group] = []
        var failures: [PerfEvent: PerfUnavailableReason] = [:]
        for kind in [unique.filter(\.isHardware), unique.filter { !$0.isHardware }] {
            var shared: Group?
            for event in kind {
                switch openOne(event, joining: shared?.leaderFD, paranoid: paranoid) {
                case let .success((fd, userOnly)):
                    if shared == nil {
                        shared = Group(leaderFD: fd, events: [event], fds: [fd], userSpaceOnly: [userOnly])
                    } else {
                        shared!.events.append(event)
                        shared!.fds.append(fd)
                        shared!.userSpaceOnly.append(userOnly)
                    }
                case let .failure(reason) where shared != nil && reason.errno == EINVAL:
                    // Some PMUs cannot schedule this event in the group: count it alone.
                    switch openOne(event, joining: nil, paranoid: paranoid) {
                    case let .success((fd, userOnly)):
                        groups.append(Group(leaderFD: fd, events: [event], fds: [fd], userSpaceOnly: [userOnly]))
                    case let .failure(alone):
                        failures[event] = alone
                    }
                case let .failure(reason):
                    failures[event] = reason
                }
            }
            if let shared { groups.append(shared) }
        }
        return PerfCounterSet(groups: groups, requested: unique.map { ($0, failures[$0]) }, paranoid: paranoid)
    }

    /// Opens one event; retries for user space only when the whole thread
    /// may not be counted.
    private static func openOne(_ event: PerfEvent, joining group: Int32?, paranoid: Int?)
        -> Result<(Int32, Bool), PerfUnavailableReason>
    {
        let rc = pv_perf_open(event.attributeType, event.attributeConfig, group ?? -1, 0)
        if rc >= 0 { return .success((rc, false)) }
        if rc == -EACCES || rc == -EPERM {
            let retry = pv_perf_open(event.attributeType, event.attributeConfig, group ?? -1, 1)
            if retry >= 0 {
                if event.happensInKernel {
                    pv_perf_close(retry)
                    return .failure(.kernelOnly(event, paranoid: paranoid))
                }
                return .success((retry, true))
            }
        }
        return .failure(.openFailed(event, errno: -rc, paranoid: paranoid))
    }

    /// The events requested, in order.
    public var events: [PerfEvent] { requested.map(\.event) }

    /// For each requested event, nil when it is counted, or why not.
    public var availability: [(event: PerfEvent, unavailable: PerfUnavailableReason?)] {
        requested.map { ($0.event, $0.failure) }
    }

    /// Whether any requested event can be counted.
    public var hasAnyCounter: Bool { !groups.isEmpty }

    /// Zeroes and starts every open counter, group by group.
    public func start() {
        for group in groups {
            _ = pv_perf_reset(group.leaderFD, 1)
            _ = pv_perf_enable(group.leaderFD, 1)
        }
    }

    /// Stops every open counter.
    public func stop() {
        for group in groups { _ = pv_perf_disable(group.leaderFD, 1) }
    }

    /// The counts since the last ``start()`` (call after ``stop()`` for a
    /// closed window), in the order requested. Unavailable events say why.
    public func read() -> PerfCounterReadings {
        var got: [PerfEvent: PerfCounterReading] = [:]
        for group in groups {
            var values = [UInt64](repeating: 0, count: group.events.count)
            var enabled: UInt64 = 0, running: UInt64 = 0
            let n = values.withUnsafeMutableBufferPointer {
                pv_perf_read_group(group.leaderFD, $0.baseAddress, Int32($0.count), &enabled, &running)
            }
            for (i, event) in group.events.enumerated() {
                if n < 0 {
                    got[event] = .unavailable(.readFailed(errno: -n))
                } else if i >= Int(n) {
                    got[event] = .unavailable(.readFailed(errno: EIO))
                } else if enabled > 0, running == 0 {
                    got[event] = .unavailable(.neverScheduled)
                } else {
                    got[event] = .value(PerfCount(raw: values[i], timeEnabled: enabled, timeRunning: running,
                                                  userSpaceOnly: group.userSpaceOnly[i]))
                }
            }
        }
        return PerfCounterReadings(requested.map { event, failure in
            (event, failure.map(PerfCounterReading.unavailable) ?? got[event]!)
        })
    }
}
