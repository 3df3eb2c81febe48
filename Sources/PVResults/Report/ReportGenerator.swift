#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Turns result files into `summary.md`, plots (SVG and PNG) and the data
/// tables of the plots that have one (`.tsv`) in one directory.
///
/// Everything is rendered in memory first; then, unless `overwrite`, the
/// report refuses if any file it would write exists, so a refused report
/// leaves nothing behind; then each file is written atomically
/// (``ResultFileWriter``: temp file and rename).
public enum ReportGenerator {
    /// What a report wrote and what the user should know about it.
    public struct Outcome: Sendable, Equatable {
        /// Paths written, summary first.
        public var written: [String]
        /// Plots that could not be made, or how to get them.
        public var notes: [String]
    }

    /// Name of the Markdown file.
    public static let summaryName = "summary.md"

    /// - Parameters:
    ///   - inputs: result files, already read.
    ///   - directory: where to write (created if missing).
    ///   - overwrite: replace existing files (`--force`).
    ///   - gnuplot: the plotter, or nil when there is none (the summary says how to get one).
    ///   - command: the command line, quoted in the summary.
    ///   - figures: per scenario, the figures it is judged by (see ``ReportDataset``); with two
    ///     files (OLD then NEW) also the directions `compare` uses for files without their own map.
    ///   - plots: per scenario, the plots it declares.
    public static func generate(inputs: [ReportInput], directory: String, overwrite: Bool, gnuplot: Gnuplot?,
                                command: String, figures: [String: HeadlineFigures] = [:], plots specs: [String: [PlotSpec]] = [:],
                                writer: ResultFileWriter = ResultFileWriter())
        throws(ReportOutputError) -> Outcome
    {
        let dataset = ReportDataset(inputs: inputs, figures: figures, plots: specs)
        var comparison: Result<Comparison, Comparison.Failure>?
        if inputs.count == 2 {
            // Two runs of one set of cases are compared; a suite beside a c2c
            // matrix, which share a case or two, is two sets side by side.
            let a = Comparison.runNames(inputs[0]), b = Comparison.runNames(inputs[1])
            let common = Set(a).intersection(b).count
            if common > 0, 2 * common < max(a.count, b.count) {
                comparison = .failure(.notTwoRunsOfOneSet(old: inputs[0].path, new: inputs[1].path, common: common,
                                                          oldCount: a.count, newCount: b.count))
            } else {
                do {
                    comparison = .success(try Comparison(old: inputs[0], new: inputs[1], resolver: FigureResolver(catalogue: figures)))
                } catch {
                    comparison = .failure(error)
                }
            }
        }
        let plots = ReportPlots.plots(for: dataset, comparison: try? comparison?.get())
        var files: [(name: String, bytes: [UInt8])] = []
        var shown: [(svg: String, png: String, title: String)] = []
        var notes: [String] = []
        var plotNote: String?

        if plots.isEmpty {
            plotNote = nil
        } else if let gnuplot {
            for plot in plots {
                var rendered: [(String, [UInt8])] = []
                for format in Gnuplot.Format.allCases {
                    switch gnuplot.render(plot, as: format) {
                    case let .success(bytes): rendered.append(("\(plot.name).\(format.rawValue)", bytes))
                    case let .failure(error): notes.append(error.description)
                    }
                }
                guard rendered.count == Gnuplot.Format.allCases.count else { continue }
                files += rendered
                shown.append(("\(plot.name).svg", "\(plot.name).png", plot.title))
            }
            if !notes.isEmpty { plotNote = "Some plots failed: " + notes.joined(separator: "; ") }
        } else {
            plotNote = "No plots: " + Gnuplot.installHint + "."
            notes.append(Gnuplot.installHint)
        }
        // A plot's data table is written whether or not gnuplot could draw it.
        let data = plots.compactMap { p in p.data.flatMap { d in p.dataFileName.map { (name: $0, bytes: Array(d.utf8)) } } }
        files += data
        let markdown = ReportMarkdown.render(dataset, plots: shown, plotNote: plotNote, command: command,
                                             comparison: comparison, dataFiles: data.map(\.name))
        files.insert((summaryName, Array(markdown.utf8)), at: 0)

        try makeDirectory(directory)
        let paths = files.map { directory.hasSuffix("/") ? directory + $0.name : "\(directory)/\($0.name)" }
        if !overwrite {
            var st = stat()
            let existing = paths.filter { lstat($0, &st) == 0 }
            if !existing.isEmpty { throw .exists(existing) }
        }
        for (path, file) in zip(paths, files) {
            do { try writer.write(file.bytes, to: path, overwrite: overwrite) } catch { throw .write(error) }
        }
        return Outcome(written: paths, notes: notes)
    }

    /// `mkdir -p`.
    public static func makeDirectory(_ directory: String) throws(ReportOutputError) {
        var st = stat()
        if stat(directory, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw .notADirectory(directory) }
            return
        }
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for part in directory.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            if stat(prefix, &st) == 0 { continue }
            if mkdir(prefix, 0o755) != 0, errno != EEXIST { throw .cannotCreateDirectory(prefix, errno: errno) }
        }
    }
}
