import ArgumentParser
import Foundation
import PVExperiments
import PVResults
import PVRecords

/// The machine a `pvbench validate --json` ran on, so another machine's
/// `--hardware FILE` can name it in its column.
struct ValidationMachine: Codable, Equatable {
    var hostName: String
    var architecture: String
    var cpuModel: String?

    static var current: ValidationMachine {
        let host = HostDescription.collect()
        return ValidationMachine(hostName: host.hostName, architecture: BuildRecord.current().architecture, cpuModel: host.cpuModel)
    }

    /// `hardware on arm-box (arm64)`.
    var columnTitle: String { "hardware on \(hostName) (\(architecture))" }
}

/// One hardware column of the model table: per `strategy/record`, whether
/// the race ever showed a torn or backwards value there.
struct HardwareColumn {
    var title: String
    var rows: [String: String]

    /// `Sometimes` when any case of the strategy × record saw a violation,
    /// else `inconclusive` when one was, else `Never`.
    init(title: String, results: [ValidationCaseResult]) {
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

    /// The column of another machine's `pvbench validate --json` output.
    /// A case this pvbench cannot read (a strategy a newer one added) is
    /// left out with a warning rather than failing the whole file.
    static func load(path: String) throws -> HardwareColumn {
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
            throw ValidationError("cannot read --hardware \(path): \((error as NSError).localizedDescription)")
        }
        let top = try? JSONSerialization.jsonObject(with: data)
        if top is [Any] || ((top as? [String: Any]).map { $0["models"] != nil && $0["cases"] == nil } ?? false) {
            throw ValidationError("--hardware \(path) is `validate --model-only --json` output, which has no hardware rows; "
                + "give the output of `pvbench validate --json` (with the race)")
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw ValidationError("--hardware \(path) is not the output of `pvbench validate --json`: \(decodingSummary(error))")
        }
        let results = file.cases.compactMap(\.result)
        if results.isEmpty, !file.cases.isEmpty {
            throw ValidationError("--hardware \(path): none of its \(file.cases.count) cases is one this pvbench can read")
        }
        if results.count < file.cases.count {
            writeStandardError(Data(("pvbench: warning: --hardware \(path): \(file.cases.count - results.count) case(s) left out "
                + "(a strategy, record or field this pvbench does not know)\n").utf8))
        }
        let title = file.machine?.columnTitle ?? "hardware in \(URL(fileURLWithPath: path).lastPathComponent)"
        return HardwareColumn(title: title, results: results)
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
