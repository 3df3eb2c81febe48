import Foundation
import PVModel

/// The litmus files shipped in `litmus/` at the package root.
enum ShippedLitmus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("litmus")

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func program(_ path: String) throws -> Program { try LitmusParser.parse(try text(path)) }

    /// Every shipped file, as "AArch64/MP.litmus".
    static func all() throws -> [String] {
        var out: [String] = []
        for dir in ["AArch64", "X86"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(dir).path)
            out += names.filter { $0.hasSuffix(".litmus") }.sorted().map { "\(dir)/\($0)" }
        }
        return out
    }
}
