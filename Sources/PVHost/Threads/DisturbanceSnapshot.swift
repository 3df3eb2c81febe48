#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import PVRecords

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
