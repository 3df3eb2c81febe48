import ArgumentParser
import Foundation
import PVExperiments
import PVRuntime

// `pvbench run --c FILE.c …`: strategy files compiled, loaded, and run as cases.
extension RunCommand {
    /// Compiles and loads the `--c` files, printing each compile command;
    /// nil without `--c`.
    func loadCStrategies() throws -> CStrategyRunFiles? {
        guard !cFiles.isEmpty else { return nil }
        // A crash in a file's code ends the process with _exit: what was printed must be out already.
        defer { fflush(nil) }
        do throws(CStrategyError) {
            return try CStrategyRunFiles.load(cFiles) { print("compile: \($0.compileCommand)") }
        } catch {
            fflush(nil)
            if case let .compileFailed(_, output) = error { writeStandardError(Data((output.hasSuffix("\n") ? output : output + "\n").utf8)) }
            throw RuntimeError(error.description)
        }
    }

    /// A suite's cases with the files' beside the built-ins; a line on
    /// stderr for each scenario a file does not apply to.
    func withCStrategies(_ cases: [RunSettings], _ files: CStrategyRunFiles) -> [RunSettings] {
        let (all, notes) = files.addingTo(cases)
        for note in notes { writeStandardError(Data("pvbench: note: \(note)\n".utf8)) }
        return all
    }
}
