#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failed NUMA call, with the errno the kernel gave.
public enum NUMAError: Error, Equatable, CustomStringConvertible {
    case invalidNodes([Int], maxNode: Int)
    case bindFailed(nodes: [Int], errno: Int32)
    case queryFailed(errno: Int32)
    case unavailable(String)

    public var description: String {
        switch self {
        case let .invalidNodes(nodes, maxNode):
            "node(s) \(nodes.map(String.init).joined(separator: ",")) do not exist here (nodes 0-\(maxNode))"
        case let .bindFailed(nodes, code):
            "mbind to node(s) \(CPUList.format(nodes)) failed: \(String(cString: strerror(code))) (errno \(code))"
        case let .queryFailed(code):
            "cannot query the node of pages: \(String(cString: strerror(code))) (errno \(code))"
        case let .unavailable(why):
            why
        }
    }
}
