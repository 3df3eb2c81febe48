/// Why a request cannot be placed on a topology; each message names the
/// offending value and what this machine does offer.
public enum PlacementError: Error, Equatable, CustomStringConvertible {
    /// The request itself is malformed (negative counts, list lengths).
    case invalidRequest(String)
    /// A CPU that does not exist, is offline or is not allowed.
    case badCPU(cpu: Int, reason: String, usable: [Int])
    /// The relation cannot be realised here.
    case impossible(relation: PlacementRelation, reason: String, possible: [PlacementRelation])
    /// The memory policy cannot be realised here.
    case badMemory(policy: String, reason: String, nodesWithMemory: [Int])

    /// The reason alone, without the relation and the alternatives.
    public var reason: String {
        if case let .impossible(_, reason, _) = self { return reason }
        return description
    }

    public var description: String {
        switch self {
        case let .invalidRequest(why):
            why
        case let .badCPU(cpu, reason, usable):
            "CPU \(cpu) \(reason); usable CPUs here: \(CPUList.format(usable))"
        case let .impossible(relation, reason, possible):
            "cannot place --relation \(relation.rawValue) here: \(reason); possible here: "
                + (possible.isEmpty ? "none for this request" : possible.map(\.rawValue).joined(separator: ", "))
        case let .badMemory(policy, reason, nodes):
            "cannot place memory --memory \(policy): \(reason); nodes with memory: \(CPUList.format(nodes))"
        }
    }
}
