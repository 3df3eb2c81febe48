import CPVPlatform
import Foundation
import PVResults
import PVRuntime

/// What one read costs: the file's reader beside the built-in strategies
/// on the same record, each in the same loop, one thread, no writer (the
/// record in this core's cache: the floor of a read, not its cost under
/// contention, which `pvbench run --c` measures). Rounds interleave the
/// strategies so drift in the machine's speed hits them alike; each
/// round is one sample, reported as the median with a 95 % interval.
public struct CStrategyCost: Sendable, Encodable {
    public struct Entry: Sendable, Encodable {
        /// The file's name, or a built-in strategy's.
        public var strategy: String
        public var record: SharedRecordKind
        public var isFile: Bool
        public var nanosecondsPerRead: Double
        /// The median's 95 % order-statistic interval (nil below 6 rounds).
        public var low: Double?
        public var high: Double?
    }

    public var entries: [Entry]
    public var rounds: Int
    public var readsPerRound: Int

    /// Rounds when none are asked for: enough for a 95 % interval of the median.
    public static let defaultRounds = 9

    /// Measures the file's readers and every built-in one for the same
    /// records; with no rounds, nothing (the text says so).
    public static func measure(_ file: CStrategyFile, rounds: Int = defaultRounds, readsPerRound: Int = 1 << 18) -> CStrategyCost {
        guard rounds > 0 else { return CStrategyCost(entries: [], rounds: 0, readsPerRound: readsPerRound) }
        let bytes = 8192
        let memory = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 4096)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        defer { memory.deallocate() }
        var probes: [(String, SharedRecordKind, Bool, () -> Double)] = []
        for record in file.targets {
            let own: () -> Double = switch record {
            case .preempted: { nanoseconds(CStrategy.Preempted.self, memory, readsPerRound) }
            default: { nanoseconds(CStrategy.StolenTime.self, memory, readsPerRound) }
            }
            probes.append((file.name, record, true, own))
            for kind in StrategyKind.allCases where kind.targets.contains(record) {
                probes.append((kind.rawValue, record, false, { (try? kind.dispatch(record, to: Probe(base: memory, reads: readsPerRound))) ?? .nan }))
            }
        }
        var samples = [[Double]](repeating: [], count: probes.count)
        for _ in 0 ..< rounds {
            for (i, p) in probes.enumerated() { samples[i].append(p.3()) }
        }
        let entries = probes.enumerated().map { i, p in
            let interval = SampleStatistics.medianInterval(samples[i])
            return Entry(strategy: p.0, record: p.1, isFile: p.2, nanosecondsPerRead: SampleStatistics.median(samples[i]) ?? .nan,
                         low: interval?.low, high: interval?.high)
        }
        return CStrategyCost(entries: entries, rounds: rounds, readsPerRound: readsPerRound)
    }

    struct Probe: StrategyVisitor {
        let base: UnsafeMutableRawPointer
        let reads: Int
        func visit<S: OrderingStrategy>(_ strategy: S.Type) -> Double { nanoseconds(S.self, base, reads) }
    }

    /// Nanoseconds per read of `reads` reads of `S` at `base`, after one
    /// write on a zeroed record (a flag-then-data reader waits for its flag).
    static func nanoseconds<S: RecordStrategy>(_: S.Type, _ base: UnsafeMutableRawPointer, _ reads: Int) -> Double {
        base.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
        S.write(base, S.Target.stressValue(1))
        var retries: UInt64 = 0
        // Every read's value goes into a sum, and a compiler barrier (the
        // kernel's barrier(), no instruction) follows each read: without it
        // the optimiser kept one load for the whole loop (0.09 ns per "read").
        var sum: UInt64 = 0
        let start = ContinuousClock.now
        for _ in 0 ..< reads {
            sum &+= S.Target.specKey(S.read(base, retries: &retries)) ?? 1
            pv_compiler_barrier()
        }
        let elapsed = ContinuousClock.now - start
        keep(sum)
        let (s, a) = elapsed.components
        return (Double(s) * 1e9 + Double(a) / 1e9) / Double(reads)
    }

    @inline(never) static func keep<T>(_ value: T) { withExtendedLifetime(value) {} }

    /// The cost column's cell for `record`: the file's median, and where the built-ins fall.
    public func cell(_ record: SharedRecordKind) -> String {
        let mine = entries.filter { $0.record == record }
        guard let own = mine.first(where: \.isFile) else { return "-" }
        let others = mine.filter { !$0.isFile }.map(\.nanosecondsPerRead).filter { !$0.isNaN }
        let range = others.isEmpty ? "" : String(format: " (built-ins %.2f–%.2f)", others.min()!, others.max()!)
        return String(format: "%.2f", own.nanosecondsPerRead) + range
    }

    /// One line per record: each strategy's median and interval, cheapest first.
    public var lines: [String] {
        guard rounds > 0 else { return ["cost: not measured (--cost-rounds 0)"] }
        var out = ["cost: ns/read, one thread, no writer (the floor of a read), median of \(rounds) interleaved rounds of \(readsPerRound) reads [95% interval]; "
            + "the file's reader is an indirect call into its shared object, a built-in's is inlined"]
        for record in Set(entries.map(\.record)).sorted(by: { $0.rawValue < $1.rawValue }) {
            let row = entries.filter { $0.record == record }.sorted { $0.nanosecondsPerRead < $1.nanosecondsPerRead }.map { e in
                "\(e.isFile ? "*" : "")\(e.strategy) " + String(format: "%.2f", e.nanosecondsPerRead)
                    + (e.low.map { l in String(format: " [%.2f–%.2f]", l, e.high!) } ?? "")
            }
            out.append("  \(record): " + row.joined(separator: ", "))
        }
        return out
    }
}
