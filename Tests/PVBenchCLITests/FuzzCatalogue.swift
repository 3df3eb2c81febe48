import Foundation
import PVTestSupport

/// What an option takes, as far as choosing values it must refuse goes.
enum FuzzValueKind: Equatable {
    case count            // a whole number of things (vCPUs, readers, repetitions, reads, iterations)
    case time             // "2s", "500ms": DurationParser
    case seconds          // a bare Double in seconds
    case name             // one of a fixed set of names
    case cpuList          // "0,2" or "0-3"
    case memoryPolicy     // writer-node | reader-node | interleave | node:N
    case hex              // decimal or 0x-hex (SMCCC ids and arguments)
    case outputFile       // a file pvbench writes
    case outputDirectory  // a directory pvbench writes into
    case inputDirectory   // a directory pvbench reads
    case inputFile        // a file pvbench reads
    case unknown          // an option this catalogue does not know yet: generic garbage only
}

/// One fuzz case: the arguments after `pvbench` and what it is about.
struct FuzzCase: CustomStringConvertible {
    let label: String
    let arguments: [[UInt8]]

    var description: String {
        "\(label): pvbench " + arguments.map { a in
            let s = String(decoding: a, as: UTF8.self)
            let shown = s.count > 40 ? "\(s.prefix(20))…(\(a.count) bytes)" : s
            return shown.isEmpty || shown.contains(" ") ? shown.debugDescription : shown
        }.joined(separator: " ")
    }
}

/// Values no option of a given kind may accept.
enum FuzzValues {
    static func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// Garbage no typed option accepts (numbers, names, durations, CPU lists
    /// alike). Paths are not typed: they get their own lists.
    static let generic: [[UInt8]] = [
        utf8(""), utf8(" "), utf8("-1"), utf8("-9223372036854775809"), utf8("18446744073709551616"),
        utf8("1e400"), utf8("NaN"), utf8("inf"), utf8("-inf"), utf8("abc"), utf8("0x"), utf8("☃"),
        utf8("\u{202E}1"), utf8("1\n2"), utf8(String(repeating: "9", count: 10_000)),
        utf8(String(repeating: "x", count: 65_536)),
        [0xFF, 0xFE],               // not UTF-8
        [0xC0, 0x80],               // overlong NUL
        [0x31, 0xED, 0xA0, 0x80],   // "1" + a UTF-16 surrogate
    ]

    /// Values refused by every option of `kind`, beyond ``generic``.
    static func specific(_ kind: FuzzValueKind, scratch: String) -> [[UInt8]] {
        switch kind {
        case .count:
            return ["0", "1.5", "9223372036854775807", "99999999999999999999", "0x10", "+-3"].map(utf8)
        case .time:
            return ["-1ms", "1e400s", "10parsecs", "ms", "5 s", "1e12s", "nans", "infh"].map(utf8)
        case .seconds:
            return ["0", "-0.5", "1e300", "nan", "1s"].map(utf8)
        case .name:
            return ["no-such-name", "RELAXED ", "relaxed,seqlock", String(repeating: "a", count: 4096)].map(utf8)
        case .cpuList:
            return ["1-0", ",", "-", "1-2-3", "0-9223372036854775807", "0;1"].map(utf8)
        case .memoryPolicy:
            return ["node:", "node:-1", "node:abc", "node:1:2", "node", "writer"].map(utf8)
        case .hex:
            return ["0xG", "0x1_0000_0000_0000_0000", "99999999999999999999999", "0b101"].map(utf8)
        case .outputFile:
            return [utf8(""), utf8(scratch), utf8("\(scratch)/\(String(repeating: "n", count: 5000)).json")]
        case .outputDirectory:
            return [utf8("/proc/pvbench-fuzz"), utf8("\(scratch)/regular-file/sub"),
                    utf8("\(scratch)/\(String(repeating: "d", count: 5000))")]
        case .inputDirectory:
            return [utf8(""), utf8("/nonexistent-pvbench-fuzz"), utf8("\(scratch)/regular-file"),
                    utf8("\(scratch)/\(String(repeating: "d", count: 5000))")]
        case .inputFile:
            return [utf8(""), utf8(scratch), utf8("/nonexistent-pvbench-fuzz.json"), [0xFF, 0x2E, 0x6A]]
        case .unknown:
            return []
        }
    }

    /// Whether ``generic`` values apply to `kind` (paths are free text).
    static func takesGeneric(_ kind: FuzzValueKind) -> Bool {
        switch kind {
        case .outputFile, .outputDirectory, .inputDirectory, .inputFile: false
        default: true
        }
    }

    /// A random value no typed option accepts: a number far out of range, or
    /// bytes that are not UTF-8.
    static func random(using rng: inout SeededGenerator) -> [UInt8] {
        switch rng.next() % 3 {
        case 0:
            let digits = (0 ..< Int.random(in: 21 ... 60, using: &rng)).map { _ in Character(String(Int.random(in: 0 ... 9, using: &rng))) }
            return utf8((Bool.random(using: &rng) ? "-" : "") + "9" + String(digits))
        case 1:
            return utf8("\(Int.random(in: 1 ... 9, using: &rng))e\(Int.random(in: 309 ... 9999, using: &rng))")
        default:
            var bytes = (0 ..< Int.random(in: 1 ... 24, using: &rng)).map { _ in UInt8.random(in: 0x01 ... 0xFF, using: &rng) }
            bytes.insert(0xFF, at: Int.random(in: 0 ... bytes.count, using: &rng))  // never valid UTF-8
            return bytes
        }
    }
}
