/// A plot a scenario declares for `pvbench report` (its ``name`` is the
/// file's): one figure of the scenario's rows against a parameter of their
/// names, one line per series, bars min…max. Declared as data, so the
/// report draws a scenario's plots without knowing the scenario.
public struct PlotSpec: Sendable, Equatable {
    public enum XAxis: Sendable, Equatable {
        /// The vCPU count (`vcpus:N` in the name).
        case vcpus
        /// A name parameter `key:N:M`, drawn at N/M with tics `r:1`; the
        /// data table names N and M `numerator` and `denominator`.
        case ratio(String, numerator: String, denominator: String)
        /// A heatmap over the rows' CPU pairs (`cpu:A->cpu:B`, from on y,
        /// to on x) of their latency p50; `ylabel` labels the colour bar.
        case cpuPair
    }

    public var name: String
    public var title: String
    public var x: XAxis
    public var xlabel: String
    /// The counter drawn; nil: the row's throughput.
    public var counter: String?
    /// nil: the throughput's unit (and `(log scale)`).
    public var ylabel: String?
    /// The counter is divided by this (the data table keeps it as the file has it).
    public var scale: Double
    /// A name parameter each series is one value of (`pv-sched`), with
    /// whatever else differs between the rows; nil: one series per layout
    /// and strategy.
    public var series: String?
    /// Log scale on both axes (else y from 0, gnuplot's `format`).
    public var logScale: Bool
    public var format: String

    public init(name: String, title: String, x: XAxis, xlabel: String, counter: String? = nil, ylabel: String? = nil,
                scale: Double = 1, series: String? = nil, logScale: Bool = false, format: String = "%g")
    {
        self.name = name
        self.title = title
        self.x = x
        self.xlabel = xlabel
        self.counter = counter
        self.ylabel = ylabel
        self.scale = scale
        self.series = series
        self.logScale = logScale
        self.format = format
    }
}
