import PVModel

/// The Téléchat check for one C test: the final states the compiled
/// program allows against those the source allows. The source's verdict
/// is LKMM's (`lkmm(_:)`, the C test as herd7 -conf linux-kernel.cfg
/// reads it); the kernel's own mapping of each primitive under the
/// target's architecture model (`source(_:arm64:)`) is kept for
/// comparison. States are compared over the C test's observables
/// (condition, then `locations`).
public enum CompiledComparison {
    /// What a test's observables read, in the order compared.
    public static func observables(_ test: CLitmusTest) -> [CObservable] {
        let c = test.condition.proposition.observables
        return c + test.locations.filter { !c.contains($0) }
    }

    /// The final states of `r` over `names`, as herd7 prints the values.
    static func states(_ r: CheckResult, _ names: [CObservable], _ atom: (CObservable) -> Observable?) -> Set<[String]> {
        Set(r.states.map { project(r, $0, names, atom) })
    }

    /// One final state of `r` over `names`.
    static func project(_ r: CheckResult, _ s: FinalState, _ names: [CObservable], _ atom: (CObservable) -> Observable?) -> [String] {
        names.enumerated().map { k, o in
            atom(o).flatMap { r.observed.firstIndex(of: $0) }.map { HerdReport.value(r.program, r.observed[$0], s.values[$0]) } ?? "?\(k)"
        }
    }

    /// The kernel mapping for the target's architecture, checked (the source side before LKMM).
    public struct Source: Sendable {
        public var label: String
        public var result: CheckResult
        public var states: Set<[String]>
        /// The cat file's flags some allowed source execution raises (LKMM: `data-race`, …).
        public var flags: [String] { result.flags }
    }

    /// The source side: the C test under LKMM. Throws `ModelError` where LKMM
    /// does not decide it (locks, SRCU, `filter`, …): then nothing is compared.
    public static func lkmm(_ test: CLitmusTest, options: CheckOptions = CheckOptions()) throws -> Source {
        let p = try LKMMLowering.program(test)
        let r = try ModelChecker.check(p, model: .lkmm, options: options)
        let s = states(r, observables(test)) { o in
            switch o {
            case let .local(t, n): return p.lkmmThreads[t].registerNames.firstIndex(of: n).map { .register(thread: t, register: $0) }
            case let .global(n, e): return .memory(location: n, element: e)
            }
        }
        return Source(label: "LKMM", result: r, states: s)
    }

    public static func source(_ test: CLitmusTest, arm64: Bool, options: CheckOptions = CheckOptions()) throws -> Source {
        let model: ModelKind = arm64 ? .armv8 : .x86TSO
        let mapped = try KernelMapping.program(test, target: arm64 ? .arm64 : .x86_64)
        let r = try ModelChecker.check(mapped.program, model: model, options: options)
        let s = states(r, observables(test)) { o in
            switch o {
            case let .local(t, n): return mapped.registers[t][n].map { .register(thread: t, register: $0) }
            case let .global(n, e): return .memory(location: n, element: e)
            }
        }
        return Source(label: "kernel mapping under \(model.rawValue)", result: r, states: s)
    }

    /// One target's answer.
    public enum Outcome: Sendable {
        /// Not compiled, not lifted or not decided, with the reason (the instruction and its address when lifting refused).
        case refused(String)
        case decided(Decided)
    }

    public struct Decided: Sendable {
        public var compiled: CompileRunner.Compiled
        public var result: CheckResult
        public var states: Set<[String]>
        /// States the compiled code allows that the source forbids (a finding), sorted.
        public var extra: [[String]]
        /// How many source states the compiled code does not reach (normal).
        public var missing: Int
        /// For the first of `extra`: the compiled program's execution that
        /// reaches it (its events, reads-from and coherence, as `CheckResult.witnesses`).
        public var witness: [String] = []
    }

    /// Compiles, lifts and checks `test` for `target`; `source` as `lkmm(_:)` (or `source(_:arm64:)`) gives it (nil: not compared).
    public static func check(_ test: CLitmusTest, target: CompileTarget, source: Source?, options: CheckOptions = CheckOptions(),
                             emit: ((CompileRunner.Compiled, _ decided: Bool) throws -> Void)? = nil) throws -> Outcome {
        let compiled: CompileRunner.Compiled
        do { compiled = try CompileRunner.compile(test, target: target) } catch let e as CompileRunner.Failed {
            return .refused(e.description)
        } catch let e as ModelError { return .refused("\(e)") }
        let program: Program
        do { program = try LitmusParser.parse(compiled.lifted.text) } catch let e as LitmusError {
            try emit?(compiled, false)
            return .refused(origin(e, compiled.lifted))
        }
        let model: ModelKind = target.arch.isArm64 ? .armv8 : .x86TSO
        let r: CheckResult
        var withWitnesses = options
        withWitnesses.witnesses = source != nil
        do { r = try ModelChecker.check(program, model: model, options: withWitnesses) } catch let e as ModelError {
            try emit?(compiled, false)
            return .refused("undecided under \(model.rawValue): \(e)")
        }
        try emit?(compiled, true)
        let atom: (CObservable) -> Observable? = { o in
            switch o {
            case .local: return compiled.source.results[o].map { .memory(location: $0, element: nil) }
            case let .global(n, e): return .memory(location: n, element: e)
            }
        }
        let s = states(r, observables(test), atom)
        let extra = source.map { s.subtracting($0.states).sorted { $0.lexicographicallyPrecedes($1) } } ?? []
        var d = Decided(compiled: compiled, result: r, states: s, extra: extra, missing: source.map { $0.states.subtracting(s).count } ?? 0)
        if let first = extra.first {
            // The first final state whose observables read as the witness, and its execution.
            let state = r.states.first { project(r, $0, observables(test), atom) == first }
            d.witness = state.flatMap { r.witnesses[$0] } ?? []
        }
        return .decided(d)
    }

    /// A state as `0:r0=1; x=2;`.
    public static func render(_ names: [CObservable], _ s: [String]) -> String {
        zip(names, s).map { o, v in
            switch o {
            case let .local(t, n): return "\(t):\(n)=\(v);"
            case let .global(n, e): return "\(n)\(e.map { "[\($0)]" } ?? "")=\(v);"
            }
        }.joined(separator: " ")
    }

    /// The lifted text's parse error, named by the instruction it came from.
    static func origin(_ e: LitmusError, _ lifted: LiftedTest) -> String {
        let lines = lifted.text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.firstIndex(where: { $0.hasPrefix(" P0 ") }) else { return "\(e.message) at '\(e.token)'" }
        let row = e.line - 1 - header - 1
        let candidates = lifted.origins.enumerated().compactMap { t, o in row >= 0 && row < o.count ? (t, o[row]) : nil }
        let hit = candidates.first { $0.1.text.lowercased().hasPrefix(e.token.lowercased()) } ?? candidates.first
        guard let (t, o) = hit else { return "\(e.message) at '\(e.token)'" }
        return "P\(t) at 0x\(o.address): '\(o.text)': \(e.message)"
    }
}
