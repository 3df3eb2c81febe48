import PVHost

/// `pvbench topology` without the command line: this machine (or a sysfs
/// tree) with every placement possible for a request, or one placement
/// planned, as documents for `--json` and as text (``TopologyText``).
public enum TopologyReport {
    /// The request as `--plan --json` echoes it.
    public struct RequestDocument: Encodable, Sendable {
        public let writers: Int, readers: Int, relation: String, memory: String, oversubscribe: Bool
        public init(_ r: PlacementRequest) {
            writers = r.writers; readers = r.readers; relation = r.relation.rawValue
            memory = r.memory.description; oversubscribe = r.oversubscribe
        }
    }

    /// `--plan --json`.
    public struct PlanDocument: Encodable, Sendable {
        public let request: RequestDocument
        public let placement: Placement
        public init(request: PlacementRequest, placement: Placement) { (self.request, self.placement) = (RequestDocument(request), placement) }
    }

    /// One relation for a request's counts: planned, or refused with its reason.
    public struct Possibility: Encodable, Sendable {
        public let relation: String
        public let possible: Bool
        public let placement: Placement?
        public let reason: String?
    }

    /// `--json` without `--plan`.
    public struct TopologyDocument: Encodable, Sendable {
        public let topology: Topology
        public let placements: [Possibility]
        public init(topology: Topology, placements: [Possibility]) { (self.topology, self.placements) = (topology, placements) }
    }

    /// The topology at `sysfsRoot`, or this machine's.
    public static func load(sysfsRoot: String?) throws -> Topology {
        try sysfsRoot.map { try Topology.load(sysfsRoot: $0) } ?? Topology.live()
    }

    /// Every relation for this request's counts, each planned or refused
    /// with its reason; `naming` words a setting in a reason (a flag).
    public static func possibilities(on topology: Topology, request: PlacementRequest,
                                     naming: (PlacementError.Setting) -> String) -> [Possibility] {
        PlacementRelation.allCases.map { relation in
            var r = request
            r.relation = relation
            do {
                return Possibility(relation: relation.rawValue, possible: true,
                                   placement: try PlacementPlanner.plan(r, on: topology), reason: nil)
            } catch let error as PlacementError {
                return Possibility(relation: relation.rawValue, possible: false, placement: nil, reason: error.reason(naming: naming))
            } catch {
                return Possibility(relation: relation.rawValue, possible: false, placement: nil, reason: "\(error)")
            }
        }
    }

    /// Copies the topology files at `source` into `directory` and reads
    /// them back; the lines to print. Throws ``TopologyCapture/CaptureError`` or ``TopologyError``.
    public static func capture(from source: String?, to directory: String, force: Bool) throws -> [String] {
        let files = try TopologyCapture.capture(from: source ?? Topology.liveSysfsRoot, to: directory, force: force)
        let captured = try Topology.load(sysfsRoot: directory)
        let original = try load(sysfsRoot: source)
        var same = captured
        same.source = original.source
        return ["captured \(files) files into \(directory)",
                same == original ? "reads back identical to \(original.source)" : "warning: reads back differently from \(original.source)"]
    }
}
