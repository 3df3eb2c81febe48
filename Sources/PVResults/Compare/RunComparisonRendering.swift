import Foundation

/// `compare OLD… -- NEW…` for a terminal, a pull-request comment or a
/// script: the files per side, the placement classes, one row per case
/// (the class compared, the medians, the ratio with its interval, runs per
/// side, the answer) and what to do about the unknowns.
public enum RunComparisonRendering {
    /// Lines other than the file lists wrap at 120 columns unless `wide`.
    public static func text(_ c: RunComparison, wide: Bool = false) -> String {
        func fit(_ lines: [String]) -> [String] {
            lines.map { line in
                guard !line.hasPrefix("OLD  "), !line.hasPrefix("NEW  ") else { return line }
                // An indented line keeps its indent on every line it wraps to.
                let indent = String(line.prefix { $0 == " " })
                guard !indent.isEmpty else { return RunFootnotes.fit(line, wide: wide) }
                return RunFootnotes.fit(String(line.dropFirst(indent.count)), wide: wide, width: RunFootnotes.width - indent.count)
                    .split(separator: "\n", omittingEmptySubsequences: false).map { indent + $0 }.joined(separator: "\n")
            }
        }
        var out = fit(header(c))
        out.append("")
        var table = TerminalTable(columns: columns.map { TerminalTable.Column($0.title, alignment: $0.left ? .left : .right) })
        for k in c.cases { table.addRow(cells(k, wide: wide)) }
        out.append(table.render())
        out += fit(CaseName.intervalNotes(c.cases.map(\.name), wide: wide))
        out += fit(footer(c))
        return out.joined(separator: "\n") + "\n"
    }

    public static func markdown(_ c: RunComparison) -> String {
        var out = ["### pvbench compare (runs): \(summary(c))", ""]
        for line in header(c) { out.append(line.hasPrefix("WARNING") ? "> **\(line)**" : line); out.append("") }
        out.append(ReportMarkdown.row(columns.map(\.title)))
        out.append(ReportMarkdown.row(columns.map { _ in "---" }))
        for k in c.cases {
            var row = cells(k, wide: true)
            row[0] = "`\(row[0])`"
            if k.answer == .different { row[row.count - 1] = "**\(row[row.count - 1])**" }
            out.append(ReportMarkdown.row(row))
        }
        out.append("")
        for line in footer(c) { out.append(line); out.append("") }
        return out.joined(separator: "\n")
    }

    static let columns: [(title: String, left: Bool)] = [
        ("case", true), ("placement", true), ("old", false), ("new", false), ("new/old [CI]", true), ("runs", false), ("answer", true),
    ]

    /// "2 different (1 slower, 1 faster), 20 same, 6 unknown of 28 cases".
    public static func summary(_ c: RunComparison) -> String {
        "\(c.counts.slower + c.counts.faster) different (\(c.counts.slower) slower, \(c.counts.faster) faster), "
            + "\(c.counts.same) same, \(c.counts.unknown) unknown (\(c.cases.count) case\(c.cases.count == 1 ? "" : "s") on both sides)"
    }

    static func header(_ c: RunComparison) -> [String] {
        var out = ["OLD  " + c.old.joined(separator: " "), "NEW  " + c.new.joined(separator: " ")]
        let crossing = c.differences.filter(\.crossesMachinesOrPlacements)
        if !crossing.isEmpty {
            out.append("WARNING: a comparison across machines or configured placements: "
                + crossing.map { "\($0.what) \($0.old) → \($0.new)" }.joined(separator: "; "))
        }
        let classes = c.placementClasses.classes
        out.append(classes.isEmpty && c.placementClasses.outsideClasses.isEmpty ? "placement: no c2c probe in the files; compared without placement classes"
            : "placement classes (\(c.placementProbe ?? "c2c probe"), one-way): "
            + (classes.map { "\($0.label) [\(Int($0.low))–\(Int($0.high)) ns, \($0.count) probe\($0.count == 1 ? "" : "s")]" }
                + c.placementClasses.outsideClasses).joined(separator: ", "))
        if classes.count > 1 {
            let within = c.cases.filter { $0.chosen.placementClass != RunComparison.pooled }.count
            out.append("  \(within) case\(within == 1 ? "" : "s") compared within one class (placement share ε² ≥ 25 %: "
                + "both sides, beyond chance; or no ε² and disjoint classes); "
                + "\(c.cases.count - within) pooled")
        }
        out.append(figureLine(c))
        out.append("method: runs as the unit: hierarchical bootstrap (runs, then repetitions) of the ratio of medians new/old,")
        out.append(String(format: "  %g %% interval widened for few runs; same: inside ±%g %%; different: beyond ±%g %%",
                          c.level * 100, c.threshold * 100, c.threshold * 100))
        return out
    }

    /// "figure: each scenario's rate, but c2c: one_way_p50_ns,
    /// spin-on-owner: breakout_p50_interpolated_ns (lower is better)": which
    /// figure the rows are, when one is not a rate; one direction said once.
    static func figureLine(_ c: RunComparison) -> String {
        guard c.figureChoice == CompareFigureChoice.headline.description else { return "figure: \(c.figureChoice)" }
        var others: [(better: Figure.Better, text: String)] = []
        for k in c.cases where k.figure.unit != .perSecond {
            let scenario = k.name.split(separator: "/").first.map(String.init) ?? k.name
            let text = "\(scenario): \(k.figure.key)"
            if !others.contains(where: { $0.text == text }) { others.append((k.figure.better, text)) }
        }
        let groups = [Figure.Better.lower, .higher].compactMap { better -> String? in
            let texts = others.filter { $0.better == better }.map(\.text)
            return texts.isEmpty ? nil : texts.joined(separator: ", ") + " (\(better.rawValue) is better)"
        }
        return "figure: each scenario's rate" + (groups.isEmpty ? "" : ", but " + groups.joined(separator: "; "))
    }

    static func footer(_ c: RunComparison) -> [String] {
        var out: [String] = []
        var reasons: [(String, [String])] = []
        for k in c.cases {
            guard let r = k.chosen.reason else { continue }
            if let i = reasons.firstIndex(where: { $0.0 == r }) { reasons[i].1.append(k.name) } else { reasons.append((r, [k.name])) }
        }
        for (line, names) in reasons {
            out.append(names.count == 1 ? "\(CaseName.short(names[0])): \(line)" : "\(names.count) cases: \(line)")
        }
        let more = c.cases.compactMap(\.chosen.moreRuns)
        if let most = more.max(), let least = more.min() {
            let n = least == most ? "\(most)" : "\(least)–\(most)"
            out.append("unknown: \(more.count) case\(more.count == 1 ? "" : "s") need about \(n) more run\(most == 1 ? "" : "s") a side to decide")
            out.append("  (pvbench run --runs N --json FILE, then compare all the files)")
        }
        out += c.notes
        if !c.onlyInOld.isEmpty { out.append("only in OLD (\(c.onlyInOld.count)): " + c.onlyInOld.joined(separator: ", ")) }
        if !c.onlyInNew.isEmpty { out.append("only in NEW (\(c.onlyInNew.count)): " + c.onlyInNew.joined(separator: ", ")) }
        out.append(summary(c))
        return out
    }

    static func cells(_ k: RunComparison.CaseResult, wide: Bool) -> [String] {
        let c = k.chosen
        func value(_ v: Double?) -> String {
            guard let v else { return "-" }
            return k.figure.unit == .perSecond ? ReportNumberFormat.rate(v) : ReportNumberFormat.nanoseconds(v) + " ns"
        }
        let ratio = c.bootstrap.map { b in
            String(format: "%.3f [%.3f, %@]", b.ratio, b.low, b.high.isFinite ? String(format: "%.3f", b.high) : "∞")
        } ?? "-"
        let answer: String = switch c.answer {
        case .different: "different (\(c.direction ?? "?"))"
        case .same: "same"
        case .unknown: c.disagreeingClass.map { wide ? "unknown: classes disagree (\($0))" : "unknown: classes disagree" }
            ?? c.moreRuns.map { "unknown: run \($0) more" }
            ?? c.classRunsNeeded.map { wide ? "unknown: needs ≥ \($0) runs a side in class (has \(c.oldRuns)/\(c.newRuns))"
                : "unknown: < \($0) runs in class" } ?? "unknown"
        }
        return [wide ? k.name : CaseName.narrow(k.name), c.placementClass ?? RunComparison.unprobed, value(c.oldMedian), value(c.newMedian), ratio,
                "\(c.oldRuns)/\(c.newRuns)", answer]
    }
}
