#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What happened to the measured threads and their CPUs over one measured
/// window, read from procfs before and after it (never inside a hot loop).
///
/// Per thread, from `/proc/self/task/TID/`:
/// - `schedstat` field 1: time on a CPU (ns); field 2: run_delay, the time it
///   sat runnable on a runqueue (ns) — the figure KVM turns into stolen time;
/// - `status`: voluntary and involuntary context switches;
/// - `sched`: `se.nr_migrations` (absent without CONFIG_SCHED_DEBUG).
/// Per CPU used: interrupts (`/proc/interrupts`, that CPU's column) and the
/// machine's own steal (`/proc/stat`, USER_HZ ticks; recorded, never judged by).
///
/// A repetition is **disturbed** when some measured thread was off its CPU
/// for more than ``DisturbanceRule/offCPUFraction`` of the window (window −
/// on-CPU time) beyond the machine's ``IdleFloor``: a pinned, spinning
/// thread that lost that much more than it loses at rest was not measuring. A context switch alone does not disturb (on a 2-vCPU VM nearly
/// every window has one).
public struct Disturbance: Sendable, Codable, Equatable {
    /// Length of the window (ns).
    public var windowNanoseconds: UInt64
    /// The largest off-CPU time of any measured thread (ns).
    public var offCPUNanoseconds: UInt64
    /// The largest run_delay growth of any measured thread (ns).
    public var runDelayNanoseconds: UInt64
    public var involuntarySwitches: UInt64
    public var voluntarySwitches: UInt64
    /// Nil when the kernel does not expose migration counts.
    public var migrations: UInt64?
    /// Interrupts on the CPUs used; nil when /proc/interrupts is unreadable.
    public var interrupts: UInt64?
    /// Steal on the CPUs used (USER_HZ ticks); nil when the machine has no steal counter.
    public var stealTicks: UInt64?
    /// Whether the rule in force judged the window disturbed.
    public var disturbed: Bool

    public init(windowNanoseconds: UInt64, offCPUNanoseconds: UInt64, runDelayNanoseconds: UInt64,
                involuntarySwitches: UInt64, voluntarySwitches: UInt64, migrations: UInt64?, interrupts: UInt64?,
                stealTicks: UInt64?, disturbed: Bool) {
        self.windowNanoseconds = windowNanoseconds
        self.offCPUNanoseconds = offCPUNanoseconds
        self.runDelayNanoseconds = runDelayNanoseconds
        self.involuntarySwitches = involuntarySwitches
        self.voluntarySwitches = voluntarySwitches
        self.migrations = migrations
        self.interrupts = interrupts
        self.stealTicks = stealTicks
        self.disturbed = disturbed
    }

    /// Off-CPU time as a fraction of the window.
    public var offCPUFraction: Double { windowNanoseconds == 0 ? 0 : Double(offCPUNanoseconds) / Double(windowNanoseconds) }
}

/// When a measured window counts as disturbed.
public struct DisturbanceRule: Sendable, Codable, Equatable, CustomStringConvertible {
    /// Off-CPU time of a measured thread, as a fraction of the window, above
    /// the floor, beyond which the window is disturbed (default 1 %).
    public var offCPUFraction: Double
    /// The machine's idle floor (``IdleFloor/fraction``): off-CPU share that
    /// every window here has at rest; 0 judges off-CPU time from zero.
    public var floor: Double

    public init(offCPUFraction: Double = 0.01, floor: Double = 0) {
        self.offCPUFraction = offCPUFraction
        self.floor = floor
    }

    /// Judges no window disturbed (the counters are still recorded): for
    /// threads that are off their CPU by design.
    public static let never = DisturbanceRule(offCPUFraction: .infinity)

    public var description: String {
        "a repetition is disturbed when a measured thread is off its CPU for more than "
            + "\(offCPUFraction * 100)% of the measured window"
            + (floor > 0 ? String(format: " above the idle floor of %.2f%%", floor * 100) : "")
    }

    public func isDisturbed(offCPU: UInt64, window: UInt64) -> Bool {
        Double(offCPU) > (floor + offCPUFraction) * Double(window)
    }
}

/// procfs counters of the measured threads and their CPUs at one instant.
public struct DisturbanceSnapshot: Sendable {
    struct ThreadCounters: Sendable {
        var onCPU: UInt64
        var runDelay: UInt64
        var voluntary: UInt64
        var involuntary: UInt64
        var migrations: UInt64?
    }

    var threads: [Int32: ThreadCounters]
    var interrupts: UInt64?
    var steal: UInt64?
    /// CLOCK_MONOTONIC ns when taken.
    var taken: UInt64

    /// Reads the counters of `threads` (thread ids) and of `cpus`; a thread
    /// whose files cannot be read is left out (and then not judged).
    public static func take(threads tids: [Int32], cpus: [Int], procRoot: String = "/proc") -> DisturbanceSnapshot {
        var threads: [Int32: ThreadCounters] = [:]
        for tid in tids {
            let dir = "\(procRoot)/self/task/\(tid)"
            guard let schedstat = SystemTextFile.contents(of: dir + "/schedstat"),
                  let status = SystemTextFile.contents(of: dir + "/status") else { continue }
            let fields = schedstat.split(whereSeparator: \.isWhitespace).compactMap { UInt64($0) }
            guard fields.count >= 2 else { continue }
            threads[tid] = ThreadCounters(
                onCPU: fields[0], runDelay: fields[1],
                voluntary: Self.field("voluntary_ctxt_switches", in: status) ?? 0,
                involuntary: Self.field("nonvoluntary_ctxt_switches", in: status) ?? 0,
                migrations: SystemTextFile.contents(of: dir + "/sched").flatMap { Self.field("se.nr_migrations", in: $0) })
        }
        return DisturbanceSnapshot(
            threads: threads,
            interrupts: SystemTextFile.contents(of: procRoot + "/interrupts").flatMap { Self.interrupts(cpus: cpus, in: $0) },
            steal: SystemTextFile.contents(of: procRoot + "/stat").flatMap { Self.steal(cpus: cpus, in: $0) },
            taken: Self.monotonicNanoseconds())
    }

    /// What happened between `self` and a later snapshot, judged by `rule`.
    public func disturbance(until later: DisturbanceSnapshot, rule: DisturbanceRule) -> Disturbance {
        let window = later.taken &- taken
        var offCPU: UInt64 = 0, runDelay: UInt64 = 0, voluntary: UInt64 = 0, involuntary: UInt64 = 0
        var migrations: UInt64? = 0
        for (tid, before) in threads {
            guard let after = later.threads[tid] else { continue }
            let on = after.onCPU &- before.onCPU
            offCPU = max(offCPU, window > on ? window - on : 0)
            runDelay = max(runDelay, after.runDelay &- before.runDelay)
            voluntary &+= after.voluntary &- before.voluntary
            involuntary &+= after.involuntary &- before.involuntary
            if let a = after.migrations, let b = before.migrations, let m = migrations { migrations = m + (a &- b) } else { migrations = nil }
        }
        if threads.isEmpty { migrations = nil }
        return Disturbance(
            windowNanoseconds: window, offCPUNanoseconds: offCPU, runDelayNanoseconds: runDelay,
            involuntarySwitches: involuntary, voluntarySwitches: voluntary, migrations: migrations,
            interrupts: zip(interrupts, later.interrupts).map { $0.1 &- $0.0 },
            stealTicks: zip(steal, later.steal).map { $0.1 &- $0.0 },
            disturbed: rule.isDisturbed(offCPU: offCPU, window: window))
    }

    /// `name: value` in a procfs status or sched file.
    static func field(_ name: String, in text: String) -> UInt64? {
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let rest = line.dropFirst(name.count)
            guard let colon = rest.firstIndex(of: ":"), rest[rest.startIndex ..< colon].allSatisfy(\.isWhitespace) else { continue }
            return UInt64(rest[rest.index(after: colon)...].trimmingWhitespace())
        }
        return nil
    }

    /// The sum of the `cpus` columns of /proc/interrupts (every numbered and named line).
    static func interrupts(cpus: [Int], in text: String) -> UInt64? {
        let lines = text.split(separator: "\n")
        guard let header = lines.first else { return nil }
        let names = header.split(whereSeparator: \.isWhitespace)
        let columns = cpus.compactMap { cpu in names.firstIndex(of: Substring("CPU\(cpu)")) }
        guard columns.count == cpus.count, !columns.isEmpty else { return nil }
        var total: UInt64 = 0
        for line in lines.dropFirst() {
            let parts = line.split(whereSeparator: \.isWhitespace).dropFirst()  // "NN:" or "NMI:"
            let values = Array(parts.prefix(names.count))
            for c in columns where c < values.count { total &+= UInt64(values[c]) ?? 0 }
        }
        return total
    }

    /// The steal column (8th value) of the `cpuN` lines of /proc/stat, summed;
    /// nil when a line lacks it (a kernel without steal accounting).
    static func steal(cpus: [Int], in text: String) -> UInt64? {
        var total: UInt64 = 0
        var found = 0
        for line in text.split(separator: "\n") where line.hasPrefix("cpu") {
            let parts = line.split(whereSeparator: \.isWhitespace)
            guard let cpu = Int(parts[0].dropFirst(3)), cpus.contains(cpu) else { continue }
            guard parts.count > 8, let steal = UInt64(parts[8]) else { return nil }
            total &+= steal
            found += 1
        }
        return found == cpus.count && found > 0 ? total : nil
    }

    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

/// Pairs two optionals: both present, or nil.
private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
