import Benchmark
import PVRuntime

/// pvbench's micro-benchmarks (ordo-one/package-benchmark):
/// - `read/<strategy>/<target>` and `write/<strategy>/<target>`: one thread,
///   no contention: the cost of the strategy's load or store alone;
/// - `detector/<mode>/<target>`: the torn-read detector's per-read check on
///   an advancing sequence of valid values;
/// - `contended-read/<strategy>/<target>`: the same read while a pinned
///   hypervisor writer thread stores into the record back to back.
///
/// Every figure is per operation: one iteration is a million operations
/// (`scalingFactor: .mega`).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .mega,
        maxDuration: .seconds(1),
        maxIterations: 30)

    registerStrategyBenchmarks()
    registerDetectorBenchmarks()
    registerContendedBenchmarks()
    registerModelBenchmarks()
}

/// Every (strategy, target) pair the registry knows, each passed to
/// `register` as its concrete type so the generic loop is specialised.
func forEachStrategy(_ register: (any OrderingStrategy.Type, StrategyKind, SharedRecordKind) -> Void) {
    for kind in StrategyKind.allCases {
        for target in kind.targets {
            guard let type = kind.strategyType(for: target) else { continue }
            register(type, kind, target)
        }
    }
}
