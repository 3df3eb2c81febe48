import PVModel

/// `pvbench model` without the command line: each test under each model,
/// decided as herd7 decides it, each outcome given as soon as it is known.
public enum ModelSession {
    /// One test as the checker runs it under one model.
    public struct Job: Sendable {
        public var file: String
        public var program: Program
        /// nil: the test's own architecture's model.
        public var model: ModelKind?
        /// A C test under armv8 / x86-tso: the kernel mapping's notes, and the mapped program as herd7 reads it.
        public var kernelNotes: [String]?
        public var mapped: String?
    }

    /// How many checks were asked and how many were not decided.
    public struct Summary: Sendable, Equatable {
        public var total: Int
        public var failed: Int
        /// Files that could not be read or parsed (the others were still decided).
        public var inputErrors: [ModelInputError] = []
        /// The run-time failure to report, or nil when every check was decided.
        public var undecided: String? { failed == 0 ? nil : "\(failed) of \(total) checks not decided" }
    }

    /// Reads the request's files and decides every test under every model
    /// (not `compile`: see ``compiled(_:say:)``). A file it cannot read or
    /// parse is in the summary's `inputErrors`, the other files still decided;
    /// a test it cannot decide is a failed outcome.
    public static func run(_ request: ModelRequest, each: (ModelOutcome) -> Void) throws -> Summary {
        let inputs = try request.inputs()
        let models: [ModelKind?] = request.models.isEmpty ? [nil] : request.models
        var summary = Summary(total: (inputs.programs.count + inputs.cTests.count) * models.count, failed: 0,
                              inputErrors: inputs.errors)
        func give(_ outcome: ModelOutcome) {
            if case .failed = outcome { summary.failed += 1 }
            each(outcome)
        }
        let (jobs, refused) = jobs(inputs, models: models)
        refused.forEach(give)
        for job in jobs { give(try check(job, options: request.options)) }
        return summary
    }

    /// Every program under every model, and every C test lowered through
    /// linux-kernel.def (lkmm, sc: docs/lkmm.md) or mapped to the kernel's
    /// instructions (armv8, x86-tso); a C test that cannot be is refused.
    public static func jobs(_ inputs: ModelInputs, models: [ModelKind?]) -> (jobs: [Job], refused: [ModelOutcome]) {
        var jobs = inputs.programs.flatMap { f, p in models.map { Job(file: f, program: p, model: $0) } }
        var refused: [ModelOutcome] = []
        for (f, t) in inputs.cTests {
            for m in models {
                do {
                    if m == nil || m == .lkmm || m == .sc {
                        jobs.append(Job(file: f, program: try LKMMLowering.program(t), model: m))
                        continue
                    }
                    let mapped = try KernelMapping.program(t, target: try kernelTarget(m))
                    let (p, notes) = (mapped.program, mapped.notes)
                    let text = p.architecture == .aarch64 ? try AArch64Litmus.write(p, notes: notes) : try X86Litmus.write(p, notes: notes)
                    // The answer is the printed program's, read back: what herd7 is given is what is answered.
                    jobs.append(Job(file: f, program: try LitmusParser.parse(text), model: m, kernelNotes: notes, mapped: text))
                } catch {
                    refused.append(.failed(file: f, test: t.name, model: m, reason: "\(error)"))
                }
            }
        }
        return (jobs, refused)
    }

    /// A C test runs under armv8 / x86-tso as the kernel compiles it for arm64 / x86-64.
    public static func kernelTarget(_ m: ModelKind?) throws -> KernelMapping.Target {
        switch m {
        case .armv8?: return .arm64
        case .x86TSO?: return .x86_64
        default: throw ModelError.notModelled("a C test under \(m?.rawValue ?? "its default model (lkmm)") as compiled code; armv8 and x86-tso have the kernel's arm64 and x86-64 instructions")
        }
    }

    /// One job decided, or failed with the checker's reason (not modelled, too large).
    public static func check(_ job: Job, options: CheckOptions) throws -> ModelOutcome {
        do {
            var r = try ModelChecker.check(job.program, model: job.model, options: options)
            let x86 = r.mapping
            if let notes = job.kernelNotes { r.mapping = notes }
            return .answered(ModelAnswered(file: job.file, result: r, x86Mapping: x86, mapped: job.mapped))
        } catch let e as ModelError {
            return .failed(file: job.file, test: job.program.name, model: job.model, reason: "\(e)")
        }
    }
}
