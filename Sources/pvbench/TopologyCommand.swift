import ArgumentParser
import Foundation
import PVExperiments
import PVHost

struct TopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Show NUMA nodes, CPUs, SMT and cache groups, allowed CPUs and possible placements; plan or capture.",
        discussion: """
            Without options, describes this machine like `numactl --hardware`, plus SMT siblings, shared caches, \
            the CPUs this process may use and which placements are possible here. --sysfs-root reads a tree laid \
            out as /sys/devices/system instead (a capture or a synthetic machine). --plan prints where each \
            thread would be pinned and where the shared memory would go, without running anything. \
            --capture DIR copies the sysfs files of this machine into DIR (with the allowed CPUs in \
            DIR/pvbench-allowed-cpulist) so it can be planned for elsewhere.
            """)

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Option(name: .customLong("sysfs-root"), help: ArgumentHelp("Read the topology from this sysfs tree instead of /sys.", valueName: "dir"))
    var sysfsRoot: String?

    @Option(help: ArgumentHelp("Copy this machine's topology files into a new sysfs tree.", valueName: "dir"))
    var capture: String?

    @Flag(help: "With --capture: replace an existing directory.")
    var force = false

    @Flag(help: "Print the concrete placement for --writers/--readers/--relation/--memory.")
    var plan = false

    @OptionGroup var placement: PlacementOptions

    func validate() throws {
        let (writers, readers) = (placement.writers, placement.readers)
        guard writers >= 0, readers >= 0, writers <= 4096, readers <= 4096, writers + readers >= 1, writers + readers <= 4096 else {
            throw ValidationError("--writers and --readers must be >= 0 with 1 ... 4096 threads in all, got \(writers) and \(readers)")
        }
        if capture != nil, plan { throw ValidationError("--capture and --plan do different things; give one") }
        if force, capture == nil { throw ValidationError("--force only applies to --capture") }
        let planOnly = placement.cpusGiven || (placement.relation ?? .auto) != .auto
        if planOnly, !plan { throw ValidationError("--relation, --writer-cpus, --reader-cpus and --oversubscribe need --plan") }
    }

    func run() throws {
        if let capture {
            do {
                return try TopologyReport.capture(from: sysfsRoot, to: capture, force: force).forEach { print($0) }
            } catch let error as TopologyCapture.CaptureError {
                if case .destinationExists = error { throw ValidationError(error.description) }
                throw RuntimeError(error.description)
            } catch let error as TopologyError { throw RuntimeError(error.description) }
        }
        let topology: Topology
        do { topology = try TopologyReport.load(sysfsRoot: sysfsRoot) } catch let error as TopologyError { throw RuntimeError(error.description) }
        let request = placement.request
        if plan {
            let planned: Placement
            do { planned = try PlacementPlanner.plan(request, on: topology) } catch let error as PlacementError {
                throw ValidationError(commandLineMessage(error, relationFlag: "--relation"))
            }
            if json { return try printJSON(TopologyReport.PlanDocument(request: request, placement: planned)) }
            return print(TopologyText.describe(planned, request: request, on: topology, oversubscribe: "--oversubscribe"))
        }
        let possible = TopologyReport.possibilities(on: topology, request: request) { $0 == .relation ? "--relation" : "--memory" }
        if json { return try printJSON(TopologyReport.TopologyDocument(topology: topology, placements: possible)) }
        print(TopologyText.describe(topology, possible: possible, request: request))
    }
}
