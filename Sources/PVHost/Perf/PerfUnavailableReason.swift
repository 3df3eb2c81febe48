#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a counter is not counted here, in words a user can act on: the
/// errno `perf_event_open(2)` gave, what it means for this event, and what
/// to change (a VM's virtual PMU, `kernel.perf_event_paranoid`, CAP_PERFMON).
public struct PerfUnavailableReason: Error, Sendable, Equatable, CustomStringConvertible {
    /// The errno, or nil when the reason is not a failed call.
    public let errno: Int32?
    /// One line.
    public let text: String

    public init(errno: Int32?, text: String) {
        self.errno = errno
        self.text = text
    }

    public var description: String { text }

    /// The reason `perf_event_open` failed for `event` with `code`.
    /// - Parameter paranoid: `kernel.perf_event_paranoid`, when readable.
    public static func openFailed(_ event: PerfEvent, errno code: Int32, paranoid: Int?) -> PerfUnavailableReason {
        let name = errnoName(code)
        let paranoidText = paranoid.map { "kernel.perf_event_paranoid is \($0)" } ?? "kernel.perf_event_paranoid is unreadable"
        let text: String
        switch code {
        case ENOENT, EOPNOTSUPP:
            text = event.isHardware
                ? "\(name): no PMU here counts \(event) (a VM without a virtual PMU, e.g. KVM/QEMU without `-cpu host,pmu=on`, or a CPU without the event); `perf stat -e \(event) true` shows the same"
                : "\(name): this kernel does not provide \(event)"
        case ENODEV:
            text = "\(name): no PMU device for \(event) on this CPU"
        case EACCES, EPERM:
            text = "\(name): not permitted (\(paranoidText)); lower it (`sysctl kernel.perf_event_paranoid=1`; 2 allows user-space counting of one's own threads) or grant CAP_PERFMON"
        case ENOSYS:
            text = "\(name): perf_event_open is not available (not Linux, or a kernel without CONFIG_PERF_EVENTS, or a seccomp filter)"
        case EBUSY:
            text = "\(name): the PMU is held by someone else (another profiler, or the NMI watchdog: `sysctl kernel.nmi_watchdog=0`)"
        case EMFILE, ENFILE:
            text = "\(name): out of file descriptors for counters (`ulimit -n`)"
        case EINVAL:
            text = "\(name): the kernel rejected the event's attributes for \(event)"
        default:
            text = "\(name): \(String(cString: strerror(code)))"
        }
        return PerfUnavailableReason(errno: code, text: text)
    }

    /// A kernel-only event that could only be opened for user space, where
    /// it would always read 0.
    public static func kernelOnly(_ event: PerfEvent, paranoid: Int?) -> PerfUnavailableReason {
        let p = paranoid.map(String.init) ?? "unreadable"
        return PerfUnavailableReason(
            errno: nil,
            text: "\(event) happens in the kernel, and only user-space counting is permitted (kernel.perf_event_paranoid is \(p)); lower it to 1 or grant CAP_PERFMON")
    }

    /// The event was opened but never ran on a counter during the window.
    public static let neverScheduled = PerfUnavailableReason(
        errno: nil,
        text: "opened but never scheduled on a hardware counter (too many events for the PMU, or the NMI watchdog holds one); count fewer events")

    /// Reading the counter failed.
    public static func readFailed(errno code: Int32) -> PerfUnavailableReason {
        PerfUnavailableReason(errno: code, text: "\(errnoName(code)): reading the counter failed: \(String(cString: strerror(code)))")
    }

    /// The symbolic errno name for the common perf_event_open errors.
    static func errnoName(_ code: Int32) -> String {
        switch code {
        case ENOENT: "ENOENT"
        case EOPNOTSUPP: "EOPNOTSUPP"
        case ENODEV: "ENODEV"
        case EACCES: "EACCES"
        case EPERM: "EPERM"
        case ENOSYS: "ENOSYS"
        case EBUSY: "EBUSY"
        case EMFILE: "EMFILE"
        case ENFILE: "ENFILE"
        case EINVAL: "EINVAL"
        case EIO: "EIO"
        default: "errno \(code)"
        }
    }
}
