import ArgumentParser
import Foundation
import PVExperiments

// Option values as the library takes them, with errors that say what is accepted.

/// Durations on the command line (see ``DurationText``), with errors that
/// say what is accepted.
enum DurationParser {
    /// Seconds, or a ValidationError saying what is accepted.
    static func seconds(_ text: String, option: String, defaultUnit: Double = 1) throws -> Double {
        do { return try DurationText.seconds(text, option: option, defaultUnit: defaultUnit) } catch { throw ValidationError(error.description) }
    }

    static func nanoseconds(_ text: String, option: String) throws -> UInt64 {
        do { return try DurationText.nanoseconds(text, option: option) } catch { throw ValidationError(error.description) }
    }
}

enum PercentParser {
    /// `1%` or `0.01` as a fraction in (0, 1], or a ValidationError saying what is accepted.
    static func fraction(_ text: String, option: String) throws -> Double {
        let t = text.trimmingCharacters(in: .whitespaces)
        let value = t.hasSuffix("%") ? Double(t.dropLast()).map { $0 / 100 } : Double(t)
        guard let value, value > 0, value <= 1 else {
            throw ValidationError("\(option) '\(text)' is not a share of the window: give a percentage such as 1% or 2.5%, or a fraction in (0, 1]")
        }
        return value
    }
}

/// `--idle-floor`: measured before the run, or given.
enum IdleFloorChoice: Equatable {
    case auto
    case given(Double)

    static func parse(_ text: String) throws -> IdleFloorChoice {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "auto" { return .auto }
        if t == "0" || t == "0%" { return .given(0) }
        guard let f = try? PercentParser.fraction(t, option: "--idle-floor"), f < 1 else {
            throw ValidationError("--idle-floor '\(text)' is not auto or a share of the window: give auto, 0, or a percentage such as 1.5%")
        }
        return .given(f)
    }
}

/// A comma-separated CPU list (`0,2,4` or `0-3`).
func parseCPUs(_ text: String, option: String) throws -> [Int] {
    do { return try CPUListText.parse(text, option: option) } catch { throw ValidationError(error.description) }
}
