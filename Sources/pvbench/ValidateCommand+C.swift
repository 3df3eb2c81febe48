import ArgumentParser
import Foundation
import PVExperiments
import PVResults

/// validate's C file, and how long its cost is measured.
struct ValidateCOptions: ParsableArguments {
    @Option(name: .customLong("c"), help: ArgumentHelp(
        "A C strategy file (see `pvbench abi --c-header`): compiled, loaded and raced like a built-in strategy; "
            + "built-ins run beside it only when named with --strategy.", valueName: "file.c"))
    var file: String?

    @Option(name: .customLong("cost-rounds"), help: ArgumentHelp(
        "With --c: interleaved rounds of the cost measurement (each reader alone, no writer; default "
            + "\(CStrategyCost.defaultRounds); 0 leaves the cost out).", valueName: "n"))
    var costRounds: Int?

    func validate() throws {
        guard let costRounds else { return }
        guard file != nil else { throw ValidationError("--cost-rounds is the cost of a --c file's reads: give --c FILE.c") }
        guard (0 ... 1000).contains(costRounds) else { throw ValidationError("--cost-rounds must be 0 ... 1000, got \(costRounds)") }
    }
}

/// `validate --c FILE.c`: compile, load, race; the verdicts in validate's table.
extension ValidateCommand {
    func runCStrategy(_ path: String) throws {
        let compiled: CStrategyFile
        do throws(CStrategyError) { compiled = try CStrategyFile.compile(path) } catch {
            if case let .compileFailed(_, output) = error { writeStandardError(Data((output.hasSuffix("\n") ? output : output + "\n").utf8)) }
            throw error.cliError
        }
        // The build directory goes at exit (a crash or hang, which ends the process at once, leaves it).
        defer { compiled.removeBuildDirectory() }
        say("compile: \(compiled.compileCommand)")
        // A crash in the file's code ends the process with _exit: what was printed must be out already.
        fflush(nil)
        let file: CStrategyFile
        do throws(CStrategyError) { file = try compiled.load() } catch { throw error.cliError }
        let progress = ProgressLine()
        let report: CStrategyReport
        do throws(ValidateError) {
            report = try CStrategyReport.run(file, request, costRounds: c.costRounds ?? CStrategyCost.defaultRounds, progress: progress.update)
        } catch {
            progress.finish()
            throw Self.commandLineError(error)
        }
        progress.finish()
        let result = report.validation
        if json { try printJSON(report) } else { print(report.text) }
        if !result.failed.isEmpty {
            throw RuntimeError("C strategy \(file.name) showed a violation: \(result.failed.map(\.name).joined(separator: ", "))")
        }
        if let (row, cell) = report.modelViolations.first {
            throw RuntimeError("C strategy \(file.name): its code compiled for \(cell.target) can return a \(row.question.rawValue) \(row.record) value under \(cell.model.title)"
                + (report.modelViolations.count > 1 ? " (and \(report.modelViolations.count - 1) more: see the table)" : ""))
        }
        if strict, result.cases.contains(where: { $0.verdict == .inconclusive }) {
            writeStandardError(Data("pvbench: error: --strict: a case of C strategy \(file.name) is inconclusive\n".utf8))
            throw ExitCode(2)
        }
    }
}
