import Synchronization

/// A running count of reads across readers, for progress lines.
public final class ReadProgress: Sendable {
    private let count = Atomic<UInt64>(0)

    public init() {}

    @inlinable
    public func add(_ n: UInt64) { _add(n) }

    @usableFromInline
    func _add(_ n: UInt64) { count.add(n, ordering: .relaxed) }

    /// Reads so far.
    public var reads: UInt64 { count.load(ordering: .relaxed) }
}
