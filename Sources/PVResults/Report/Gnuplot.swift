#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Foundation
import PVRecords

/// The `gnuplot` program (Debian: `gnuplot-nox`), run once per plot and
/// output format; the image comes back on its stdout, so the report writes
/// it with the same safe writer as every other file.
public struct Gnuplot: Sendable {
    /// The executable's path.
    public let path: String

    public init(path: String) { self.path = path }

    /// What to tell a user whose machine has no gnuplot.
    public static let installHint = "gnuplot was not found on PATH; install it (Debian/Ubuntu: `apt-get install gnuplot-nox`) and run `pvbench report` again to get the plots"

    /// The first `gnuplot` on `PATH`, or nil.
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> Gnuplot? {
        let dirs = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for dir in dirs where !dir.isEmpty {
            let candidate = "\(dir)/gnuplot"
            if access(candidate, X_OK) == 0 { return Gnuplot(path: candidate) }
        }
        return nil
    }

    /// The output formats, with the terminal line for each.
    public enum Format: String, Sendable, CaseIterable {
        case svg, png

        var terminal: String {
            switch self {
            case .svg: "set terminal svg size 960,540 dynamic font 'sans,11' background '#ffffff'"
            case .png: "set terminal pngcairo size 960,540 font 'sans,10' background '#ffffff'"
            }
        }
    }

    /// Renders `plot` and returns the file's bytes; the error is gnuplot's
    /// first message line.
    public func render(_ plot: ReportPlot, as format: Format) -> Result<[UInt8], GnuplotError> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = []
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            return .failure(GnuplotError(plot: plot.name, format: format, message: "cannot start \(path): \(error)"))
        }
        // Drain stderr on the side so a chatty gnuplot cannot block on a full pipe.
        let errorBox = ErrorBytes()
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errorBox.data = errors.fileHandleForReading.readDataToEndOfFile()
            drained.signal()
        }
        let script = format.terminal + "\nset output\n" + plot.script
        input.fileHandleForWriting.write(Data(script.utf8))
        try? input.fileHandleForWriting.close()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        drained.wait()
        let stderrText = String(decoding: errorBox.data, as: UTF8.self)
        guard process.terminationStatus == 0, !bytes.isEmpty else {
            let line = stderrText.split(separator: "\n").last { !$0.trimmingWhitespace().isEmpty }.map(String.init)
                ?? "exit status \(process.terminationStatus), no output"
            return .failure(GnuplotError(plot: plot.name, format: format, message: line.trimmingWhitespace()))
        }
        return .success(Array(bytes))
    }
}

/// gnuplot's stderr, filled by the draining thread before the semaphore is signalled.
private final class ErrorBytes: @unchecked Sendable {
    var data = Data()
}

/// A plot gnuplot could not render.
public struct GnuplotError: Error, Sendable, Equatable, CustomStringConvertible {
    public let plot: String
    public let format: Gnuplot.Format
    public let message: String
    public var description: String { "gnuplot could not render \(plot).\(format.rawValue): \(message)" }
}
