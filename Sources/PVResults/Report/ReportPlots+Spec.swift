import Foundation

/// The plots scenarios declare (``PlotSpec``), drawn from the report's rows.
extension ReportPlots {
    /// One point: a row at its x value.
    struct Point {
        let series: String
        let x: Double
        /// The x value as the data table shows it (`8:2 8 2`, `16`).
        let label: [String]
        let row: ReportRow
    }

    /// The spec's points among `rows` (its scenario's): every row with the
    /// x parameter, the series parameter (when the spec has one) and the
    /// figure. A series is the series parameter's value plus whatever else
    /// differs between the rows (strategy/layout, other name parameters),
    /// so points of different cases never share a line; the file's path
    /// joins the series only when files hold the same case (one run with a
    /// fault, one without: the fault is not in the name), so a sweep split
    /// over files still draws one line per value.
    static func points(_ spec: PlotSpec, _ rows: [ReportRow]) -> [Point] {
        let shown = rows.filter { r in
            x(spec, r) != nil && figure(spec, r) != nil && (spec.series.map { r.parameters[$0] != nil } ?? true)
        }
        guard let key = spec.series else {
            return shown.map { r in Point(series: "\(r.layout) (\(r.strategy))", x: x(spec, r)!.0, label: x(spec, r)!.1, row: r) }
        }
        let axisKey: String? = if case let .ratio(k, _, _) = spec.x { k } else { nil }
        let names: [String] = shown.flatMap { Array($0.parameters.keys) }
        let fixed: Set<String> = axisKey.map { [key, $0] } ?? [key]
        let varying = Set(names).subtracting(fixed).sorted().filter { k in
            Set(shown.map { $0.parameters[k] ?? "" }).count > 1
        }
        let combos = Set(shown.map { "\($0.strategy)/\($0.layout)" }).count > 1
        let byCase: [String: [ReportRow]] = Dictionary(grouping: shown) { $0.runName }
        let sameCase = byCase.values.contains { rows in Set(rows.map { $0.file }).count > 1 }
        return shown.map { r in
            var parts = ["\(key) \(r.parameters[key]!)"]
            if combos { parts.append("\(r.strategy)/\(r.layout)") }
            parts += varying.compactMap { k in r.parameters[k].map { "\(k) \($0)" } }
            if sameCase { parts.append(r.file) }
            return Point(series: parts.joined(separator: " "), x: x(spec, r)!.0, label: x(spec, r)!.1, row: r)
        }
    }

    /// The x value of a row and its label; nil when the row has none.
    static func x(_ spec: PlotSpec, _ row: ReportRow) -> (Double, [String])? {
        switch spec.x {
        case .cpuPair:
            return nil
        case .vcpus:
            return row.vcpus.map { (Double($0), ["\($0)"]) }
        case let .ratio(key, _, _):
            guard let text = row.parameters[key] else { return nil }
            let parts = text.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { return nil }
            return (Double(parts[0]) / Double(parts[1]), ["\(parts[0]):\(parts[1])", "\(parts[0])", "\(parts[1])"])
        }
    }

    /// The data table's x columns.
    static func xColumns(_ spec: PlotSpec) -> [String] {
        switch spec.x {
        case .cpuPair: []
        case .vcpus: ["vcpus"]
        case let .ratio(key, numerator, denominator): [key, numerator, denominator]
        }
    }

    static func figure(_ spec: PlotSpec, _ row: ReportRow) -> ReportFigure? {
        spec.counter.map { row.counterFigures[$0] } ?? row.throughput
    }

    /// One line per series over the x values it has; nil without data, or
    /// (vCPU sweeps) with fewer than two x values.
    static func plot(_ spec: PlotSpec, rows: [ReportRow]) -> ReportPlot? {
        let points = points(spec, rows)
        let xs = Set(points.map(\.x)).sorted()
        guard !points.isEmpty, spec.x != .vcpus || xs.count >= 2 else { return nil }
        let key = spec.counter ?? points[0].row.throughputKey
        let series = Set(points.map(\.series)).sorted()
        var blocks = ""
        var plotParts: [String] = []
        var table = [(["series"] + xColumns(spec) + ["\(key)_median", "\(key)_min", "\(key)_max", "run_name"]).joined(separator: "\t")]
        for (i, s) in series.enumerated() {
            var data: [String] = []
            for p in points.filter({ $0.series == s }).sorted(by: { ($0.x, $0.label[0]) < ($1.x, $1.label[0]) }) {
                let f = figure(spec, p.row)!
                data.append("\(num(p.x)) \(num(f.median / spec.scale)) \(num(f.min / spec.scale)) \(num(f.max / spec.scale))")
                table.append(([s] + p.label + [num(f.median), num(f.min), num(f.max), p.row.runName]).joined(separator: "\t"))
            }
            blocks += "$s\(i) << EOD\n" + data.joined(separator: "\n") + "\nEOD\n"
            plotParts.append("$s\(i) using 1:2:3:4 with yerrorlines pt 7 ps 0.8 title \(quote(s))")
        }
        let unit = ReportMarkdown.unit(points[0].row.throughputKey)
        var settings = ["set xlabel \(quote(spec.xlabel))", "set ylabel \(quote(spec.ylabel ?? unit + (spec.logScale ? " (log scale)" : "")))"]
        if case .ratio = spec.x {
            let tics = xs.map { "\"\(String(format: "%g", $0)):1\" \(num($0))" }.joined(separator: ", ")
            settings += ["set xtics (\(tics))", "set xrange [\(num(xs[0] * 0.8)):\(num(xs[xs.count - 1] * 1.2))]"]
        }
        settings += spec.logScale ? ["set logscale xy", "set key top right"]
            : ["set yrange [0:*]", "set format y \(quote(spec.format))", "set key top left"]
        let script = header(spec.title) + blocks + settings.joined(separator: "\n") + """

            set grid
            plot \(plotParts.joined(separator: ", \\\n     "))

            """
        return ReportPlot(name: spec.name, title: spec.title, script: script, data: table.joined(separator: "\n") + "\n")
    }
}
