#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import PVResults
@testable import PVExperiments
import PVHost

@Suite("Result files, terminal table, progress line")
struct OutputTests {
    /// A fresh empty directory, removed by the caller.
    static func scratchDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-out-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        return dir
    }

    static func entries(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    @Test("writes a new file whole, and never overwrites one without force")
    func createAndRefuse() throws {
        let dir = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/result.json"
        let writer = ResultFileWriter()
        try writer.write(text: "first\n", to: path, overwrite: false)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\n")

        #expect(throws: OutputFileError.exists(path: path)) {
            try writer.write(text: "second\n", to: path, overwrite: false)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\n")
        #expect(Self.entries(dir) == ["result.json"])   // no temp file left behind

        try writer.write(text: "second\n", to: path, overwrite: true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(Self.entries(dir) == ["result.json"])
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o644)
    }

    @Test("a missing directory or a file in the way is a clear error naming the path")
    func badDirectories() throws {
        let dir = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = ResultFileWriter()
        let missing = "\(dir)/no-such-dir/r.json"
        #expect(throws: OutputFileError.directoryMissing(path: missing, directory: "\(dir)/no-such-dir")) {
            try writer.write(text: "x", to: missing, overwrite: false)
        }
        try "plain".write(toFile: "\(dir)/file", atomically: false, encoding: .utf8)
        let inFile = "\(dir)/file/r.json"
        #expect(throws: OutputFileError.notADirectory(path: inFile, directory: "\(dir)/file")) {
            try writer.write(text: "x", to: inFile, overwrite: false)
        }
        let message = OutputFileError.directoryMissing(path: missing, directory: "\(dir)/no-such-dir").description
        #expect(message == "cannot write \(missing): directory \(dir)/no-such-dir does not exist")
    }

    @Test("an unwritable directory is a clear error (sysfs refuses new files even to root)")
    func unwritable() {
        let path = "/sys/kernel/pvbench-result.json"
        do {
            try ResultFileWriter().write(text: "x", to: path, overwrite: false)
            Issue.record("writing into /sys/kernel succeeded")
        } catch {
            guard case let .cannotCreate(p, d, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(p == path && d == "/sys/kernel")
            #expect(error.description.hasPrefix("cannot write /sys/kernel/pvbench-result.json: cannot create a file in /sys/kernel: "))
        }
        #expect(access(path, F_OK) != 0)
    }

    @Test("a full disk mid-write leaves neither the file nor a temp file")
    func fullDiskSimulated() throws {
        let dir = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/big.json"
        // Real write(2) for the first 4 KiB, then ENOSPC, as a filling disk does.
        let writer = ResultFileWriter(writeCall: { fd, buffer, count in
            var st = stat()
            fstat(fd, &st)
            if st.st_size >= 4096 { errno = ENOSPC; return -1 }
            return Glibc.write(fd, buffer, min(count, 4096 - Int(st.st_size)))
        })
        #expect(throws: OutputFileError.writeFailed(path: path, errno: ENOSPC)) {
            try writer.write([UInt8](repeating: 0x41, count: 100_000), to: path, overwrite: false)
        }
        #expect(Self.entries(dir) == [])
        #expect(OutputFileError.writeFailed(path: path, errno: ENOSPC).description.contains("(disk full); nothing was written"))

        // With force, the old file survives a failed replacement untouched.
        try ResultFileWriter().write(text: "old\n", to: path, overwrite: false)
        #expect(throws: OutputFileError.writeFailed(path: path, errno: ENOSPC)) {
            try writer.write([UInt8](repeating: 0x41, count: 100_000), to: path, overwrite: true)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(Self.entries(dir) == ["big.json"])
    }

    /// Mounts a 64 KiB tmpfs on a new directory; nil when this process may
    /// not mount (not root, or no CAP_SYS_ADMIN).
    static func mountSmallTmpfs() -> String? {
        guard geteuid() == 0 else { return nil }
        let dir = "/tmp/pvbench-full-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        guard mkdir(dir, 0o700) == 0 else { return nil }
        guard mount("tmpfs", dir, "tmpfs", 0, "size=64k") == 0 else { rmdir(dir); return nil }
        return dir
    }

    static let canMountTmpfs: Bool = {
        guard let dir = mountSmallTmpfs() else { return false }
        umount(dir)
        rmdir(dir)
        return true
    }()

    @Test("a real full filesystem (64 KiB tmpfs): clear error, nothing left", .enabled(if: canMountTmpfs))
    func fullDiskReal() throws {
        let dir = try #require(Self.mountSmallTmpfs())
        defer { umount(dir); rmdir(dir) }
        let path = "\(dir)/r.json"
        do {
            try ResultFileWriter().write([UInt8](repeating: 0x42, count: 1 << 20), to: path, overwrite: false)
            Issue.record("1 MiB fitted in a 64 KiB tmpfs")
        } catch {
            #expect(error == .writeFailed(path: path, errno: ENOSPC))
            print("full tmpfs: \(error)")
        }
        #expect(Self.entries(dir) == [])
    }

    @Test("terminal table: numbers right-aligned, units under titles, missing cells as '-'")
    func table() {
        var t = TerminalTable(columns: [.init("benchmark", alignment: .left), .init("reads", unit: "M/s"),
                                        .init("p99", unit: "ns")])
        t.addRow(["relaxed", "612.3", "41.0"])
        t.addRow(["seqlock", "98.1"])
        #expect(t.render() == """
            benchmark  reads   p99
                       (M/s)  (ns)
            ---------  -----  ----
            relaxed    612.3  41.0
            seqlock     98.1     -

            """)
    }

    @Test("progress line: nothing when stderr is not a terminal; drawn and cleared on a terminal")
    func progress() throws {
        var pipeFDs: [Int32] = [0, 0]
        #expect(pipe(&pipeFDs) == 0)
        defer { close(pipeFDs[0]) }
        let toPipe = ProgressLine(fd: pipeFDs[1])
        #expect(!toPipe.isEnabled)
        toPipe.update("should not appear")
        toPipe.finish()
        close(pipeFDs[1])
        var buffer = [UInt8](repeating: 0, count: 256)
        #expect(read(pipeFDs[0], &buffer, 256) == 0)   // EOF: nothing was written

        // A pseudo-terminal through /dev/ptmx (posix_openpt and friends are
        // not visible to Swift without _XOPEN_SOURCE): unlock with TIOCSPTLCK,
        // find the slave's number with TIOCGPTN (generic ioctl encodings,
        // the same on x86_64 and arm64).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        try #require(master >= 0)
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        #expect(ioctl(master, 0x4004_5431 /* TIOCSPTLCK */, &unlock) == 0)
        #expect(ioctl(master, 0x8004_5430 /* TIOCGPTN */, &number) == 0)
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        try #require(slave >= 0)
        defer { close(slave) }
        let onTTY = ProgressLine(fd: slave)
        #expect(onTTY.isEnabled)
        onTTY.update("run 1/3")
        onTTY.update("run 2/3")
        onTTY.finish()
        // The terminal may hand the bytes over in pieces: read until all
        // expected bytes came or nothing more arrives for a second.
        let expected = "\r\u{1B}[2Krun 1/3\r\u{1B}[2Krun 2/3\r\u{1B}[2K"
        var seen: [UInt8] = []
        var waiting = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while seen.count < expected.utf8.count, poll(&waiting, 1, 1_000) == 1 {
            let n = read(master, &buffer, 256)
            if n <= 0 { break }
            seen += buffer.prefix(n)
        }
        #expect(String(decoding: seen, as: UTF8.self) == expected)
    }
}

@Suite("Lines under the run table")
struct RunFootnotesTests {
    @Test func everyLineFitsTheWidthAndLosesNoWord() {
        let long = "clock: x86_64 TSC (rdtsc), 2.596 GHz; harness overhead -4.2% [-40.7%, 37.4%] (95% CI of interleaved pairs) "
            + "(instrumented 298.974 ns/op, bare 296.843 ns/op)"
        let fitted = RunFootnotes.fit(long, wide: false)
        let lines = fitted.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.count <= RunFootnotes.width })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("  ") })
        #expect(fitted.split(whereSeparator: \.isWhitespace) == long.split(separator: " "))
        #expect(RunFootnotes.fit(long, wide: true) == long)
    }

    @Test func aBracketedGroupIsNotBrokenAcrossLines() {
        // PlacementSummary's header as a run printed it: split word by word, "[190–212" ended the first line.
        let header = "placement classes (c2c probe before each round): c2c≈47ns 38 repetitions [44–51 ns], "
            + "c2c≈201ns 112 repetitions [190–212 ns]"
        let lines = RunFootnotes.fit(header, wide: false).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.count <= RunFootnotes.width })
        for line in lines {
            #expect(line.filter { $0 == "[" }.count == line.filter { $0 == "]" }.count, "\(line)")
            #expect(line.filter { $0 == "(" }.count == line.filter { $0 == ")" }.count, "\(line)")
        }
        #expect(lines.joined(separator: " ").split(separator: " ") == header.split(separator: " "))
        // A group longer than a line is broken at its spaces rather than overflow.
        let long = "[" + Array(repeating: "word", count: 40).joined(separator: " ") + "]"
        #expect(RunFootnotes.fit(long, wide: false).split(separator: "\n").allSatisfy { $0.count <= RunFootnotes.width })
    }

    @Test func casesWithEveryRepetitionDisturbedMakeOneLineWithTheirCount() {
        let names = (0 ..< 30).map { "steal-clock/acquire-release/packed/vcpus:\($0)/readers:1/writers:1" }
        // As retry rounds and --runs K gather them: the same cases more than once.
        let warnings = ([names[0], names[0]] + names + names).map(RunWarning.allDisturbed)
            + [RunWarning(.host, "the machine is busy: idle floor 83.61% (windows 83.02–85.91%): median off-CPU share",
                          brief: "the machine is busy: idle floor 83.61%")]
            + Array(repeating: RunWarning(.runCase, "c2c: a note"), count: 3)
        let lines = RunFootnotes.warningLines(warnings, wide: false)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("warning: every repetition disturbed, no aggregate: 30 cases: "))
        #expect(lines[0].hasSuffix("more (--wide)") && !lines[0].contains("\n"))
        #expect(lines[1] == "warning: the machine is busy: idle floor 83.61%")
        #expect(lines[2] == "warning: c2c: a note (3 times)")
        #expect(lines.allSatisfy { $0.split(separator: "\n").allSatisfy { $0.count <= RunFootnotes.width } })
        let wide = RunFootnotes.warningLines(warnings, wide: true)
        #expect(wide[0].contains(names[29]) && wide[1].contains("windows 83.02–85.91%"))
    }
}

@Suite("--runs K: all-disturbed cases said once for the merged file")
struct DisturbedRunsLinesTests {
    @Test func casesLostInSomeRunsMakeOneLineAndOnlyCasesLostInEveryRunHaveNoAggregate() {
        // a: run 1 all disturbed; b: runs 0 and 2 all disturbed; c: every run; d: never.
        let lostRuns: [String: Set<Int>] = ["a": [1], "b": [0, 2], "c": [0, 1, 2], "d": []]
        var file = RunFixtures.file(["a", "b", "c", "d"].map { ($0, [[1.0, 1.1], [1.0, 1.2], [0.9, 1.0]]) })
        for i in file.benchmarks.indices where lostRuns[file.benchmarks[i].runName]?.contains(file.benchmarks[i].runID ?? -1) == true {
            file.benchmarks[i].excluded = true
        }
        let lines = RunFootnotes.disturbedRunsLines(file, wide: false)
        #expect(lines.count == 2)
        // c has no median of other runs: it is named only as having none.
        #expect(lines[0] == "warning: 2 cases had every repetition disturbed in 1–2 of 3 runs; their medians are of the other runs (--wide: which)")
        #expect(lines[1].hasPrefix(RunFootnotes.allDisturbedPrefix + " 1 case: c"))
        let wide = RunFootnotes.disturbedRunsLines(file, wide: true)
        #expect(wide[0].hasSuffix(": a (1), b (2)"))
        // Every lost case lost in every run: only the no-aggregate line.
        var everyRun = file
        for i in everyRun.benchmarks.indices where everyRun.benchmarks[i].runName != "d" { everyRun.benchmarks[i].excluded = true }
        let only = RunFootnotes.disturbedRunsLines(everyRun, wide: false)
        #expect(only.count == 1 && only[0].hasPrefix(RunFootnotes.allDisturbedPrefix + " 3 cases: a, b, c"), "\(only)")
        let untouched = RunFixtures.file([("d", [[1.0], [1.1]])])
        #expect(RunFootnotes.disturbedRunsLines(untouched, wide: false).isEmpty)
        // When the core probe flagged repetitions, a last line says how many.
        var shared = file
        for i in shared.benchmarks.indices where shared.benchmarks[i].excluded == true { shared.benchmarks[i].counters["core_shared"] = 1 }
        let said = RunFootnotes.disturbedRunsLines(shared, wide: false)
        #expect(said.count == 3 && said[2].hasPrefix("warning: 12 of the 24 repetitions ran while the host shared their core"), "\(said)")
        #expect(said[2].split(separator: "\n").allSatisfy { $0.count <= RunFootnotes.width })
        #expect(said[2].replacingOccurrences(of: "\n  ", with: " ").hasSuffix("or --disturbed keep counts them (with the host's spread in them)"),
                "what the reader can do about it: \(said[2])")
    }
}

@Suite("What a run says before its first case")
struct RunProgressTests {
    /// The idle-floor probe spins every measured CPU for five windows as
    /// long as the cases' before anything is measured: the progress line
    /// says so, and how to give the floor instead.
    @Test("the idle-floor probe is on the progress line: which CPUs, how many windows of how long, and --idle-floor",
          .enabled(if: HostConditions.hasTwoCPUs, HostConditions.twoCPUsReason))
    func idleFloorProbeIsSaid() throws {
        var c2c = RunSettings(scenario: .c2c)
        c2c.duration = 0.02
        c2c.warmup = 0
        c2c.repetitions = 1
        var pipeFDs: [Int32] = [0, 0]
        #expect(pipe(&pipeFDs) == 0)
        defer { close(pipeFDs[0]) }
        let host = RunHost(topology: try Topology.live(), clock: try HostConditions.clock())
        let report = try RunSession(request: RunRequest(cases: [c2c]), host: host)
            .run(signal: { nil }, progress: ProgressLine(fd: pipeFDs[1], enabled: true))
        close(pipeFDs[1])
        var said: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case let n = read(pipeFDs[0], &buffer, buffer.count), n > 0 { said += buffer.prefix(n) }
        let text = String(decoding: said, as: UTF8.self)
        let floor = try #require(report.idleFloor, "no --idle-floor given: the floor is measured")
        let cpus = floor.cpus.map(String.init).joined(separator: ",")
        #expect(text.contains("idle floor: spinning CPUs \(cpus) for 5 windows of 0.02 s + 0 s warm-up (--idle-floor PCT gives it instead)"), "\(text)")
    }
}
