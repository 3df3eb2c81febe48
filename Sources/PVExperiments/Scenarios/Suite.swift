import PVResults
import PVRuntime

/// A named set of `pvbench run` cases.
public enum Suite: String, CaseIterable, Sendable {
    /// Every scenario once, briefly: a check that everything runs (< 10 s).
    case smoke
    /// The suite `scripts/bench` runs: strategies side by side per scenario
    /// (steal-clock's writer paced at 1 us, and at 1 ms as KVM), false sharing
    /// by layout, idle-scan over vCPU counts at a KVM host's flip rate, c2c
    /// (≈ 1–2 min on 2 cores).
    case `default`
    /// Every scenario × strategy × layout that applies, with vCPU sweeps.
    case full
    /// Every scenario in rotation for `--duration` (default 10 min), per
    /// interval, detector on: drift shows (see ``SoakRun``).
    case soak

    /// How `pvbench run` (and so `scripts/bench`) runs the default suite
    /// when no suite, scenario or `--compare-impl` is named and neither
    /// `--runs` nor `--repetitions` is given: ``defaultRuns`` fresh
    /// processes of ``defaultRepetitionsPerRun`` repetition per case.
    /// Runs, not repetitions, are what varies here: on a 2-vCPU VM a run
    /// costs about 0.5 s beyond its rounds (10.6 s a round of 28 cases), and
    /// the within-run spread was 1.8x the between-run spread (variance 2.6x;
    /// docs/measurement.md, "Defaults and budgets"), so Kalibera and Jones's
    /// optimum is one repetition per run and as many runs as the 3-minute
    /// budget allows, retries included.
    public static let defaultRuns = 10
    /// See ``defaultRuns``.
    public static let defaultRepetitionsPerRun = 1

    public var summary: String {
        switch self {
        case .smoke: "every scenario once, 0.2 s x 2 repetitions (< 10 s)"
        case .default: "strategies side by side, layouts, idle-scan vCPU sweep, c2c; run alone: 10 runs x 1 round (~2.5 min)"
        case .full: "every scenario x strategy x layout that applies, vCPU sweeps, 1 s x 9 interleaved rounds"
        case .soak: "every scenario in rotation for --duration (default 10m), figures per interval so drift shows"
        }
    }

    /// The suite's cases, on `base` (placement, output options) with the
    /// suite's own durations unless `duration` overrides them: each
    /// scenario's ``Scenario/cases(in:)``, in registry order.
    public func cases(base: RunSettings, duration: Double? = nil, repetitions: Int? = nil) -> [RunSettings] {
        if self == .soak { return SoakRun(base: base, total: duration ?? 600).cases }
        return ScenarioKind.allCases.flatMap { scenario in
            scenario.type.cases(in: self).map { c in
                var s = base
                s.scenario = scenario
                s.strategy = .builtIn(c.strategy)
                s.layout = c.layout
                s.vcpus = c.vcpus
                s.readers = 1
                s.writers = 1
                s.implementation = .swift
                s.duration = duration ?? c.seconds
                s.repetitions = repetitions ?? c.repetitions
                s.warmup = min(c.warmup, s.duration)
                s.updateInterval = c.updateInterval
                s.parameters = s.parameters.merging(c.parameters)
                return s
            }
        }
    }

    /// ns between two stolen-time updates in the default suite's KVM-like
    /// cases: one sched-in per millisecond per vCPU.
    public static let kvmLikeUpdateInterval: UInt64 = KVMLikeHost.schedulingPeriod

    /// ns between two stolen-time updates of the default suite's steal-clock
    /// stress writer (``KVMLikeHost/stressUpdateInterval``, 1 us), which
    /// short case names leave out (``CaseName``).
    public static let stressUpdateInterval: UInt64 = KVMLikeHost.stressUpdateInterval

    /// ns between two `preempted` flips in the default suite's idle-scan
    /// (``KVMLikeHost/flipInterval(vcpus:)``), which short case names leave
    /// out (``CaseName``).
    public static func kvmLikeFlipInterval(vcpus: Int) -> UInt64 { KVMLikeHost.flipInterval(vcpus: vcpus) }
}
