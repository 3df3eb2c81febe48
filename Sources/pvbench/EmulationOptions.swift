import ArgumentParser
import Foundation
import PVABI

/// The options every emulation command shares.
struct EmulationOptions: ParsableArguments {
    @Option(name: .long, help: "Number of vCPUs to emulate (1 ... \(HypervisorConfiguration.maxVCPUs)).")
    var vcpus: Int = 1

    @Option(name: .long, help: ArgumentHelp("Switch a PV feature off in the emulated hypervisor (repeatable).",
                                             valueName: "pv-time|pv-sched"))
    var disable: [String] = []

    func validate() throws {
        guard vcpus >= 1, vcpus <= HypervisorConfiguration.maxVCPUs else {
            throw ValidationError("--vcpus must be 1 ... \(HypervisorConfiguration.maxVCPUs), got \(vcpus)")
        }
        for name in disable where !PVFeatures.byName.contains(where: { $0.0 == name }) {
            throw ValidationError("--disable accepts pv-time or pv-sched, got '\(name)'")
        }
    }

    var features: PVFeatures {
        var f = PVFeatures.all
        for name in disable { if let (_, feature) = PVFeatures.byName.first(where: { $0.0 == name }) { f.remove(feature) } }
        return f
    }

    /// Guest memory and hypervisor for this many vCPUs: PV region sized for
    /// one 64-byte record per vCPU, guest RAM for one 64-byte block per vCPU.
    func makeHypervisor() throws -> EmulatedHypervisor {
        let recordBytes = vcpus * StolenTimeLayout.ipaAlignment
        let pvPages = max(1, (recordBytes + GuestMemory.pvPageSize - 1) / GuestMemory.pvPageSize)
        let memory = try GuestMemory(ramBytes: max(1 << 20, vcpus * PVSchedLayout.blockSize), pvPages: pvPages)
        return try EmulatedHypervisor(memory: memory, configuration: HypervisorConfiguration(vcpus: vcpus, features: features))
    }
}

/// An unsigned integer given in decimal or hex (`0x…`), as kernel engineers
/// write function ids and addresses.
struct HexOrDecimal: Sendable {
    let value: UInt64

    /// For `@Argument(transform:)`: a bad value gets a message saying what is accepted.
    static func parse(_ argument: String) throws -> HexOrDecimal {
        guard let v = HexOrDecimal(argument: argument) else {
            throw ValidationError("'\(argument)' is not a number: give a decimal (1234) or 0x-prefixed hex (0xC5000020) value of at most 64 bits")
        }
        return v
    }

    init?(argument: String) {
        let s = argument.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
        if s.lowercased().hasPrefix("0x") {
            guard let v = UInt64(s.dropFirst(2), radix: 16) else { return nil }
            value = v
        } else if s.hasPrefix("-"), let v = Int64(s) {
            value = UInt64(bitPattern: v)  // -1 etc. as the 64-bit register would hold it
        } else {
            guard let v = UInt64(s) else { return nil }
            value = v
        }
    }
}

func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
