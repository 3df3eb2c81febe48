import Foundation

/// `compare`'s output for a terminal (plain columns) and for a pull-request
/// comment (Markdown): the two files, what differs between them, the method,
/// one row per case, the cases in one file only, and the counts.
public enum CompareRendering {
    public static func text(_ c: Comparison) -> String {
        var out: [String] = []
        out.append("OLD  \(c.old.path)  (\(c.old.date), host \(c.old.host), pvbench \(c.old.pvbenchVersion))")
        out.append("NEW  \(c.new.path)  (\(c.new.date), host \(c.new.host), pvbench \(c.new.pvbenchVersion))")
        out += headerLines(c).map { $0 }
        out.append("")
        var table = TerminalTable(columns: [
            .init("case", alignment: .left), .init("figure", alignment: .left), .init("old"), .init("new"),
            .init("change"), .init("95% CI of change", alignment: .left), .init("p"), .init("p Holm"),
            .init("reps old/new", alignment: .left), .init("verdict", alignment: .left),
        ])
        for k in c.cases { table.addRow(cells(k)) }
        out.append(table.render())
        out += footerLines(c)
        return out.joined(separator: "\n") + "\n"
    }

    public static func markdown(_ c: Comparison) -> String {
        var out: [String] = []
        out.append("### pvbench compare: \(summary(c))")
        out.append("")
        out.append("OLD `\(c.old.path)` (\(c.old.date), host \(c.old.host)) → NEW `\(c.new.path)` (\(c.new.date), host \(c.new.host))")
        out.append("")
        for line in headerLines(c) { out.append(line.hasPrefix("WARNING") ? "> **\(line)**" : line) ; out.append("") }
        let header = ["case", "figure", "old", "new", "change", "95% CI of change", "p", "p Holm", "reps old/new", "verdict"]
        out.append(ReportMarkdown.row(header))
        out.append(ReportMarkdown.row(header.map { _ in "---" }))
        for k in c.cases {
            var row = cells(k)
            row[0] = "`\(row[0])`"
            if k.verdict == .slower || k.verdict == .faster { row[9] = "**\(row[9])**" }
            out.append(ReportMarkdown.row(row))
        }
        out.append("")
        for line in footerLines(c) where !line.isEmpty { out.append(line); out.append("") }
        return out.joined(separator: "\n")
    }

    /// "1 slower, 0 faster, 22 no significant change, 2 inconclusive of 25 cases".
    public static func summary(_ c: Comparison) -> String {
        "\(c.counts.slower) slower, \(c.counts.faster) faster, \(c.counts.noSignificantChange) no significant change, "
            + "\(c.counts.inconclusive) inconclusive (\(c.cases.count) case\(c.cases.count == 1 ? "" : "s") in both files)"
    }

    static func headerLines(_ c: Comparison) -> [String] {
        var out: [String] = []
        let crossing = c.differences.filter(\.crossesMachinesOrPlacements)
        if !crossing.isEmpty {
            let kinds = Set(crossing.map(\.kind))
            let what = [kinds.contains(.machine) ? "MACHINES" : nil, kinds.contains(.placement) ? "PLACEMENTS" : nil]
                .compactMap { $0 }.joined(separator: " AND ")
            out.append("WARNING: a comparison across \(what): " + crossing.map(describe).joined(separator: "; "))
        }
        let other = c.differences.filter { !$0.crossesMachinesOrPlacements }
        if !other.isEmpty { out.append("differs: " + other.map(describe).joined(separator: "; ")) }
        if c.differences.isEmpty {
            out.append("same machine, CPU, placement, clock, build and pvbench version"
                + (c.disturbanceRuleRecorded ? ", and disturbance rule" : "; neither file records a disturbance rule (only repetitions flagged disturbed are left out)"))
        }
        let sources = Set(c.cases.filter { $0.reason?.hasPrefix("no ") != true }.map(\.figureSource))
        let from = sources.map(\.rawValue).sorted().joined(separator: ", ")
        out.append("method: figure \(c.figureChoice) per case (direction from \(from.isEmpty ? "-" : from)); two-sided Mann-Whitney U "
            + "over undisturbed repetitions, Holm across the cases tested, α \(Comparison.format(c.alpha)), threshold \(Comparison.percent(c.threshold)); "
            + "change = new/old median - 1, its CI Hodges-Lehmann on logs")
        return out
    }

    static func footerLines(_ c: Comparison) -> [String] {
        var out: [String] = []
        var reasons: [(String, [String])] = []
        for k in c.cases {
            guard let r = k.reason else { continue }
            let line = "\(k.verdict.rawValue): \(r)"
            if let i = reasons.firstIndex(where: { $0.0 == line }) { reasons[i].1.append(k.name) } else { reasons.append((line, [k.name])) }
        }
        for (line, names) in reasons {
            out.append(names.count == 1 ? "\(names[0]): \(line)" : "\(names.count) cases \(line)")
        }
        out += c.notes
        if !c.onlyInOld.isEmpty { out.append("only in OLD (\(c.onlyInOld.count)): " + c.onlyInOld.joined(separator: ", ")) }
        if !c.onlyInNew.isEmpty { out.append("only in NEW (\(c.onlyInNew.count)): " + c.onlyInNew.joined(separator: ", ")) }
        out.append(summary(c))
        return out
    }

    static func describe(_ d: ContextDifference) -> String { "\(d.what) \(d.old) → \(d.new)" }

    static func cells(_ k: CaseComparison) -> [String] {
        func value(_ v: Double?) -> String {
            guard let v else { return "-" }
            return k.figure.unit == .perSecond ? ReportNumberFormat.rate(v) : ReportNumberFormat.nanoseconds(v)
        }
        func signed(_ v: Double?) -> String {
            guard let v else { return "-" }
            return (v >= 0 ? "+" : "") + ReportNumberFormat.fixed(v * 100, 1) + "%"
        }
        let ci = k.changeLow.map { "[\(signed($0)), \(signed(k.changeHigh))]" } ?? "-"
        func reps(_ s: CaseComparison.Side) -> String { s.disturbed > 0 ? "\(s.repetitions)(\(s.disturbed)d)" : "\(s.repetitions)" }
        let arrow = k.figure.better == .higher ? "↑" : "↓"
        return [k.name, "\(k.figure.key) \(arrow)", value(k.old.median), value(k.new.median), signed(k.change), ci,
                k.pValue.map(Comparison.format) ?? "-", k.pHolm.map(Comparison.format) ?? "-",
                "\(reps(k.old))/\(reps(k.new))", k.verdict.rawValue]
    }
}
