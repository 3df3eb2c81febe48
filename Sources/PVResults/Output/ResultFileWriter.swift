#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes result files so that a reader never sees half a file and last
/// week's results are never lost by accident.
///
/// The data goes to a temp file in the target's directory (same filesystem),
/// is `fsync`ed, then moved into place: with `link(2)` when overwriting is
/// not allowed (fails atomically if the name exists), with `rename(2)` when
/// it is; finally the directory is `fsync`ed. On any failure the temp file
/// is removed and the error names the path (``OutputFileError``).
public struct ResultFileWriter: Sendable {
    /// The one system call tests replace to simulate a full disk.
    typealias WriteCall = @Sendable (Int32, UnsafeRawPointer, Int) -> Int
    let writeCall: WriteCall

    public init() { self.init(writeCall: { fd, buffer, count in Glibc.write(fd, buffer, count) }) }

    init(writeCall: @escaping WriteCall) { self.writeCall = writeCall }

    /// Writes `bytes` to `path`.
    /// - Parameter overwrite: replace an existing file (`--force`).
    public func write(_ bytes: some Collection<UInt8>, to path: String, overwrite: Bool) throws(OutputFileError) {
        let directory = Self.directory(of: path)
        var st = stat()
        guard stat(directory, &st) == 0 else {
            throw errno == ENOTDIR ? .notADirectory(path: path, directory: directory)
                : .directoryMissing(path: path, directory: directory)
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw .notADirectory(path: path, directory: directory) }
        if !overwrite, lstat(path, &st) == 0 { throw .exists(path: path) }

        let base = path.split(separator: "/").last.map(String.init) ?? "result"
        var template = Array("\(directory)/.\(base).tmp.XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .cannotCreate(path: path, directory: directory, errno: errno) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let tempPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var keepTemp = false
        defer { if !keepTemp { unlink(tempPath) } }

        let failure: Int32? = {
            defer { close(fd) }
            let data = Array(bytes)
            var offset = 0
            while offset < data.count {
                let n = data.withUnsafeBytes { writeCall(fd, $0.baseAddress! + offset, data.count - offset) }
                if n < 0 { if errno == EINTR { continue }; return errno }
                if n == 0 { return EIO }
                offset += n
            }
            if fchmod(fd, 0o644) != 0 { return errno }
            if fsync(fd) != 0 { return errno }
            return nil
        }()
        if let failure { throw .writeFailed(path: path, errno: failure) }

        if overwrite {
            guard rename(tempPath, path) == 0 else { throw .renameFailed(path: path, errno: errno) }
            keepTemp = true   // it is the file now
        } else if link(tempPath, path) != 0 {
            let e = errno
            if e == EEXIST { throw .exists(path: path) }
            // Filesystems without hard links: check, then rename (a narrow race).
            guard e == EPERM || e == ENOTSUP || e == EOPNOTSUPP else { throw .renameFailed(path: path, errno: e) }
            if lstat(path, &st) == 0 { throw .exists(path: path) }
            guard rename(tempPath, path) == 0 else { throw .renameFailed(path: path, errno: errno) }
            keepTemp = true
        }
        Self.syncDirectory(directory)
    }

    /// Writes UTF-8 text.
    public func write(text: String, to path: String, overwrite: Bool) throws(OutputFileError) {
        try write(Array(text.utf8), to: path, overwrite: overwrite)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    /// Makes the new directory entry durable (best effort: some filesystems refuse).
    private static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
