import Testing
import PVHost
import PVResults
import PVRuntime
@testable import PVExperiments

/// A scenario that lives only in this file: steal-clock's reads with a
/// parameter of its own (`--jitter`, checked and in the case name) and a
/// plot of its own. It shows what a new scenario takes: this type, and the
/// one registration line in ``registry``.
enum JitterScenario: Scenario {
    struct Parameters: ScenarioParameters {
        /// ns the guest may be late to read.
        var jitter: UInt64 = 0
        init() {}
    }

    static let kind = ScenarioKind(registering: "jitter", JitterScenario.self)
    static let summary = "steal-clock's reads, late by up to --jitter"
    static let records: [SharedRecordKind] = [.stolenTime]
    static let figures = HeadlineFigures(rate: .rate("reads"))
    static let options = [
        ScenarioOption.value("jitter", Parameters.self, valueName: "time", help: "how late the guest may read (default 0).") {
            $1.jitter = try ScenarioOption.nanoseconds($0, for: "--jitter <time>")
        },
    ]
    static let plots = [PlotSpec(name: "jitter-vcpus", title: "jitter: reads vs vCPUs", x: .vcpus, xlabel: "vCPUs")]

    static func validate(_ s: RunSettings) throws(RunSettingsError) {
        try validateStrategyCase(s)
        guard parameters(s).jitter <= 1_000_000 else {
            throw .outOfRange(RunSettings.Field(rawValue: "jitter"), got: RunSettings.intervalText(parameters(s).jitter), valid: "0 ... 1ms")
        }
    }

    static func name(of s: RunSettings) -> String {
        "\(kind)/\(s.strategy)/\(s.layout)/vcpus:\(s.vcpus)/jitter:\(RunSettings.intervalText(parameters(s).jitter))"
    }

    static func run(_ settings: RunSettings, placement: Placement, on runner: ScenarioRunner) throws -> CaseResult {
        try StealClockScenario.run(settings, placement: placement, on: runner)
    }

    /// The registry line.
    static let registry: [any Scenario.Type] = ScenarioRegistry.all + [JitterScenario.self]
}

@Suite("A scenario owns its parameters, options, checks and plots")
struct OwnScenarioTests {
    @Test("its option is read into its parameters, checked, and named; unknown to the registry it is not in")
    func option() throws {
        var settings = RunSettings(scenario: JitterScenario.kind)
        try ScenarioOption.parse(["--jitter", "5us"], scenarios: JitterScenario.registry, chosen: JitterScenario.kind,
                                 into: &settings.parameters)
        #expect(JitterScenario.parameters(settings).jitter == 5_000)
        #expect(settings.name == "jitter/relaxed/cacheline/vcpus:1/jitter:5us")
        try settings.validate()

        try ScenarioOption.parse(["--jitter=2ms"], scenarios: JitterScenario.registry, chosen: nil, into: &settings.parameters)
        #expect(throws: RunSettingsError.outOfRange(RunSettings.Field(rawValue: "jitter"), got: "2ms", valid: "0 ... 1ms")) {
            try settings.validate()
        }
        #expect(throws: ScenarioOptionError("The value 'soon' is invalid for '--jitter <time>': --jitter 'soon' is not a duration: give a number with a unit (ns, us, ms, s, m, h), e.g. 2s or 500ms")) {
            try ScenarioOption.parse(["--jitter", "soon"], scenarios: JitterScenario.registry, chosen: nil, into: &settings.parameters)
        }
        // pvbench's own registry does not know it.
        #expect(throws: ScenarioOptionError("Unknown option '--jitter'.")) {
            try ScenarioOption.parse(["--jitter", "5us"], chosen: nil, into: &settings.parameters)
        }
    }

    @Test("its plot is drawn from its rows by the report, which knows it only from the declaration")
    func plot() throws {
        var entries: [BenchmarkEntry] = []
        for vcpus in [1, 4, 16] {
            entries += ReportFixtures.runs("jitter/relaxed/cacheline/vcpus:\(vcpus)/jitter:5us", scenario: "jitter",
                                           strategy: "relaxed", layout: "cacheline") { i in
                ["reads_per_second": 1e8 / Double(vcpus) + Double(i), "torn_reads": 0]
            }
        }
        let input = ReportInput(path: "j.json", file: ResultFile(context: ResultsTests.sampleContext(), benchmarks: entries))
        let declared = ReportDataset(inputs: [input], plots: [JitterScenario.kind.rawValue: JitterScenario.plots])
        let plot = try #require(ReportPlots.plots(for: declared).first { $0.name == "jitter-vcpus" })
        #expect(plot.script.contains("\n4.0 25000001.0 25000000.0 25000002.0\n"))
        #expect(try #require(plot.data).hasPrefix("series\tvcpus\treads_per_second_median\t"))
        #expect(!ReportPlots.plots(for: ReportDataset(inputs: [input])).contains { $0.name == "jitter-vcpus" })
    }
}

@Suite("pvbench's scenarios' own options and steps")
struct ScenarioOptionTests {
    @Test("overcommit's options set its parameters; c2c's --matrix goes with --scenario c2c only")
    func builtIn() throws {
        var p = ScenarioParameterSet()
        try ScenarioOption.parse(["--workload", "lock", "--pv-sched=both", "--cpus", "0-1", "--slice", "2ms"], chosen: .overcommit, into: &p)
        #expect(p[OvercommitSettings.self] == OvercommitSettings(workload: .lock, hostCPUs: [0, 1], slice: 2_000_000, pvSched: .both))
        #expect(throws: ScenarioOptionError("--matrix goes with --scenario c2c")) {
            try ScenarioOption.parse(["--matrix"], chosen: .stealClock, into: &p)
        }
        #expect(throws: ScenarioOptionError("The value 'nope' is invalid for '--workload <name>'. Please provide one of 'probe', 'lock' or 'steal'.")) {
            try ScenarioOption.parse(["--workload", "nope"], chosen: .overcommit, into: &p)
        }
        #expect(throws: ScenarioOptionError("--matrix is a flag: it takes no value")) {
            try ScenarioOption.parse(["--matrix=yes"], chosen: .c2c, into: &p)
        }
        // A value set to its default equals one never set.
        var a = RunSettings(scenario: .overcommit), b = a
        a.overcommit = OvercommitSettings()
        #expect(a == b)
        b.overcommit.workload = .lock
        #expect(a != b)
    }

    @Test("every scenario option with a value refuses garbage, naming the option on the first line (the line the CLI prints)")
    func garbage() {
        let values = ["", " ", "-1", "abc", "1e400", "NaN", "-inf", "☃", "1\n2", "0x", String(repeating: "9", count: 10_000)]
        var checked = 0
        for (kind, option) in ScenarioOption.all where option.valueName != nil {
            for value in values {
                var p = ScenarioParameterSet()
                do {
                    try ScenarioOption.parse(["--\(option.name)", value], chosen: kind, into: &p)
                    Issue.record("--\(option.name) '\(value.prefix(20))' was accepted")
                } catch {
                    let first = error.description.split(separator: "\n", omittingEmptySubsequences: false)[0]
                    #expect(first.contains("--\(option.name)"), "--\(option.name): \(error.description.prefix(200))")
                    checked += 1
                }
            }
        }
        #expect(checked >= 6 * values.count, "overcommit's six options at least")
    }

    @Test("c2c's --matrix expands to every ordered pair of usable CPUs; overcommit's both to on and off")
    func expand() throws {
        let topology = try TopologyFixtures.load("two-node-smt")
        var c2c = RunSettings(scenario: .c2c)
        #expect(try C2CScenario.expand(c2c, on: topology) == [c2c])
        c2c.parameters[C2CScenario.Parameters.self].matrix = true
        let n = topology.usableCPUs.count
        let pairs = try C2CScenario.expand(c2c, on: topology)
        #expect(pairs.count == n * (n - 1))
        #expect(Set(pairs.map(\.name)).count == pairs.count)

        var oc = RunSettings(scenario: .overcommit)
        oc.overcommit.pvSched = .both
        #expect(OvercommitScenario.expand(oc, on: topology).map(\.overcommit.pvSched) == [.on, .off])
    }
}
