import Foundation

/// Durations as people type them: `2s`, `500ms`, `20us`, `100ns`, `10m`,
/// `1h`, or a bare number in a default unit.
public enum DurationText {
    static let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]

    /// Seconds, or nil when `text` is not a non-negative finite duration.
    public static func seconds(_ text: String, defaultUnit: Double = 1) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        var number = t, scale = defaultUnit
        for (suffix, s) in units.sorted(by: { $0.0.count > $1.0.count }) where t.hasSuffix(suffix) {
            number = String(t.dropLast(suffix.count))
            scale = s
            break
        }
        guard let v = Double(number), v.isFinite, v >= 0 else { return nil }
        let seconds = v * scale
        return seconds.isFinite ? seconds : nil
    }
}

extension DurationText {
    /// Seconds, or a message (naming `option`) saying what is accepted.
    public static func seconds(_ text: String, option: String, defaultUnit: Double = 1) throws(ScenarioOptionError) -> Double {
        guard let s = seconds(text, defaultUnit: defaultUnit) else {
            throw ScenarioOptionError("\(option) '\(text)' is not a duration: give a number with a unit (ns, us, ms, s, m, h), e.g. 2s or 500ms")
        }
        return s
    }

    /// Nanoseconds (a bare number is ns), at most an hour.
    public static func nanoseconds(_ text: String, option: String) throws(ScenarioOptionError) -> UInt64 {
        let s = try seconds(text, option: option, defaultUnit: 1e-9)
        guard s < 3600 else { throw ScenarioOptionError("\(option) '\(text)' is longer than an hour") }
        return UInt64((s * 1e9).rounded())
    }
}
