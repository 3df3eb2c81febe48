#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import PVRuntime

/// What the machine takes from a pinned thread at rest: the off-CPU share of
/// a window that a thread doing nothing but spin loses on each CPU a run will
/// use, measured before the run.
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

    /// Spins one pinned thread on each of `cpus` for `windows` windows of
    /// `windowNanoseconds`; each thread reads its own schedstat at the window
    /// edges (a few µs per window, outside any measured loop).
    public static func measure(cpus: [Int], windows: Int = 5, windowNanoseconds: UInt64 = 60_000_000) throws -> IdleFloor {
        precondition(windows > 0 && !cpus.isEmpty, "an idle floor needs at least one window and one CPU")
        let specs = cpus.enumerated().map { PinnedThreadSpec(role: ThreadRole(.auxiliary, $0.offset), cpu: $0.element) }
        let shares = OffCPUShares(threads: cpus.count, windows: windows)
        _ = try PinnedThreads.run(specs, stop: StopFlag()) { context in
            let path = "/proc/self/task/\(context.tid)/schedstat"
            for w in 0 ..< windows {
                let start = DisturbanceSnapshot.monotonicNanoseconds()
                let onBefore = Self.onCPU(path)
                while DisturbanceSnapshot.monotonicNanoseconds() &- start < windowNanoseconds {}
                let end = DisturbanceSnapshot.monotonicNanoseconds()
                guard let before = onBefore, let after = Self.onCPU(path) else { continue }
                let window = end &- start, on = after &- before
                shares.set(thread: context.index, window: w, window > on ? Double(window - on) / Double(window) : 0)
            }
        }
        return IdleFloor(cpus: cpus, windowNanoseconds: windowNanoseconds, windows: shares.largestPerWindow())
    }

    static func onCPU(_ schedstat: String) -> UInt64? {
        SystemTextFile.contents(of: schedstat).flatMap { $0.split(whereSeparator: \.isWhitespace).first.flatMap { UInt64($0) } }
    }
}

/// The probe threads' results: one slot per (thread, window), each written
/// by its own thread only, read after every thread has been joined.
private final class OffCPUShares: @unchecked Sendable {
    private let windows: Int
    private let slots: UnsafeMutableBufferPointer<Double>

    init(threads: Int, windows: Int) {
        self.windows = windows
        slots = .allocate(capacity: threads * windows)
        slots.initialize(repeating: .nan)
    }

    deinit { slots.deallocate() }

    func set(thread: Int, window: Int, _ share: Double) { slots[thread * windows + window] = share }

    /// Windows that every probed CPU measured, each the largest share among them.
    func largestPerWindow() -> [Double] {
        let threads = slots.count / windows
        return (0 ..< windows).compactMap { w in
            let shares = (0 ..< threads).map { slots[$0 * windows + w] }
            return shares.contains(where: \.isNaN) ? nil : shares.max()
        }
    }
}
