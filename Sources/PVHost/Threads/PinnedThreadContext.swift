import PVABI
/// What a pinned thread's body is told about itself.
public struct PinnedThreadContext: Sendable {
    /// The role the thread was started for (its name is the kernel's comm).
    public let role: ThreadRole
    /// The CPU the thread is pinned to (verified with `sched_getcpu()`).
    public let cpu: Int
    /// The kernel thread id (`gettid()`), for `perf stat -t` and `/proc`.
    public let tid: Int32
    /// The position of this thread's spec in the list given to `run`.
    public let index: Int
    /// The run's stop flag.
    public let stop: StopFlag
}
