import Benchmark
import PVRuntime

/// `read/…` and `write/…`: single-thread cost of each strategy's access.
func registerStrategyBenchmarks() {
    forEachStrategy { kind, target in ReadWriteBenchmarks(name: "\(kind)/\(target)") }
}

struct ReadWriteBenchmarks: StrategyVisitor {
    let name: String
    func visit<S: OrderingStrategy>(_: S.Type) { registerReadWrite(S.self, name: name) }
}

/// Registers the read and write benchmark of one strategy, specialised for `S`.
func registerReadWrite<S: OrderingStrategy>(_: S.Type, name: String) {
    let region = BenchmarkRegion()
    StrategyLoops.prepare(S.self, base: region.base, mode: .spec)
    let value = TornReadDetector<S.Target>.writerValue(1, mode: .spec)

    Benchmark("read/\(name)") { benchmark in
        var retries: UInt64 = 0
        readLoop(S.self, base: region.base, count: benchmark.scaledIterations.count, retries: &retries)
        blackHole(retries)
    }
    Benchmark("write/\(name)") { benchmark in
        writeLoop(S.self, base: region.base, value: value, count: benchmark.scaledIterations.count)
    }
}

/// `count` reads, each result kept alive with `blackHole`.
@inline(never)
func readLoop<S: OrderingStrategy>(_: S.Type, base: UnsafeMutableRawPointer, count: Int, retries: inout UInt64) {
    for _ in 0 ..< count { blackHole(S.read(base, retries: &retries)) }
}

/// `count` stores of the same value (the store is a shared-memory access
/// the compiler may not drop).
@inline(never)
func writeLoop<S: OrderingStrategy>(_: S.Type, base: UnsafeMutableRawPointer, value: S.Target.Value, count: Int) {
    for _ in 0 ..< count { S.write(base, value) }
}
