import ArgumentParser
import PVExperiments
import PVHost
import PVRuntime

// The option spellings more than one command shares, once.
// The library takes the typed values; only this module knows the flags.

extension PlacementRelation: ExpressibleByArgument {}
extension StrategyKind: ExpressibleByArgument {}
extension VCPULayout: ExpressibleByArgument {}
extension Implementation: ExpressibleByArgument {}
extension ScenarioKind: ExpressibleByArgument {}
extension Suite: ExpressibleByArgument {}
extension SharedRecordKind: ExpressibleByArgument {}
extension DetectorMode: ExpressibleByArgument {}
extension DisturbedPolicy: ExpressibleByArgument {}

extension MemoryPolicy: ExpressibleByArgument {
    public static var defaultCompletionKind: CompletionKind { .list(["writer-node", "reader-node", "interleave", "node:0"]) }
}

/// Where readers sit relative to writers. `--placement` (run, validate,
/// litmus) and `--relation` (topology) are the same option; each command
/// has its own default.
struct RelationOption: ParsableArguments {
    @Option(name: Self.names, help: Self.help)
    var relation: PlacementRelation?

    static let names: NameSpecification = [.customLong("placement"), .customLong("relation")]
    static let help = ArgumentHelp("Writer/reader relation: \(PlacementRelation.spellings).", valueName: "relation")

    /// Refuses `same-cpu` for commands whose point is two threads running at once.
    func requireParallel(_ why: String) throws {
        if relation == .sameCPU { throw ValidationError("--placement same-cpu \(why)") }
    }
}

/// Where the shared memory goes.
struct MemoryOption: ParsableArguments {
    @Option(help: Self.help)
    var memory: MemoryPolicy = .writerNode

    static let help = ArgumentHelp("Where the shared memory goes: \(MemoryPolicy.spellings).", valueName: "policy")
}

/// The threads of each side and where they go (run, topology).
struct PlacementOptions: ParsableArguments {
    @Option(help: "Hypervisor writer threads.")
    var writers: Int = 1

    @Option(help: "Guest reader threads.")
    var readers: Int = 1

    // The relation and memory options are RelationOption's and MemoryOption's
    // (their names and help), declared here rather than nested as option
    // groups: a debug build of the argument parser re-validates every nested
    // group each time it builds a command's arguments, and one more level
    // made each `run` or `topology` invocation cost about 0.2 CPU-s in debug
    // (topology --bogus 0.18 → 0.05 user-s flat; the CLI fuzz test, which
    // spawns a thousand, 144 → 84 CPU-s).
    @Option(name: RelationOption.names, help: RelationOption.help)
    var relation: PlacementRelation?

    @Option(help: MemoryOption.help)
    var memory: MemoryPolicy = .writerNode

    /// Exact CPUs instead of a relation, and whether threads may share CPUs.
    @Option(name: .customLong("writer-cpus"), help: ArgumentHelp("Exact writer CPUs, in order, e.g. 0,2 or 0-3.", valueName: "list"),
            transform: { try parseCPUs($0, option: "--writer-cpus") })
    var writerCPUs: [Int]?

    @Option(name: .customLong("reader-cpus"), help: ArgumentHelp("Exact reader CPUs, in order, e.g. 1,3.", valueName: "list"),
            transform: { try parseCPUs($0, option: "--reader-cpus") })
    var readerCPUs: [Int]?

    @Flag(help: "Allow more threads than usable CPUs (threads then share CPUs; reported in the result).")
    var oversubscribe = false

    /// Whether exact CPUs or oversubscription was asked for.
    var cpusGiven: Bool { writerCPUs != nil || readerCPUs != nil || oversubscribe }

    /// What these options ask the planner for (`auto` where no relation is given).
    var request: PlacementRequest {
        PlacementRequest(writers: writers, readers: readers, relation: relation ?? .auto, memory: memory,
                         oversubscribe: oversubscribe, writerCPUs: writerCPUs, readerCPUs: readerCPUs)
    }
}

/// The message for a library error, with the settings named by this
/// command's flags (`relationFlag`: `--placement` or `--relation`).
func commandLineMessage(_ error: any Error, relationFlag: String = "--placement") -> String {
    switch error {
    case let e as PlacementError: e.message { $0 == .relation ? relationFlag : "--memory" }
    case let e as RunSettingsError: e.commandLineMessage
    default: "\(error)"
    }
}

/// `--json` of the commands that otherwise print tables (abi, list, probe).
struct TablesOrJSON: ParsableArguments {
    @Flag(help: "Print JSON instead of tables.")
    var json = false
}
