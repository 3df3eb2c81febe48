import Foundation

/// One command-line option a scenario owns (`--workload`, `--matrix`):
/// its spelling, help, and how its value goes into the scenario's
/// ``ScenarioParameters``. The CLI lists and parses them for every
/// registered scenario, so a scenario's options live in its own file.
public struct ScenarioOption: Sendable {
    /// The long name without dashes: `workload` is `--workload`.
    public var name: String
    /// Shown after the flag in help (`<name>`); nil for a flag without a value.
    public var valueName: String?
    public var help: String
    /// Only with `--scenario` naming the owner (the option means nothing in a suite).
    public var needsScenario: Bool
    let apply: @Sendable (String, inout ScenarioParameterSet) throws -> Void

    /// An option with a value, parsed into `P` by `set` (which throws a
    /// message saying what is accepted).
    public static func value<P: ScenarioParameters>(
        _ name: String, _ type: P.Type, valueName: String, help: String, needsScenario: Bool = false,
        set: @escaping @Sendable (String, inout P) throws -> Void
    ) -> ScenarioOption {
        ScenarioOption(name: name, valueName: valueName, help: help, needsScenario: needsScenario) { text, all in
            try set(text, &all[type])
        }
    }

    /// A flag: present sets `key` to true.
    public static func flag<P: ScenarioParameters>(
        _ name: String, _ key: WritableKeyPath<P, Bool> & Sendable, help: String, needsScenario: Bool = false
    ) -> ScenarioOption {
        ScenarioOption(name: name, valueName: nil, help: help, needsScenario: needsScenario) { _, set in set[P.self][keyPath: key] = true }
    }
}

/// A scenario option that cannot be taken as given; the message says what is accepted.
public struct ScenarioOptionError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension ScenarioOption {
    /// Every registered scenario's options, with the scenario that owns each.
    public static var all: [(ScenarioKind, ScenarioOption)] {
        ScenarioKind.allCases.flatMap { kind in kind.type.options.map { (kind, $0) } }
    }

    /// Reads `arguments` (`--name value`, `--name=value`, `--flag`) as
    /// `scenarios`' options into `parameters`; `chosen` is the scenario
    /// named on the command line, nil for a suite.
    public static func parse(_ arguments: [String], scenarios: [any Scenario.Type] = ScenarioKind.allCases.map(\.type),
                             chosen: ScenarioKind?, into parameters: inout ScenarioParameterSet) throws(ScenarioOptionError) {
        let known = scenarios.flatMap { type in type.options.map { (type.kind, $0) } }
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else { throw ScenarioOptionError("unexpected argument '\(argument)'") }
            let parts = argument.dropFirst(2).split(separator: "=", maxSplits: 1)
            let name = parts.first.map(String.init) ?? ""
            guard let (owner, option) = known.first(where: { $0.1.name == name }) else {
                throw ScenarioOptionError("Unknown option '--\(name)'.")
            }
            if option.needsScenario, chosen != owner {
                throw ScenarioOptionError("--\(name) goes with --scenario \(owner)")
            }
            var value = ""
            if option.valueName != nil {
                if parts.count == 2 { value = String(parts[1]) } else {
                    guard let next = rest.popFirst() else { throw ScenarioOptionError("Missing value for '--\(name) <\(option.valueName!)>'") }
                    value = next
                }
            } else if parts.count == 2 {
                throw ScenarioOptionError("--\(name) is a flag: it takes no value")
            }
            do { try option.apply(value, &parameters) } catch let error as ScenarioOptionError { throw error } catch {
                throw ScenarioOptionError("--\(name) '\(value)': \(error)")
            }
        }
    }

    /// `--name <value>` (or `--name` for a flag): the option as help shows it.
    public var synopsis: String { "--\(name)" + (valueName.map { " <\($0)>" } ?? "") }

    /// The help section listing every scenario's options: each synopsis,
    /// then its help indented, wrapped within 80 columns.
    public static var helpText: String {
        all.map { kind, option in
            var lines = ["  " + option.synopsis], line = "       "
            for word in "\(kind): \(option.help)".split(separator: " ") {
                if line.count + word.count >= 76 { lines.append(line); line = "       " }
                line += " " + word
            }
            return (lines + [line]).joined(separator: "\n")
        }.joined(separator: "\n")
    }
}

extension ScenarioOption {
    /// One of a type's spellings, or a message listing them.
    public static func choice<T: RawRepresentable & CaseIterable>(_ text: String, for option: String) throws(ScenarioOptionError) -> T
        where T.RawValue == String
    {
        if let value = T(rawValue: text) { return value }
        let names = T.allCases.map { "'\($0.rawValue)'" }
        let list = names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + names.last! : names.joined()
        throw ScenarioOptionError("The value '\(shown(text))' is invalid for '\(option)'. Please provide one of \(list).")
    }

    /// A CPU list (`0,2`, `0-3`).
    public static func cpuList(_ text: String, for option: String) throws(ScenarioOptionError) -> [Int] {
        do { return try CPUListText.parse(text, option: flag(option)) } catch {
            throw ScenarioOptionError("The value '\(shown(text))' is invalid for '\(option)': "
                + error.description.replacingOccurrences(of: text, with: shown(text)))
        }
    }

    /// A duration in ns, at most an hour.
    public static func nanoseconds(_ text: String, for option: String) throws(ScenarioOptionError) -> UInt64 {
        do { return try DurationText.nanoseconds(text, option: flag(option)) } catch {
            throw ScenarioOptionError("The value '\(shown(text))' is invalid for '\(option)': "
                + error.description.replacingOccurrences(of: text, with: shown(text)))
        }
    }

    /// A value as an error shows it: control characters escaped, so the
    /// message stays on the one line the CLI prints.
    static func shown(_ text: String) -> String {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control } ? String(text.debugDescription.dropFirst().dropLast()) : text
    }

    /// `--cpus` of `--cpus <list>`.
    private static func flag(_ option: String) -> String { String(option.prefix { $0 != " " }) }
}

/// A comma-separated CPU list as people type it (`0,2,4` or `0-3`).
public enum CPUListText {
    /// CPU numbers a list may name: the size of the kernel's `cpu_set_t`
    /// (CPU_SETSIZE), which the pinning code uses.
    public static let maxCPUNumber = 1024

    /// The CPUs, or a message (naming `option`) saying what is accepted.
    public static func parse(_ text: String, option: String) throws(ScenarioOptionError) -> [Int] {
        var cpus: [Int] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1 ... 2).contains(bounds.count), let lo = Int(bounds[0]), let hi = Int(bounds.last!), lo >= 0, hi >= lo else {
                throw ScenarioOptionError("\(option) '\(text)' is not a CPU list: give e.g. 0,2 or 0-3")
            }
            guard hi < maxCPUNumber else { throw ScenarioOptionError("\(option) '\(text)': CPU numbers are below \(maxCPUNumber)") }
            cpus += Array(lo ... hi)
        }
        guard !cpus.isEmpty else { throw ScenarioOptionError("\(option) is empty: give e.g. 0,2 or 0-3") }
        return cpus
    }
}
