/// Why a topology could not be read. Each case names the offending file or
/// value and what was found instead.
public enum TopologyError: Error, Equatable, CustomStringConvertible {
    /// The tree has no `cpu/` directory where one was expected.
    case notASysfsTree(root: String)
    /// A file the topology needs is missing.
    case missingFile(path: String, needed: String)
    /// A file's content is not what the kernel writes there.
    case malformed(path: String, content: String, reason: String)
    /// Files disagree with each other.
    case inconsistent(String)
    /// The live system could not be read (affinity, libnuma).
    case unreadable(String)

    public var description: String {
        switch self {
        case let .notASysfsTree(root):
            "'\(root)' is not a sysfs tree: expected '\(root)/cpu' (and usually '\(root)/node'), "
                + "or '\(root)/devices/system/cpu', as under /sys/devices/system"
        case let .missingFile(path, needed):
            "missing '\(path)' (needed for \(needed))"
        case let .malformed(path, content, reason):
            "malformed '\(path)': \(reason); it holds '\(content.prefix(80))'"
        case let .inconsistent(why):
            "inconsistent topology: \(why)"
        case let .unreadable(why):
            why
        }
    }
}
