import ArgumentParser
import Foundation
import PVExperiments
import PVHost
import PVResults

// What `pvbench run` does with a finished run: files, tables, baseline, exit status.
extension RunCommand {
    /// Writes the files, prints the tables (stdout, flushed) and the
    /// warnings (stderr), runs the baseline step, and exits as the run says:
    /// 130/143 after a signal, 1 for a violation, else the baseline's status.
    func finish(_ report: RunReport) throws {
        let file = report.resultFile()
        try output.write(file)
        let text = RunText(report, context: file.context, wide: output.wide, jsonPath: output.json)
        print(text.standardOutput, terminator: "")
        writeStandardError(Data(text.standardError.map { $0 + "\n" }.joined().utf8))
        let compared = report.signal == nil ? try output.baselineStep(file) : nil
        if let compared { try CompareCommand.finish(compared, exit: false) }
        let exit = RunExit(report)
        writeStandardError(Data(exit.messages.map { "pvbench: \($0)\n" }.joined().utf8))
        if let status = [exit.status, compared?.status ?? 0].first(where: { $0 != 0 }) { throw ExitCode(status) }
    }

    /// `--runs K`: the run K times in fresh processes, merged into one file
    /// and one table; the worst child's exit status.
    func runRepeated() throws {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        // Each child runs what the parent was asked, once: the default shape named in full.
        let shape = defaultShape ? ["--suite", Suite.default.rawValue, "--repetitions", "\(Suite.defaultRepetitionsPerRun)"] : []
        let repeated = RepeatedRuns(executable: exe, arguments: RepeatedRuns.childArguments(Array(CommandLine.arguments.dropFirst())) + shape,
                                    runs: runCount)
        // SIGINT/SIGTERM: the running child stops as a single run does, no
        // other starts, and what the runs measured is merged and written.
        let forwarding = RepeatedRuns.Forwarding()
        let monitor: InterruptMonitor
        do { monitor = try InterruptMonitor.install { forwarding.interrupt($0) } } catch { throw RuntimeError("\(error)") }
        defer { monitor.uninstall() }
        let outcome: RepeatedRuns.Outcome
        do {
            outcome = try repeated.run(forwarding: forwarding) { FileHandle.standardError.write(Data("pvbench: \($0)\n".utf8)) }
        } catch { throw RuntimeError("\(error)") }
        guard var file = ResultFile.merging(outcome.files) else {
            if let signal = forwarding.received {
                writeStandardError(Data("pvbench: interrupted by \(signal.name) before a run wrote its file; nothing written\n".utf8))
                throw ExitCode(signal.exitStatus)
            }
            throw RuntimeError("no run wrote a result file")
        }
        if let signal = forwarding.received {
            file.context.interrupted = true
            file.context.interruptSignal = signal.name
        }
        file.context.command = CommandLine.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        try output.write(file)
        print(RunsTable.render(file, wide: output.wide))
        print(RunsTable.legend(file, runs: outcome.files.count))
        fflush(nil)  // stdout before stderr
        for line in RunFootnotes.disturbedRunsLines(file, wide: output.wide) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        if let signal = forwarding.received {
            let whole = outcome.files.filter { !$0.context.interrupted }.count
            let part = outcome.files.count > whole ? " and part of run \(whole + 1)" : ""
            FileHandle.standardError.write(Data(("pvbench: interrupted by \(signal.name) after \(whole) of \(runCount) runs\(part); "
                + "partial results are marked \"interrupted\": true\n").utf8))
        }
        let compared = outcome.interruptedBy == nil ? try output.baselineStep(file) : nil
        if let compared { try CompareCommand.finish(compared, exit: false) }
        if let status = [outcome.interruptedBy ?? outcome.statuses.max() ?? 0, compared?.status ?? 0].first(where: { $0 != 0 }) {
            throw ExitCode(status)
        }
    }
}

extension ResultOptions {
    /// Refuses an existing --json/--csv file (without --force) or an
    /// unwritable directory before anything runs.
    func checkFiles() throws {
        for path in [json, csv].compactMap({ $0 }) {
            if !force, FileManager.default.fileExists(atPath: path) {
                throw ValidationError("'\(path)' already exists; pass --force to replace it")
            }
            let dir = (path as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir.isEmpty ? "." : dir, isDirectory: &isDirectory),
                  isDirectory.boolValue, access(dir.isEmpty ? "." : dir, W_OK) == 0
            else { throw RuntimeError("cannot write \(path): \(dir.isEmpty ? "." : dir) is not a writable directory") }
        }
    }

    func write(_ file: ResultFile) throws {
        let writer = ResultFileWriter()
        do {
            if let json { try writer.write(try file.jsonData(), to: json, overwrite: force) }
            if let csv { try writer.write(text: ResultCSV.render(file.benchmarks), to: csv, overwrite: force) }
        } catch { throw RuntimeError("\(error)") }
    }

    enum BaselineAction: String { case save, compare }

    /// `--baseline save|compare NAME`, checked; nil without it.
    func baselineAction() throws -> (BaselineAction, Baseline)? {
        guard !baseline.isEmpty else { return nil }
        guard baseline.count == 2, let action = BaselineAction(rawValue: baseline[0]) else {
            throw ValidationError("--baseline takes two values, save NAME or compare NAME; got '\(baseline.joined(separator: " "))'")
        }
        do { return (action, try Baseline(name: baseline[1])) } catch { throw ValidationError("--baseline: \(error)") }
    }

    /// Saves the run as the baseline, or compares it with the baseline and
    /// prints the comparison; the comparison's outcome (status 1: something got slower).
    func baselineStep(_ file: ResultFile) throws -> CompareSession.Outcome? {
        guard let (action, baseline) = try baselineAction() else { return nil }
        let path = baseline.path()
        if action == .save {
            do {
                try ReportGenerator.makeDirectory(Baseline.directory)
                try ResultFileWriter().write(try file.jsonData(), to: path, overwrite: true)
            } catch { throw RuntimeError("baseline \(baseline.name): \(error)") }
            print("saved baseline \(baseline.name) (\(path))")
            return nil
        }
        print()
        let old = try CompareCommand.load(path, baselineName: baseline.name)
        let this: ReportInput
        do { this = try ReportInput.parse(Array(try file.jsonData()), path: "this run") } catch { throw RuntimeError("\(error)") }
        do { return try CompareSession.compare(old: [old], new: [this], severalRuns: false, wide: wide) } catch {
            throw ValidationError(error.description)
        }
    }
}
