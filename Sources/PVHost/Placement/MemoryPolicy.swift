/// Where the shared region's pages go.
public enum MemoryPolicy: Sendable, Equatable, CustomStringConvertible {
    /// The node of the first writer's CPU (a hypervisor writing its own memory).
    case writerNode
    /// The node of the first reader's CPU (guest memory local to the guest).
    case readerNode
    /// Pages spread round-robin over every node with memory.
    case interleave
    /// One given node.
    case node(Int)

    /// Parses `writer-node`, `reader-node`, `interleave` or `node:N`.
    public init?(argument: String) {
        switch argument {
        case "writer-node": self = .writerNode
        case "reader-node": self = .readerNode
        case "interleave": self = .interleave
        default:
            guard argument.hasPrefix("node:"), let n = Int(argument.dropFirst(5)), n >= 0 else { return nil }
            self = .node(n)
        }
    }

    /// The accepted spellings, for messages.
    public static let spellings = "writer-node, reader-node, interleave, node:N"

    public var description: String {
        switch self {
        case .writerNode: "writer-node"
        case .readerNode: "reader-node"
        case .interleave: "interleave"
        case let .node(n): "node:\(n)"
        }
    }
}
