import PVHost
import Testing

/// What a test that needs real hardware can be missing here. The reasons a
/// test may be skipped for are these few, each named where it is used
/// (`.enabled(if:)`), so a skip shows in the test report; any other
/// failure to set up is a failure.
enum HostConditions {
    /// The live topology, or why it could not be read.
    static let topology = Result { try Topology.live() }

    /// A writer and a reader on CPUs of their own: tearing and reordering
    /// need two threads running at the same time. True where the topology
    /// cannot be read: the test then reads it itself and fails with the
    /// error, rather than being skipped as if this were a one-CPU machine.
    static let hasTwoCPUs: Bool = {
        guard case let .success(t) = topology else { return true }
        return t.usableCPUs.count >= 2
    }()
    static let twoCPUsReason: Comment = "needs at least two usable CPUs (writer and reader on CPUs of their own)"

    /// One calibrated clock for the suites that run scenarios: calibrated
    /// once, and a failure fails each test that asks (a `try!` would end
    /// the whole test process at the first suite that touched it).
    private static let calibrated = Result { try CycleClock.calibrate(windows: 3, windowNanoseconds: 2_000_000) }
    static func clock() throws -> CycleClock { try calibrated.get() }
}
