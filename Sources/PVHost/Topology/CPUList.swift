import Foundation

/// The kernel's CPU/node list format (`cpulist`): comma-separated numbers
/// and inclusive ranges, as in `0-3,8,10-11`; an empty string is an empty set.
public enum CPUList {
    /// Why a list could not be read.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let text: String
        public let reason: String
        public var description: String { "'\(text)' is not a CPU list (\(reason)); expected e.g. 0-3,8,10-11" }
    }

    /// The largest number accepted, far above any real machine, so a corrupt
    /// file cannot make a reader allocate without bound.
    public static let maxValue = 1 << 20

    /// Sorted, de-duplicated members of `text`.
    public static func parse(_ text: String) throws(ParseError) -> [Int] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [] }
        var result = Set<Int>()
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 1 || bounds.count == 2,
                  let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]),
                  low >= 0, high <= maxValue
            else { throw ParseError(text: trimmed, reason: "bad element '\(part)'") }
            guard low <= high else { throw ParseError(text: trimmed, reason: "range '\(part)' runs backwards") }
            for v in low ... high { result.insert(v) }
        }
        return result.sorted()
    }

    /// The shortest list form of `values` (`[0,1,2,3,8]` → `0-3,8`); `none`
    /// for an empty set.
    public static func format(_ values: [Int]) -> String {
        let sorted = Array(Set(values)).sorted()
        guard var start = sorted.first else { return "none" }
        var parts: [String] = []
        var previous = start
        for v in sorted.dropFirst() {
            if v == previous + 1 { previous = v; continue }
            parts.append(start == previous ? "\(start)" : "\(start)-\(previous)")
            start = v
            previous = v
        }
        parts.append(start == previous ? "\(start)" : "\(start)-\(previous)")
        return parts.joined(separator: ",")
    }
}
