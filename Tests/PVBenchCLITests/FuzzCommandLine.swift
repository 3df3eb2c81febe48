import Foundation

/// The command line as `pvbench --experimental-dump-help` describes it: every
/// subcommand with every option, flag and positional, so the fuzz tests cover
/// options added later without being told.
struct FuzzCommandLine {
    struct Argument {
        enum Kind: String { case option, flag, positional }
        let kind: Kind
        /// Long name for options and flags (`vcpus`), value name for positionals.
        let name: String
        let isRepeating: Bool
        var key: String { kind == .positional ? "<\(name)>" : "--\(name)" }
    }

    struct Command {
        let name: String
        let arguments: [Argument]
    }

    let commands: [Command]

    /// Reads the tree from the built binary. `help` is ArgumentParser's own
    /// and is left out.
    static func load() throws -> FuzzCommandLine {
        let r = try SpawnedPVBench.run([Array("--experimental-dump-help".utf8)], timeout: 30)
        guard r.status == 0, let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
              let root = json["command"] as? [String: Any] else {
            throw FuzzSetupError("pvbench --experimental-dump-help failed: \(r)")
        }
        let subcommands = (root["subcommands"] as? [[String: Any]]) ?? []
        return FuzzCommandLine(commands: subcommands.compactMap { c -> Command? in
            guard let name = c["commandName"] as? String, name != "help" else { return nil }
            let args = ((c["arguments"] as? [[String: Any]]) ?? []).compactMap { a -> Argument? in
                guard let kindText = a["kind"] as? String, let kind = Argument.Kind(rawValue: kindText) else { return nil }
                let long = ((a["names"] as? [[String: Any]]) ?? []).first { ($0["kind"] as? String) == "long" }?["name"] as? String
                let argName = kind == .positional ? a["valueName"] as? String : long
                guard let argName, argName != "help", argName != "version" else { return nil }
                return Argument(kind: kind, name: argName, isRepeating: a["isRepeating"] as? Bool ?? false)
            }
            return Command(name: name, arguments: args)
        })
    }
}

struct FuzzSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Per subcommand: arguments that make a valid, quick invocation, and the kind
/// of every option the catalogue knows. A fuzz case replaces one entry of the
/// base with a hostile value, so a refusal can only come from that value.
struct FuzzPlan {
    /// One base entry: the argument it sets (`--duration`, `<shape>`) and its words.
    struct Entry { let key: String; let words: [String] }

    let scratch: String
    let resultFile: String

    func base(_ command: String) -> [Entry] {
        switch command {
        case "hypercall": [Entry(key: "<function-id>", words: ["0x80000000"])]
        case "topology": [Entry(key: "--plan", words: ["--plan"])]
        case "validate": [Entry(key: "--strategy", words: ["--strategy", "relaxed"]),
                          Entry(key: "--record", words: ["--record", "preempted"]),
                          Entry(key: "--mode", words: ["--mode", "spec"]),
                          Entry(key: "--reads", words: ["--reads", "1000"])]
        case "litmus": [Entry(key: "<shape>", words: ["SB"]),
                        Entry(key: "--iterations", words: ["--iterations", "1000"])]
        case "report": [Entry(key: "<file>", words: [resultFile]),
                        Entry(key: "--output", words: ["--output", "\(scratch)/report-\(UUID().uuidString)"])]
        case "compare": [Entry(key: "<file>", words: [resultFile, resultFile])]
        case "model": [Entry(key: "<file.litmus>", words: [Self.shippedLitmus("AArch64/MP.litmus")])]
        case "run": [Entry(key: "--scenario", words: ["--scenario", "steal-clock"]),
                     Entry(key: "--duration", words: ["--duration", "10ms"]),
                     Entry(key: "--warmup", words: ["--warmup", "0"]),
                     Entry(key: "--repetitions", words: ["--repetitions", "1"])]
        default: []
        }
    }

    /// A litmus test shipped in `litmus/`.
    static func shippedLitmus(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("litmus").appendingPathComponent(name).path
    }

    /// Base entries that must go when `key` is fuzzed (they exclude each other).
    static func displaced(by key: String, in command: String) -> Set<String> {
        switch (command, key) {
        case ("run", "--suite"): ["--scenario"]
        case ("validate", "--duration"): ["--reads"]
        case ("topology", "--capture"): ["--plan"]
        default: [key]
        }
    }

    /// Base entries a fuzzed option needs besides the base (its scenario).
    static func companions(of key: String, in command: String) -> [String] {
        switch (command, key) {
        case ("run", "--run-duration"), ("run", "--preempted-duration"): ["--scenario", "preempt-poll"]
        case ("validate", "--cost-rounds"): ["--c", CStrategyFiles.example("read_once")]
        default: []
        }
    }

    static let kinds: [String: FuzzValueKind] = [
        "hypercall <function-id>": .hex, "hypercall <args>": .hex, "hypercall --vcpu": .count,
        "hypercall --vcpus": .count, "hypercall --disable": .name,
        "probe --vcpus": .count, "probe --disable": .name,
        "topology --sysfs-root": .inputDirectory, "topology --capture": .outputDirectory,
        "topology --writers": .count, "topology --readers": .count, "topology --relation": .name,
        "topology --memory": .memoryPolicy, "topology --writer-cpus": .cpuList, "topology --reader-cpus": .cpuList,
        "validate --strategy": .name, "validate --record": .name, "validate --mode": .name,
        "validate --duration": .seconds, "validate --reads": .count, "validate --readers": .count,
        "validate --placement": .name, "validate --memory": .memoryPolicy, "validate --model": .name,
        "validate --emit-litmus": .outputDirectory, "validate --c": .inputFile, "validate --cost-rounds": .count,
        "litmus <shape>": .name, "litmus --iterations": .count, "litmus --placement": .name,
        "report <file>": .inputFile, "report --output": .outputDirectory,
        "compare <file>": .inputFile, "compare --baseline": .name, "compare --figure": .name,
        "model <file.litmus>": .inputFile, "model --model": .name,
        "run --suite": .name, "run --scenario": .name, "run --strategy": .name, "run --layout": .name,
        "run --impl": .name, "run --vcpus": .count, "run --readers": .count, "run --writers": .count,
        "run --placement": .name, "run --memory": .memoryPolicy,
        "run --writer-cpus": .cpuList, "run --reader-cpus": .cpuList,
        "run --writer-cp-us": .cpuList, "run --reader-cp-us": .cpuList,
        "run --duration": .time, "run --warmup": .time, "run --repetitions": .count,
        "run --update-interval": .time, "run --run-duration": .time, "run --preempted-duration": .time,
        "run --json": .outputFile, "run --csv": .outputFile, "run --c": .inputFile,
    ]

    /// Values that are legitimately accepted by one option although its kind
    /// usually refuses them.
    static let accepted: [String: Set<String>] = [
        "hypercall --vcpu": ["0"],              // vCPU 0 exists
        "topology --writers": ["0"],            // readers only is a plan
        "topology --readers": ["0"],
        "validate --cost-rounds": ["0"],        // no cost measured
    ]
}
