import Synchronization

/// A ``StopSignal`` backed by one atomic flag (relaxed load when polled).
public final class ManualStop: StopSignal {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Asks every loop polling this signal to stop.
    public func stop() { flag.store(true, ordering: .relaxed) }

    public var isStopped: Bool { flag.load(ordering: .relaxed) }
}
