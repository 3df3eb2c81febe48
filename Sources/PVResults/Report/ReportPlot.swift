/// One plot of a report: a gnuplot script without terminal or output, so
/// the same script renders to SVG and to PNG. Its data sits in the script
/// as a datablock (`$data << EOD`), so nothing else is read.
public struct ReportPlot: Sendable, Equatable {
    /// File name without extension: `throughput-steal-clock`.
    public let name: String
    public let title: String
    public let script: String

    public init(name: String, title: String, script: String) {
        self.name = name
        self.title = title
        self.script = script
    }
}
