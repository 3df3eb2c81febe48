import ArgumentParser
import Foundation
import PVExperiments
import PVModel
import PVRuntime

/// The command's options as the library's request, and the library's
/// errors in the command's words (its flags).
extension ValidateCommand {
    var models: [ModelKind] {
        let named = StrategyModel.validateModels.filter { modelNames.contains($0.rawValue) }
        // `--model compiled` alone: beside the four models (the compiled verdicts are compared with the recorded ones).
        return named.isEmpty ? StrategyModel.validateModels : named
    }

    /// `--model compiled` (or `all`): every compile target whose compiler is installed.
    var compileTargets: [CompileTarget] {
        modelNames.contains("compiled") || modelNames.contains("all") ? CompileTarget.all.filter(CompileRunner.present) : []
    }

    var request: ValidateRequest {
        var r = ValidateRequest()
        (r.strategies, r.records, r.modes, r.duration, r.reads) = (strategies, records, modes, duration, reads)
        (r.readers, r.relation, r.memory, r.models, r.strict) = (readers, relation.relation ?? .farthest, memory.memory, models, strict)
        r.compileTargets = compileTargets
        return r
    }

    /// A line of progress: on stderr under --json, so that stdout stays JSON.
    func say(_ line: String) {
        if json { writeStandardError(Data("pvbench: \(line)\n".utf8)) } else { print(line) }
    }

    /// The exit policy's outcome as the process's status: 0, 1 (a violation), 2 (`--strict`, undecided).
    static func exit(_ exit: ValidateExit) throws {
        exit.warnings.forEach(warn)
        switch exit.outcome {
        case .pass: return
        case let .fail(why): throw RuntimeError(why)
        case let .undecided(why):
            if let why { writeStandardError(Data("pvbench: error: --strict: \(why)\n".utf8)) }
            throw ExitCode(2)
        }
    }

    static func warn(_ text: some CustomStringConvertible) {
        writeStandardError(Data("pvbench: warning: \(text)\n".utf8))
    }

    /// A usage error (exit status 64) for what the request got wrong, else a run-time failure (1).
    static func commandLineError(_ error: ValidateError) -> any Error {
        switch error {
        case .nothingApplies:
            ValidationError("no strategy given applies to the records given; see `pvbench validate --help` for which apply to which")
        case let .badRequest(e): ValidationError(e.description)
        case let .setup(e): RuntimeError(commandLineMessage(e))
        case .race, .lostUpdateRace: RuntimeError(error.description)
        }
    }

    /// `--hardware FILE`: another machine's `validate --json` as a column.
    static func hardwareColumn(path: String) throws -> HardwareColumn {
        let column: HardwareColumn
        do { column = try HardwareColumn.load(path: path) } catch {
            switch error {
            case let .unreadable(why): throw ValidationError("cannot read --hardware \(path): \(why)")
            case .modelsOnly:
                throw ValidationError("--hardware \(path) is `validate --model-only --json` output, which has no hardware rows; "
                    + "give the output of `pvbench validate --json` (with the race)")
            case let .notAReport(why): throw ValidationError("--hardware \(path) is not the output of `pvbench validate --json`: \(why)")
            case let .noReadableCase(n): throw ValidationError("--hardware \(path): none of its \(n) cases is one this pvbench can read")
            }
        }
        if column.casesLeftOut > 0 {
            warn("--hardware \(path): \(column.casesLeftOut) case(s) left out (a strategy, record or field this pvbench does not know)")
        }
        return column
    }
}
