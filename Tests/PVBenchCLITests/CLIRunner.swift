import Foundation
import PVTestSupport

/// What a run of the built `pvbench` executable printed.
typealias CLIResult = SubprocessResult

enum CLI {
    /// The `pvbench` binary beside the test bundle (same build directory).
    static let executable: URL = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0 ..< 4 {
            let candidate = dir.appendingPathComponent("pvbench")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("pvbench executable not found near \(CommandLine.arguments[0])")
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 120) throws -> CLIResult {
        try Subprocess.run(executable, arguments, environment: environment, timeout: timeout)
    }

    /// For the tests of a C file that hangs: pvbench calls a thread hung
    /// 3 s after the stop instead of 10 (`PVBENCH_HANG_SECONDS`), so each
    /// such test waits seconds, not ten. A hang is a hang either way.
    static let hangSooner = ["PVBENCH_HANG_SECONDS": "3"]
}
