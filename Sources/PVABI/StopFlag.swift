import Synchronization

/// One flag that stops every thread of a run: the ``StopSignal`` the pinned
/// threads share and the strategy loops poll. Hot loops poll ``isStopped``,
/// a relaxed load of a word that is written once, so polling costs a plain
/// load and the line stays shared in every core's cache until ``stop()``.
public final class StopFlag: StopSignal {
    private let stopped = Atomic<Bool>(false)

    public init() {}

    /// Asks every thread polling this flag to finish. Idempotent.
    public func stop() { stopped.store(true, ordering: .releasing) }

    /// Whether ``stop()`` has been called (relaxed load: C11
    /// `memory_order_relaxed`, the kernel's `READ_ONCE`). A thread sees the
    /// stop soon after, not at a defined point relative to other memory.
    @inline(__always)
    public var isStopped: Bool { stopped.load(ordering: .relaxed) }
}
