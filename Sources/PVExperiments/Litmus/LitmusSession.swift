import PVHost
import PVResults

/// `pvbench litmus`: each shape checked under the models, then run on CPUs
/// of this machine, and the results as text. The command adds only its flags.
public enum LitmusSession {
    /// Why a session stopped before its last test.
    public enum Failure: Error {
        /// This machine's topology could not be read.
        case topology(any Error)
        /// No placement for a two-thread test: the request cannot be met here.
        case placement(any Error)
        /// A test could not be checked or run: "<test>: <why>".
        case test(String)
    }

    /// Runs `shapes` in order, `iterations` instances each, on CPUs placed by
    /// `relation`. A test needing more CPUs than the machine offers is
    /// reported as not run, with the reason.
    public static func run(_ shapes: [LitmusShape], iterations: UInt64, relation: PlacementRelation,
                           progress: (String) -> Void) throws(Failure) -> [LitmusResult] {
        let topology: Topology
        do { topology = try Topology.live() } catch { throw .topology(error) }
        var runners: [Int: Result<LitmusRunner, any Error>] = [:]
        func runner(_ threads: Int) -> Result<LitmusRunner, any Error> {
            if let r = runners[threads] { return r }
            let r = Result<LitmusRunner, any Error> {
                try LitmusRunner(placement: PlacementPlanner.plan(
                    PlacementRequest(writers: 1, readers: threads - 1, relation: relation), on: topology))
            }
            runners[threads] = r
            return r
        }
        var results: [LitmusResult] = []
        for s in shapes {
            let expectation: LitmusExpectation
            do { expectation = try LitmusExpectation(s) } catch { throw .test("\(s): \(error)") }
            switch runner(s.threads.count) {
            case let .failure(error):
                if s.threads.count == 2 { throw .placement(error) }
                results.append(.notRun(expectation, reason: "needs \(s.threads.count) CPUs of its own; this machine offers \(topology.onlineCPUs.count)"))
            case let .success(r):
                progress("litmus \(s): \(iterations) instances on CPUs \(r.cpus.prefix(s.threads.count).map(String.init).joined(separator: ","))")
                do { results.append(try r.run(expectation, iterations: iterations)) } catch { throw .test("\(s): \(error)") }
            }
        }
        return results
    }

    /// Each test (program, model verdicts, litmus7-style histogram,
    /// Observation line), then a table of all of them.
    public static func text(_ results: [LitmusResult]) -> String {
        var out = results.map(testText).joined()
        out += "\n"
        out += TerminalTable.plain(["test"] + LitmusExpectation.models.map(\.title) + ["ran here as", "its model", "seen", "hardware"], results.map { r in
            [r.name] + r.models.map(\.verdict.rawValue) + [r.ranAs ?? "-", r.hostModel?.verdict.rawValue ?? "-",
             r.notRun == nil ? "\(r.positive)/\(r.iterations)" : "-", r.verdict]
        }) + "\n"
        return out
    }

    /// What a test saw, as the command prints it before the table.
    static func testText(_ r: LitmusResult) -> String {
        var out = "\n" + r.program
        out += "Models: " + r.models.map { "\($0.model) \($0.verdict)\($0.reason.map { " (\($0))" } ?? "")" }.joined(separator: ", ") + "\n"
        if !r.x86Mapping.isEmpty { out += "  (x86-tso: the AArch64 test mapped: \(r.x86Mapping.joined(separator: "; ")))\n" }
        out += r.note + "\n"
        if let reason = r.notRun { return out + "Hardware: not run: \(reason)\n" }
        if let text = r.ranAsProgram, text != r.program { out += text }
        out += "Histogram (\(r.histogram.count) states)\n"
        for (key, count) in r.histogram.sorted(by: { $0.key < $1.key }) {
            let padded = String(repeating: " ", count: max(0, 9 - String(count).count)) + String(count)
            out += "\(padded) \(key == r.asked ? "*>" : ":>")\(key)\n"
        }
        return out + r.observation + "\n"
    }

    /// The error when the machine did what the ran program's model forbids; nil otherwise.
    public static func forbiddenOutcomes(_ results: [LitmusResult]) -> String? {
        let forbidden = results.filter(\.forbiddenSeen)
        guard !forbidden.isEmpty else { return nil }
        return "outcomes the model of the program that ran forbids were seen: \(forbidden.map { "\($0.ranAs ?? $0.name) (\($0.positive)x)" }.joined(separator: ", "))"
    }
}
