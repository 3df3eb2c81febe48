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
            inconclusive. The figure is each scenario's rate, its direction taken from the file \
            (google-benchmark files: real_time, lower is better). What differs between the files (machine, \
            placement, clock, build, version, disturbance rule) is listed first. Exit status: 0 when nothing got \
            slower, 1 when something did, 2 with --fail-on-inconclusive when a case was inconclusive (and none \
            slower), 64 for bad input. See docs/compare.md.
            """)

    @Argument(help: ArgumentHelp("OLD.json NEW.json, or NEW.json with --baseline.", valueName: "file"))
    var files: [String] = []

    @Option(help: ArgumentHelp("Compare against the saved baseline NAME (.pvbench-baselines/NAME.json) as OLD.", valueName: "name"))
    var baseline: String?

    @Option(help: ArgumentHelp("Smallest change of a median that counts, in percent (default 5).", valueName: "percent"))
    var threshold: String = "5"

    @Option(help: ArgumentHelp("Family-wise significance level (default 0.05).", valueName: "alpha"))
    var alpha: Double = 0.05

    @Option(help: ArgumentHelp("Figure per case: rate, cost, cost-p99, latency-p50, latency-p99, or a key (real_time, reads_per_second, ...).", valueName: "figure"))
    var figure: String = "rate"

    @Flag(help: "Exit with status 2 when a case is inconclusive (too few undisturbed repetitions, no figure) and none got slower: for CI gates that must not pass on what was not decided.")
    var failOnInconclusive = false

    @Flag(help: "Print the comparison as JSON.")
    var json = false

    @Flag(help: "Print the comparison as Markdown (for a pull-request comment).")
    var markdown = false

    func validate() throws {
        if json, markdown { throw ValidationError("--json and --markdown exclude each other") }
        if let baseline {
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
        let t = text.trimmingCharacters(in: .whitespaces)
        let number = t.hasSuffix("%") ? String(t.dropLast()).trimmingCharacters(in: .whitespaces) : t
        guard let v = Double(number), v >= 0, v < 1000 else {
            throw ValidationError("--threshold '\(text)' is not a percentage: give e.g. 5 or 2.5%")
        }
        return v / 100
    }

    func run() throws {
        let oldPath = try baseline.map { try Baseline(name: $0).path() } ?? files[0]
        let newPath = files.last!
        let options = Comparison.Options(alpha: alpha, threshold: try Self.threshold(threshold),
                                         figure: CompareFigureChoice(argument: figure))
        let status = try Self.compare(oldPath: oldPath, newPath: newPath, options: options,
                                      format: json ? .json : markdown ? .markdown : .text,
                                      baselineName: baseline, failOnInconclusive: failOnInconclusive)
        if status != 0 { throw ExitCode(status) }
    }

    enum Format { case text, json, markdown }

    /// This pvbench's typed figures per scenario, for pvbench files written before `context.figures`.
    static var resolver: FigureResolver {
        FigureResolver(catalogue: Dictionary(ScenarioKind.allCases.map { ($0.rawValue, $0.figures) }) { a, _ in a })
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

    /// Loads, compares and prints; returns the exit status.
    static func compare(oldPath: String, newPath: String, options: Comparison.Options, format: Format,
                        baselineName: String? = nil, failOnInconclusive: Bool = false) throws -> Int32
    {
        try compare(old: try load(oldPath, baselineName: baselineName), new: try load(newPath), options: options, format: format,
                    failOnInconclusive: failOnInconclusive)
    }

    /// Compares and prints; returns the exit status (no case in common: a ValidationError).
    static func compare(old: ReportInput, new: ReportInput, options: Comparison.Options, format: Format,
                        failOnInconclusive: Bool = false) throws -> Int32 {
        let comparison: Comparison
        do { comparison = try Comparison(old: old, new: new, options: options, resolver: resolver) } catch {
            throw ValidationError(error.description)
        }
        switch format {
        case .text: FileHandle.standardOutput.write(Data(CompareRendering.text(comparison).utf8))
        case .markdown: FileHandle.standardOutput.write(Data(CompareRendering.markdown(comparison).utf8))
        case .json: try printJSON(comparison)
        }
        if failOnInconclusive, comparison.exitStatus == 0, comparison.counts.inconclusive > 0 {
            let n = comparison.counts.inconclusive
            FileHandle.standardError.write(Data("pvbench: error: --fail-on-inconclusive: \(n) case\(n == 1 ? "" : "s") inconclusive (see the reasons above)\n".utf8))
            return 2
        }
        return comparison.exitStatus
    }
}
