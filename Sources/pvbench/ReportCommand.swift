import ArgumentParser
import Foundation
import PVExperiments
import PVResults

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Turn result JSON files into a Markdown summary and plots (SVG and PNG).",
        discussion: """
            Reads one or more result files (`pvbench run --json`, or google-benchmark JSON) and writes \
            DIR/summary.md: per scenario a table of strategy × layout with throughput (median, min … max, CV), \
            cost and latency percentiles and torn/backwards counts, then each file's context (machine, clock, \
            placement, command, warnings, interruption). With gnuplot on PATH (Debian: gnuplot-nox) it also \
            writes throughput-<scenario>, latency-cdf-<scenario>, the scenarios' own (\(ScenarioKind.plotCatalogue.values.flatMap { $0.map(\.name) }.sorted().joined(separator: ", "))) and \
            repetitions-<scenario> (every repetition, disturbed ones marked) as .svg and .png, each only when the \
            files hold its data. With two files, OLD NEW, that share at least half of the larger one's cases, it adds the \
            `pvbench compare` table and compare-ratio (new/old per case with its CI); two different sets (a suite \
            and a CPU-pair matrix) are reported side by side. Existing files are not replaced without --force.
            """)

    @Argument(help: ArgumentHelp("Result JSON files.", valueName: "file"))
    var files: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("Directory for summary.md and the plots (created if missing; default: the first file's directory).", valueName: "dir"))
    var output: String?

    @Flag(help: "Replace existing report files.")
    var force = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one result JSON file") }
    }

    func run() throws {
        var inputs: [ReportInput] = []
        for path in files {
            // A file that cannot be read or is not a result file is bad input (64), as for compare.
            do { inputs.append(try ReportInput.load(path: path)) } catch { throw ValidationError(error.description) }
        }
        let directory = output ?? Self.directory(of: files[0])
        let command = (["pvbench", "report"] + CommandLine.arguments.dropFirst(2)).joined(separator: " ")
        let outcome: ReportGenerator.Outcome
        do {
            outcome = try ReportGenerator.generate(inputs: inputs, directory: directory, overwrite: force,
                                                   gnuplot: Gnuplot.find(), command: command,
                                                   figures: ScenarioKind.figureCatalogue, plots: ScenarioKind.plotCatalogue)
        } catch {
            throw RuntimeError(error.description)
        }
        for path in outcome.written { print("wrote \(path)") }
        for note in outcome.notes { FileHandle.standardError.write(Data("pvbench: note: \(note)\n".utf8)) }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }
}
