#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import PVRecords

/// The feature flags `/proc/cpuinfo` lists for each CPU (x86: `flags`,
/// arm64: `Features`), intersected over all CPUs: a flag counts only when
/// every CPU reports it.
public struct CPUFlags: Sendable, Equatable {
    public let flags: Set<String>
    /// How many CPUs the text described.
    public let cpuCount: Int

    public init(flags: Set<String>, cpuCount: Int) {
        self.flags = flags
        self.cpuCount = cpuCount
    }

    /// Parses the text of `/proc/cpuinfo`.
    public init(cpuinfo text: String) {
        var common: Set<String>?
        var count = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingWhitespace()
            guard key == "flags" || key == "Features" else { continue }
            let these = Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
            common = common.map { $0.intersection(these) } ?? these
            count += 1
        }
        self.init(flags: common ?? [], cpuCount: count)
    }

    /// Reads and parses `/proc/cpuinfo`; nil when it cannot be read.
    public static func live(path: String = "/proc/cpuinfo") -> CPUFlags? {
        guard let text = SystemTextFile.contents(of: path) else { return nil }
        return CPUFlags(cpuinfo: text)
    }

    public func contains(_ flag: String) -> Bool { flags.contains(flag) }
}

