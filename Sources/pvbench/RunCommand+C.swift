import ArgumentParser
import Foundation
import PVExperiments
import PVRuntime

/// `pvbench run --c FILE.c …`: strategy files compiled, loaded, and run as cases.
struct CStrategyOptions: ParsableArguments {
    @Option(name: .customLong("c"), help: ArgumentHelp("A strategy in C (docs/c-strategies.md), named after the file, beside --strategy's (repeatable, up to 4); with --suite, in each scenario it has a pair for.", valueName: "file.c"))
    var files: [String] = []

    @Flag(help: "Keep the --c files' build directories (removed at exit otherwise; a crash leaves them): `perf report` needs the shared object to name its functions.")
    var keepCBuild = false
}

extension RunCommand {
    /// Compiles and loads the `--c` files, printing each compile command;
    /// nil without `--c`.
    func loadCStrategies() throws -> CStrategyRunFiles? {
        guard !c.files.isEmpty else { return nil }
        // A crash in a file's code ends the process with _exit: what was printed must be out already.
        defer { fflush(nil) }
        do throws(CStrategyError) {
            let files = try CStrategyRunFiles.load(c.files) { print("compile: \($0.compileCommand)") }
            if c.keepCBuild { files.files.forEach { print("kept: \($0.library) (--keep-c-build)") } }
            return files
        } catch {
            fflush(nil)
            if case let .compileFailed(_, output) = error { writeStandardError(Data((output.hasSuffix("\n") ? output : output + "\n").utf8)) }
            throw error.cliError
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

extension CStrategyError {
    /// One line: exit 64 for a file that cannot be read, 1 for the rest.
    var cliError: Error { isUsage ? ValidationError(description) : RuntimeError(description) }
}
