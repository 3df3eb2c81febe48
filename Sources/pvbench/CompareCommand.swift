import ArgumentParser
import Foundation
import PVExperiments
import PVResults

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two result files case by case: faster, slower or no significant change.",
        discussion: """
            For every case (run name) in both files: the change of the median of its figure with a 95 % CI, a \
            two-sided Mann-Whitney U test over the undisturbed repetitions, Holm-Bonferroni correction across the \
            cases tested, and a verdict. A case is slower or faster only when significant at --alpha after the \
            correction and its median moved by more than --threshold; with too few repetitions it is \
            inconclusive. The figure is each scenario's headline: its rate, or for c2c the one-way latency p50, \
            whose median over many short samples a shared CPU's slices do not move; its direction is taken from \
            the file (google-benchmark files: real_time, lower is better). What differs between the files (machine, \
            placement, clock, build, version, disturbance rule) is listed first. Exit status: 0 when nothing got \
            slower, 1 when something did, 2 with --fail-on-inconclusive when a case was inconclusive (and none \
            slower), 64 for bad input. With several runs (OLD… -- NEW…, or files of `pvbench run --runs K`) the \
            runs are the unit: a hierarchical bootstrap of the ratio of medians within the placement class both \
            sides share, answered different, same or unknown (with how many more runs should decide it); the \
            exit status means the same, `unknown` counting as inconclusive. See docs/compare.md.
            """)

    @Argument(help: ArgumentHelp("OLD.json NEW.json, or NEW.json with --baseline; OLD… -- NEW… compares runs (several files a side).", valueName: "file"))
    var files: [String] = []

    @Option(name: .customLong("new"), parsing: .upToNextOption,
            help: ArgumentHelp("The NEW side's files (what `OLD… -- NEW…` means); the files before are OLD's.", valueName: "file"))
    var newFiles: [String] = []

    /// `compare OLD… -- NEW…`: the `--` becomes `--new`, so the NEW side is
    /// an option (ArgumentParser allows one positional array) and options
    /// after the NEW files still count.
    /// A `--` with nothing after it becomes `--empty-new-side`, so the error
    /// names the missing NEW files instead of the `--new` option.
    static func separatingSides(_ arguments: [String]) -> [String] {
        guard arguments.first == "compare", let i = arguments.firstIndex(of: "--") else { return arguments }
        var out = arguments
        out[i] = i == arguments.count - 1 ? "--empty-new-side" : "--new"
        return out
    }

    @Flag(name: .customLong("empty-new-side"), help: .hidden)
    var emptyNewSide = false

    @Flag(help: "Full case names in the table (default: without the segments every default case has).")
    var wide = false

    @Option(help: ArgumentHelp("Compare against the saved baseline NAME (.pvbench-baselines/NAME.json) as OLD.", valueName: "name"))
    var baseline: String?

    @Option(help: ArgumentHelp("Smallest change of a median that counts, in percent (default 5).", valueName: "percent"))
    var threshold: String = "5"

    @Option(help: ArgumentHelp("Significance level (default 0.05): family-wise (Holm) for two files; with several runs a side, each case's interval is at 1 − alpha.", valueName: "alpha"))
    var alpha: Double = 0.05

    @Option(help: ArgumentHelp("Figure per case: headline (each scenario's own), rate, cost, cost-p99, latency-p50, latency-p99, latency-p50-interpolated, or a key (real_time, reads_per_second, ...).", valueName: "figure"))
    var figure: String = "headline"

    @Flag(help: "Exit with status 2 when a case is inconclusive (too few undisturbed repetitions, no figure) and none got slower: for CI gates that must not pass on what was not decided.")
    var failOnInconclusive = false

    @Flag(help: "Print the comparison as JSON.")
    var json = false

    @Flag(help: "Print the comparison as Markdown (for a pull-request comment).")
    var markdown = false

    func validate() throws {
        if json, markdown { throw ValidationError("--json and --markdown exclude each other") }
        if emptyNewSide { throw ValidationError("nothing after --: give the NEW side's files, pvbench compare OLD… -- NEW…") }
        if !newFiles.isEmpty {
            guard files.count >= 1 || baseline != nil else { throw ValidationError("give OLD files before --: pvbench compare OLD… -- NEW…") }
            guard baseline == nil || files.isEmpty else { throw ValidationError("with --baseline the OLD side is the baseline: give only NEW files, after --") }
        } else if let baseline {
            guard files.count == 1 else { throw ValidationError("with --baseline give one file, NEW.json; got \(files.count)") }
            do { _ = try Baseline(name: baseline) } catch { throw ValidationError("--baseline: \(error)") }
        } else {
            guard files.count == 2 else { throw ValidationError("give two result files, OLD.json NEW.json (or --baseline NAME NEW.json); got \(files.count)") }
        }
        _ = try Self.threshold(threshold)
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1, got \(alpha)") }
    }

    /// "5", "5%", "2.5 %" → 0.05, 0.05, 0.025.
    static func threshold(_ text: String) throws -> Double {
        guard let v = ThresholdPercentage.fraction(text) else { throw ValidationError("--threshold '\(text)' is not a percentage: give e.g. 5 or 2.5%") }
        return v
    }

    func run() throws {
        let oldPaths = try baseline.map { [try Baseline(name: $0).path()] } ?? (newFiles.isEmpty ? [files[0]] : files)
        let old = try oldPaths.map { try Self.load($0, baselineName: baseline) }
        let new = try (newFiles.isEmpty ? [files.last!] : newFiles).map { try Self.load($0) }
        let threshold = try Self.threshold(threshold)
        let outcome: CompareSession.Outcome
        do {
            outcome = try CompareSession.compare(old: old, new: new, severalRuns: !newFiles.isEmpty, threshold: threshold,
                                                 alpha: alpha, figure: CompareFigureChoice(argument: figure),
                                                 format: json ? .json : markdown ? .markdown : .text, wide: wide,
                                                 failOnInconclusive: failOnInconclusive)
        } catch { throw ValidationError(error.description) }
        try Self.finish(outcome)
    }

    /// Prints the outcome and (unless `exit` is false) exits with its status.
    static func finish(_ outcome: CompareSession.Outcome, exit: Bool = true) throws {
        print(outcome.output, terminator: "")
        if let error = outcome.error { writeStandardError(Data("pvbench: error: \(error)\n".utf8)) }
        if exit, outcome.status != 0 { throw ExitCode(outcome.status) }
    }

    /// Reads a result file; a file that cannot be read or is not a result
    /// file is bad input (a ValidationError: one line, exit 64).
    static func load(_ path: String, baselineName: String? = nil) throws -> ReportInput {
        do { return try ReportInput.load(path: path) } catch {
            if let baselineName, !FileManager.default.fileExists(atPath: path) {
                throw ValidationError("no baseline '\(baselineName)' (\(path)): save one with pvbench run --baseline save \(baselineName)")
            }
            throw ValidationError(error.description)
        }
    }
}
