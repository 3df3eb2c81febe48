#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// SIGINT/SIGTERM sent to a real `pvbench run`: it must stop, write what it
/// measured marked interrupted, and exit 130/143. The time bound is a hang
/// check, generous on purpose: not a claim about speed.
@Suite("Interrupting pvbench run", .serialized)
struct InterruptionCLITests {
    /// Seconds from the signal to the exit that count as "did not hang".
    static let exitBound: Double = 3

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-interrupt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A run far longer than the test waits. `extra` adds options: the
    /// tests that signal while measuring give the idle floor, as a user may,
    /// because the measured floor spins 5 windows of the case's 5 s first.
    static func longRun(json: String, _ extra: [String] = []) -> [String] {
        ["run", "--scenario", "steal-clock", "--duration", "5s", "--repetitions", "3", "--json", json] + extra
    }

    /// Thread names of a running process (`/proc/PID/task/*/comm`).
    static func threadNames(_ pid: pid_t) -> Set<String> {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return Set(tasks.compactMap { tid in
            (try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        })
    }

    /// Sends `signal` once `ready` says so (or after `delay`), then waits for
    /// the exit; returns the outcome and the seconds from signal to exit.
    static func interrupt(_ arguments: [String], with signal: Int32, after delay: Double,
                          when ready: ((pid_t) -> Bool)? = nil) throws -> (SpawnOutcome, Double, Bool) {
        let child = try SpawnedPVBench(arguments)
        let start = DispatchTime.now().uptimeNanoseconds
        var sawReady = ready == nil
        if let ready {
            while Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < 30 {
                if ready(child.pid) { sawReady = true; break }
                usleep(5_000)
            }
        }
        usleep(useconds_t(delay * 1e6))
        let sent = DispatchTime.now().uptimeNanoseconds
        child.send(signal)
        let r = child.wait(timeout: 30)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e9
        return (r, seconds, sawReady)
    }

    /// The result file is JSON marked interrupted by `signal`.
    static func checkPartialFile(_ path: String, signal: String) throws {
        let data = try #require(FileManager.default.contents(atPath: path), "no result file at \(path)")
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let context = try #require(json["context"] as? [String: Any])
        #expect(context["interrupted"] as? Bool == true)
        #expect(context["interrupt_signal"] as? String == signal)
        #expect(json["benchmarks"] is [Any])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
            .filter { $0.contains(".tmp.") }
        #expect(leftovers.isEmpty, "temp files left behind: \(leftovers)")
    }

    /// Interrupts a long run with `signal` `delay` seconds after a thread
    /// named `thread` appears, and checks what every interruption must give:
    /// exit `status` (no crash, no hang) within ``exitBound`` of the signal,
    /// and the partial JSON marked with the signal. `when` names the phase.
    @discardableResult
    static func interruptLongRun(_ signal: Int32, status: Int32, name: String, after delay: Double,
                                 once thread: String, when phase: String, _ extra: [String] = []) throws -> SpawnOutcome {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = "\(dir)/partial.json"
        let (r, seconds, sawThread) = try interrupt(longRun(json: json, extra), with: signal, after: delay) { pid in
            threadNames(pid).contains(thread)
        }
        print("\(name) \(phase): exit \(r.status.map(String.init) ?? "-") \(String(format: "%.2f", seconds)) s after the signal")
        #expect(sawThread, "thread \(thread) never appeared (\(phase))")
        #expect(r.signal == nil && !r.timedOut, "\(r)")
        #expect(r.status == status, "\(r)")
        #expect(seconds < exitBound, "exit took \(seconds) s after \(name)")
        try checkPartialFile(json, signal: name)
        return r
    }

    @Test("a signal before the first case, in the idle-floor probe: exit 130 (SIGINT) or 143 (SIGTERM), partial JSON marked with the signal",
          arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
    func signalEarly(signal: Int32, status: Int32, name: String) throws {
        // Sent once the idle-floor probe's threads run (the run has started),
        // not after a fixed delay: under ASan on a loaded machine the process
        // can take longer than 0.7 s just to start. The harness-overhead probe
        // before the first case is sized to ~0.15 s, so even a signal that
        // lands in it is acted on well within the bound.
        let r = try Self.interruptLongRun(signal, status: status, name: name, after: 0.05, once: "aux0", when: "in the idle-floor probe")
        #expect(r.stderr.contains("interrupted by \(name)"), "\(r)")
    }

    /// The processes `pid` started (`/proc/PID/task/*/children`).
    static func children(_ pid: pid_t) -> [pid_t] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { tid in
            ((try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/children", encoding: .utf8)) ?? "")
                .split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }

    /// The first child of `pid` with a thread named `thread`, waited for up to 30 s.
    static func child(of pid: pid_t, running thread: String) -> pid_t? { child(of: pid) { threadNames($0).contains(thread) } }

    /// The first child of `pid` that catches SIGINT and SIGTERM (its signal
    /// monitor is installed: `SigCgt` in /proc/PID/status), waited for up to 30 s.
    static func child(catchingSignalsOf pid: pid_t) -> pid_t? {
        child(of: pid) { child in
            let status = (try? String(contentsOfFile: "/proc/\(child)/status", encoding: .utf8)) ?? ""
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
                  let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
            let wanted = UInt64(1) << (SIGINT - 1) | UInt64(1) << (SIGTERM - 1)
            return mask & wanted == wanted
        }
    }

    static func child(of pid: pid_t, where ready: (pid_t) -> Bool) -> pid_t? {
        let start = DispatchTime.now().uptimeNanoseconds
        while Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < 30 {
            if let child = children(pid).first(where: ready) { return child }
            usleep(5_000)
        }
        return nil
    }

    @Test("pvbench run with nothing named runs the default suite as 10 fresh runs of 1 repetition (what scripts/bench runs)")
    func defaultShape() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = "\(dir)/default.json"
        let parent = try SpawnedPVBench(["run", "--json", json, "--idle-floor", "2%"])
        // Once the first run's signal monitor is up, so that it can stop cleanly.
        let child = try #require(Self.child(catchingSignalsOf: parent.pid), "no child of pvbench run started within 30 s")
        let words = ((try? String(contentsOfFile: "/proc/\(child)/cmdline", encoding: .utf8)) ?? "").split(separator: "\0").map(String.init)
        parent.send(SIGTERM)
        let r = parent.wait(timeout: 30)
        #expect(words.count > 1 && Array(words.dropFirst()) == ["run", "--idle-floor", "2%", "--suite", "default", "--repetitions", "1", "--json"]
                    + [words.last ?? ""], "the first run's command line: \(words)")
        #expect(r.status == 143 && r.stderr.contains("pvbench: run 1/10\n"), "\(r)")
        #expect(r.stderr.contains("after 0 of 10 runs and part of run 1;"), "\(r)")
        #expect(!r.stderr.contains("run 2/10"), "\(r)")
    }

    @Test("run --runs K: a signal to the parent alone (kill, a CI timeout) or to its process group (Ctrl-C) stops the running child, starts no other, and merges what was measured: exit 130/143, JSON marked, no child or temp dir left",
          arguments: [(SIGTERM, Int32(143), "SIGTERM", false), (SIGINT, Int32(130), "SIGINT", true)])
    func signalRepeatedRuns(signal: Int32, status: Int32, name: String, group: Bool) throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = "\(dir)/runs.json"
        let parent = try SpawnedPVBench(["run", "--runs", "3"] + Self.longRun(json: json, ["--idle-floor", "2%"]).dropFirst(),
                                        processGroup: group)
        // Signalled once the first child measures.
        let measuring = try #require(Self.child(of: parent.pid, running: "gst-r0"), "no child of pvbench run --runs 3 started measuring within 30 s")
        usleep(300_000)
        let sent = DispatchTime.now().uptimeNanoseconds
        if group { parent.sendToGroup(signal) } else { parent.send(signal) }
        let r = parent.wait(timeout: 30)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e9
        print("--runs 3, \(name) to the \(group ? "process group" : "parent"): exit \(r.status.map(String.init) ?? "-") "
            + "\(String(format: "%.2f", seconds)) s after the signal")
        #expect(r.signal == nil && !r.timedOut && r.status == status, "\(r)")
        // A hang check, not a speed claim: the child stops as a single run does, then the parent merges.
        #expect(seconds < 3 * Self.exitBound, "exit took \(seconds) s after \(name)")
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(measuring)"), "the child \(measuring) outlived pvbench run --runs")
        try Self.checkPartialFile(json, signal: name)
        #expect(r.stderr.contains("pvbench: interrupted by \(name) after 0 of 3 runs and part of run 1;"), "\(r)")
        #expect(!r.stderr.contains("run 2/3"), "a run started after the signal: \(r)")
        let temp = (try? FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)) ?? []
        #expect(!temp.contains { $0.hasPrefix("pvbench-runs-\(parent.pid)-") }, "the runs' temp directory was left behind")
    }

    @Test("a signal while the threads measure stops them: exit status, partial JSON, no hang",
          arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
    func signalWhileMeasuring(signal: Int32, status: Int32, name: String) throws {
        try Self.interruptLongRun(signal, status: status, name: name, after: 0.3, once: "gst-r0", when: "while measuring",
                                  ["--idle-floor", "2%"])
    }
}
