import Foundation

/// A complete result file in google-benchmark's JSON shape:
/// `{"context": {…}, "benchmarks": [{…}, …]}`. `pvbench run` writes it and
/// `pvbench report` reads it back (also plain google-benchmark files).
public struct ResultFile: Sendable, Equatable, Codable {
    public var context: ResultContext
    public var benchmarks: [BenchmarkEntry]

    public init(context: ResultContext, benchmarks: [BenchmarkEntry]) {
        self.context = context
        self.benchmarks = benchmarks
    }

    /// Pretty-printed JSON with sorted keys and a final newline.
    public func jsonData() throws -> Data { try PrettyJSON.data(self) }

    /// Reads a result file's bytes; `source` (a path) names it in errors.
    public static func decode(_ data: Data, source: String) throws(ResultFileError) -> ResultFile {
        do {
            return try JSONDecoder().decode(ResultFile.self, from: data)
        } catch let error as DecodingError {
            throw ResultFileError(source: source, decoding: error)
        } catch {
            throw ResultFileError(source: source, reason: "\(error)")
        }
    }
}

/// Why a file is not a readable result file: one line naming the file and
/// the offending key path.
public struct ResultFileError: Error, Equatable, CustomStringConvertible {
    public let source: String
    public let reason: String

    public var description: String { "\(source): \(reason)" }
}

extension ResultFileError {
    /// In an extension, so that the memberwise `init(source:reason:)` stays.
    init(source: String, decoding error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "top level"
                : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
        }
        let reason: String
        switch error {
        case let .dataCorrupted(c) where c.codingPath.isEmpty:
            reason = "not valid JSON (\(c.underlyingError.map { "\($0)" } ?? c.debugDescription))"
        case let .dataCorrupted(c):
            reason = "bad value at \(path(c.codingPath)): \(c.debugDescription)"
        case let .keyNotFound(key, c):
            reason = "missing key '\(key.stringValue)' at \(path(c.codingPath)): not a google-benchmark/pvbench result file"
        case let .typeMismatch(type, c):
            reason = "wrong type at \(path(c.codingPath)): expected \(type)"
        case let .valueNotFound(type, c):
            reason = "null at \(path(c.codingPath)): expected \(type)"
        @unknown default:
            reason = "\(error)"
        }
        self.init(source: source, reason: reason)
    }
}
