import Synchronization

/// The phase of one repetition, set by the controlling thread and read by
/// every measuring thread once per batch (a relaxed load).
public final class RunPhase: Sendable {
    public enum Value: Int, Sendable { case held = -1, warmup = 0, measure = 1, stop = 2 }
    private let raw: Atomic<Int>

    public init(_ initial: Value = .warmup) { raw = Atomic(initial.rawValue) }

    @inline(__always)
    public var current: Value { Value(rawValue: raw.load(ordering: .relaxed)) ?? .stop }
    @inline(__always)
    public var isHeld: Bool { raw.load(ordering: .relaxed) == Value.held.rawValue }
    @inline(__always)
    public var isWarmup: Bool { raw.load(ordering: .relaxed) == Value.warmup.rawValue }
    @inline(__always)
    public var isStopped: Bool { raw.load(ordering: .relaxed) == Value.stop.rawValue }

    /// Moves forward (never back) to `phase`.
    public func advance(to phase: Value) {
        var old = raw.load(ordering: .relaxed)
        while old < phase.rawValue {
            let (exchanged, now) = raw.compareExchange(expected: old, desired: phase.rawValue, ordering: .releasing)
            if exchanged { return }
            old = now
        }
    }
}
