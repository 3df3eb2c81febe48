/// A warning worth a line in a result's context, kept with what it is
/// about, so the terminal can group or leave out a kind without reading
/// its text. The result file keeps the text only (`context.warnings`).
public struct RunWarning: Sendable, Equatable, CustomStringConvertible {
    public enum Category: String, Sendable {
        /// A figure whose repetitions vary by more than the threshold (CV).
        case spread
        /// A perf counter asked for that could not be read, with why.
        case perfCounter
        /// About the whole run: the clock, the harness's overhead, a busy machine.
        case host
        /// About one case: a thread seen off its planned CPU, a workload's note.
        case runCase
        /// A case whose every repetition was disturbed: no aggregate (``caseName`` says which).
        case allDisturbed
    }

    public var category: Category
    public var text: String
    /// For a spread warning: the case and the figure (a counter, or
    /// `real_time`); for an all-disturbed one, the case.
    public var caseName: String?
    public var figure: String?
    /// The line for a terminal when ``text`` is longer than one should be;
    /// the details stay in ``text`` (the JSON, `--wide`).
    public var brief: String?

    /// A warning of `category`; `brief`: its line for a terminal, when
    /// `text` is longer than one should be. The fields only one category
    /// has come with that category's constructor (``spread(_:caseName:figure:)``,
    /// ``allDisturbed(_:)``).
    public init(_ category: Category, _ text: String, brief: String? = nil) {
        self.category = category
        self.text = text
        self.brief = brief
    }

    /// A figure of `caseName` whose repetitions vary by more than the threshold.
    public static func spread(_ text: String, caseName: String, figure: String) -> RunWarning {
        var w = RunWarning(.spread, text)
        w.caseName = caseName
        w.figure = figure
        return w
    }

    /// Every repetition of `caseName` was disturbed and left out.
    public static func allDisturbed(_ caseName: String) -> RunWarning {
        var w = RunWarning(.allDisturbed, "\(caseName): every repetition was disturbed; no aggregate")
        w.caseName = caseName
        return w
    }

    public var description: String { text }

    /// Spread warnings of the figures a reader quotes (`real_time` and
    /// `quoted`), and every warning of another kind.
    public static func keeping(_ warnings: [RunWarning], quoted: [String]) -> [RunWarning] {
        warnings.filter { w in w.category != .spread || w.figure.map { (["real_time"] + quoted).contains($0) } == true }
    }
}
