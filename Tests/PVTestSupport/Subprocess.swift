import Foundation

/// What a finished child process printed, and its exit status.
public struct SubprocessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    public init(status: Int32, stdout: String, stderr: String) { (self.status, self.stdout, self.stderr) = (status, stdout, stderr) }
}

/// Runs a program as the tests need it: stdin from /dev/null, both pipes
/// read concurrently (so a large output cannot block the child), terminated
/// after `timeout` seconds (SIGTERM, then SIGKILL 5 s later). Shared by the test targets.
public enum Subprocess {
    /// `environment`: variables set (or replaced) over this process's own.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String] = [:], timeout: TimeInterval = 120) throws -> SubprocessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Both pipes on threads of their own: the timeout runs from the start,
        // not from the child closing its stdout (a hung child never does).
        nonisolated(unsafe) var outData = Data(), errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            // A child whose stuck thread ignores SIGTERM's orderly stop.
            if group.wait(timeout: .now() + 5) == .timedOut { kill(process.processIdentifier, SIGKILL) }
            group.wait()
        }
        process.waitUntilExit()
        return SubprocessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                stderr: String(decoding: errData, as: UTF8.self))
    }
}
