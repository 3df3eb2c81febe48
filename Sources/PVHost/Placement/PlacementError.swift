/// Why a request cannot be placed on a topology; each message names the
/// offending value and what this machine does offer. Messages name the
/// settings in words; a command line passes its own spellings to
/// ``message(naming:)``.
public enum PlacementError: Error, Equatable, CustomStringConvertible {
    /// The request itself is malformed (negative counts, list lengths).
    case invalidRequest(String)
    /// A CPU that does not exist, is offline or is not allowed.
    case badCPU(cpu: Int, reason: String, usable: [Int])
    /// The relation cannot be realised here.
    case impossible(relation: PlacementRelation, reason: String, possible: [PlacementRelation])
    /// The memory policy cannot be realised here.
    case badMemory(policy: String, reason: String, nodesWithMemory: [Int])

    /// The reason alone, without the relation and the alternatives (for a
    /// table of relations); the whole message for the other cases.
    public func reason(naming name: (Setting) -> String) -> String {
        if case let .impossible(_, reason, _) = self { return reason }
        return message(naming: name)
    }

    public var reason: String { reason { $0 == .relation ? "relation" : "policy" } }

    /// The two settings a message may name.
    public enum Setting: Sendable {
        case relation
        case memory
    }

    public var description: String { message { $0 == .relation ? "relation" : "policy" } }

    /// The message with the relation and memory settings named by `name`.
    public func message(naming name: (Setting) -> String) -> String {
        switch self {
        case let .invalidRequest(why):
            why
        case let .badCPU(cpu, reason, usable):
            "CPU \(cpu) \(reason); usable CPUs here: \(CPUList.format(usable))"
        case let .impossible(relation, reason, possible):
            "cannot place \(name(.relation)) \(relation.rawValue) here: \(reason); possible here: "
                + (possible.isEmpty ? "none for this request" : possible.map(\.rawValue).joined(separator: ", "))
        case let .badMemory(policy, reason, nodes):
            "cannot place memory \(name(.memory)) \(policy): \(reason); nodes with memory: \(CPUList.format(nodes))"
        }
    }
}
