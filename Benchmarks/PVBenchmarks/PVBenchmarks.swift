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

/// Every (strategy, target) pair the registry knows, each handed to the
/// visitor `make` builds as its concrete type through
/// ``StrategyKind/dispatch(_:to:)``, so the benchmark loops are specialised
/// for it: opening an `any OrderingStrategy.Type` instead would measure the
/// unspecialised loop, a witness-table call per access.
func forEachStrategy<V: StrategyVisitor>(_ make: (StrategyKind, SharedRecordKind) -> V) where V.Output == Void {
    for kind in StrategyKind.allCases {
        for target in kind.targets {
            _ = try? kind.dispatch(target, to: make(kind, target))
        }
    }
}
