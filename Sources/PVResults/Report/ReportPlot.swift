/// One plot of a report: a gnuplot script without terminal or output, so
/// the same script renders to SVG and to PNG. Its data sits in the script
/// as a datablock (`$data << EOD`), so nothing else is read.
public struct ReportPlot: Sendable, Equatable {
    /// File name without extension: `throughput-steal-clock`.
    public let name: String
    public let title: String
    public let script: String
    /// The plotted figures as a tab-separated table with a header line, for
    /// other tools; the report writes it as `<name>.tsv`, with or without
    /// gnuplot. Nil: the plot has no separate data file.
    public var data: String? = nil

    /// The data file's name, when there is one.
    public var dataFileName: String? { data.map { _ in "\(name).tsv" } }
}
