/// What a pinned thread does in a run. Its ``name`` is what the kernel shows
/// as the thread's `comm` (at most 15 characters), so `perf report --sort comm`,
/// `top -H` and `/proc/self/task/*/comm` say which role each thread plays:
/// `hv-w0` (hypervisor writer 0), `gst-r3` (guest reader 3), `aux1`, or a
/// custom name such as `c2c-a`.
public struct ThreadRole: Hashable, Sendable, CustomStringConvertible {
    /// The kernel's limit on a thread name (`TASK_COMM_LEN` − 1).
    public static let maxNameLength = 15

    /// The role families; the raw value is the name prefix.
    public enum Kind: String, Sendable {
        case hypervisorWriter = "hv-w"
        case guestReader = "gst-r"
        case auxiliary = "aux"
    }

    /// The family, or nil for a custom name.
    public let kind: Kind?
    /// The index within the family (0 for custom names).
    public let index: Int
    /// The thread's name as the kernel will show it.
    public let name: String

    /// `kind` number `index`, named `<prefix><index>` (`hv-w0`, `gst-r3`).
    public init(_ kind: Kind, _ index: Int) {
        precondition(index >= 0, "a thread role index is never negative, got \(index)")
        self.kind = kind
        self.index = index
        self.name = kind.rawValue + String(index)
    }

    /// A role with a name of its own; the name must be 1 ... 15 printable
    /// ASCII characters (use ``init(validating:)`` for names from input).
    public init(custom name: String) {
        guard let role = ThreadRole(validating: name) else {
            preconditionFailure("thread name '\(name)' must be 1 ... \(Self.maxNameLength) printable ASCII characters")
        }
        self = role
    }

    /// A custom role, or nil when `name` is empty, longer than 15 bytes or
    /// holds anything but printable ASCII.
    public init?(validating name: String) {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= Self.maxNameLength, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            return nil
        }
        self.kind = nil
        self.index = 0
        self.name = name
    }

    public var description: String { name }
}
