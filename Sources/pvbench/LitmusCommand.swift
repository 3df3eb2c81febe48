import ArgumentParser
import Foundation
import PVHost
import PVResults
import PVExperiments

struct LitmusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "litmus",
        abstract: "Run the classic litmus shapes on pinned threads: what ARMv8, x86-TSO and SC allow beside what this machine did.",
        discussion: """
            Tests (herd7's names of the AArch64 shapes): \(LitmusShape.catalogue.map(\.name).joined(separator: ", ")); \
            or all. Each is checked by pvbench's model checker under ARMv8, x86-TSO and SC, then run on this machine \
            with C11 atomics (clang -O2) — which is another program on x86 (named: 'ran as MP on x86_64'); its own x86-TSO \
            verdict is what the hardware may show. Output per test: the three verdicts, the program that ran, a \
            litmus7-style histogram ('*>' marks the outcome asked about) and `Observation <test> Never|Sometimes|Always \
            <yes> <no>`. Tests needing more CPUs than this machine has are not run on hardware (said so). Exit status 1 \
            when an outcome the ran program's model forbids was seen.
            """)

    @Argument(help: ArgumentHelp("A test name (see below) or all.", valueName: "shape"))
    var shape: String = "all"

    @Option(help: "Instances per test (rounded up to whole batches of 1000).")
    var iterations: UInt64 = 1_000_000

    /// Default: as far apart as this machine allows.
    @OptionGroup var relation: RelationOption

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if shape.lowercased() != "all", LitmusShape.named(shape) == nil {
            throw ValidationError("unknown litmus shape '\(shape)'; valid: \(LitmusShape.catalogue.map(\.name).joined(separator: ", ")), all")
        }
        guard iterations >= 1, iterations <= 1_000_000_000_000 else {
            throw ValidationError("--iterations must be 1 ... 1000000000000, got \(iterations)")
        }
        try relation.requireParallel("cannot show hardware reordering: the two threads need CPUs of their own")
    }

    struct Report: Encodable {
        let architecture: String
        let tests: [LitmusResult]
    }

    func run() throws {
        let shapes = shape.lowercased() == "all" ? LitmusShape.catalogue : [LitmusShape.named(shape)!]
        if iterations < 100_000 {
            FileHandle.standardError.write(Data("pvbench: warning: --iterations \(iterations) is few: rare reorderings may not show up\n".utf8))
        }
        let topology: Topology
        do { topology = try Topology.live() } catch { throw RuntimeError(commandLineMessage(error)) }
        var runners: [Int: Result<LitmusRunner, Error>] = [:]
        func runner(_ threads: Int) -> Result<LitmusRunner, Error> {
            if let r = runners[threads] { return r }
            let r = Result {
                try LitmusRunner(placement: PlacementPlanner.plan(
                    PlacementRequest(writers: 1, readers: threads - 1, relation: relation.relation ?? .farthest), on: topology))
            }
            runners[threads] = r
            return r
        }
        let progress = ProgressLine()
        var results: [LitmusResult] = []
        for s in shapes {
            let expectation: LitmusExpectation
            do { expectation = try LitmusExpectation(s) } catch { throw RuntimeError("\(s): \(error)") }
            switch runner(s.threads.count) {
            case let .failure(error):
                if s.threads.count == 2 { throw ValidationError("\(error)") }
                results.append(.notRun(expectation, reason: "needs \(s.threads.count) CPUs of its own; this machine offers \(topology.onlineCPUs.count)"))
            case let .success(r):
                progress.update("litmus \(s): \(iterations) instances on CPUs \(r.cpus.prefix(s.threads.count).map(String.init).joined(separator: ","))")
                do { results.append(try r.run(expectation, iterations: iterations)) } catch {
                    progress.finish()
                    throw RuntimeError("\(s): \(error)")
                }
            }
        }
        progress.finish()
        if json {
            try printJSON(Report(architecture: LitmusRunner.architecture, tests: results))
        } else {
            for r in results { printTest(r) }
            print()
            print(TerminalTable.plain(["test"] + LitmusExpectation.models.map(\.title) + ["ran here as", "its model", "seen", "hardware"], results.map { r in
                [r.name] + r.models.map(\.verdict.rawValue) + [r.ranAs ?? "-", r.hostModel?.verdict.rawValue ?? "-",
                 r.notRun == nil ? "\(r.positive)/\(r.iterations)" : "-", r.verdict]
            }))
        }
        let forbidden = results.filter(\.forbiddenSeen)
        if !forbidden.isEmpty {
            throw RuntimeError("outcomes the model of the program that ran forbids were seen: \(forbidden.map { "\($0.ranAs ?? $0.name) (\($0.positive)x)" }.joined(separator: ", "))")
        }
    }

    func printTest(_ r: LitmusResult) {
        print()
        print(r.program, terminator: "")
        print("Models: " + r.models.map { "\($0.model) \($0.verdict)\($0.reason.map { " (\($0))" } ?? "")" }.joined(separator: ", "))
        if !r.x86Mapping.isEmpty { print("  (x86-tso: the AArch64 test mapped: \(r.x86Mapping.joined(separator: "; ")))") }
        print(r.note)
        if let reason = r.notRun {
            print("Hardware: not run: \(reason)")
            return
        }
        if let text = r.ranAsProgram, text != r.program { print(text, terminator: "") }
        print("Histogram (\(r.histogram.count) states)")
        for (key, count) in r.histogram.sorted(by: { $0.key < $1.key }) {
            let marked = key == r.asked
            print("\(String(count).leftPadded(to: 9)) \(marked ? "*>" : ":>")\(key)")
        }
        print(r.observation)
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
