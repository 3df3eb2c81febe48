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

    /// One line for every case whose every repetition was disturbed; names
    /// as many as fit (all with `wide`).
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
    /// A word longer than a line stays whole.
    public static func fit(_ line: String, wide: Bool, width: Int = width) -> String {
        guard !wide, line.count > width else { return line }
        var lines: [String] = []
        var current = ""
        for word in line.split(separator: " ") {
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
}
