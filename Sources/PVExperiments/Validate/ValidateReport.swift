import Foundation
import PVHost
import PVModel
import PVResults
import PVRuntime

/// Why validate could not give its verdicts.
public enum ValidateError: Error, CustomStringConvertible {
    /// No strategy asked for applies to the records asked for.
    case nothingApplies
    /// The race cannot be set up as asked (placement, budget, strategy): the request is at fault.
    case badRequest(ValidationSetupError)
    /// This machine could not set the race up (topology, clock, placement).
    case setup(any Error)
    /// A case's race failed to run.
    case race(ValidationCase, any Error)
    /// The lost-update race could not start.
    case lostUpdateRace(PreemptClear, any Error)

    public var description: String {
        switch self {
        case .nothingApplies: "no strategy given applies to the records given"
        case let .badRequest(e): e.description
        case let .setup(e): "\(e)"
        case let .race(c, e): "\(c): \(e)"
        case let .lostUpdateRace(v, e): "\(v): cannot start the race: \(e)"
        }
    }
}

/// The machine a validate report was made on, so another machine's report
/// can name it in its hardware column.
public struct ValidationMachine: Codable, Equatable, Sendable {
    public var hostName: String
    public var architecture: String
    public var cpuModel: String?

    public static var current: ValidationMachine {
        let host = HostDescription.collect()
        return ValidationMachine(hostName: host.hostName, architecture: BuildRecord.current().architecture, cpuModel: host.cpuModel)
    }

    /// `hardware on arm-box (arm64)`.
    public var columnTitle: String { "hardware on \(hostName) (\(architecture))" }
}

/// Everything `pvbench validate` found: the race (absent with models only),
/// the model verdicts, and the lost-update pair. Its JSON is the command's
/// `--json` output.
public struct ValidateReport: Sendable, Encodable {
    public struct Race: Sendable {
        public var placement: Placement
        public var budget: ValidationBudget
        public var clock: String
        public var cases: [ValidationCaseResult]
        public var warnings: [ValidationWarning]
    }

    public var race: Race?
    public var models: [StrategyVerdict]
    public var machine: ValidationMachine
    public var lostUpdates: [LostUpdateCaseResult]
    /// The compiled column (empty unless asked for).
    public var compiled: [CompiledStrategyVerdict] = []
    /// The C kernel column: the CPVReference kernels compiled (empty unless asked for).
    public var kernels: [CompiledStrategyVerdict] = []

    /// Cases of a strategy that claims safety that showed a violation.
    public var failed: [ValidationCaseResult] { race?.cases.filter { $0.verdict == .fail } ?? [] }
    public var inconclusive: [ValidationCaseResult] { race?.cases.filter { $0.verdict == .inconclusive } ?? [] }

    /// The race's warnings that only running could tell (said after the table).
    public var warningsFoundRunning: [ValidationWarning] { race?.warnings.filter { !$0.isKnownBeforeRunning } ?? [] }

    /// The race then the models, or (`modelOnly`) only the models.
    public static func run(_ request: ValidateRequest, modelOnly: Bool, started: () -> Void,
                           progress: @escaping @Sendable (String) -> Void) throws(ValidateError) -> ValidateReport {
        modelOnly ? try models(request) : try race(request, started: started, progress: progress)
    }

    /// Only the models: no race (one CPU, a few seconds: 3.6–3.9 s for the default four models here).
    public static func models(_ request: ValidateRequest) throws(ValidateError) -> ValidateReport {
        let verdicts = request.modelVerdicts
        guard !verdicts.isEmpty else { throw .nothingApplies }
        return ValidateReport(race: nil, models: verdicts, machine: .current, lostUpdates: try lostUpdates(request, placement: nil),
                              compiled: request.compiledVerdicts, kernels: request.kernelVerdicts)
    }

    /// Races every case on this machine, then checks the models.
    /// `started` is called once the race is set up, `progress` as it goes.
    public static func race(_ request: ValidateRequest, started: () -> Void = {},
                            progress: @escaping @Sendable (String) -> Void = { _ in }) throws(ValidateError) -> ValidateReport {
        let cases = request.cases
        guard !cases.isEmpty else { throw .nothingApplies }
        let budget = request.budget
        let (runner, clock) = try self.runner(request)
        started()
        var warnings = request.warnings
        var results: [ValidationCaseResult] = []
        for (i, c) in cases.enumerated() {
            let label = "validate \(i + 1)/\(cases.count) \(c)"
            let result: ValidationCaseResult
            do {
                result = try runner.run(c) { reads, seconds in progress("\(label): \(reads) reads, \(String(format: "%.1f", seconds)) s") }
            } catch {
                throw .race(c, error)
            }
            results.append(result)
            let perReader = result.readers.map(\.counts.reads).min() ?? 0
            if case .duration = budget, perReader < ValidationBudget.meaningfulReads {
                warnings.append(.fewReadsMade(c, perReader: perReader))
            }
        }
        let race = Race(placement: runner.placement, budget: budget, clock: clock.name, cases: results, warnings: warnings)
        return ValidateReport(race: race, models: request.modelVerdicts, machine: .current,
                              lostUpdates: try lostUpdates(request, placement: runner.placement), compiled: request.compiledVerdicts,
                              kernels: request.kernelVerdicts)
    }

    /// The placement planned for `request` on this machine and a runner on it.
    static func runner(_ request: ValidateRequest) throws(ValidateError) -> (ValidationRunner, CycleClock) {
        do {
            let plan = try PlacementPlanner.plan(
                PlacementRequest(writers: 1, readers: request.readers, relation: request.relation, memory: request.memory),
                on: try Topology.live())
            let clock = try CycleClock.calibrate(windows: 3)
            return (try ValidationRunner(placement: plan, budget: request.budget, clock: clock.conversion), clock)
        } catch let error as ValidationSetupError {
            throw .badRequest(error)
        } catch {
            throw .setup(error)
        }
    }

    /// The lost-update pair's verdicts, and its race on the writer's and a
    /// reader's CPU when there is a placement (reads: that many
    /// preempt/clear rounds, at most a minute; else the duration).
    static func lostUpdates(_ request: ValidateRequest, placement: Placement?) throws(ValidateError) -> [LostUpdateCaseResult] {
        var out: [LostUpdateCaseResult] = []
        for v in request.lostUpdateVariants {
            var hardware: LostUpdateRaceResult?
            if let placement, let host = placement.writerCPUs.first, let guest = placement.readerCPUs.first {
                do {
                    hardware = try LostUpdateRace.run(v, hostCPU: host, guestCPU: guest, rounds: request.reads ?? .max,
                                                      seconds: request.duration ?? (request.reads == nil ? 1 : 60))
                } catch {
                    throw .lostUpdateRace(v, error)
                }
            }
            out.append(LostUpdateCaseResult(variant: v, models: LostUpdateModel.check(v, models: request.models), hardware: hardware))
        }
        return out
    }

    enum CodingKeys: String, CodingKey { case placement, budget, clock, cases, models, compiled, kernels, machine, lostUpdates, failed, warnings }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(models, forKey: .models)
        if !compiled.isEmpty { try c.encode(compiled, forKey: .compiled) }
        if !kernels.isEmpty { try c.encode(kernels, forKey: .kernels) }
        try c.encode(machine, forKey: .machine)
        try c.encode(lostUpdates, forKey: .lostUpdates)
        guard let race else { return }
        try c.encode(race.placement, forKey: .placement)
        try c.encode(race.budget.description, forKey: .budget)
        try c.encode(race.clock, forKey: .clock)
        try c.encode(race.cases, forKey: .cases)
        try c.encode(failed.map(\.validationCase.description), forKey: .failed)
        try c.encode(race.warnings, forKey: .warnings)
    }
}
