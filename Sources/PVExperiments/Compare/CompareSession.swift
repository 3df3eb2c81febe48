import PVResults

/// `pvbench compare` and `run --baseline compare` without the command
/// line: two result files (or two sets of runs) compared, rendered, and the
/// exit status that goes with it.
public enum CompareSession {
    public enum Format: Sendable { case text, json, markdown }

    /// What to print and the exit status.
    public struct Outcome: Sendable, Equatable {
        /// For stdout, whole.
        public var output: String
        /// One line for stderr after it, or nil.
        public var error: String?
        /// 0: nothing got slower; 1: something did; 2: undecided with the fail-on-inconclusive gate.
        public var status: Int32
    }

    /// This pvbench's typed figures per scenario, for pvbench files written before `context.figures`.
    public static var resolver: FigureResolver { FigureResolver(catalogue: ScenarioKind.figureCatalogue) }

    /// Two files, case by case. Throws when they have no case in common (bad input).
    public static func files(old: ReportInput, new: ReportInput, options: Comparison.Options = Comparison.Options(),
                             format: Format = .text, failOnInconclusive: Bool = false) throws(Comparison.Failure) -> Outcome {
        let comparison = try Comparison(old: old, new: new, options: options, resolver: resolver)
        let output = switch format {
        case .text: CompareRendering.text(comparison)
        case .markdown: CompareRendering.markdown(comparison)
        case .json: json(comparison)
        }
        if failOnInconclusive, comparison.exitStatus == 0, comparison.counts.inconclusive > 0 {
            let n = comparison.counts.inconclusive
            return Outcome(output: output, error: "--fail-on-inconclusive: \(n) case\(n == 1 ? "" : "s") inconclusive (see the reasons above)",
                           status: 2)
        }
        return Outcome(output: output, status: comparison.exitStatus)
    }

    /// Runs (several a side), with the runs as the unit. Throws on bad input.
    public static func runs(old: [ReportInput], new: [ReportInput], options: RunComparison.Options = RunComparison.Options(),
                            format: Format = .text, wide: Bool = false, failOnUnknown: Bool = false) throws(Comparison.Failure) -> Outcome {
        let c = try RunComparison(old: old, new: new, options: options, resolver: resolver)
        let output = switch format {
        case .json: json(c)
        case .markdown: RunComparisonRendering.markdown(c)
        case .text: RunComparisonRendering.text(c, wide: wide)
        }
        return Outcome(output: output, status: c.exitStatus(failOnUnknown: failOnUnknown))
    }

    /// Either of the above: runs when `severalRuns` or the files hold
    /// several; `threshold`, `alpha` and `figure` nil: the defaults.
    public static func compare(old: [ReportInput], new: [ReportInput], severalRuns: Bool, threshold: Double? = nil,
                               alpha: Double? = nil, figure: CompareFigureChoice? = nil, format: Format = .text,
                               wide: Bool = false, failOnInconclusive: Bool = false) throws(CompareRefusal) -> Outcome {
        if severalRuns || RunComparison.holdsSeveralRuns(old + new) {
            var options = RunComparison.Options()
            if let threshold { options.threshold = threshold }
            if let figure { options.figure = figure }
            // Several runs a side: each case's interval is at 1 − α (docs/compare.md).
            if let alpha { options.level = 1 - alpha }
            do { return try runs(old: old, new: new, options: options, format: format, wide: wide, failOnUnknown: failOnInconclusive) } catch {
                throw CompareRefusal(description: error.description)
            }
        }
        var options = Comparison.Options()
        if let threshold { options.threshold = threshold }
        if let alpha { options.alpha = alpha }
        if let figure { options.figure = figure }
        do { return try files(old: old[0], new: new[0], options: options, format: format, failOnInconclusive: failOnInconclusive) } catch {
            throw CompareRefusal(description: error.description)
        }
    }

    static func json(_ value: some Encodable) -> String {
        (try? PrettyJSON.data(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}\n"
    }
}

/// Files that cannot be compared; the message says why.
public struct CompareRefusal: Error, Equatable, CustomStringConvertible {
    public let description: String
}
