import PVRecords
/// The Markdown summary of a report: one table per scenario with a row per
/// strategy and layout, then each result file's context (machine, clock,
/// placement, command, warnings, interruption), then the plots.
public enum ReportMarkdown {
    /// - Parameters:
    ///   - dataset: the runs.
    ///   - plots: plot files written beside the summary (basename of the SVG, title).
    ///   - plotNote: why there are no plots, when there are none.
    ///   - dataFiles: plot data tables written beside the summary (basenames).
    ///   - command: the `pvbench report` command line, for reproducing it.
    ///   - comparison: for two files, `compare` OLD NEW (or why it could not be made).
    public static func render(_ dataset: ReportDataset, plots: [(svg: String, png: String, title: String)],
                              plotNote: String?, command: String,
                              comparison: Result<Comparison, Comparison.Failure>? = nil,
                              dataFiles: [String] = []) -> String {
        var out: [String] = []
        out.append("# pvbench report")
        out.append("")
        out.append("Made by `\(command)` from \(dataset.inputs.count) result file(s): "
            + dataset.inputs.map { "`\($0.path)`" }.joined(separator: ", ") + ".")
        out.append("Throughput is the median over repetitions with its min … max and coefficient of variation (CV), "
            + "its 95 % CI (the file's, else the order-statistic interval of the undisturbed repetitions; none below 6) "
            + "and how many repetitions the run flagged as disturbed; "
            + "latencies are medians over repetitions of each run's percentiles, in ns.")
        out.append("")
        if dataset.inputs.contains(where: { $0.file.context.interrupted }) {
            out.append("> **Interrupted:** at least one run was stopped by a signal; its figures cover only part of it.")
            out.append("")
        }

        for scenario in dataset.scenarios {
            let rows = dataset.rows.filter { $0.scenario == scenario }
            out.append("## \(scenario)")
            out.append("")
            if rows.contains(where: { $0.cpuPair != nil }) {
                out += cpuPairTable(rows)
            } else {
                out += scenarioTable(rows, multipleFiles: dataset.inputs.count > 1)
            }
            out.append("")
        }
        if dataset.rows.isEmpty {
            out.append("No benchmark entries in the given files.")
            out.append("")
        }

        switch comparison {
        case let .success(c)?:
            out.append("## Compare: `\(c.old.path)` → `\(c.new.path)`")
            out.append("")
            out += CompareRendering.markdown(c).split(separator: "\n", omittingEmptySubsequences: false).dropFirst().map(String.init)
            out.append("")
        case let .failure(error)?:
            out.append("## Compare")
            out.append("")
            out.append("Not compared: \(error)")
            out.append("")
        case nil:
            break
        }

        out.append("## Plots")
        out.append("")
        if plots.isEmpty {
            out.append(plotNote ?? "No plots: the files hold no data that can be plotted.")
        } else {
            for p in plots {
                out.append("### \(p.title)")
                out.append("")
                out.append("![\(p.title)](\(p.svg)) ([PNG](\(p.png)))")
                out.append("")
            }
            if let plotNote { out.append(plotNote) }
        }
        if !dataFiles.isEmpty {
            out.append("")
            out.append("Plot data (tab-separated): " + dataFiles.map { "[\($0)](\($0))" }.joined(separator: ", ") + ".")
        }
        out.append("")

        out.append("## Context")
        out.append("")
        for input in dataset.inputs {
            out += contextTable(input)
            out.append("")
        }
        return out.joined(separator: "\n").replacingOccurrences(of: "\n\n\n", with: "\n\n")
    }

    static func scenarioTable(_ rows: [ReportRow], multipleFiles: Bool) -> [String] {
        var header = ["strategy", "layout", "case", "throughput (median)", "min … max", "CV", "95% CI", "disturbed", "cost p50 ns",
                      "cost p99 ns", "latency p50 ns", "latency p99 ns", "torn", "backwards"]
        if multipleFiles { header.append("file") }
        var lines = [row(header), row(header.map { _ in "---" })]
        for r in rows.sorted(by: { ($0.strategy, $0.layout, $0.runName) < ($1.strategy, $1.layout, $1.runName) }) {
            let caseText = r.parameters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let ciText: String = if let ci = r.throughputCI {
                ReportNumberFormat.rate(ci.low) + " … " + ReportNumberFormat.rate(ci.high)
            } else {
                r.repetitionValues.count > 1 ? "n < 6" : "–"
            }
            let disturbedText = r.repetitionValues.isEmpty ? "–" : "\(r.disturbedRepetitions) of \(r.repetitionValues.count)"
            var cells: [String] = [
                r.strategy, r.layout, caseText.isEmpty ? r.runName : caseText,
                r.throughput.map { ReportNumberFormat.rate($0.median) + " " + unit(r.throughputKey) } ?? "–",
                r.throughput.map { ReportNumberFormat.rate($0.min) + " … " + ReportNumberFormat.rate($0.max) } ?? "–",
                r.throughput?.cv.map(ReportNumberFormat.percent) ?? "–",
                ciText, disturbedText,
                r.costP50.map(ReportNumberFormat.nanoseconds) ?? "–",
                r.costP99.map(ReportNumberFormat.nanoseconds) ?? "–",
                r.latencyP50.map(ReportNumberFormat.nanoseconds) ?? "–",
                r.latencyP99.map(ReportNumberFormat.nanoseconds) ?? "–",
                r.tornReads.map(ReportNumberFormat.count) ?? "–",
                r.backwardsReads.map(ReportNumberFormat.count) ?? "–",
            ]
            if let e = r.errorMessage { cells[3] = "error: \(e)" }
            if multipleFiles { cells.append("`\(r.file)`") }
            lines.append(row(cells))
        }
        return lines
    }

    static func cpuPairTable(_ rows: [ReportRow]) -> [String] {
        var lines = [row(["from CPU", "to CPU", "one-way ns", "round trips/s", "run"]), row(["---", "---", "---", "---", "---"])]
        for r in rows {
            lines.append(row([
                r.cpuPair.map { String($0.from) } ?? "–", r.cpuPair.map { String($0.to) } ?? "–",
                r.oneWayNanoseconds.map(ReportNumberFormat.nanoseconds) ?? "–",
                r.throughput.map { ReportNumberFormat.rate($0.median) } ?? "–", "`\(r.runName)`",
            ]))
        }
        return lines
    }

    static func contextTable(_ input: ReportInput) -> [String] {
        let c = input.file.context
        var items: [(String, String)] = [
            ("date", c.date),
            ("machine", "\(c.hostName): \(c.numCPUs) CPUs at \(c.mhzPerCPU) MHz"
                + (c.cpuScalingEnabled ? ", CPU frequency scaling on" : "")
                + (c.topology.map { "; \($0.summary)" } ?? "")),
            ("build", "\(c.build.configuration), \(c.build.compiler), \(c.build.architecture), kernel \(c.build.kernel)"),
            ("pvbench", c.pvbenchVersion),
            ("command", "`\(c.command ?? c.executable)`"),
            ("clock", c.clock.map(\.summary) ?? "not recorded"),
            ("placement", c.placement.map { p in
                "\(p.relation): writers on CPUs \(list(p.writerCPUs)), readers on CPUs \(list(p.readerCPUs)), memory on node(s) \(list(p.memoryNodes))"
                    + (p.oversubscribed ? ", oversubscribed" : "")
            } ?? "not recorded"),
            ("interrupted", c.interrupted ? "yes" + (c.interruptSignal.map { " (\($0))" } ?? "") + ": figures cover only part of the run" : "no"),
        ]
        if let note = c.numaNote { items.append(("NUMA", note)) }
        if !c.injectedFaults.isEmpty { items.append(("injected faults", "\(c.injectedFaults.count)")) }
        items.append(("warnings", c.warnings.isEmpty ? "none" : c.warnings.joined(separator: "<br>")))
        var lines = ["### `\(input.path)`", "", row(["", ""]), row(["---", "---"])]
        for (k, v) in items { lines.append(row([k, v])) }
        return lines
    }

    static func list(_ values: [Int]) -> String { values.isEmpty ? "–" : values.map(String.init).joined(separator: ",") }

    /// "reads/s" from "reads_per_second".
    static func unit(_ key: String) -> String {
        key.hasSuffix("_per_second") ? key.dropLast("_per_second".count).replacingOccurrences(of: "_", with: " ") + "/s" : "ops/s"
    }

    static func row(_ cells: [String]) -> String { "| " + cells.map(escape).joined(separator: " | ") + " |" }

    /// Keeps a cell in its column: pipes escaped, newlines as spaces.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
