#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a set of pinned threads could not be started. Every case names the
/// thread and the CPU; when it is thrown, no thread body has run.
public enum PinningError: Error, Equatable, CustomStringConvertible {
    /// The CPU number is negative or beyond what the kernel can address.
    case invalidCPU(thread: String, cpu: Int)
    /// The CPU is not in this process's affinity mask (cgroup cpuset,
    /// `taskset`, offline CPU, or it does not exist).
    case cpuNotAllowed(thread: String, cpu: Int, allowed: [Int])
    /// Two or more threads were planned on one CPU without `oversubscribe`.
    case oversubscribed(cpu: Int, threads: [String])
    /// Two threads were given the same name, so they could not be told apart.
    case duplicateName(String)
    /// `pthread_create` with the CPU affinity failed.
    case spawnFailed(thread: String, cpu: Int, errno: Int32)
    /// Setting the affinity from inside the thread failed.
    case pinFailed(thread: String, cpu: Int, errno: Int32)
    /// Setting the thread's name failed.
    case nameFailed(thread: String, cpu: Int, errno: Int32)
    /// `sched_getcpu()` failed or reported another CPU than planned.
    case verificationFailed(thread: String, plannedCPU: Int, observedCPU: Int)
    /// The affinity mask could not be read.
    case affinityUnreadable(errno: Int32)

    public var description: String {
        switch self {
        case let .invalidCPU(thread, cpu):
            "thread \(thread): CPU \(cpu) is not a valid CPU number"
        case let .cpuNotAllowed(thread, cpu, allowed):
            "thread \(thread): CPU \(cpu) is not one this process may use; allowed CPUs: \(CPUList.format(allowed))"
        case let .oversubscribed(cpu, threads):
            "threads \(threads.joined(separator: ", ")) are all planned on CPU \(cpu); pass --oversubscribe to allow more threads than CPUs"
        case let .duplicateName(name):
            "two threads are named '\(name)'; every thread needs its own name"
        case let .spawnFailed(thread, cpu, code):
            "thread \(thread): could not start a thread pinned to CPU \(cpu): \(Self.text(code))"
        case let .pinFailed(thread, cpu, code):
            "thread \(thread): could not pin to CPU \(cpu): \(Self.text(code))"
        case let .nameFailed(thread, cpu, code):
            "thread \(thread) on CPU \(cpu): could not set the thread name: \(Self.text(code))"
        case let .verificationFailed(thread, planned, observed):
            observed < 0
                ? "thread \(thread): sched_getcpu() failed (\(Self.text(Int32(-observed)))) while checking it runs on CPU \(planned)"
                : "thread \(thread): planned on CPU \(planned) but sched_getcpu() says CPU \(observed)"
        case let .affinityUnreadable(code):
            "cannot read this process's CPU affinity: \(Self.text(code))"
        }
    }

    private static func text(_ code: Int32) -> String { "\(String(cString: strerror(code))) (errno \(code))" }
}
