import Foundation
import PVTestSupport

/// A compiler or binutils program on PATH, for the tests that check what
/// the toolchains make of the accessors and kernels.
struct Tool {
    let url: URL

    /// The program `name` on PATH, or nil.
    static func find(_ name: String) -> Tool? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return Tool(url: candidate) }
        }
        return nil
    }

    /// Runs the program to completion; its output as text.
    func run(_ arguments: [String]) throws -> SubprocessResult { try Subprocess.run(url, arguments) }

    /// The package's root directory (this file is Tests/PVHarnessTests/Toolchain.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-toolchain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
