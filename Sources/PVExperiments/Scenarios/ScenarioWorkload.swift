import Foundation
import PVRuntime
import Synchronization
import PVHost

/// What every thread of a repetition sees besides its own context.
public struct RepetitionControl: Sendable {
    /// Warm-up → measure → stop, set by the controlling thread.
    public let phase: RunPhase
    /// Ticks → ns for recorders.
    public let conversion: TickConversion
    /// Per-thread perf_event counters over the measured window, when asked for.
    let perf: PerfSlots?
}

/// Where each thread leaves its perf counter readings for the window it measured.
final class PerfSlots: Sendable {
    let events: [PerfEvent]
    private let slots = Mutex<[Int: (readings: PerfCounterReadings, operations: UInt64)]>([:])

    init(events: [PerfEvent]) { self.events = events }

    func put(_ thread: Int, _ readings: PerfCounterReadings, operations: UInt64) {
        slots.withLock { $0[thread] = (readings, operations) }
    }

    var all: [Int: (readings: PerfCounterReadings, operations: UInt64)] { slots.withLock { $0 } }
}

/// One scenario specialised for one strategy: its threads, what each runs,
/// and how one repetition's per-thread tallies become figures.
///
/// Conformers are generic over the strategy type, so their thread bodies
/// call kernels specialised for it (see ``StrategyVisitor``).
protocol ScenarioWorkload: Sendable {
    associatedtype Tally: Sendable
    /// The threads, in order: writers (`hv-w*`) first, then readers (`gst-r*`).
    var threads: [PinnedThreadSpec] { get }
    /// Runs on pinned thread `context.index` until `control.phase` stops.
    func body(_ context: PinnedThreadContext, _ control: RepetitionControl) -> Tally
    /// The figures of one repetition from every thread's tally (spec order).
    func summarize(_ tallies: [Tally], clock: CycleClock) -> RepetitionFigures
}

/// One repetition's result.
public struct RepetitionFigures: Sendable {
    /// Guest operations measured (reads, polls, scans, spin episodes, round trips).
    public var iterations: Int64
    /// Mean ns per guest operation, per thread.
    public var nanosecondsPerOperation: Double
    /// Flat counters for the result row.
    public var counters: [String: Double]
    /// What the detector saw, over all readers (warm-up included).
    public var violations = ReaderCounts()
    /// The first violation, described, if any.
    public var firstViolation: String?
    /// Things the reader of the result should know.
    public var notes: [String] = []
}

/// Measured window of one thread: operations between the start of the
/// measure phase and the stop, in counter ticks.
public struct MeasuredWindow: Sendable {
    public var operations: UInt64 = 0
    public var startTicks: UInt64 = 0
    public var endTicks: UInt64 = 0

    public func seconds(_ conversion: TickConversion) -> Double {
        Double(conversion.nanoseconds(from: startTicks, to: endTicks)) / 1e9
    }

    /// Operations per second; nil for an empty window.
    public func rate(_ conversion: TickConversion) -> Double? {
        let s = seconds(conversion)
        return s > 0 ? Double(operations) / s : nil
    }
}

/// The measuring loop every thread uses: waits while the run is held
/// (`--pause-before-start`), runs `batch` while warming up, then counts what
/// `batch` returns between the start of the measure phase and the stop.
/// `batch` does one batch of work and returns the operations done;
/// `onMeasureStart` runs once, when measuring begins. With perf counters
/// asked for, they are opened on this thread before warm-up and count
/// exactly the measured window.
@inline(__always)
func measuredLoop(_ control: RepetitionControl, thread: Int, onMeasureStart: () -> Void = {},
                  _ batch: (_ measuring: Bool) -> UInt64) -> MeasuredWindow
{
    let phase = control.phase
    let counters = control.perf.map { PerfCounterSet.open(events: $0.events) }
    while phase.isHeld { usleep(1000) }
    while phase.isWarmup { _ = batch(false) }
    onMeasureStart()
    counters?.start()
    var window = MeasuredWindow()
    window.startTicks = CycleClock.now()
    while !phase.isStopped { window.operations &+= batch(true) }
    window.endTicks = CycleClock.now()
    if let counters {
        counters.stop()
        control.perf?.put(thread, counters.read(), operations: window.operations)
    }
    return window
}

extension Array where Element == Double {
    var mean: Double { isEmpty ? 0 : reduce(0, +) / Double(count) }
}
