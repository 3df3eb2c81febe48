import Foundation
import PVTestSupport
import Testing

/// Hostile input for `pvbench report`'s JSON reader, through the built binary:
/// every file that is not a result file gets one line naming the file and exit
/// status 64 (bad input, as for compare), never a crash or a hang; seeded mutations of a valid file are
/// either read or refused that way.
@Suite("Fuzz: pvbench report refuses hostile JSON")
struct FuzzReportJSONTests {
    static let seed: UInt64 = 0x7265_706F_7274_4A53
    static let caseTimeout: Double = 60
    static let valid = Array(ReportCLITests.resultJSON.utf8)

    /// A file written for one case.
    struct Input {
        let label: String
        let bytes: [UInt8]?   // nil: the path is a directory
    }

    static func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// The valid file with `old` replaced by `new` (once).
    static func edited(_ old: String, _ new: [UInt8]) -> [UInt8] {
        let text = ReportCLITests.resultJSON
        guard let range = text.range(of: old) else { fatalError("fixture lacks \(old)") }
        return utf8(String(text[..<range.lowerBound])) + new + utf8(String(text[range.upperBound...]))
    }
    static func edited(_ old: String, _ new: String) -> [UInt8] { edited(old, utf8(new)) }

    /// Inputs that are certainly not readable result files.
    static func hostile() -> [Input] {
        var rng = SeededGenerator(seed: seed)
        var inputs: [Input] = [
            Input(label: "empty file", bytes: []),
            Input(label: "whitespace only", bytes: utf8(" \n\t\r\n ")),
            Input(label: "a directory", bytes: nil),
            Input(label: "NUL bytes", bytes: [UInt8](repeating: 0, count: 64)),
            Input(label: "UTF-16 with BOM", bytes: [0xFF, 0xFE] + Array("{}".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })),
            Input(label: "non-UTF-8 in a string", bytes: edited("\"bench1\"", [0x22, 0x62, 0xFF, 0xC3, 0x28, 0x22])),
            Input(label: "lone surrogate in UTF-8", bytes: edited("\"bench1\"", [0x22, 0xED, 0xA0, 0x80, 0x22])),
            Input(label: "nesting 10^5 arrays", bytes: [UInt8](repeating: 0x5B, count: 100_000) + [UInt8](repeating: 0x5D, count: 100_000)),
            Input(label: "nesting 10^5 unclosed", bytes: [UInt8](repeating: 0x5B, count: 100_000)),
            Input(label: "nesting 10^5 objects", bytes: Array(String(repeating: "{\"a\":", count: 100_000).utf8) + [0x31]
                + [UInt8](repeating: 0x7D, count: 100_000)),
            Input(label: "deep array inside a result file",
                  bytes: edited("\"caches\": []", "\"caches\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))),
            Input(label: "1e400", bytes: edited("\"real_time\": 2.5", "\"real_time\": 1e400")),
            Input(label: "-1e400", bytes: edited("\"real_time\": 2.5", "\"real_time\": -1e400")),
            Input(label: "2^70 iterations", bytes: edited("\"iterations\": 1000", "\"iterations\": 1180591620717411303424")),
            Input(label: "10^400-digit integer", bytes: edited("\"iterations\": 1000", "\"iterations\": 1" + String(repeating: "0", count: 400))),
            Input(label: "NaN literal", bytes: edited("\"real_time\": 2.5", "\"real_time\": NaN")),
            Input(label: "Infinity literal", bytes: edited("\"real_time\": 2.5", "\"real_time\": Infinity")),
            Input(label: "negative iterations", bytes: edited("\"iterations\": 1000", "\"iterations\": -5")),
            Input(label: "negative real_time", bytes: edited("\"real_time\": 2.5", "\"real_time\": -2.5")),
            Input(label: "iterations as string", bytes: edited("\"iterations\": 1000", "\"iterations\": \"1000\"")),
            Input(label: "real_time as bool", bytes: edited("\"real_time\": 2.5", "\"real_time\": true")),
            Input(label: "name as number", bytes: edited("\"name\": \"steal-clock", "\"name\": 5, \"x\": \"")),
            Input(label: "benchmarks as string", bytes: utf8(#"{"context": {"date": "x", "host_name": "h", "executable": "e", "num_cpus": 1, "mhz_per_cpu": 1, "cpu_scaling_enabled": false, "caches": [], "library_build_type": "release"}, "benchmarks": "many"}"#)),
            Input(label: "benchmarks of numbers", bytes: utf8(#"{"context": {"date": "x", "host_name": "h", "executable": "e", "num_cpus": 1, "mhz_per_cpu": 1, "cpu_scaling_enabled": false, "caches": [], "library_build_type": "release"}, "benchmarks": [1, 2]}"#)),
            Input(label: "context as array", bytes: utf8(#"{"context": [], "benchmarks": []}"#)),
            Input(label: "foreign JSON object", bytes: utf8(#"{"name": "left-pad", "version": "1.3.0", "dependencies": {}}"#)),
            Input(label: "foreign JSON array", bytes: utf8("[1, 2, 3]")),
            Input(label: "bare string", bytes: utf8("\"result\"")),
            Input(label: "bare number", bytes: utf8("42")),
            Input(label: "null", bytes: utf8("null")),
            Input(label: "trailing garbage", bytes: valid + utf8("}{")),
            Input(label: "two documents", bytes: valid + valid),
            Input(label: "single quotes", bytes: utf8("{'context': {}, 'benchmarks': []}")),
            Input(label: "comment", bytes: utf8("// result\n") + valid),
            Input(label: "unterminated string", bytes: utf8("{\"context\": \"") + [UInt8](repeating: 0x61, count: 100_000)),
            Input(label: "bad escape", bytes: edited("\"bench1\"", "\"\\uZZZZ\"")),
            Input(label: "escaped lone surrogate", bytes: edited("\"bench1\"", "\"\\uD800\"")),
            Input(label: "binary garbage", bytes: (0 ..< 4096).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }),
        ]
        // Truncations at seeded offsets: never a complete document.
        for _ in 0 ..< 12 {
            let cut = Int.random(in: 1 ..< valid.count - 2, using: &rng)
            inputs.append(Input(label: "truncated at \(cut)", bytes: Array(valid.prefix(cut))))
        }
        return inputs
    }

    /// Seeded byte-level mutations of a valid file: they may still be valid,
    /// so they must be read (exit 0) or refused cleanly (exit 64), nothing else.
    static func mutants() -> [Input] {
        var rng = SeededGenerator(seed: seed ^ 0xFFFF)
        let interesting: [UInt8] = Array("{}[]\",:0-9.eE\\ntf".utf8) + [0x00, 0x80, 0xFF]
        return (0 ..< 40).map { i in
            var bytes = valid
            for _ in 0 ..< Int.random(in: 1 ... 4, using: &rng) {
                let at = Int.random(in: 0 ..< bytes.count, using: &rng)
                switch rng.next() % 3 {
                case 0: bytes[at] = interesting.randomElement(using: &rng)!
                case 1: bytes.remove(at: at)
                default: bytes.insert(interesting.randomElement(using: &rng)!, at: at)
                }
            }
            return Input(label: "mutant \(i)", bytes: bytes)
        }
    }

    /// Writes `input` as a file (or directory) and runs `pvbench report` on it.
    static func report(_ input: Input, in dir: String, index: Int) throws -> (path: String, outcome: SpawnOutcome) {
        let path = "\(dir)/case-\(index).json"
        if let bytes = input.bytes {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } else {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        }
        let out = "\(dir)/out-\(index)"
        let r = try SpawnedPVBench.run([Array("report".utf8), Array(path.utf8), Array("--output".utf8), Array(out.utf8)],
                                       timeout: caseTimeout)
        return (path, r)
    }

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-fuzz-report-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Why a refusal is not clean, or nil.
    static func refusalProblem(_ r: SpawnOutcome, path: String) -> String? {
        if r.timedOut { return "hung" }
        if let s = r.signal { return "crashed (signal \(s))" }
        guard r.status == 64 else { return "exit \(r.status ?? -1), expected 64" }
        guard r.stderrLines.count == 1, r.stderr.hasPrefix("pvbench: error: \(path): ") else {
            return "not one 'pvbench: error: \(path): …' line"
        }
        return nil
    }

    @Test("hostile files: one line naming the file, exit 64, no report written")
    func hostileFiles() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inputs = Self.hostile()
        var reasons: [String: Int] = [:]
        var refused = 0
        for (i, input) in inputs.enumerated() {
            let (path, r) = try Self.report(input, in: dir, index: i)
            if let problem = Self.refusalProblem(r, path: path) {
                Issue.record("\(input.label): \(problem); \(r)")
                continue
            }
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/out-\(i)/summary.md"), "\(input.label): a report was written")
            let reason = r.stderr.dropFirst("pvbench: error: \(path): ".count).prefix(24)
            reasons[String(reason), default: 0] += 1
            refused += 1
        }
        print("report fuzz: \(refused) of \(inputs.count) hostile files refused cleanly; reasons: \(reasons.sorted { $0.key < $1.key }.map { "\($0.key)… ×\($0.value)" }.joined(separator: "; "))")
    }

    @Test("seeded mutations of a valid file: read, or refused cleanly")
    func mutatedFiles() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var read = 0, refused = 0
        for (i, input) in Self.mutants().enumerated() {
            let (path, r) = try Self.report(input, in: dir, index: i)
            if r.status == 0, r.signal == nil, !r.timedOut {
                read += 1
                #expect(FileManager.default.fileExists(atPath: "\(dir)/out-\(i)/summary.md"), "\(input.label): exit 0 without a report")
            } else if let problem = Self.refusalProblem(r, path: path) {
                Issue.record("\(input.label): \(problem); \(r)")
            } else {
                refused += 1
            }
        }
        print("report fuzz: 40 mutants, \(read) still valid, \(refused) refused cleanly")
        #expect(refused > 0, "no mutant was refused: the mutations are too weak to test anything")
    }

    @Test("the unmutated file is read (the control)")
    func control() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (_, r) = try Self.report(Input(label: "valid", bytes: Self.valid), in: dir, index: 0)
        #expect(r.status == 0, "\(r)")
    }
}
