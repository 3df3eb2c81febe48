import ArgumentParser
import Foundation
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
        let progress = ProgressLine()
        let results: [LitmusResult]
        do throws(LitmusSession.Failure) {
            defer { progress.finish() }
            results = try LitmusSession.run(shapes, iterations: iterations, relation: relation.relation ?? .farthest, progress: progress.update)
        } catch {
            switch error {
            case let .topology(e): throw RuntimeError(commandLineMessage(e))
            case let .placement(e): throw ValidationError("\(e)")
            case let .test(why): throw RuntimeError(why)
            }
        }
        if json {
            try printJSON(Report(architecture: LitmusRunner.architecture, tests: results))
        } else {
            print(LitmusSession.text(results), terminator: "")
        }
        if let forbidden = LitmusSession.forbiddenOutcomes(results) { throw RuntimeError(forbidden) }
    }
}
