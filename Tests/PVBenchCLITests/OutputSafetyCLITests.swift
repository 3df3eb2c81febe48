#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// Result files from `pvbench run --json`: never overwritten without
/// --force, replaced whole with it, and a path that cannot be written is one
/// clear error with nothing written and no temp file left.
@Suite("pvbench run: output safety", .serialized)
struct OutputSafetyCLITests {
    static func quickRun(json: String, force: Bool = false) -> [String] {
        ["run", "--scenario", "steal-clock", "--duration", "10ms", "--warmup", "0", "--repetitions", "1", "--json", json]
            + (force ? ["--force"] : [])
    }

    static func listing(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    /// Exit 1, one `pvbench: error:` line that names `path`.
    static func expectOneLineError(_ r: SpawnOutcome, naming path: String) {
        #expect(r.signal == nil && !r.timedOut, "\(r)")
        #expect(r.status == 1, "\(r)")
        let errors = r.stderrLines.filter { $0.hasPrefix("pvbench: error: ") }
        #expect(errors.count == 1 && r.stderrLines.last == errors.first, "\(r)")
        #expect(errors.first?.contains(path) == true, "the error does not name \(path): \(r)")
    }

    @Test("an existing file: refused without --force (exit 64, unchanged), replaced with it")
    func existingFile() throws {
        let dir = try InterruptionCLITests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = "\(dir)/result.json"
        let sentinel = Data("{\"last week\": \"results\"}\n".utf8)
        try sentinel.write(to: URL(fileURLWithPath: json))

        let refused = try SpawnedPVBench.run(Self.quickRun(json: json).map { Array($0.utf8) }, timeout: 120)
        #expect(refused.status == 64, "\(refused)")
        #expect(refused.stderrLines.count == 1 && refused.stderr.hasPrefix("pvbench: error: ") && refused.stderr.contains("--force"), "\(refused)")
        #expect(FileManager.default.contents(atPath: json) == sentinel, "the file changed without --force")
        #expect(Self.listing(dir) == ["result.json"])

        let forced = try SpawnedPVBench.run(Self.quickRun(json: json, force: true).map { Array($0.utf8) }, timeout: 120)
        #expect(forced.status == 0, "\(forced)")
        let data = try #require(FileManager.default.contents(atPath: json))
        #expect(data != sentinel)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect((object?["benchmarks"] as? [Any])?.isEmpty == false, "the replacement is not a result file")
        #expect(Self.listing(dir) == ["result.json"], "temp files left: \(Self.listing(dir))")
    }

    @Test("--json into a missing directory: one-line error, exit 1, nothing created")
    func missingDirectory() throws {
        let dir = try InterruptionCLITests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = "\(dir)/absent/result.json"
        let r = try SpawnedPVBench.run(Self.quickRun(json: json).map { Array($0.utf8) }, timeout: 120)
        Self.expectOneLineError(r, naming: json)
        #expect(Self.listing(dir).isEmpty, "written: \(Self.listing(dir))")
    }

    @Test("--json below a regular file: one-line error, exit 1, the file untouched")
    func parentIsAFile() throws {
        let dir = try InterruptionCLITests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = "\(dir)/plain"
        try Data("plain\n".utf8).write(to: URL(fileURLWithPath: file))
        let json = "\(file)/result.json"
        let r = try SpawnedPVBench.run(Self.quickRun(json: json).map { Array($0.utf8) }, timeout: 120)
        Self.expectOneLineError(r, naming: json)
        #expect(Self.listing(dir) == ["plain"])
        #expect(FileManager.default.contents(atPath: file) == Data("plain\n".utf8))
    }

    @Test("--json where no file can be created: one-line error, exit 1, no temp file left")
    func unwritableDirectory() throws {
        let dir = try InterruptionCLITests.scratch()
        defer {
            chmod(dir, 0o755)
            try? FileManager.default.removeItem(atPath: dir)
        }
        // Root ignores permission bits; /proc refuses new files to everyone.
        let target: String
        if geteuid() == 0 {
            target = "/proc/pvbench-output-safety-\(getpid()).json"
        } else {
            chmod(dir, 0o555)
            target = "\(dir)/result.json"
        }
        let r = try SpawnedPVBench.run(Self.quickRun(json: target).map { Array($0.utf8) }, timeout: 120)
        Self.expectOneLineError(r, naming: target)
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(Self.listing(dir).isEmpty, "left behind: \(Self.listing(dir))")
    }
}
