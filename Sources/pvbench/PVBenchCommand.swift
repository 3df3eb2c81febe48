import ArgumentParser

@main
struct PVBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pvbench",
        abstract: "Emulate, validate and measure the KVM/arm64 PV time and PV sched shared records.",
        version: pvbenchVersion,
        subcommands: [
            ABICommand.self,
            HypercallCommand.self,
            ProbeCommand.self,
            TopologyCommand.self,
            ValidateCommand.self,
            LitmusCommand.self,
            ModelCommand.self,
            ReportCommand.self,
            CompareCommand.self,
            RunCommand.self,
            ListCommand.self,
        ]
    )
}

let pvbenchVersion = "0.1.0"
