import ArgumentParser
import Foundation
import PVExperiments
import PVHost
import PVRuntime

// What `pvbench run`'s options ask for, as the library's types.
extension RunCommand {
    /// The suite to run: the one named, else the default suite when no
    /// scenario is named (`pvbench run` alone runs what `scripts/bench` runs).
    var chosenSuite: Suite? { suite ?? (scenario == nil && !compareImpl ? .default : nil) }

    /// Nothing named and nothing counted: the default suite as
    /// ``Suite/defaultRuns`` runs of ``Suite/defaultRepetitionsPerRun``
    /// repetition (not with --pause-before-start, which is for one process).
    var defaultShape: Bool {
        suite == nil && scenario == nil && !compareImpl && output.runs == nil && rounds.repetitions == nil && !pauseBeforeStart
    }

    /// How many runs (fresh processes): --runs, else as ``defaultShape`` says.
    var runCount: Int { output.runs ?? (defaultShape ? Suite.defaultRuns : 1) }

    /// The one case the options describe (a suite's base).
    var base: RunSettings {
        var base = RunSettings(
            scenario: scenario ?? .default, strategy: strategy.first ?? .relaxed, layout: layout, implementation: impl, vcpus: vcpus,
            readers: placement.readers, writers: placement.writers, placement: placement.request, duration: rounds.duration ?? 0.3, warmup: rounds.warmup,
            repetitions: rounds.repetitions ?? 9, updateInterval: timing.updateInterval, runDuration: timing.runDuration,
            preemptedDuration: timing.preemptedDuration)
        base.warmup = min(base.warmup, max(base.duration, 0.01))
        base.faults = inject
        base.parameters = (try? scenarioParameters()) ?? ScenarioParameterSet()
        return base
    }

    /// The scenarios' own options, read.
    func scenarioParameters() throws -> ScenarioParameterSet {
        var parameters = ScenarioParameterSet()
        do { try ScenarioOption.parse(scenarioOptions, chosen: scenario, into: &parameters) } catch { throw ValidationError(error.description) }
        return parameters
    }

    /// The case(s) this invocation asks for, each validated; `files` (`--c`) beside the built-ins.
    func settings(_ files: CStrategyRunFiles? = nil) throws -> [RunSettings] {
        var cases: [RunSettings]
        if let suite = chosenSuite {
            cases = suite.cases(base: base, duration: rounds.duration, repetitions: rounds.repetitions)
            if let files { cases = withCStrategies(cases, files) }
        } else if compareImpl, scenario == nil {
            cases = ImplementationComparison.defaultCases(base: base)
        } else {
            let strategies = strategy.map(StrategyChoice.builtIn) + (files?.strategies ?? [])
            cases = strategies.isEmpty ? [base] : strategies.map { var s = base; s.strategy = $0; return s }
        }
        if compareImpl {
            cases = cases.filter { $0.scenario.implementations(for: $0.strategy).contains(.c) }
            guard !cases.isEmpty else {
                let withC = ScenarioKind.allCases.filter { !$0.type.cKernelStrategies.isEmpty }.map {
                    "\($0) (\($0.type.cKernelStrategies.map(\.rawValue).joined(separator: ", ")))"
                }
                throw ValidationError("--compare-impl: no C kernel for these cases; C kernels exist for "
                    + withC.joined(separator: ", "))
            }
        }
        for c in cases {
            do { try c.validate() } catch { throw ValidationError(error.commandLineMessage) }
        }
        return cases
    }

    /// The request the session runs: the cases and everything else the options say.
    func request(_ cases: [RunSettings]) -> RunRequest {
        var r = RunRequest(cases: cases)
        r.suite = chosenSuite
        if suite == .soak { r.soak = (base, rounds.duration ?? 600) }
        r.compareImplementations = compareImpl
        r.seed = rounds.seed
        r.disturbed = rounds.disturbed
        r.disturbanceLimit = rounds.disturbanceLimit
        if case let .given(f) = rounds.idleFloor { r.idleFloor = f }
        r.perfCounters = perfCounters
        r.pauseBeforeStart = pauseBeforeStart
        r.faults = inject
        r.command = CommandLine.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        r.version = pvbenchVersion
        r.buildFlags = buildFlags
        return r
    }

    /// A session's failure in the command line's words: bad input is a
    /// ValidationError (exit 64), anything else a RuntimeError (exit 1).
    static func commandLineError(_ failure: RunFailure) -> any Error {
        switch failure {
        case let .placement(name, error):
            ValidationError((name.map { "\($0): " } ?? "") + commandLineMessage(error))
        case let .refused(why): ValidationError(why)
        case let .failed(why): RuntimeError(why)
        }
    }
}

extension RunSettings.Field {
    /// The `pvbench run` option that sets this field.
    var flag: String { "--" + rawValue.replacingOccurrences(of: " ", with: "-") }
}

extension RunSettingsError {
    /// The message with the settings named by their `pvbench run` options.
    var commandLineMessage: String {
        switch self {
        case .noCKernel: "--impl c: " + message { $0.flag }
        case .faultsNeedSwiftKernels: "--inject works with the Swift kernels (--impl swift): the C reference kernels have no fault hooks"
        default: message { $0.flag }
        }
    }
}

#if DEBUG
let buildFlags = ["-Onone"]
#else
let buildFlags = ["-O", "-enforce-exclusivity=unchecked"]
#endif
