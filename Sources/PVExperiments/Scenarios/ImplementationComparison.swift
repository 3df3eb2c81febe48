import PVRuntime
import PVResults

/// A case run with the Swift kernel and with the C reference kernel side by
/// side: repetitions alternate (Swift, C, Swift, C, …) so drift and noise
/// hit both alike, and the ratio compares their medians from the same run.
public struct ImplementationComparison: Sendable {
    public var swift: CaseResult
    public var c: CaseResult

    /// Swift time per operation / C time per operation (medians): 1.05 means
    /// the Swift loop is 5 % slower. Nil when either has no measurement.
    public var timeRatio: Double? {
        guard let s = swift.median?.realTime, let c = c.median?.realTime, s > 0, c > 0 else { return nil }
        return s / c
    }

    /// Ratios of each repetition pair: the spread of the ratio itself.
    public var repetitionRatios: [Double] {
        zip(swift.iterations, c.iterations).compactMap { s, c in c.realTime > 0 ? s.realTime / c.realTime : nil }
    }

    /// The cases worth comparing: every read scenario × strategy with a C kernel.
    public static func defaultCases(base: RunSettings) -> [RunSettings] {
        ScenarioKind.allCases.flatMap { scenario in
            scenario.strategies.filter { scenario.implementations(for: $0).contains(.c) }.map { strategy in
                var s = base
                s.scenario = scenario
                s.strategy = strategy
                s.vcpus = max(base.vcpus, scenario.type.representativeVCPUs)
                return s
            }
        }
    }

    /// Runs `settings` (its implementation ignored) alternately with each kernel.
    public static func run(_ settings: RunSettings, on runner: ScenarioRunner) throws -> ImplementationComparison {
        var one = settings
        one.repetitions = 1
        var swift: [CaseResult] = [], c: [CaseResult] = []
        for _ in 0 ..< settings.repetitions {
            one.implementation = .swift
            swift.append(try runner.run(one))
            one.implementation = .c
            c.append(try runner.run(one))
            if swift.last!.interrupted || c.last!.interrupted || runner.isInterrupted() { break }
        }
        return ImplementationComparison(swift: merge(swift, settings, .swift), c: merge(c, settings, .c))
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
        result.warnings = parts.flatMap(\.warnings) + warnings.filter { $0.contains(" real_time ") }
        result.violations = parts.reduce(ReaderCounts()) { $0 + $1.violations }
        result.firstViolation = parts.compactMap(\.firstViolation).first
        result.interrupted = parts.contains(where: \.interrupted)
        return result
    }
}
