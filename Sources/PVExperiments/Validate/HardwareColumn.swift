import Foundation

/// One hardware column of the model table: per `strategy/record`, whether
/// the race ever showed a torn or backwards value there.
public struct HardwareColumn: Sendable {
    public var title: String
    public var rows: [String: String]
    /// Cases of a loaded report this pvbench could not read (a strategy a newer one added).
    public var casesLeftOut = 0

    /// `Sometimes` when any case of the strategy × record saw a violation,
    /// else `inconclusive` when one was, else `Never`.
    public init(title: String, results: [ValidationCaseResult]) {
        self.title = title
        var rows: [String: String] = [:]
        for r in results {
            let key = "\(r.validationCase.strategy)/\(r.validationCase.target)"
            // An unsafe strategy that showed nothing and left nothing undecided was Never seen to fail here.
            let undecided = r.verdict == .inconclusive && (r.claimsSafety || r.total.undecided > 0)
            let word = r.total.torn + r.total.backwards > 0 ? "Sometimes" : (undecided ? "inconclusive" : "Never")
            if rows[key] == nil || word == "Sometimes" || (word == "inconclusive" && rows[key] == "Never") { rows[key] = word }
        }
        self.rows = rows
    }

    /// Why another machine's report gives no column.
    public enum LoadError: Error, Equatable {
        case unreadable(String)
        /// A models-only report: it has no hardware rows.
        case modelsOnly
        /// Not a validate report: where the decoding failed.
        case notAReport(String)
        /// None of its cases is one this pvbench can read.
        case noReadableCase(count: Int)
    }

    /// The column of another machine's validate report (its JSON). A case
    /// this pvbench cannot read is left out (``casesLeftOut``) rather than
    /// failing the whole file.
    public static func load(path: String) throws(LoadError) -> HardwareColumn {
        struct Case: Decodable {
            let result: ValidationCaseResult?
            init(from decoder: Decoder) throws { result = try? ValidationCaseResult(from: decoder) }
        }
        struct File: Decodable {
            let cases: [Case]
            let machine: ValidationMachine?
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable((error as NSError).localizedDescription)
        }
        let top = try? JSONSerialization.jsonObject(with: data)
        if top is [Any] || ((top as? [String: Any]).map { $0["models"] != nil && $0["cases"] == nil } ?? false) {
            throw .modelsOnly
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw .notAReport(decodingSummary(error))
        }
        let results = file.cases.compactMap(\.result)
        if results.isEmpty, !file.cases.isEmpty { throw .noReadableCase(count: file.cases.count) }
        var column = HardwareColumn(title: file.machine?.columnTitle ?? "hardware in \(URL(fileURLWithPath: path).lastPathComponent)",
                                    results: results)
        column.casesLeftOut = file.cases.count - results.count
        return column
    }

    /// A decoding error in one line: what is wrong, and where.
    static func decodingSummary(_ error: Error) -> String {
        func at(_ path: [CodingKey]) -> String {
            path.isEmpty ? "the top level" : path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error as? DecodingError {
        case let .keyNotFound(key, c)?: return "no '\(key.stringValue)' at \(at(c.codingPath))"
        case let .typeMismatch(_, c)?, let .valueNotFound(_, c)?: return "unexpected value at \(at(c.codingPath))"
        case let .dataCorrupted(c)?: return c.codingPath.isEmpty ? "not valid JSON" : "bad value at \(at(c.codingPath))"
        default: return "\(error)"
        }
    }
}
