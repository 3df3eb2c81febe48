/// A named result file kept for later comparison, as package-benchmark
/// keeps its baselines: `.pvbench-baselines/NAME.json` under the current
/// directory (git-ignored). `pvbench run --baseline save NAME` writes one,
/// `--baseline compare NAME` and `pvbench compare --baseline NAME NEW.json`
/// read it.
public struct Baseline: Sendable, Equatable {
    /// The directory baselines live in, relative to where pvbench runs.
    public static let directory = ".pvbench-baselines"
    public static let maxNameLength = 100

    public let name: String

    /// A name of letters, digits, `.`, `_` and `-` (not starting with `.`),
    /// so it is one file in the directory and nothing else.
    public init(name: String) throws(BaselineError) {
        guard !name.isEmpty, name.count <= Self.maxNameLength, !name.hasPrefix("."),
              name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0" ... "9").contains($0) || "._-".unicodeScalars.contains($0)) })
        else { throw .badName(name) }
        self.name = name
    }

    /// `.pvbench-baselines/NAME.json`, under `root` when given.
    public func path(root: String? = nil) -> String {
        (root.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? "") + "\(Self.directory)/\(name).json"
    }
}

public enum BaselineError: Error, Equatable, CustomStringConvertible {
    case badName(String)

    public var description: String {
        switch self {
        case let .badName(n):
            "baseline name '\(n)' is not 1-\(Baseline.maxNameLength) letters, digits, '.', '_' or '-' (not starting with '.')"
        }
    }
}
