import Foundation

/// A change threshold as a person types it: "5", "5%", "2.5 %" percent.
public enum ThresholdPercentage {
    /// The percentage as a fraction (0.05 for "5"); nil unless it is a
    /// number from 0 up to (not including) 1000, with or without a `%`.
    public static func fraction(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let number = t.hasSuffix("%") ? String(t.dropLast()).trimmingCharacters(in: .whitespaces) : t
        guard let v = Double(number), v >= 0, v < 1000 else { return nil }
        return v / 100
    }
}
