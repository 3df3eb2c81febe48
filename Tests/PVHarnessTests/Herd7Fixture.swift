import Foundation

/// A recorded herd7 answer file under Fixtures (`herd7.txt`,
/// `kernels-herd7.txt` …): herd7's output, and the lines the recording
/// added for files herd7 did not answer in full (`unfinished NAME …`,
/// `Allowed NAME …`). A missing file reads as empty, so every comparison
/// with it fails as "not recorded".
struct Herd7Fixture {
    let lines: [Substring]

    init(_ file: URL) {
        lines = ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n")
    }

    /// herd7's Observation line per test name (the first, if a name repeats).
    var observations: [String: String] {
        Dictionary(lines.filter { $0.hasPrefix("Observation ") }.map {
            (String($0.split(separator: " ")[1]), String($0))
        }, uniquingKeysWith: { a, _ in a })
    }

    /// The test names of the lines that start with `word` and a space.
    func names(after word: String) -> Set<String> {
        Set(lines.filter { $0.hasPrefix(word + " ") }.map { String($0.split(separator: " ")[1]) })
    }
}
