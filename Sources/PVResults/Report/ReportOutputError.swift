#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a report was not written. Nothing is written when any output file
/// already exists (without `--force`) or the directory cannot be made.
public enum ReportOutputError: Error, Equatable, CustomStringConvertible {
    /// Files the report would replace.
    case exists([String])
    case cannotCreateDirectory(String, errno: Int32)
    case notADirectory(String)
    /// Writing one file failed (the ones before it were written).
    case write(OutputFileError)

    public var description: String {
        switch self {
        case let .exists(paths):
            let shown = paths.prefix(3).joined(separator: ", ") + (paths.count > 3 ? " and \(paths.count - 3) more" : "")
            return "\(shown) already exist\(paths.count == 1 ? "s" : ""); not overwriting (use --force to replace), nothing was written"
        case let .cannotCreateDirectory(dir, e):
            return "cannot create output directory \(dir): \(String(cString: strerror(e)))"
        case let .notADirectory(dir):
            return "output path \(dir) exists and is not a directory"
        case let .write(error):
            return error.description
        }
    }
}
