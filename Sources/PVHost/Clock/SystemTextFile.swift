#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import PVRecords

/// Reads the small text files of procfs and sysfs.
package enum SystemTextFile {
    /// The whole file as UTF-8 text; nil on any error (missing, unreadable).
    package static func contents(of path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0 ..< n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The first line, trimmed; nil on any error or when empty.
    package static func readLine(_ path: String) -> String? {
        guard let text = contents(of: path) else { return nil }
        let line = text.split(separator: "\n", maxSplits: 1).first.map { $0.trimmingWhitespace() } ?? ""
        return line.isEmpty ? nil : line
    }
}
