import Foundation
import Testing
@testable import pvbench

/// Every `pvbench …` command the README and docs/ show must still parse
/// and pass its command's validation, as typed there. Commands shown with
/// the error they give are left out: the error is the point, and some
/// depend on the machine (a cross-node plan on one node). Parsing touches
/// no hardware, so this runs anywhere in milliseconds.
@Suite("Documented examples")
struct DocumentedExamplesTests {
    struct Example: CustomStringConvertible {
        let file: String
        let line: Int
        let arguments: [String]
        let expectsError: Bool
        var description: String { "\(file):\(line): pvbench \(arguments.joined(separator: " "))" }
    }

    static let root: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()

    /// `pvbench` command lines inside fenced code blocks of `file`.
    static func examples(in file: String) throws -> [Example] {
        let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        var inCode = false
        var found: [Example] = []
        for (i, raw) in lines.enumerated() {
            if raw.hasPrefix("```") { inCode.toggle(); continue }
            guard inCode else { continue }
            var line = raw.hasPrefix("$ ") ? String(raw.dropFirst(2)) : raw
            guard line.hasPrefix("pvbench ") else { continue }
            if let hash = line.range(of: " #") { line = String(line[..<hash.lowerBound]) }
            // The shell's part (a redirection or a pipe) is not pvbench's to parse.
            for shell in [" > ", " >> ", " | ", " 2>"] {
                if let r = line.range(of: shell) { line = String(line[..<r.lowerBound]) }
            }
            let words = line.split(separator: " ").map(String.init).dropFirst()
            let next = i + 1 < lines.count ? lines[i + 1] : ""
            found.append(Example(file: file, line: i + 1, arguments: Array(words),
                                 expectsError: next.hasPrefix("pvbench: error:")))
        }
        return found
    }

    static var documents: [String] {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }

    @Test func theDocumentsShowExamples() throws {
        #expect(try Self.examples(in: "README.md").count >= 10, "one example per subcommand")
    }

    @Test(arguments: documents)
    func everyExampleParses(document: String) throws {
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(Self.root.path)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        for example in try Self.examples(in: document) where !example.expectsError {
            #expect(throws: Never.self, "\(example)") {
                _ = try PVBenchCommand.parseAsRoot(CompareCommand.separatingSides(example.arguments))
            }
        }
    }
}
