import PVRuntime

/// A named set of `pvbench run` cases.
public enum Suite: String, CaseIterable, Sendable {
    /// Every scenario once, briefly: a check that everything runs (< 10 s).
    case smoke
    /// The suite `scripts/bench` runs: strategies side by side per scenario,
    /// false sharing by layout, idle-scan over vCPU counts, c2c (≈ 1–2 min on 2 cores).
    case `default`
    /// Every scenario × strategy × layout that applies, with vCPU sweeps.
    case full
    /// Every scenario in rotation for `--duration` (default 10 min), per
    /// interval, detector on: drift shows (see ``SoakRun``).
    case soak

    public var summary: String {
        switch self {
        case .smoke: "every scenario once, 0.2 s x 2 repetitions (< 10 s)"
        case .default: "strategies side by side per scenario, layouts, idle-scan vCPU sweep, c2c (about 1-2 min on 2 cores)"
        case .full: "every scenario x strategy x layout that applies, vCPU sweeps, 2 s x 5 repetitions"
        case .soak: "every scenario in rotation for --duration (default 10m), figures per interval so drift shows"
        }
    }

    /// The suite's cases, on `base` (placement, output options) with the
    /// suite's own durations unless `duration` overrides them.
    public func cases(base: RunSettings, duration: Double? = nil, repetitions: Int? = nil) -> [RunSettings] {
        func make(_ scenario: ScenarioKind, _ strategy: StrategyKind = .relaxed, _ layout: VCPULayout = .cacheline,
                  vcpus: Int = 1, seconds: Double, reps: Int, warmup: Double = 0.2) -> RunSettings
        {
            var s = base
            s.scenario = scenario
            s.strategy = strategy
            s.layout = layout
            s.vcpus = vcpus
            s.readers = 1
            s.writers = 1
            s.implementation = .swift
            s.duration = duration ?? seconds
            s.repetitions = repetitions ?? reps
            s.warmup = min(warmup, s.duration)
            return s
        }
        switch self {
        case .smoke:
            return ScenarioKind.allCases.map { make($0, vcpus: $0 == .idleScan ? 16 : 1, seconds: 0.2, reps: 2, warmup: 0.05) }
        case .default:
            var cases: [RunSettings] = []
            // Back to back: the stress figure (a writer far faster than KVM's).
            for strategy in ScenarioKind.stealClock.strategies where strategy.claimsSafety {
                cases.append(make(.stealClock, strategy, seconds: 1, reps: 3))
            }
            // As KVM updates stolen time: once per sched-in, here 1000 per second.
            for strategy in [StrategyKind.relaxed, .seqlock] {
                var kvmLike = make(.stealClock, strategy, seconds: 1, reps: 3)
                kvmLike.updateInterval = Self.kvmLikeUpdateInterval
                cases.append(kvmLike)
            }
            for layout in [VCPULayout.packed, .cacheline] {
                cases.append(make(.stealClock, .relaxed, layout, vcpus: 4, seconds: 1, reps: 3))
            }
            for strategy in [StrategyKind.relaxed, .acquireRelease, .seqCst] {
                cases.append(make(.preemptPoll, strategy, seconds: 1, reps: 3))
            }
            cases.append(make(.spinOnOwner, .relaxed, seconds: 1, reps: 3))
            for layout in VCPULayout.allCases {
                for vcpus in [1, 16, 256, 4096] {
                    cases.append(make(.idleScan, .relaxed, layout, vcpus: vcpus, seconds: 0.5, reps: 3, warmup: 0.1))
                }
            }
            cases.append(make(.c2c, seconds: 1, reps: 3))
            return cases
        case .full:
            var cases: [RunSettings] = []
            for scenario in ScenarioKind.allCases where scenario != .c2c {
                for strategy in scenario.strategies {
                    for layout in VCPULayout.allCases where Self.fits(strategy, scenario, layout) {
                        for vcpus in scenario == .idleScan ? [1, 4, 16, 64, 256, 1024, 4096] : [1, 4] {
                            cases.append(make(scenario, strategy, layout, vcpus: vcpus, seconds: 2, reps: 5))
                        }
                    }
                }
            }
            cases.append(make(.c2c, seconds: 2, reps: 5))
            return cases
        case .soak:
            return SoakRun(base: base, total: duration ?? 600).cases
        }
    }

    /// ns between two stolen-time updates in the default suite's KVM-like
    /// cases: one sched-in per millisecond per vCPU.
    public static let kvmLikeUpdateInterval: UInt64 = 1_000_000

    /// Whether the strategy's footprint fits one record slot of the layout
    /// (the seqlocks need 20 bytes; `packed` gives stolen-time records 16).
    static func fits(_ strategy: StrategyKind, _ scenario: ScenarioKind, _ layout: VCPULayout) -> Bool {
        guard let target = scenario.target(for: strategy), let type = strategy.strategyType(for: target) else { return false }
        return type.footprint <= layout.stride(for: target == .preempted ? .preemptedFlag : .stolenTime)
    }
}
