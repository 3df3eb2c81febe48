/// How a figure is printed in a table column. One unit per column (chosen
/// from the column's largest value), so rows compare at a glance.
public enum QuantityFormat: Sendable, Equatable {
    /// Nanoseconds with `decimals` places: "12.3".
    case nanoseconds(decimals: Int)
    /// A rate scaled to k/M/G per second for the whole column: "612.3".
    case rate
    /// A whole count with thousands separators: "1,234,567".
    case count

    /// The column's unit label for `values` (e.g. "M/s" for rates around 10^8).
    public func unit(for values: [Double], base: String) -> String {
        switch self {
        case .nanoseconds: return "ns"
        case .count: return base
        case .rate: return "\(Self.prefix(for: values.max() ?? 0).symbol)\(base)/s"
        }
    }

    /// Formats one value for a column holding `values`.
    public func format(_ value: Double, column values: [Double]) -> String {
        guard value.isFinite else { return "\(value)" }
        switch self {
        case let .nanoseconds(decimals):
            return Self.fixed(value, decimals)
        case .rate:
            let p = Self.prefix(for: values.max() ?? value)
            return Self.fixed(value / p.scale, 1)
        case .count:
            let digits = String(Int64(value.rounded()).magnitude)
            var out = ""
            for (i, ch) in digits.reversed().enumerated() {
                if i > 0 && i % 3 == 0 { out.append(",") }
                out.append(ch)
            }
            return (value < 0 ? "-" : "") + String(out.reversed())
        }
    }

    static func prefix(for maximum: Double) -> (symbol: String, scale: Double) {
        switch abs(maximum) {
        case 1e9...: ("G", 1e9)
        case 1e6...: ("M", 1e6)
        case 1e3...: ("k", 1e3)
        default: ("", 1)
        }
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String {
        let scale = (0 ..< decimals).reduce(1.0) { r, _ in r * 10 }
        let rounded = (abs(value) * scale).rounded()
        let whole = Int64(rounded / scale)
        var text = String(whole)
        if decimals > 0 {
            let frac = Int64(rounded) - whole * Int64(scale)
            let f = String(frac)
            text += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return (value < 0 && rounded > 0 ? "-" : "") + text
    }
}
