import Foundation

/// What the machine takes from a pinned thread at rest: the off-CPU share of
/// a window that a thread doing nothing but spin loses on each CPU a run will
/// use, measured before the run (`ScenarioRunner.measureIdleFloor`, the way
/// a repetition is measured).
///
/// On a small VM that share is not zero even when nothing else runs:
/// per-CPU kernel threads (kworkers, kdamond, RCU), timer ticks and the
/// host's steal take 0.5–2 % of every window. That is the machine's steady
/// background, present in every window of every run on it, and no retry
/// removes it. A *disturbance* is what comes on top of it (a neighbour's
/// burst, a slow spell of the host), so ``DisturbanceRule`` judges off-CPU
/// time above this floor. The floor itself is recorded with the results and
/// shown when it is high: a machine that takes 30 % of an idle spinning
/// thread is busy, and its figures are of a shared CPU.
public struct IdleFloor: Sendable, Codable, Equatable, CustomStringConvertible {
    /// The CPUs probed, one spinning thread each, all at once.
    public var cpus: [Int]
    public var windowNanoseconds: UInt64
    /// Per probe window, the largest off-CPU share of any probed CPU.
    public var windows: [Double]
    /// The floor: the median of ``windows``.
    public var fraction: Double

    enum CodingKeys: String, CodingKey {
        case cpus, windowNanoseconds = "window_ns", windows = "window_off_cpu_fractions", fraction = "off_cpu_fraction"
    }

    public init(cpus: [Int], windowNanoseconds: UInt64, windows: [Double]) {
        self.cpus = cpus
        self.windowNanoseconds = windowNanoseconds
        self.windows = windows
        let sorted = windows.sorted()
        fraction = sorted.isEmpty ? 0 : sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Above this floor the machine is called busy in the run's output.
    public static let busyFraction = 0.10

    public var isBusy: Bool { fraction > Self.busyFraction }

    public var description: String {
        let spread = windows.isEmpty ? "" : String(format: " (windows %.2f–%.2f%%)", 100 * windows.min()!, 100 * windows.max()!)
        return String(format: "idle floor %.2f%%", 100 * fraction) + spread
            + ": median off-CPU share of \(windows.count) × \(windowNanoseconds / 1_000_000) ms windows"
            + " of a thread spinning on each of CPUs \(cpus.map(String.init).joined(separator: ","))"
    }
}
