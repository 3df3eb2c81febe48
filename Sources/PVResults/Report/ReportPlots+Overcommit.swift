/// `overcommit`'s plots: lock throughput and spin waste against the
/// overcommit ratio (N vCPUs on M host CPUs, from `overcommit:N:M` in the
/// case name), PV sched on and off as separate series.
extension ReportPlots {
    enum Overcommit {
        static let throughputKey = "acquisitions_per_second"
        static let spinKey = "spin_on_preempted_owner_ns_total"
        /// The counters these plots read (``ReportDataset`` keeps them per row).
        static let counters = [throughputKey, spinKey]

        /// One point: a case at an overcommit ratio.
        struct Point {
            let series: String
            let vcpus: Int
            let cpus: Int
            let row: ReportRow
            var ratio: Double { Double(vcpus) / Double(cpus) }
        }

        /// Every overcommit row with a parseable `overcommit:N:M` and
        /// `pv-sched:on|off`. A series is the PV sched mode plus whatever else
        /// differs between the rows (strategy/layout, other name parameters),
        /// so points of different cases never share a line; the file's path joins
        /// the series only when files hold the same case (one run with a
        /// fault, one without: the fault is not in the name), so a sweep
        /// split over files still draws one line per mode.
        static func points(_ rows: [ReportRow]) -> [Point] {
            let shown = rows.filter { $0.scenario == "overcommit" && ratio(of: $0) != nil && $0.parameters["pv-sched"] != nil }
            let varying = Set(shown.flatMap(\.parameters.keys)).subtracting(["overcommit", "pv-sched"]).sorted().filter { key in
                Set(shown.map { $0.parameters[key] ?? "" }).count > 1
            }
            let combos = Set(shown.map { "\($0.strategy)/\($0.layout)" }).count > 1
            let base = shown.map { r in
                var parts = ["pv-sched \(r.parameters["pv-sched"]!)"]
                if combos { parts.append("\(r.strategy)/\(r.layout)") }
                parts += varying.compactMap { k in r.parameters[k].map { "\(k) \($0)" } }
                return parts.joined(separator: " ")
            }
            let sameCase = Dictionary(grouping: shown, by: \.runName).values.contains { Set($0.map(\.file)).count > 1 }
            return zip(shown, base).map { r, series in
                let (n, m) = ratio(of: r)!
                let name = sameCase ? series + " " + r.file : series
                return Point(series: name, vcpus: n, cpus: m, row: r)
            }
        }

        /// N and M of `overcommit:N:M`.
        static func ratio(of row: ReportRow) -> (Int, Int)? {
            guard let text = row.parameters["overcommit"] else { return nil }
            let parts = text.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { return nil }
            return (parts[0], parts[1])
        }

        /// Both plots, or none when no overcommit row has the counters.
        static func plots(_ rows: [ReportRow]) -> [ReportPlot] {
            let all = points(rows)
            return [
                plot(all, key: throughputKey, unit: 1, name: "overcommit-throughput",
                     title: "overcommit: lock acquisitions/s vs overcommit (median, bars min…max)",
                     ylabel: "acquisitions/s (all vCPUs)", format: "%.1s%c"),
                plot(all, key: spinKey, unit: 1e6, name: "overcommit-spin-waste",
                     title: "overcommit: spin on a preempted owner vs overcommit (median, bars min…max)",
                     ylabel: "ms spinning on a preempted owner per repetition", format: "%g"),
            ].compactMap { $0 }
        }

        /// One line per series over the ratios it has, the counter divided
        /// by `unit` (the table keeps it as the file has it); nil without data.
        static func plot(_ all: [Point], key: String, unit: Double, name: String, title: String, ylabel: String,
                         format: String) -> ReportPlot?
        {
            let points = all.filter { $0.row.counterFigures[key] != nil }
            guard !points.isEmpty else { return nil }
            let series = Set(points.map(\.series)).sorted()
            var blocks = ""
            var plotParts: [String] = []
            var table = ["series\tovercommit\tvcpus\thost_cpus\t\(key)_median\t\(key)_min\t\(key)_max\trun_name"]
            for (i, s) in series.enumerated() {
                let line = points.filter { $0.series == s }.sorted { ($0.ratio, $0.vcpus) < ($1.ratio, $1.vcpus) }
                var data: [String] = []
                for p in line {
                    let f = p.row.counterFigures[key]!
                    data.append("\(num(p.ratio)) \(num(f.median / unit)) \(num(f.min / unit)) \(num(f.max / unit))")
                    table.append([s, "\(p.vcpus):\(p.cpus)", "\(p.vcpus)", "\(p.cpus)", num(f.median), num(f.min), num(f.max),
                                  p.row.runName].joined(separator: "\t"))
                }
                blocks += "$s\(i) << EOD\n" + data.joined(separator: "\n") + "\nEOD\n"
                plotParts.append("$s\(i) using 1:2:3:4 with yerrorlines pt 7 ps 0.8 title \(quote(s))")
            }
            let ratios = Set(points.map(\.ratio)).sorted()
            let tics = ratios.map { "\"\(String(format: "%g", $0)):1\" \(num($0))" }.joined(separator: ", ")
            let script = header(title) + blocks + """
                set xlabel "overcommit (vCPUs : host CPUs)"
                set ylabel \(quote(ylabel))
                set xtics (\(tics))
                set xrange [\(num(ratios[0] * 0.8)):\(num(ratios[ratios.count - 1] * 1.2))]
                set yrange [0:*]
                set format y \(quote(format))
                set key top left
                set grid
                plot \(plotParts.joined(separator: ", \\\n     "))

                """
            return ReportPlot(name: name, title: title, script: script, data: table.joined(separator: "\n") + "\n")
        }
    }
}
