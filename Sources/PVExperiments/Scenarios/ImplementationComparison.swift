import PVRuntime
import PVResults

/// A case run with the Swift kernel and with the C reference kernel side by
/// side in the same interleaved rounds (``RoundRunner``), so drift and noise
/// hit both alike, and the ratio compares them round by round.
public struct ImplementationComparison: Sendable {
    public var swift: CaseResult
    public var c: CaseResult

    /// Swift time per operation / C time per operation: the median of the
    /// per-round ratios (1.05 means the Swift loop is 5 % slower), with its
    /// 95 % interval. Nil when either has no measurement.
    public var ratio: RoundRatio? { RoundRunner.ratio(swift, c) }

    /// The median per-round ratio.
    public var timeRatio: Double? { ratio?.median }

    /// Ratios of each round's pair: the spread of the ratio itself.
    public var repetitionRatios: [Double] { ratio?.ratios ?? [] }

    /// The cases worth comparing: every read scenario × strategy with a C kernel.
    public static func defaultCases(base: RunSettings) -> [RunSettings] {
        ScenarioKind.allCases.flatMap { scenario in
            scenario.strategies.filter { scenario.implementations(for: $0).contains(.c) }.map { strategy in
                var s = base
                s.scenario = scenario
                s.strategy = .builtIn(strategy)
                s.vcpus = max(base.vcpus, scenario.type.representativeVCPUs)
                return s
            }
        }
    }

    /// Runs `settings` (its implementation ignored) with each kernel in interleaved rounds.
    public static func run(_ settings: RunSettings, on runner: ScenarioRunner, seed: UInt64 = 1) throws -> ImplementationComparison {
        var swift = settings, c = settings
        swift.implementation = .swift
        c.implementation = .c
        let outcome = try RoundRunner(runner: runner, seed: seed, policy: runner.disturbedPolicy).run([swift, c])
        return ImplementationComparison(swift: outcome.results[0], c: outcome.results[1])
    }

    /// One result from single-repetition results: entries renumbered, aggregates recomputed.
    /// (Also how a soak joins its intervals into one result per case.)
    static func merge(_ parts: [CaseResult], _ settings: RunSettings, _ impl: Implementation) -> CaseResult {
        var result = parts[0]
        result.settings.implementation = impl
        result.settings.repetitions = parts.count
        let rows = parts.enumerated().flatMap { i, part in
            part.iterations.map { e -> BenchmarkEntry in
                var e = e
                e.repetitionIndex = i
                e.repetitions = parts.count
                return e
            }
        }
        let (aggregates, warnings) = BenchmarkEntry.aggregates(of: rows)
        result.entries = rows + (rows.count > 1 ? aggregates : [])
        result.warnings = parts.flatMap(\.warnings) + RunWarning.keeping(warnings, quoted: [])
        result.violations = parts.reduce(ReaderCounts()) { $0 + $1.violations }
        result.firstViolation = parts.compactMap(\.firstViolation).first
        result.interrupted = parts.contains(where: \.interrupted)
        return result
    }
}
