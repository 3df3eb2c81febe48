import ArgumentParser
import PVABI

struct HypercallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hypercall",
        abstract: "Run guest discovery against a fresh emulated hypervisor, then issue one SMCCC call.",
        discussion: """
            FUNCTION_ID and ARGs are decimal or 0x-prefixed hex. The answer is x0 as int64, with its \
            SMCCC name where it has one. Example: pvbench hypercall 0x80000001 0xC5000020
            """)

    @Argument(help: "SMCCC function id (32-bit), e.g. 0xC5000021 for PV_TIME_ST.", transform: HexOrDecimal.parse)
    var functionID: HexOrDecimal

    @Argument(help: "Up to three arguments (x1..x3).", transform: HexOrDecimal.parse)
    var args: [HexOrDecimal] = []

    @Option(help: "vCPU that issues the call.")
    var vcpu: Int = 0

    @OptionGroup var emulation: EmulationOptions

    func validate() throws {
        guard functionID.value <= UInt64(UInt32.max) else {
            throw ValidationError("function id \(hex(functionID.value)) does not fit in 32 bits (SMCCC ids are w0)")
        }
        guard args.count <= 3 else { throw ValidationError("at most 3 arguments (x1..x3), got \(args.count)") }
        guard vcpu >= 0, vcpu < emulation.vcpus else {
            throw ValidationError("--vcpu must be 0 ... \(emulation.vcpus - 1) (there are \(emulation.vcpus) vCPUs)")
        }
    }

    func run() throws {
        let hypervisor: EmulatedHypervisor
        do { hypervisor = try emulation.makeHypervisor() } catch { throw RuntimeError("\(error)") }
        _ = GuestDiscovery.discover(hypervisor)
        let function = SMCCCFunction(rawValue: UInt32(functionID.value))
        let result = hypervisor.call(vcpu: vcpu, function: function, arguments: args.map(\.value))
        print("\(result) \(Self.explain(result, for: function))")
    }

    /// What an answer means: its return-code name, or what the value is.
    static func explain(_ result: Int64, for function: SMCCCFunction) -> String {
        if function == .smcccVersion, result >= 0 { return "(SMCCC \(result >> 16).\(result & 0xFFFF))" }
        if function == .pvTimeST, result >= 0 { return "(IPA \(hex(UInt64(result))))" }
        if let code = SMCCCReturn(rawValue: result) { return "(\(code.name))" }
        return ""
    }
}
