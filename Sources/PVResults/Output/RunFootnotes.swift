/// The lines under `pvbench run`'s table (`clock:`, `rounds:`, `warning:`):
/// at most ``width`` columns unless `--wide`, with the details in the JSON.
///
/// - A warning with a ``RunWarning/brief`` form shows it.
/// - Cases whose every repetition was disturbed make one line with their
///   count, not one line each (nor one per run of `--runs K`).
/// - The same line twice (a workload's note on every repetition) shows once,
///   with how many times it was raised.
/// - Whatever is still longer is wrapped at spaces, never cut.
public enum RunFootnotes {
    public static let width = 120

    /// The terminal's `warning:` lines for `warnings`, in their order.
    public static func warningLines(_ warnings: [RunWarning], wide: Bool, width: Int = width) -> [String] {
        var texts: [String] = [], counts: [String: Int] = [:]
        var disturbed: [String] = []
        for w in warnings {
            if w.category == .allDisturbed, let name = w.caseName {
                if disturbed.isEmpty { texts.append("") }  // holds the merged line's place
                if !disturbed.contains(name) { disturbed.append(name) }
                continue
            }
            let text = wide ? w.text : (w.brief ?? w.text)
            if counts[text] == nil { texts.append(text) }
            counts[text, default: 0] += 1
        }
        return texts.map { text in
            if text.isEmpty { return fit("warning: " + allDisturbedLine(disturbed, wide: wide, width: width), wide: wide, width: width) }
            let n = counts[text] ?? 1
            return fit("warning: " + text + (n > 1 ? " (\(n) times)" : ""), wide: wide, width: width)
        }
    }

    /// For the file `--runs K` merged: one line for the cases that had every
    /// repetition disturbed in some run (each run's own line would repeat
    /// per run, and call "no aggregate" a case the other runs still have),
    /// then the usual line for those left with no repetition at all. Empty
    /// when no run lost a case.
    public static func disturbedRunsLines(_ file: ResultFile, wide: Bool, width: Int = width) -> [String] {
        var lost: [String: Set<Int>] = [:], kept: [String: Int] = [:], order: [String] = []
        var byRun: [String: [Int: (all: Int, counted: Int)]] = [:]
        for e in file.benchmarks where e.runType == .iteration {
            if byRun[e.runName] == nil { order.append(e.runName) }
            var r = byRun[e.runName, default: [:]][e.runID ?? 0] ?? (0, 0)
            r.all += 1
            if e.excluded != true { r.counted += 1 }
            byRun[e.runName, default: [:]][e.runID ?? 0] = r
        }
        for name in order {
            for (run, r) in byRun[name] ?? [:] where r.counted == 0 { lost[name, default: []].insert(run) }
            kept[name] = byRun[name]?.values.map(\.counted).reduce(0, +) ?? 0
        }
        let cases = order.filter { lost[$0] != nil }
        guard !cases.isEmpty else { return [] }
        let runs = Set(file.benchmarks.compactMap(\.runID)).count
        // Lost in some runs: a median of the others. Lost in every run: none (the next line).
        let some = cases.filter { kept[$0] != 0 }, none = cases.filter { kept[$0] == 0 }
        var lines: [String] = []
        if !some.isEmpty {
            let counts = some.map { lost[$0]!.count }
            let span = counts.min()! == counts.max()! ? "\(counts.min()!)" : "\(counts.min()!)–\(counts.max()!)"
            lines.append(fit("warning: \(some.count) case\(some.count == 1 ? "" : "s") had every repetition disturbed in "
                + "\(span) of \(runs) runs; \(some.count == 1 ? "its median is" : "their medians are") of the other runs"
                + (wide ? ": " + some.map { name in "\(name) (\(lost[name]!.count))" }.joined(separator: ", ") : " (--wide: which)"),
                wide: wide, width: width))
        }
        if !none.isEmpty { lines.append(fit("warning: " + allDisturbedLine(none, wide: wide, width: width), wide: wide, width: width)) }
        // What lost them, when the core probe saw it: the reader can tell a host sharing the core from their own load.
        let iterations = file.benchmarks.filter { $0.runType == .iteration }
        let shared = iterations.filter { $0.counters["core_shared"] == 1 }.count
        if shared > 0 { lines.append(coreSharedLine(shared: shared, of: iterations.count, wide: wide, width: width)) }
        return lines
    }

    private static let coreSharedPhrase = "repetitions ran while the host shared their core"

    /// Whether `line` (wrapped or not) is a ``coreSharedLine(shared:of:wide:width:)``.
    public static func isCoreSharedLine(_ line: String) -> Bool {
        line.hasPrefix("warning: ") && line.prefix { $0 != "\n" }.contains(coreSharedPhrase)
    }

    /// What lost the repetitions, when the core probe saw it: `shared` of
    /// `total` repetitions beside a core the host gave other work, and what
    /// the reader can do about it. Under a run that lost repetitions (a
    /// case short of undisturbed ones, or with none), single or `--runs K`.
    public static func coreSharedLine(shared: Int, of total: Int, wide: Bool, width: Int = width) -> String {
        fit("warning: \(shared) of the \(total) \(coreSharedPhrase) with other "
            + "work (core_shared: the core probe above \(CoreShare.limitText) the run's floor); a quieter host keeps more, "
            + "or --disturbed keep counts them (with the host's spread in them)", wide: wide, width: width)
    }

    /// One line for every case whose every repetition was disturbed; names
    /// as many as fit (all with `wide`).
    /// How a run's all-disturbed line starts on stderr.
    public static let allDisturbedPrefix = "warning: every repetition disturbed, no aggregate:"

    static func allDisturbedLine(_ names: [String], wide: Bool, width: Int) -> String {
        let head = "every repetition disturbed, no aggregate: \(names.count) case\(names.count == 1 ? "" : "s")"
        if wide { return head + ": " + names.joined(separator: ", ") }
        let budget = width - "warning: ".count - head.count - 2
        var shown: [String] = []
        for name in names.map({ CaseName.narrow($0) }) {
            let rest = names.count - shown.count - 1
            let tail = rest > 0 ? ", … \(rest) more (--wide)" : ""
            guard (shown + [name]).joined(separator: ", ").count + tail.count <= budget else { break }
            shown.append(name)
        }
        guard !shown.isEmpty else { return head + " (names: --wide, JSON)" }
        let rest = names.count - shown.count
        return head + ": " + shown.joined(separator: ", ") + (rest > 0 ? ", … \(rest) more (--wide)" : "")
    }

    /// `line` wrapped at spaces into lines of at most `width` columns, the
    /// continuations indented by two; unchanged with `wide` or when it fits.
    /// A bracketed group (`[190–212 ns]`, `(95% CI …)`) that fits on a line
    /// is not broken; a word longer than a line stays whole.
    public static func fit(_ line: String, wide: Bool, width: Int = width) -> String {
        guard !wide, line.count > width else { return line }
        var lines: [String] = []
        var current = ""
        for word in unbroken(line.split(separator: " "), width: width - 2) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = "  " + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    /// `words` with each bracketed group joined into one, when the group
    /// fits in `width`; an unclosed or longer group stays words.
    static func unbroken(_ words: [Substring], width: Int) -> [String] {
        var units: [String] = []
        var i = 0
        while i < words.count {
            var group = String(words[i])
            var j = i + 1
            var depth = Self.depth(group)
            while depth > 0, j < words.count, group.count + 1 + words[j].count <= width {
                group += " " + words[j]
                depth += Self.depth(words[j])
                j += 1
            }
            if depth > 0 { (group, j) = (String(words[i]), i + 1) }
            units.append(group)
            i = j
        }
        return units
    }

    /// Brackets opened minus closed in `word`.
    private static func depth(_ word: some StringProtocol) -> Int {
        word.reduce(0) { $0 + ("[(".contains($1) ? 1 : ")]".contains($1) ? -1 : 0) }
    }
}
