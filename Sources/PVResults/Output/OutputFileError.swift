#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a result file was not written. Every case names the path, and in
/// every case nothing was left behind: no partial file, no temp file.
public enum OutputFileError: Error, Equatable, CustomStringConvertible {
    /// The file exists and overwriting was not asked for.
    case exists(path: String)
    case directoryMissing(path: String, directory: String)
    case notADirectory(path: String, directory: String)
    /// The directory does not let us create a file (permissions, read-only).
    case cannotCreate(path: String, directory: String, errno: Int32)
    /// Writing or flushing the data failed (ENOSPC: disk full, EDQUOT, EIO).
    case writeFailed(path: String, errno: Int32)
    /// Putting the finished file in place failed.
    case renameFailed(path: String, errno: Int32)

    public var path: String {
        switch self {
        case let .exists(p), let .directoryMissing(p, _), let .notADirectory(p, _), let .cannotCreate(p, _, _),
             let .writeFailed(p, _), let .renameFailed(p, _): p
        }
    }

    public var description: String {
        func reason(_ e: Int32) -> String {
            let text = String(cString: strerror(e))
            return e == ENOSPC ? "\(text) (disk full)" : text
        }
        switch self {
        case let .exists(p):
            return "\(p) already exists; not overwriting it (use --force to replace it)"
        case let .directoryMissing(p, d):
            return "cannot write \(p): directory \(d) does not exist"
        case let .notADirectory(p, d):
            return "cannot write \(p): \(d) is not a directory"
        case let .cannotCreate(p, d, e):
            return "cannot write \(p): cannot create a file in \(d): \(reason(e))"
        case let .writeFailed(p, e):
            return "cannot write \(p): \(reason(e)); nothing was written"
        case let .renameFailed(p, e):
            return "cannot write \(p): could not move the finished file into place: \(reason(e)); nothing was written"
        }
    }
}
