import PVHost
import Testing

/// What a test that needs real hardware can be missing here. The reasons a
/// test may be skipped for are these few, each named where it is used
/// (`.enabled(if:)`), so a skip shows in the test report; any other
/// failure to set up is a failure.
enum HostConditions {
    /// CPUs this process may run threads on.
    static let usableCPUs: Int = (try? Topology.live().usableCPUs.count) ?? 0

    /// A writer and a reader on CPUs of their own: tearing and reordering
    /// need two threads running at the same time.
    static let hasTwoCPUs = usableCPUs >= 2
    static let twoCPUsReason: Comment = "needs at least two usable CPUs (writer and reader on CPUs of their own)"
}
