import Foundation
@testable import PVHost

/// The synthetic sysfs trees under Fixtures/sysfs (see generate.py there).
enum TopologyFixtures {
    static let names = ["one-node-2cpu", "two-node-smt", "four-node-asym", "cpus-offline", "small-affinity"]

    static func path(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("sysfs/\(name)").path
    }

    static func load(_ name: String) throws -> Topology { try Topology.load(sysfsRoot: path(name)) }

    /// A fresh copy of a fixture in a temporary directory, to break on purpose.
    static func scratchCopy(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-topo-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: path(name), toPath: dir)
        return dir
    }
}
