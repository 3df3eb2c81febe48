#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing
@testable import PVHost
@testable import PVExperiments

/// Serialized: the handler is process-wide, and a signal sent while no
/// monitor is installed would end the test process.
@Suite("SIGINT/SIGTERM handling", .serialized)
struct InterruptionTests {
    @Test("exit statuses follow the shell convention: 130 for SIGINT, 143 for SIGTERM")
    func exitStatuses() {
        #expect(InterruptSignal.interrupt.exitStatus == 130)
        #expect(InterruptSignal.terminate.exitStatus == 143)
        #expect(InterruptSignal.interrupt.rawValue == SIGINT && InterruptSignal.terminate.rawValue == SIGTERM)
        #expect(InterruptSignal.terminate.name == "SIGTERM")
    }

    /// Sends `signal` to this process and waits (at most 5 s) for the stop
    /// action; returns the signal the action saw and the delay in ms.
    func deliver(_ signal: InterruptSignal) throws -> (InterruptSignal?, InterruptSignal?, Double) {
        let seen = Mutex<InterruptSignal?>(nil)
        let stopped = DispatchSemaphore(value: 0)
        let monitor = try InterruptMonitor.install { s in
            seen.withLock { $0 = s }
            stopped.signal()
        }
        defer { monitor.uninstall() }
        #expect(monitor.received == nil)
        let start = DispatchTime.now()
        kill(getpid(), signal.rawValue)
        let result = stopped.wait(timeout: .now() + 5)
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
        #expect(result == .success, "stop action not called within 5 s of \(signal)")
        return (seen.withLock { $0 }, monitor.received, ms)
    }

    @Test("SIGTERM calls the stop action once and is recorded")
    func terminate() throws {
        let (seen, received, ms) = try deliver(.terminate)
        #expect(seen == .terminate)
        #expect(received == .terminate)
        print("SIGTERM → stop action in \(ms) ms")
    }

    @Test("SIGINT calls the stop action and is recorded; the handler is removed afterwards")
    func interrupt() throws {
        let (seen, received, ms) = try deliver(.interrupt)
        #expect(seen == .interrupt)
        #expect(received == .interrupt)
        print("SIGINT → stop action in \(ms) ms")
        // After uninstall the previous action is back: a second monitor installs fine.
        let again = try InterruptMonitor.install { _ in }
        again.uninstall()
    }

    @Test("only one monitor at a time")
    func single() throws {
        let m = try InterruptMonitor.install { _ in }
        defer { m.uninstall() }
        #expect(throws: InterruptMonitorError.alreadyInstalled) { _ = try InterruptMonitor.install { _ in } }
    }

    @Test("a run loop polling a stop flag ends after the signal, and the run knows why")
    func stopsALoop() throws {
        let stop = Atomic<Bool>(false)
        let monitor = try InterruptMonitor.install { _ in stop.store(true, ordering: .releasing) }
        defer { monitor.uninstall() }
        let finished = DispatchSemaphore(value: 0)
        let iterations = Mutex(0)
        Thread.detachNewThread {
            var n = 0
            while !stop.load(ordering: .acquiring) && n < 50_000_000 { n += 1; if n % 1024 == 0 { usleep(10) } }
            iterations.withLock { $0 = n }
            finished.signal()
        }
        usleep(20_000)
        kill(getpid(), SIGINT)
        #expect(finished.wait(timeout: .now() + 5) == .success)
        #expect(monitor.received?.exitStatus == 130)
        #expect(iterations.withLock { $0 } < 50_000_000, "the loop ran to its cap instead of stopping")
    }
}
