import ArgumentParser
import Foundation
import PVABI
import PVExperiments
import PVResults

/// A failure at run time (exit status 1), as opposed to a usage error (64).
struct RuntimeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension PVBenchCommand {
    /// Parses and runs, printing errors as one `pvbench: error: …` line on
    /// stderr (no stack trace, no usage dump) with exit status 64 for usage
    /// errors and 1 for run-time failures.
    static func main() {
        if let (topic, parent) = unknownHelpTopic(Array(CommandLine.arguments.dropFirst())) {
            let names = parent.configuration.subcommands.compactMap { $0.configuration.commandName }
            let valid = names.isEmpty ? "it has none" : names.joined(separator: ", ")
            let of = parent.configuration.commandName ?? "pvbench"
            FileHandle.standardError.write(Data("pvbench: error: no help for '\(topic)': not a subcommand of \(of) (\(valid))\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        do {
            var command = try parseAsRoot(CompareCommand.separatingSides(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch let code as ExitCode where code != .success {
            Foundation.exit(code.rawValue)  // the command has said why on stderr
        } catch let error as RuntimeError {
            FileHandle.standardError.write(Data("pvbench: error: \(error.description)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }  // --help, --version
            let message = self.message(for: error)
            let oneLine = Self.oneLine(message)
            let text = oneLine.hasPrefix("Error: ") ? String(oneLine.dropFirst(7)) : oneLine
            FileHandle.standardError.write(Data("pvbench: error: \(text)\n".utf8))
            Foundation.exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}

extension PVBenchCommand {
    /// An ArgumentParser message on one line: its first line, plus the
    /// choices it lists below ("Please provide one of the following:" and
    /// "- name" lines) joined on; a usage dump is left out.
    static func oneLine(_ message: String) -> String {
        let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard var first = lines.first else { return message }
        let choices = lines.dropFirst().prefix { $0.hasPrefix("- ") }.map { "'\($0.dropFirst(2))'" }
        if first.hasSuffix(":"), !choices.isEmpty { first += " " + choices.joined(separator: ", ") }
        return first
    }

    /// The first name after `help` that is not a subcommand of the one
    /// before it, with that command; nil when `arguments` is not `help …` or
    /// names real ones.
    /// (ArgumentParser's `help` prints the root help for any unknown name and
    /// exits 0, which hides a typo from a script.)
    static func unknownHelpTopic(_ arguments: [String]) -> (String, any ParsableCommand.Type)? {
        guard arguments.first == "help" else { return nil }
        var command: any ParsableCommand.Type = Self.self
        for name in arguments.dropFirst() where !name.hasPrefix("-") {
            guard let sub = command.configuration.subcommands.first(where: { $0.configuration.commandName == name }) else {
                return (name, command)
            }
            command = sub
        }
        return nil
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

func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

/// Pretty-printed, key-sorted JSON on stdout.
func printJSON(_ value: some Encodable) throws {
    FileHandle.standardOutput.write(try PrettyJSON.data(value))
}

/// Writes one diagnostic line to stderr after whatever stdout holds, so the
/// two never interleave mid-line on a terminal or in a shared log.
func writeStandardError(_ data: Data) {
    fflush(nil)  // every output stream, stdout among them
    FileHandle.standardError.write(data)
}

/// Durations on the command line (see ``DurationText``), with errors that
/// say what is accepted.
enum DurationParser {
    /// Seconds, or a ValidationError saying what is accepted.
    static func seconds(_ text: String, option: String, defaultUnit: Double = 1) throws -> Double {
        do { return try DurationText.seconds(text, option: option, defaultUnit: defaultUnit) } catch { throw ValidationError(error.description) }
    }

    static func nanoseconds(_ text: String, option: String) throws -> UInt64 {
        do { return try DurationText.nanoseconds(text, option: option) } catch { throw ValidationError(error.description) }
    }
}

enum PercentParser {
    /// `1%` or `0.01` as a fraction in (0, 1], or a ValidationError saying what is accepted.
    static func fraction(_ text: String, option: String) throws -> Double {
        let t = text.trimmingCharacters(in: .whitespaces)
        let value = t.hasSuffix("%") ? Double(t.dropLast()).map { $0 / 100 } : Double(t)
        guard let value, value > 0, value <= 1 else {
            throw ValidationError("\(option) '\(text)' is not a share of the window: give a percentage such as 1% or 2.5%, or a fraction in (0, 1]")
        }
        return value
    }
}

/// `--idle-floor`: measured before the run, or given.
enum IdleFloorChoice: Equatable {
    case auto
    case given(Double)

    static func parse(_ text: String) throws -> IdleFloorChoice {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "auto" { return .auto }
        if t == "0" || t == "0%" { return .given(0) }
        guard let f = try? PercentParser.fraction(t, option: "--idle-floor"), f < 1 else {
            throw ValidationError("--idle-floor '\(text)' is not auto or a share of the window: give auto, 0, or a percentage such as 1.5%")
        }
        return .given(f)
    }
}

/// A comma-separated CPU list (`0,2,4` or `0-3`).
func parseCPUs(_ text: String, option: String) throws -> [Int] {
    do { return try CPUListText.parse(text, option: option) } catch { throw ValidationError(error.description) }
}
