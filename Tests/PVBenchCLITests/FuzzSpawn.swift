#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// How a child `pvbench` ended.
struct SpawnOutcome: CustomStringConvertible {
    /// Exit status, when it exited.
    let status: Int32?
    /// The signal that ended it, when one did (a crash, or our kill after a hang).
    let signal: Int32?
    /// True when it outlived its time limit and was killed.
    let timedOut: Bool
    let stdout: String
    let stderr: String

    var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: true) }

    var description: String {
        let how = timedOut ? "hung (killed)" : signal.map { "killed by signal \($0)" } ?? "exit \(status ?? -1)"
        let err = stderr.count > 300 ? String(stderr.prefix(300)) + "…" : stderr
        return "\(how); stderr: \(err.debugDescription)"
    }
}

/// A `pvbench` child started with `posix_spawn` from raw argument bytes (so
/// arguments that are not UTF-8 reach it as they would from a shell), with
/// stdin from /dev/null and stdout/stderr in temp files (no pipe can fill up
/// and block it). It can be signalled while it runs, and is killed if it
/// outlives the time it is given.
final class SpawnedPVBench {
    let pid: pid_t
    private let outPath: String
    private let errPath: String
    private var finished: SpawnOutcome?

    /// Starts `pvbench` with `arguments` (each a C string without its NUL);
    /// with `processGroup`, as the leader of a process group of its own, as
    /// a shell starts a job (``sendToGroup(_:)`` is then a Ctrl-C at a terminal).
    init(_ arguments: [[UInt8]], environment: [String: String] = [:], processGroup: Bool = false) throws {
        let scratch = FileManager.default.temporaryDirectory.path
        let tag = UUID().uuidString
        outPath = "\(scratch)/pvbench-spawn-\(tag).out"
        errPath = "\(scratch)/pvbench-spawn-\(tag).err"

        let executable = CLI.executable.path
        var argv: [UnsafeMutablePointer<CChar>?] = ([Array(executable.utf8)] + arguments).map(Self.cString)
        argv.append(nil)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        var envp: [UnsafeMutablePointer<CChar>?] = env.map { Self.cString(Array("\($0.key)=\($0.value)".utf8)) }
        envp.append(nil)
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // The child starts with default signal dispositions and an empty mask,
        // whatever the test process has set up.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (processGroup ? POSIX_SPAWN_SETPGROUP : 0)))
        if processGroup { posix_spawnattr_setpgroup(&attributes, 0) }

        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO)
        }
        pid = child
    }

    /// Convenience: UTF-8 arguments.
    convenience init(_ arguments: [String], environment: [String: String] = [:], processGroup: Bool = false) throws {
        try self.init(arguments.map { Array($0.utf8) }, environment: environment, processGroup: processGroup)
    }

    deinit {
        if finished == nil { _ = wait(timeout: 0) }
        unlink(outPath)
        unlink(errPath)
    }

    private static func cString(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar>? {
        let p = malloc(bytes.count + 1)!.assumingMemoryBound(to: CChar.self)
        for (i, b) in bytes.enumerated() { p[i] = CChar(bitPattern: b) }
        p[bytes.count] = 0
        return p
    }

    func send(_ signal: Int32) { kill(pid, signal) }

    /// `signal` to every process of the child's group (started with `processGroup`).
    func sendToGroup(_ signal: Int32) { kill(-pid, signal) }

    /// Waits at most `timeout` seconds; a child still running then is killed
    /// (SIGKILL) and reported as hung.
    func wait(timeout: Double) -> SpawnOutcome {
        if let finished { return finished }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, timeout) * 1e9)
        var status: Int32 = 0
        var timedOut = false
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0, errno != EINTR { break }
            if DispatchTime.now().uptimeNanoseconds >= deadline {
                timedOut = true
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                break
            }
            usleep(2_000)
        }
        // WIFEXITED / WTERMSIG by hand: the macros are not imported.
        let termSignal = status & 0x7F
        let outcome = SpawnOutcome(
            status: termSignal == 0 ? (status >> 8) & 0xFF : nil,
            signal: termSignal == 0 ? nil : termSignal,
            timedOut: timedOut,
            stdout: Self.read(outPath), stderr: Self.read(errPath))
        finished = outcome
        return outcome
    }

    private static func read(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs to completion (or the time limit) and returns how it ended.
    static func run(_ arguments: [[UInt8]], timeout: Double) throws -> SpawnOutcome {
        try SpawnedPVBench(arguments).wait(timeout: timeout)
    }
}
