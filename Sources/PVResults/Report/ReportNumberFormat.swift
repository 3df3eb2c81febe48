/// How figures are written in the Markdown summary and plot data.
enum ReportNumberFormat {
    /// Rates with an SI suffix: 1.23G, 45.6M, 7.8k, 950.
    static func rate(_ v: Double) -> String {
        switch abs(v) {
        case 1e9...: fixed(v / 1e9, 2) + "G"
        case 1e6...: fixed(v / 1e6, 1) + "M"
        case 1e3...: fixed(v / 1e3, 1) + "k"
        default: fixed(v, 0)
        }
    }

    /// Nanoseconds: two decimals below 10, else whole.
    static func nanoseconds(_ v: Double) -> String { abs(v) < 10 ? fixed(v, 2) : fixed(v, 0) }

    /// A fraction as a percentage with one decimal.
    static func percent(_ fraction: Double) -> String { fixed(fraction * 100, 1) + "%" }

    /// A count (torn reads): whole number.
    static func count(_ v: Double) -> String { v.isFinite && abs(v) < 1e18 ? String(Int64(v)) : fixed(v, 0) }

    /// Plain decimal for data files (gnuplot reads it back).
    static func data(_ v: Double) -> String { v.isFinite ? "\(v)" : "NaN" }

    static func fixed(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return "\(v)" }
        var s = String(format: "%.\(digits)f", v)
        if s == "-0" { s = "0" }
        return s
    }
}
