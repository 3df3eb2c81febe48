import Foundation

/// The plots of noise and change: every repetition of every case (disturbed
/// ones marked), and for `report OLD NEW` the ratio new/old per case with its CI.
extension ReportPlots {
    /// Most cases one repetitions plot shows.
    static let maxRepetitionPanels = 36

    /// One plot per scenario, a panel per case: each repetition's throughput
    /// in file order, undisturbed as dots, disturbed as red crosses, the
    /// median of the undisturbed ones dashed. A slow spell shows as a run of
    /// low points. Nil when no case has two repetitions.
    static func repetitions(scenario: String, rows: [ReportRow]) -> ReportPlot? {
        let all = rows.filter { $0.repetitionValues.count >= 2 }
        guard !all.isEmpty else { return nil }
        // A c2c matrix of a large machine has thousands of pairs: panels stay readable.
        let shown = Array(all.prefix(maxRepetitionPanels))
        let columns = Int(Double(shown.count).squareRoot().rounded(.up))
        let rowsOfPanels = (shown.count + columns - 1) / columns
        let unit = ReportMarkdown.unit(shown[0].throughputKey)
        var blocks = ""
        var panels: [String] = []
        for (i, (label, r)) in zip(labels(shown), shown).enumerated() {
            let points = r.repetitionValues.enumerated().map { "\($0.offset) \(num($0.element.value)) \($0.element.disturbed ? 1 : 0)" }
            blocks += "$r\(i) << EOD\n" + points.joined(separator: "\n") + "\nEOD\n"
            let median = SampleStatistics.median(r.repetitionValues.filter { !$0.disturbed }.map(\.value))
            var parts = ["$r\(i) using 1:($3 == 0 ? $2 : NaN) with points pt 7 ps 0.6 lc rgb '#4477aa' notitle",
                         "$r\(i) using 1:($3 == 1 ? $2 : NaN) with points pt 2 ps 1.2 lw 2 lc rgb '#cc3311' notitle"]
            if let median { parts.append("\(num(median)) with lines dt 2 lc rgb '#777777' notitle") }
            panels.append("set title \(quote(label))\nset format y \(quote(tickFormat(r.repetitionValues.map(\.value))))\nplot [-0.5:\(Double(r.repetitionValues.count) - 0.5)] " + parts.joined(separator: ", "))
        }
        let title = "\(scenario): \(unit) per repetition (dots; red crosses: disturbed; dashed: undisturbed median)"
            + (all.count > shown.count ? ", first \(shown.count) of \(all.count) cases" : "")
        let script = header("") + blocks + """
            set tics font ",7"
            set title font ",8"
            set xtics 1 format ""
            set grid ytics
            set multiplot layout \(rowsOfPanels),\(columns) title \(quote(title)) font ",10"
            \(panels.joined(separator: "\n"))
            unset multiplot

            """
        return ReportPlot(name: "repetitions-\(slug(scenario))", title: title, script: script)
    }

    /// A y-axis format (gnuplot's mantissa and SI prefix) with decimals
    /// enough that a panel's tics, about a tenth of its values' range apart,
    /// read as different numbers: relaxed steal-clock reads at a 1 ms writer
    /// span 5.33–5.37 G, and two decimals labelled two tics "5.34G".
    static func tickFormat(_ values: [Double]) -> String {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max(), high > low else { return "%.2s%c" }
        let largest = max(abs(low), abs(high))
        // gnuplot's %s: the mantissa of an SI prefix, 1 ≤ m < 1000 (0.9 is "900.00m").
        let prefix = pow(1000, (log10(largest) / 3).rounded(.down))
        let tic = (high - low) / prefix / 10
        let decimals = min(4, max(1, Int((-log10(tic)).rounded(.up))))
        return "%.\(decimals)s%c"
    }

    /// `report OLD NEW`: per case the ratio new/old of its figure's median
    /// with the CI of the change as error bars, coloured by verdict (red
    /// slower, green faster, grey otherwise), the threshold band dashed.
    static func ratio(_ comparison: Comparison) -> ReportPlot? {
        let shown = comparison.cases.filter { $0.change != nil }
        guard !shown.isEmpty else { return nil }
        var data: [String] = []
        for (i, k) in shown.enumerated() {
            let r = 1 + k.change!
            let lo = 1 + (k.changeLow ?? k.change!), hi = 1 + (k.changeHigh ?? k.change!)
            let colour = switch k.verdict {
            case .slower: 0xCC3311
            case .faster: 0x228833
            default: 0x777777
            }
            let label = k.name.split(separator: "/").prefix(3).joined(separator: "/")
                + (k.name.split(separator: "/").count > 3 ? "/" + k.name.split(separator: "/").dropFirst(3).filter { !$0.hasPrefix("readers:1") && !$0.hasPrefix("writers:1") }.joined(separator: "/") : "")
            data.append("\(i) \(num(r)) \(num(lo)) \(num(hi)) \(colour) \(quote(label))")
        }
        let t = comparison.threshold
        let title = "new / old per case (median ratio of each case's figure, bars: 95 % CI; red slower, green faster)"
        let script = header(title) + block(data) + """
            set ylabel "new / old (figure's own units)"
            set xrange [-0.6:\(Double(shown.count) - 0.4)]
            set xtics rotate by -40 left font ",7"
            set bmargin 11
            set grid ytics
            plot $data using 1:2:3:4:5:xtic(6) with yerrorbars lc rgb variable pt 7 notitle, \\
                 1 with lines lc rgb 'black' notitle, \\
                 \(num(1 - t)) with lines dt 2 lc rgb '#999999' notitle, \\
                 \(num(1 + t)) with lines dt 2 lc rgb '#999999' notitle

            """
        return ReportPlot(name: "compare-ratio", title: title, script: script)
    }
}
