import ArgumentParser
import Foundation
import PVExperiments
import PVResults

/// `validate --c FILE.c`: compile, load, race; the verdicts in validate's table.
extension ValidateCommand {
    func runCStrategy(_ path: String) throws {
        let compiled: CStrategyFile
        do throws(CStrategyError) { compiled = try CStrategyFile.compile(path) } catch {
            if case let .compileFailed(_, output) = error { writeStandardError(Data((output.hasSuffix("\n") ? output : output + "\n").utf8)) }
            throw RuntimeError(error.description)
        }
        // The build directory goes at exit (a crash or hang, which ends the process at once, leaves it).
        defer { compiled.removeBuildDirectory() }
        say("compile: \(compiled.compileCommand)")
        // A crash in the file's code ends the process with _exit: what was printed must be out already.
        fflush(nil)
        let file: CStrategyFile
        do throws(CStrategyError) { file = try compiled.load() } catch { throw RuntimeError(error.description) }
        let progress = ProgressLine()
        let report: CStrategyReport
        do throws(ValidateError) {
            report = try CStrategyReport.run(file, request, progress: progress.update)
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
