#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// A result file read for a report: its path and its decoded contents.
public struct ReportInput: Sendable {
    public let path: String
    public let file: ResultFile
    /// Per entry of `file.benchmarks`, whether the run flagged that
    /// repetition as disturbed (`"disturbed": true`); false where the file
    /// says nothing (every repetition counts).
    public let disturbed: [Bool]
    /// The `context` object as written, for comparing what `ResultContext`
    /// does not model (the disturbance rule, keys of newer versions).
    public let rawContext: JSONValue?

    public init(path: String, file: ResultFile, disturbed: [Bool]? = nil, rawContext: JSONValue? = nil) {
        self.path = path
        self.file = file
        self.disturbed = disturbed ?? Array(repeating: false, count: file.benchmarks.count)
        self.rawContext = rawContext
    }

    /// The entries of one run (`run_name`) with their disturbed flags, in file order.
    public func entries(of runName: String) -> [(entry: BenchmarkEntry, disturbed: Bool)] {
        zip(file.benchmarks, disturbed).filter { $0.0.runName == runName }.map { ($0.0, $0.1) }
    }

    /// Largest file accepted (a `full` suite is a few MiB).
    public static let maxBytes = 256 << 20
    /// Deepest array/object nesting accepted (a result file needs 5).
    public static let maxNesting = 64

    /// Reads and checks one result file. Errors say, in one line, which file
    /// and what is wrong: unreadable, empty, not UTF-8, not JSON, nested too
    /// deep, a number out of range, a wrong type, or not a
    /// pvbench/google-benchmark result file at all.
    public static func load(path: String) throws(ResultFileError) -> ReportInput {
        let bytes = try readBytes(path)
        return try parse(bytes, path: path)
    }

    /// Checks and decodes bytes already read; `path` names them in errors.
    public static func parse(_ bytes: [UInt8], path: String) throws(ResultFileError) -> ReportInput {
        func fail(_ reason: String) -> ResultFileError { ResultFileError(source: path, reason: reason) }
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            throw fail("empty file: not a pvbench/google-benchmark result file")
        }
        if let offset = invalidUTF8Offset(bytes) {
            throw fail("not UTF-8 text (invalid byte 0x\(String(bytes[offset], radix: 16)) at offset \(offset)): not a JSON result file")
        }
        if let depth = nestingBeyond(maxNesting, bytes) {
            throw fail("JSON nested deeper than \(maxNesting) levels (reached \(depth)): not a pvbench/google-benchmark result file")
        }
        if let (literal, offset) = outOfRangeNumber(bytes) {
            throw fail("number \(literal) at offset \(offset) is out of range for a 64-bit float")
        }
        let file = try ResultFile.decode(Data(bytes), source: path)
        for (i, b) in file.benchmarks.enumerated() {
            if b.iterations < 0 { throw fail("benchmarks[\(i)] (\(b.name)): iterations is negative (\(b.iterations))") }
            if !(b.realTime >= 0) { throw fail("benchmarks[\(i)] (\(b.name)): real_time is negative (\(b.realTime))") }
        }
        let view = try? JSONDecoder().decode(RawView.self, from: Data(bytes))
        let flags = view.map { $0.benchmarks.map(\.disturbed) }
        return ReportInput(path: path, file: file, disturbed: flags?.count == file.benchmarks.count ? flags : nil,
                           rawContext: view?.context)
    }

    /// What the typed model leaves out: the raw context and each entry's
    /// `disturbed` flag (a boolean; a number counts as true when not 0).
    struct RawView: Decodable {
        struct Flags: Decodable {
            let disturbed: Bool
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: DynamicCodingKey.self)
                let key = DynamicCodingKey("disturbed")
                disturbed = (try? c.decode(Bool.self, forKey: key)) ?? ((try? c.decode(Double.self, forKey: key)).map { $0 != 0 } ?? false)
            }
        }
        let context: JSONValue?
        let benchmarks: [Flags]
    }

    static func readBytes(_ path: String) throws(ResultFileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ResultFileError(source: path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw ResultFileError(source: path, reason: "is a directory, not a result file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ResultFileError(source: path, reason: "cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0 ..< n])
            if bytes.count > maxBytes {
                throw ResultFileError(source: path, reason: "larger than \(maxBytes >> 20) MiB: not a result file")
            }
        }
        return bytes
    }

    /// The offset of the first byte that is not valid UTF-8, or nil.
    static func invalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00 ... 0x7F: i += 1; continue
            case 0xC2 ... 0xDF: length = 2
            case 0xE0 ... 0xEF: length = 3
            case 0xF0 ... 0xF4: length = 4
            default: return i
            }
            guard i + length <= bytes.count else { return i }
            let second = bytes[i + 1]
            // Overlongs, surrogates and code points above U+10FFFF.
            let secondOK = switch b {
            case 0xE0: second >= 0xA0 && second <= 0xBF
            case 0xED: second >= 0x80 && second <= 0x9F
            case 0xF0: second >= 0x90 && second <= 0xBF
            case 0xF4: second >= 0x80 && second <= 0x8F
            default: second & 0xC0 == 0x80
            }
            guard secondOK else { return i + 1 }
            for k in 2 ..< length where bytes[i + k] & 0xC0 != 0x80 { return i + k }
            i += length
        }
        return nil
    }

    /// The first number literal (outside strings) too large for a Double, with its offset.
    static func outOfRangeNumber(_ bytes: [UInt8]) -> (String, Int)? {
        var inString = false
        var escaped = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                i += 1
                continue
            }
            if b == 0x22 { inString = true; i += 1; continue }
            guard b == 0x2D || (b >= 0x30 && b <= 0x39) else { i += 1; continue }
            let start = i
            while i < bytes.count, let c = Optional(bytes[i]),
                  c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45 || (c >= 0x30 && c <= 0x39) { i += 1 }
            let literal = String(decoding: bytes[start ..< i], as: UTF8.self)
            if let v = Double(literal), !v.isFinite { return (literal, start) }
        }
        return nil
    }

    /// The nesting depth reached when it exceeds `limit`, or nil (brackets
    /// inside strings do not count).
    static func nestingBeyond(_ limit: Int, _ bytes: [UInt8]) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        for b in bytes {
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            switch b {
            case 0x22: inString = true
            case 0x5B, 0x7B:
                depth += 1
                if depth > limit { return depth }
            case 0x5D, 0x7D: depth -= 1
            default: break
            }
        }
        return nil
    }
}
