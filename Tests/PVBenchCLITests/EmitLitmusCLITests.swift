import Foundation
import Testing

@Suite("pvbench validate --emit-litmus")
struct EmitLitmusCLITests {
    @Test("writes AArch64, X86 and LKMM files per check, reads them back with the same verdicts, and `pvbench model` agrees")
    func emit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-emit-cli-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["validate", "--model-only", "--record", "preempted", "--emit-litmus", dir])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.range(of: #"re-checked: [1-9][0-9]* files, same verdicts"#, options: .regularExpression) != nil, "\(r.stdout)")
        #expect(r.stdout.contains("preempt-clear-plain  lost flush request  allowed    allowed    allowed"), "\(r.stdout)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        for flavour in ["AArch64", "X86", "LKMM"] {
            #expect(names.contains("preempt-clear-xchg+lost-update.\(flavour).litmus"), "\(names)")
            #expect(names.contains("relaxed+preempted+torn.\(flavour).litmus"), "\(names)")
        }
        let plain = (dir as NSString).appendingPathComponent("preempt-clear-plain+lost-update.X86.litmus")
        let m = try CLI.run(["model", plain])
        #expect(m.status == 0, "\(m.stderr)")
        #expect(m.stdout.contains("Observation preempt-clear-plain+lost-update Sometimes"), "\(m.stdout)")
    }

    @Test("a strategy with no program to write is named with the reason, not skipped in silence")
    func omissions() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-emit-omit-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["validate", "--model-only", "--strategy", "ck-sequence", "--strategy", "double-word",
                             "--strategy", "relaxed", "--record", "stolen-time", "--record", "record", "--emit-litmus", dir])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("litmus: no file for ck-sequence/stolen-time: "), "\(r.stdout)")
        #expect(r.stdout.contains("litmus: no file for double-word/record: double-word is one 128-bit atomic"), "\(r.stdout)")
        #expect(!r.stdout.contains("no file for relaxed"), "\(r.stdout)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(names.contains("relaxed+stolen-time+torn.AArch64.litmus"), "\(names)")
        #expect(!names.contains { $0.hasPrefix("ck-sequence") || $0.hasPrefix("double-word") }, "\(names)")
    }

    @Test("a path that is a file is one line of error and a nonzero exit")
    func badDirectory() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-emit-file-\(getpid())").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try CLI.run(["validate", "--model-only", "--strategy", "relaxed", "--emit-litmus", file])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--emit-litmus: \(file) exists and is not a directory"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }
}
