import CPVPlatform
import Foundation
import PVRuntime

/// A strategy written in C against ``CStrategyHeader``: compiled natively
/// (-O2, a shared object), loaded with dlopen, its functions found with dlsym.
/// Named after the file (`seqcount.c` → `seqcount`).
public struct CStrategyFile: Sendable {
    /// The strategy's name: the file name without `.c`.
    public let name: String
    public let source: String
    /// The shared object, in the build directory (``removeBuildDirectory()``
    /// at exit; `perf record` keeps its own copy in its build-id cache, so
    /// `perf report` still resolves the file's symbols).
    public let library: String
    /// The compile command as run (shell-quoted), for the user to see and repeat.
    public let compileCommand: String
    /// The records the file has a reader/writer pair for.
    public let targets: [SharedRecordKind]
    /// The slot ``load(slot:)`` bound its functions to (``CStrategyFunctions``).
    public var slot = 0

    /// The loaded file as a run names and dispatches it.
    public var strategy: LoadedCStrategy { LoadedCStrategy(name: name, source: source, slot: slot, targets: targets) }

    /// Compiles `path` into a shared object in `directory` (default: a new
    /// temporary directory). Does not load it.
    /// - Throws: ``CStrategyError`` (missing file, compile error with the
    ///   compiler's own messages, which name the file's own lines).
    public static func compile(_ path: String, into directory: URL? = nil, compiler: String? = nil) throws(CStrategyError) -> CStrategyFile {
        _ = try CStrategyValidation.hangGrace(ProcessInfo.processInfo.environment)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              FileManager.default.isReadableFile(atPath: path) else { throw .unreadable(path) }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let name = stem.isEmpty ? "c-strategy" : stem
        let dir: URL
        do {
            dir = try directory ?? Self.newBuildDirectory()
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try CStrategyHeader.text.write(to: dir.appendingPathComponent(CStrategyHeader.fileName), atomically: true, encoding: .utf8)
        } catch { throw .buildDirectory(String(describing: error)) }
        let library = dir.appendingPathComponent("lib\(name).so").path
        let cc = compiler ?? ProcessInfo.processInfo.environment["CC"] ?? "cc"
        let arguments = ["-O2", "-g", "-shared", "-fPIC", "-std=gnu11", "-Wall", "-Werror=implicit-function-declaration",
                         "-I", dir.path, "-include", CStrategyHeader.fileName, "-o", library, path]
        let command = ([cc] + arguments).map(Self.shellQuoted).joined(separator: " ")
        let (status, output) = run(cc, arguments)
        guard status == 0 else {
            if directory == nil { try? FileManager.default.removeItem(at: dir) }
            throw .compileFailed(command: command, output: output)
        }
        return CStrategyFile(name: name, source: path, library: library, compileCommand: command, targets: [])
    }

    /// Loads the shared object and checks the file defines whole pairs.
    /// Makes its functions the ones slot `slot`'s types call (slot 0: ``CStrategy``).
    public func load(slot: Int = 0) throws(CStrategyError) -> CStrategyFile {
        guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else {
            throw .loadFailed(library: library, why: dlerror().map { String(cString: $0) } ?? "unknown")
        }
        func symbol(_ n: String) -> UnsafeMutableRawPointer? { dlsym(handle, n) }
        var found: [SharedRecordKind] = []
        for (target, pair) in [(SharedRecordKind.stolenTime, ("pv_steal_read", "pv_steal_write")),
                               (.preempted, ("pv_preempted_read", "pv_preempted_write"))] {
            let (r, w) = (symbol(pair.0), symbol(pair.1))
            if r == nil, w == nil { continue }
            guard r != nil, w != nil else {
                let missing = r == nil ? pair.0 : pair.1
                throw .missingFunction(file: source, name: missing, expected: CStrategyHeader.prototypes[missing]!)
            }
            found.append(target)
            CStrategyFunctions.bind(slot: slot, target, read: r!, write: w!)
        }
        guard !found.isEmpty else { throw .noFunctions(file: source) }
        if found.count == 2 {
            // Overcommit's scheduler stores from its signal handler through C kernels: the slot's, over the file's functions.
            _ = pv_c_strategy_bind_writers(Int32(slot), symbol("pv_steal_read"), symbol("pv_steal_write"), symbol("pv_preempted_write"))
        }
        return CStrategyFile(name: name, source: source, library: library, compileCommand: compileCommand, targets: found, slot: slot)
    }

    /// Removes the directory the file was built in, with everything pvbench generated there.
    public func removeBuildDirectory() {
        try? FileManager.default.removeItem(at: URL(fileURLWithPath: library).deletingLastPathComponent())
    }

    /// A new directory `pvbench-c-XXXXXX` in the temporary directory (mkdtemp).
    static func newBuildDirectory() throws -> URL {
        var template = Array((FileManager.default.temporaryDirectory.path + "/pvbench-c-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return URL(fileURLWithPath: String(cString: made), isDirectory: true)
    }

    static func shellQuoted(_ s: String) -> String {
        s.allSatisfy { $0.isLetter || $0.isNumber || "-_./=+,:".contains($0) } ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs a program found on PATH; its status and stdout+stderr.
    static func run(_ program: String, _ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (127, "cannot run \(program): \(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// What can go wrong with a C strategy file, each in one actionable message.
public enum CStrategyError: Error, CustomStringConvertible, Equatable {
    case unreadable(String)
    case buildDirectory(String)
    /// `output`: the compiler's messages, shown before the one-line error.
    case compileFailed(command: String, output: String)
    case loadFailed(library: String, why: String)
    case missingFunction(file: String, name: String, expected: String)
    case noFunctions(file: String)
    /// More files than ``CStrategyFunctions/slotCount``.
    case tooMany(Int)
    /// A name that is a built-in strategy's or another file's.
    case nameTaken(file: String, name: String, by: String)
    /// `PVBENCH_HANG_SECONDS` is not a number of seconds in (0, 3600].
    case hangSeconds(String)

    /// The file named cannot be read: bad usage (exit 64, as `model` and
    /// `compare` for a file they cannot read); the rest fail at run time.
    public var isUsage: Bool {
        if case .unreadable = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case let .unreadable(p): "cannot read C strategy file '\(p)' (missing, unreadable or a directory)"
        case let .hangSeconds(text):
            "PVBENCH_HANG_SECONDS='\(text)' is not a number of seconds in (0, 3600]: how long a C file's thread may stay in its code after a stop before it counts as hung (unset: 10)"
        case let .buildDirectory(why): "cannot make a build directory for the C strategy: \(why)"
        case let .compileFailed(command, _):
            "C strategy does not compile (the compiler's messages are above): \(command)"
        case let .loadFailed(library, why): "cannot load the compiled C strategy \(library): \(why)"
        case let .missingFunction(file, name, expected):
            "\(file) defines half a pair: \(name) is missing; define it as: \(expected)"
        case let .noFunctions(file):
            "\(file) defines no strategy function; define a pair of: "
                + ["pv_steal_read", "pv_steal_write", "pv_preempted_read", "pv_preempted_write"]
                .map { CStrategyHeader.prototypes[$0]! }.joined(separator: " ")
        case let .tooMany(n):
            "\(n) C strategy files: one run loads at most \(CStrategyFunctions.slotCount)"
        case let .nameTaken(file, name, by):
            "\(file) would be strategy '\(name)', which is already \(by): results could not tell them apart; rename the file"
        }
    }
}
