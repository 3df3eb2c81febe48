#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PVHost
import PVResults
import Synchronization

/// `pvbench run --runs K`: the same run K times, each in a fresh process,
/// so what changes between runs — the host's placement of the vCPUs, a
/// neighbour on the shared cache, the process's own layout — shows as
/// run-to-run spread instead of hiding in one run's tight repetitions. Each
/// child is this executable with the same arguments but `--runs`, `--json`,
/// `--csv`, `--baseline` and `--force`, writing its JSON to a temporary
/// file; the files are merged (``ResultFile/merging(_:)``).
public struct RepeatedRuns: Sendable {
    public var executable: String
    /// The child's arguments, without the subcommand's output options.
    public var arguments: [String]
    public var runs: Int

    public init(executable: String, arguments: [String], runs: Int) {
        self.executable = executable
        self.arguments = arguments
        self.runs = runs
    }

    /// Options that take values and concern the parent only, with how many values.
    static let parentOnly: [String: Int] = ["--runs": 1, "--json": 1, "--csv": 1, "--baseline": 2]

    /// `arguments` without the parent-only options (`--runs 3`, `--runs=3`,
    /// `--json F`, `--csv F`, `--baseline save NAME`, `--force`).
    public static func childArguments(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var skip = 0
        for a in arguments {
            if skip > 0 { skip -= 1; continue }
            if a == "--force" { continue }
            if let n = parentOnly[a] { skip = n; continue }
            if parentOnly.keys.contains(where: { a.hasPrefix($0 + "=") }) { continue }
            out.append(a)
        }
        return out
    }

    /// A SIGINT or SIGTERM to the parent, passed on to the child that is
    /// running, so that it stops as a single run does (its partial file
    /// marked interrupted) and no further run starts; the parent then merges
    /// what it has and exits 130/143. Install it with the parent's
    /// `InterruptMonitor`: `InterruptMonitor.install { forwarding.interrupt($0) }`.
    ///
    /// The child is sent the *other* signal (SIGTERM for the parent's SIGINT,
    /// SIGINT for its SIGTERM). A Ctrl-C at a terminal reaches the child as
    /// well (one process group), and a second signal of the same kind ends a
    /// run at once, without its file; the other kind only asks a run that is
    /// already stopping to stop.
    public final class Forwarding: Sendable {
        private let state = Mutex<(child: pid_t?, received: InterruptSignal?)>((nil, nil))

        public init() {}

        /// The parent's first signal, or nil.
        public var received: InterruptSignal? { state.withLock { $0.received } }

        /// The parent got `signal`: remembered, and passed on to the running child.
        public func interrupt(_ signal: InterruptSignal) {
            let child = state.withLock { s -> pid_t? in
                if s.received == nil { s.received = signal }
                return s.child
            }
            if let child { Self.send(signal, to: child) }
        }

        /// A child started; one that started just after a signal is sent it now.
        func started(_ pid: pid_t) {
            let signal = state.withLock { s -> InterruptSignal? in
                s.child = pid
                return s.received
            }
            if let signal { Self.send(signal, to: pid) }
        }

        func ended() { state.withLock { $0.child = nil } }

        private static func send(_ signal: InterruptSignal, to pid: pid_t) {
            _ = kill(pid, (signal == .interrupt ? InterruptSignal.terminate : .interrupt).rawValue)
        }
    }

    /// What the runs produced: each child's result file (in order) and exit status.
    public struct Outcome: Sendable {
        public var files: [ResultFile]
        public var statuses: [Int32]
        /// A child ended by a signal or exit status 130/143, or the parent
        /// was signalled (its 130/143 then): the runs stopped there.
        public var interruptedBy: Int32?
    }

    /// What of a child's stderr `text` the parent passes on: every line of a
    /// run that failed, else its errors, and its warnings for the `last` run
    /// only; never the lines the parent says once for the merged file (the
    /// cases with every repetition disturbed, the repetitions beside a shared
    /// core). A wrapped line's continuations (indented) go with it. A run
    /// stopped because the parent was `signalled`: only its errors (the
    /// parent says what stopped the runs, and the file has the rest).
    public static func forwarded(_ text: String, last: Bool, status: Int32, signalled: Bool = false) -> [String] {
        var messages: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("  "), !messages.isEmpty { messages[messages.count - 1] += "\n" + line } else { messages.append(String(line)) }
        }
        if signalled { return messages.filter { $0.hasPrefix("pvbench: error:") } }
        return messages
            .filter { last || status != 0 || !$0.hasPrefix("warning:") }
            .filter { !$0.hasPrefix(RunFootnotes.allDisturbedPrefix) && !RunFootnotes.isCoreSharedLine($0) }
    }

    /// Runs the children one after another; `progress` gets a line per run.
    /// A child's table goes nowhere (the merged one is printed); its errors
    /// go to this process's stderr, its warnings only for the last run (all
    /// runs' are in the merged file's `context.warnings`).
    public func run(forwarding: Forwarding = Forwarding(), progress: (String) -> Void) throws -> Outcome {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-runs-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var outcome = Outcome(files: [], statuses: [], interruptedBy: nil)
        for k in 0 ..< runs {
            if let signal = forwarding.received {
                outcome.interruptedBy = signal.exitStatus
                break
            }
            progress("run \(k + 1)/\(runs)")
            let path = dir.appendingPathComponent("run-\(k).json").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments + ["--json", path]
            process.standardOutput = FileHandle.nullDevice
            let errPath = dir.appendingPathComponent("run-\(k).err").path
            guard FileManager.default.createFile(atPath: errPath, contents: nil),
                  let errFile = FileHandle(forWritingAtPath: errPath) else {
                throw RepeatedRunsError(message: "cannot create \(errPath)")
            }
            process.standardError = errFile
            try process.run()
            forwarding.started(process.processIdentifier)
            process.waitUntilExit()
            forwarding.ended()
            try? errFile.close()
            let status = process.terminationStatus
            // Each run's warnings are in the merged file; on stderr only the
            // last run's, and every run's errors.
            let text = (FileManager.default.contents(atPath: errPath)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let lines = Self.forwarded(text, last: k == runs - 1, status: status, signalled: forwarding.received != nil)
            if !lines.isEmpty {
                // The child's file is temporary: what it points to is in the merged file.
                let text = lines.joined(separator: "\n").replacingOccurrences(of: path, with: "the merged file")
                FileHandle.standardError.write(Data((text + "\n").utf8))
            }
            outcome.statuses.append(status)
            if let data = FileManager.default.contents(atPath: path) {
                outcome.files.append(try ResultFile.decode(data, source: "run \(k + 1)"))
            } else if status == 0 {
                throw RepeatedRunsError(message: "run \(k + 1) exited 0 without writing \(path)")
            }
            if let signal = forwarding.received {
                outcome.interruptedBy = signal.exitStatus
                break
            }
            if process.terminationReason == .uncaughtSignal || status == 130 || status == 143 {
                outcome.interruptedBy = process.terminationReason == .uncaughtSignal ? 128 + status : status
                break
            }
            if outcome.files.count == k, status != 0 {
                throw RepeatedRunsError(message: "run \(k + 1) failed (exit status \(status)) without a result file; stopped")
            }
        }
        return outcome
    }
}

public struct RepeatedRunsError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
