#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CPVPlatform
import Foundation
import Synchronization
import PVABI

/// Why the monitor could not be installed.
public enum InterruptMonitorError: Error, Equatable, CustomStringConvertible {
    case alreadyInstalled
    case systemCall(String, errno: Int32)

    public var description: String {
        switch self {
        case .alreadyInstalled: "a signal monitor is already installed in this process"
        case let .systemCall(call, e): "cannot watch for SIGINT/SIGTERM: \(call) failed: \(String(cString: strerror(e)))"
        }
    }
}

/// Turns SIGINT/SIGTERM into an orderly stop of a long command.
///
/// The signal handler (C, `pv_signal.h`) is async-signal-safe: it records the
/// signal and writes one byte to a pipe. A watcher thread blocked on that pipe
/// wakes at once and calls the registered stop action — in ordinary thread
/// context, so the action may do anything (set a `StopFlag`, log). The run
/// then joins its threads (they poll the flag per batch, well within
/// 100 ms), writes what it measured marked `interrupted`, and exits with
/// ``InterruptSignal/exitStatus`` (130 or 143). A second signal of the same
/// kind while stopping ends the process at once with that status.
///
/// ```swift
/// let stop = StopFlag()
/// let monitor = try InterruptMonitor.install { _ in stop.stop() }
/// defer { monitor.uninstall() }
/// … run until stop.isStopped or the duration ends …
/// if let signal = monitor.received { context.interrupted = true; context.interruptSignal = signal.name }
/// … write results …
/// if let signal = monitor.received { exit(signal.exitStatus) }
/// ```
public final class InterruptMonitor: Sendable {
    private let readFD: Int32
    private let writeFD: Int32
    private let first = Atomic<Int32>(0)
    private let state = Mutex<(installed: Bool, watcherDone: Bool)>((true, false))
    private let done = DispatchSemaphore(value: 0)

    /// The first signal received, or nil.
    public var received: InterruptSignal? { InterruptSignal(rawValue: first.load(ordering: .acquiring)) }

    /// Installs the handler for `signals` and starts the watcher thread.
    /// `onSignal` runs once, on the watcher thread, for the first signal.
    public static func install(signals: [InterruptSignal] = InterruptSignal.allCases,
                               onSignal: @escaping @Sendable (InterruptSignal) -> Void)
        throws(InterruptMonitorError) -> InterruptMonitor
    {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .systemCall("pipe", errno: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // The handler must never block: a full pipe just drops the byte.
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        let numbers = signals.map(\.rawValue)
        let rc = numbers.withUnsafeBufferPointer { pv_signal_install($0.baseAddress, Int32($0.count), fds[1]) }
        guard rc == 0 else {
            close(fds[0]); close(fds[1])
            throw rc == EBUSY ? .alreadyInstalled : .systemCall("sigaction", errno: rc)
        }
        let monitor = InterruptMonitor(readFD: fds[0], writeFD: fds[1])
        let thread = Thread { monitor.watch(onSignal) }
        thread.name = "pv-signals"
        thread.start()
        return monitor
    }

    private init(readFD: Int32, writeFD: Int32) {
        self.readFD = readFD
        self.writeFD = writeFD
    }

    /// Blocks on the pipe; byte 0 means "uninstall", anything else a signal.
    private func watch(_ onSignal: @Sendable (InterruptSignal) -> Void) {
        defer { done.signal() }
        var byte: UInt8 = 0
        while true {
            let n = read(readFD, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 || byte == 0 { return }
            guard let signal = InterruptSignal(rawValue: Int32(byte)) else { continue }
            let (exchanged, _) = first.compareExchange(expected: 0, desired: signal.rawValue, ordering: .acquiringAndReleasing)
            if exchanged { onSignal(signal) }
        }
    }

    /// Restores the previous signal actions and stops the watcher. Idempotent.
    public func uninstall() {
        let wasInstalled = state.withLock { s -> Bool in
            defer { s.installed = false }
            return s.installed
        }
        guard wasInstalled else { return }
        _ = pv_signal_uninstall()
        var quit: UInt8 = 0
        while write(writeFD, &quit, 1) < 0 && errno == EINTR {}
        done.wait()
        close(readFD)
        close(writeFD)
    }

    deinit { uninstall() }
}
