import ArgumentParser
import Foundation
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
            let oneLine = Self.negativeValueHint(Self.oneLine(message), arguments: Array(CommandLine.arguments.dropFirst()))
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

    /// "Missing value for '--duration <time>'" when the value was given but
    /// starts with a minus (`--duration -1s`, read as an option): says so.
    static func negativeValueHint(_ line: String, arguments: [String]) -> String {
        guard let range = line.range(of: "Missing value for '--") else { return line }
        let option = "--" + line[range.upperBound...].prefix { $0 != " " && $0 != "'" }
        guard let i = arguments.firstIndex(of: option), i + 1 < arguments.count else { return line }
        let value = arguments[i + 1]
        guard value.count > 1, value.hasPrefix("-"), value.dropFirst().first.map({ $0.isNumber || $0 == "." }) == true else { return line }
        return "\(option) \(value): a negative value is not accepted"
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
