import PVHost
import PVModel
import PVRuntime

/// What `pvbench validate` is asked: which strategies, records and detector
/// modes to race, for how long, where, and under which models to check
/// them. Empty lists mean all.
public struct ValidateRequest: Sendable {
    public var strategies: [StrategyKind] = []
    public var records: [SharedRecordKind] = []
    public var modes: [DetectorMode] = []
    /// Seconds per case; nil with no ``reads``: 1 s.
    public var duration: Double?
    /// Reads per reader per case, instead of a duration.
    public var reads: UInt64?
    public var readers = 1
    public var relation: PlacementRelation = .farthest
    public var memory: MemoryPolicy = .writerNode
    public var models: [ModelKind] = StrategyModel.validateModels
    /// The compiled column: each recorded program as LKMM C compiled for
    /// these targets (`validate --model compiled`; none by default: it runs
    /// the compilers, some seconds per target).
    public var compileTargets: [CompileTarget] = []
    /// Inconclusive cases and `not modelled` verdicts fail (exit status 2).
    public var strict = false

    public init() {}

    public var strategiesOrAll: [StrategyKind] { strategies.isEmpty ? StrategyKind.allCases : strategies }
    public var recordsOrAll: [SharedRecordKind] { records.isEmpty ? SharedRecordKind.allCases : records }

    /// The cases to race. Unasked-for cases that cannot show a tear by
    /// construction are left out; asked for by name, they run and say why
    /// they are inconclusive.
    public var cases: [ValidationCase] {
        ValidationCase.all(strategies: strategiesOrAll, targets: recordsOrAll, modes: modes.isEmpty ? [.spec, .stress] : modes,
                           onlyVisible: strategies.isEmpty || modes.isEmpty)
    }

    public var budget: ValidationBudget { reads.map { .reads($0) } ?? .duration(seconds: duration ?? 1) }

    /// Every strategy × record asked for, under the selected models.
    public var modelVerdicts: [StrategyVerdict] {
        strategiesOrAll.flatMap { k in recordsOrAll.filter(k.applies(to:)).flatMap { StrategyModel.check(k, $0, models: models) } }
    }

    /// Every strategy × record asked for, compiled for each of `compileTargets`.
    public var compiledVerdicts: [CompiledStrategyVerdict] {
        guard !compileTargets.isEmpty else { return [] }
        return strategiesOrAll.flatMap { k in
            recordsOrAll.filter(k.applies(to:)).flatMap { CompiledStrategyModel.check(k, $0, targets: compileTargets) }
        }
    }

    /// Every strategy × record asked for whose writer or reader is a C
    /// kernel, the kernels compiled for each of `compileTargets`.
    public var kernelVerdicts: [CompiledStrategyVerdict] {
        guard !compileTargets.isEmpty else { return [] }
        return strategiesOrAll.flatMap { k in
            recordsOrAll.filter(k.applies(to:)).flatMap { CompiledKernelModel.check(k, $0, targets: compileTargets) }
        }
    }

    /// The CVE-2019-3016 pair, shown when the preempted flag is among the
    /// records and no strategy was named.
    public var lostUpdateVariants: [PreemptClear] {
        strategies.isEmpty && (records.isEmpty || records.contains(.preempted)) ? PreemptClear.allCases : []
    }

    /// What is known to weaken the verdicts before anything runs.
    public var warnings: [ValidationWarning] {
        if let reads, reads < ValidationBudget.meaningfulReads { [.fewReadsAsked(reads)] } else { [] }
    }
}
