/// The plots a report's data allows, as gnuplot scripts: throughput by
/// strategy per scenario (bars with min/max error bars), the latency CDF per
/// strategy, the plots each scenario declares (``PlotSpec``: lines against
/// a parameter, or a heatmap over CPU pairs), each case's repetitions per scenario, and
/// for two files the ratio new/old per case. A plot is made only when its data exists.
public enum ReportPlots {
    public static func plots(for dataset: ReportDataset, comparison: Comparison? = nil) -> [ReportPlot] {
        var plots: [ReportPlot] = []
        for scenario in dataset.scenarios {
            let rows = dataset.rows.filter { $0.scenario == scenario && $0.cpuPair == nil }
            if let p = throughput(scenario: scenario, rows: rows) { plots.append(p) }
            if let p = latencyCDF(scenario: scenario, rows: rows) { plots.append(p) }
        }
        for scenario in dataset.scenarios {
            let rows = dataset.rows.filter { $0.scenario == scenario }
            plots += (dataset.plots[scenario] ?? []).compactMap { $0.x == .cpuPair ? cpuPairHeatmap($0, rows) : plot($0, rows: rows) }
        }
        for scenario in dataset.scenarios {
            if let p = repetitions(scenario: scenario, rows: dataset.rows.filter { $0.scenario == scenario }) { plots.append(p) }
        }
        if let comparison, let p = ratio(comparison) { plots.append(p) }
        return plots
    }

    /// A label for a bar or a line: strategy/layout, plus the parameters
    /// that differ between the rows shown together.
    static func labels(_ rows: [ReportRow]) -> [String] {
        let keys = Set(rows.flatMap(\.parameters.keys)).sorted().filter { key in
            Set(rows.map { $0.parameters[key] ?? "" }).count > 1
        }
        let files = Set(rows.map(\.file)).count > 1
        return rows.map { r in
            var parts = ["\(r.strategy)/\(r.layout)"]
            parts += keys.compactMap { k in r.parameters[k].map { "\(k) \($0)" } }
            if files { parts.append(lastComponent(r.file)) }
            return parts.joined(separator: " ")
        }
    }

    static func throughput(scenario: String, rows: [ReportRow]) -> ReportPlot? {
        let shown = rows.filter { $0.throughput != nil }
            .sorted { ($0.strategy, $0.layout, $0.runName) < ($1.strategy, $1.layout, $1.runName) }
        guard !shown.isEmpty else { return nil }
        let unit = ReportMarkdown.unit(shown[0].throughputKey)
        var data: [String] = []
        for (label, r) in zip(labels(shown), shown) {
            let f = r.throughput!
            data.append("\(quote(label)) \(num(f.median)) \(num(f.min)) \(num(f.max))")
        }
        let values = shown.flatMap { [$0.throughput!.min, $0.throughput!.max] }.filter { $0 > 0 }
        let logScale = (values.max() ?? 1) / max(values.min() ?? 1, 1e-300) > 100
        let title = "\(scenario): throughput by strategy (median, bars min…max)"
        let script = header(title) + block(data) + """
            set ylabel \(quote(unit + " per reader"))
            set style fill solid 0.6 border -1
            set boxwidth 0.7
            set xrange [-0.6:\(Double(shown.count) - 0.4)]
            set format y "%.1s%c"
            set xtics rotate by -35 left
            set bmargin 9
            set yrange [\(logScale ? "*" : "0"):*]
            \(logScale ? "set logscale y" : "")
            set grid ytics
            plot $data using 0:2:xtic(1) with boxes notitle lc rgb '#4477aa', \\
                 $data using 0:2:3:4 with yerrorbars notitle lc rgb 'black' pt 0

            """
        return ReportPlot(name: "throughput-\(slug(scenario))", title: title, script: script)
    }

    static func latencyCDF(scenario: String, rows: [ReportRow]) -> ReportPlot? {
        let shown = rows.filter { $0.latencyCDF.filter { $0.nanoseconds > 0 }.count >= 2 }
            .sorted { ($0.strategy, $0.layout, $0.runName) < ($1.strategy, $1.layout, $1.runName) }
        guard !shown.isEmpty else { return nil }
        let kind = shown[0].latencyKind ?? "latency"
        var blocks = ""
        var plotParts: [String] = []
        for (i, (label, r)) in zip(labels(shown), shown).enumerated() {
            let points = r.latencyCDF.filter { $0.nanoseconds > 0 }.map { "\(num($0.nanoseconds)) \(num($0.fraction))" }
            blocks += "$cdf\(i) << EOD\n" + points.joined(separator: "\n") + "\nEOD\n"
            plotParts.append("$cdf\(i) using 1:2 with linespoints title \(quote(label))")
        }
        let title = "\(scenario): \(kind) latency CDF per strategy (from the run's percentiles)"
        let script = header(title) + blocks + """
            set xlabel \(quote(kind + " latency (ns, log scale)"))
            set ylabel "fraction of samples at or below"
            set logscale x
            set yrange [0:1.02]
            set key bottom right
            set grid
            plot \(plotParts.joined(separator: ", \\\n     "))

            """
        return ReportPlot(name: "latency-cdf-\(slug(scenario))", title: title, script: script)
    }

    static func cpuPairHeatmap(_ spec: PlotSpec, _ rows: [ReportRow]) -> ReportPlot? {
        var cells: [Int: [Int: Double]] = [:]
        for r in rows {
            guard let pair = r.cpuPair, let v = r.oneWayNanoseconds else { continue }
            cells[pair.from, default: [:]][pair.to] = v
        }
        // One pair (the default suite's c2c 0 -> 1) is no map: a grid of NaN round one number.
        guard cells.values.reduce(0, { $0 + $1.count }) >= 2 else { return nil }
        let cpus = Set(cells.keys).union(cells.values.flatMap(\.keys)).sorted()
        // One row per (from, to) on the grid of CPUs present; NaN where not measured.
        var data: [String] = []
        for (yi, from) in cpus.enumerated() {
            for (xi, to) in cpus.enumerated() {
                data.append("\(xi) \(yi) \(cells[from]?[to].map(num) ?? "NaN")")
            }
            data.append("")
        }
        let tics = cpus.enumerated().map { "\"\($0.element)\" \($0.offset)" }.joined(separator: ", ")
        let script = header(spec.title) + block(data) + """
            set xlabel \(quote(spec.xlabel))
            set ylabel "from CPU"
            set xtics (\(tics))
            set ytics (\(tics))
            set xrange [-0.5:\(Double(cpus.count) - 0.5)]
            set yrange [-0.5:\(Double(cpus.count) - 0.5)]
            set size ratio -1
            set cblabel \(quote(spec.ylabel ?? "latency p50 (ns)"))
            set palette defined (0 '#fff5eb', 1 '#fd8d3c', 2 '#7f2704')
            plot $data using 1:2:3 with image notitle, \\
                 $data using 1:2:(sprintf("%.0f", $3)) with labels notitle

            """
        return ReportPlot(name: spec.name, title: spec.title, script: script)
    }

    // MARK: script pieces

    static func header(_ title: String) -> String {
        "set termoption noenhanced\nset title \(quote(title))\n"
    }

    static func block(_ lines: [String]) -> String { "$data << EOD\n" + lines.joined(separator: "\n") + "\nEOD\n" }

    /// A gnuplot double-quoted string.
    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "'")
            .replacingOccurrences(of: "\n", with: " ") + "\""
    }

    static func num(_ v: Double) -> String { ReportNumberFormat.data(v) }

    /// A file-name-safe form of a scenario name.
    static func slug(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
    }

    static func lastComponent(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}
