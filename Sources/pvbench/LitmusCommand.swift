import ArgumentParser
import Foundation
import PVHost
import PVResults
import PVExperiments

struct LitmusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "litmus",
        abstract: "Run the classic litmus shapes on two pinned threads and show which reorderings this machine really does.",
        discussion: """
            Shapes: SB (store buffering), MP (message passing), LB (load buffering), 2+2W, or all; each with relaxed, \
            acquire-release and seq-cst accesses. Output per test: a litmus7-style histogram of outcomes ('*>' marks \
            the outcome the test asks about) and `Observation <test> Never|Sometimes|Always <yes> <no>`, then whether \
            this architecture's memory model allows that outcome. Exit status 1 when an outcome the model forbids was seen.
            """)

    @Argument(help: ArgumentHelp("SB, MP, LB, 2+2W or all.", valueName: "shape"))
    var shape: String = "all"

    @Option(name: .customLong("ordering"), help: ArgumentHelp(
        "Ordering (repeatable; default all): \(LitmusOrdering.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var orderings: [String] = []

    @Option(help: "Instances per test (rounded up to whole batches of 1000).")
    var iterations: UInt64 = 1_000_000

    /// Default: as far apart as this machine allows.
    @OptionGroup var relation: RelationOption

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if shape.lowercased() != "all", LitmusShape.named(shape) == nil {
            throw ValidationError("unknown litmus shape '\(shape)'; valid: \(LitmusShape.allCases.map(\.rawValue).joined(separator: ", ")), all")
        }
        for o in orderings where LitmusOrdering(rawValue: o) == nil {
            throw ValidationError("unknown ordering '\(o)'; valid: \(LitmusOrdering.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard iterations >= 1, iterations <= 1_000_000_000_000 else {
            throw ValidationError("--iterations must be 1 ... 1000000000000, got \(iterations)")
        }
        try relation.requireParallel("cannot show hardware reordering: the two threads need CPUs of their own")
    }

    struct Report: Encodable {
        let architecture: String
        let placement: Placement
        let tests: [LitmusResult]
    }

    func run() throws {
        let shapes = shape.lowercased() == "all" ? LitmusShape.allCases : [LitmusShape.named(shape)!]
        let chosen = orderings.isEmpty ? LitmusOrdering.allCases : orderings.compactMap(LitmusOrdering.init(rawValue:))
        if iterations < 100_000 {
            FileHandle.standardError.write(Data("pvbench: warning: --iterations \(iterations) is few: rare reorderings may not show up\n".utf8))
        }
        let plan: Placement
        let runner: LitmusRunner
        do {
            plan = try PlacementPlanner.plan(PlacementRequest(writers: 1, readers: 1, relation: relation.relation ?? .farthest),
                                             on: try Topology.live())
            runner = try LitmusRunner(placement: plan)
        } catch let error as ValidationSetupError {
            throw ValidationError(error.description)
        } catch {
            throw RuntimeError(commandLineMessage(error))
        }
        let progress = ProgressLine()
        var results: [LitmusResult] = []
        for s in shapes {
            for o in chosen {
                progress.update("litmus \(s)+\(o): \(iterations) instances")
                do { results.append(try runner.run(s, o, iterations: iterations)) } catch {
                    progress.finish()
                    throw RuntimeError("\(s)+\(o): \(error)")
                }
            }
        }
        progress.finish()
        if json {
            try printJSON(Report(architecture: LitmusRunner.architecture, placement: plan, tests: results))
        } else {
            print("threads on CPU \(runner.cpus.0) and CPU \(runner.cpus.1) (\(plan.relation)); model: \(modelName)")
            for r in results { printTest(r) }
            print()
            print(formatTable(["test", "program", "exists", "model", "seen", "verdict"], results.map { r in
                [r.name, r.shape.program, r.shape.condition, r.allowed ? "allowed" : "forbidden",
                 "\(r.positive)/\(r.iterations)", r.verdict]
            }))
        }
        let forbidden = results.filter(\.forbiddenSeen)
        if !forbidden.isEmpty {
            throw RuntimeError("outcomes \(modelName) forbids were seen: \(forbidden.map { "\($0.name) (\($0.positive)x)" }.joined(separator: ", "))")
        }
    }

    var modelName: String {
        switch LitmusRunner.architecture {
        case "x86_64": "x86-TSO"
        case "arm64": "ARMv8 (other-multi-copy-atomic)"
        default: "C11"
        }
    }

    func printTest(_ r: LitmusResult) {
        print()
        print("Test \(r.name) \(r.allowed ? "Allowed" : "Forbidden")")
        print("Histogram (\(r.histogram.count) states)")
        for (key, count) in r.histogram.sorted(by: { $0.key < $1.key }) {
            let marked = LitmusResult.outcome(key, satisfies: r.shape)
            print("\(String(count).leftPadded(to: 9)) \(marked ? "*>" : ":>")\(key)")
        }
        print(r.observation)
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
