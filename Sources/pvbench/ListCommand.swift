import ArgumentParser
import PVRuntime
import PVExperiments
import PVResults

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the scenarios, strategies, layouts and suites `pvbench run` knows.")

    @OptionGroup var output: TablesOrJSON

    @Flag(help: "Only the strategy table: per strategy × record its accesses, C11/LKMM equivalent, x86-64 and arm64 instructions, torn verdict per model.")
    var strategies = false

    @Flag(help: "With --strategies: the table as GitHub markdown (as docs/strategies.md holds it).")
    var markdown = false

    func validate() throws {
        if markdown, !strategies { throw ValidationError("--markdown applies to --strategies: give both") }
        if output.json, strategies { throw ValidationError("--strategies prints a table: give it without --json") }
    }

    struct Figure: Encodable { let key: String; let unit: String; let better: String }
    struct Scenario: Encodable {
        let name: String; let record: String?; let strategies: [String]; let cKernels: [String]; let summary: String
        /// The figures the scenario is judged by, each with its unit and which way is better.
        let figures: [Figure]
        /// The key `compare` judges its cases by when not told (`--figure headline`).
        let headline: String
    }
    struct Strategy: Encodable { let name: String; let claimsSafety: Bool; let records: [String]; let equivalent: String; let summary: String }
    struct Layout: Encodable { let name: String; let stolenTimeStride: Int; let flagStride: Int; let summary: String }
    struct SuiteInfo: Encodable { let name: String; let cases: Int; let summary: String }
    struct Listing: Encodable { let scenarios: [Scenario]; let strategies: [Strategy]; let layouts: [Layout]; let suites: [SuiteInfo] }

    static var listing: Listing {
        Listing(
            scenarios: ScenarioKind.allCases.map { s in
                Scenario(name: s.rawValue, record: s.target?.rawValue, strategies: s.strategies.map(\.rawValue),
                         cKernels: s.type.cKernelStrategies.map(\.rawValue), summary: s.summary,
                         figures: [s.figures.rate, s.figures.cost, s.figures.costP99, s.figures.latencyP50, s.figures.latencyP99]
                             .compactMap { $0 }.map { Figure(key: $0.key, unit: $0.unitLabel, better: $0.better.rawValue) },
                         headline: s.figures.headline.key)
            },
            strategies: StrategyKind.allCases.map {
                Strategy(name: $0.rawValue, claimsSafety: $0.claimsSafety, records: $0.targets.map(\.rawValue),
                         equivalent: $0.equivalent, summary: $0.summary)
            },
            layouts: VCPULayout.allCases.map {
                Layout(name: $0.rawValue, stolenTimeStride: $0.stride(for: .stolenTime), flagStride: $0.stride(for: .preempted),
                       summary: $0.summary)
            },
            suites: Suite.allCases.map {
                SuiteInfo(name: $0.rawValue, cases: $0.cases(base: RunSettings(scenario: .default)).count, summary: $0.summary)
            })
    }

    func run() throws {
        if strategies {
            let t = Self.strategyTable
            return print(markdown ? Self.markdown(t.header, t.rows) : TerminalTable.plain(t.header, t.rows))
        }
        let l = Self.listing
        if output.json { return try printJSON(l) }
        print("scenarios:")
        print(TerminalTable.plain(["  name", "record", "strategies (C kernel*)", "what"], l.scenarios.map { s in
            ["  " + s.name, s.record ?? "-",
             s.strategies.map { s.cKernels.contains($0) ? $0 + "*" : $0 }.joined(separator: ","), s.summary]
        }))
        print("\nstrategies:")
        print(TerminalTable.plain(["  name", "safe", "records", "what"], l.strategies.map {
            ["  " + $0.name, $0.claimsSafety ? "yes" : "NO", $0.records.joined(separator: ","), $0.summary]
        }))
        print("\nlayouts:")
        print(TerminalTable.plain(["  name", "record stride", "flag stride", "what"], l.layouts.map {
            ["  " + $0.name, "\($0.stolenTimeStride)", "\($0.flagStride)", $0.summary]
        }))
        print("\nsuites:")
        print(TerminalTable.plain(["  name", "cases", "what"], l.suites.map { ["  " + $0.name, "\($0.cases)", $0.summary] }))
    }
}
