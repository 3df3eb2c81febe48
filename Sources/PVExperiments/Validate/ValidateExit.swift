/// What a validate report means for the exit status, and the warnings
/// that go with it, in the order they are said.
///
/// 1 when a strategy that claims safety showed a violation in the race,
/// the exchange clear lost a request (here or under a model), or a model
/// the strategy claims allows it to fail. `not modelled` and inconclusive
/// cases are warnings, never a pass or a violation; when strict they give 2.
public struct ValidateExit: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case pass
        /// Exit status 1, with the reason.
        case fail(String)
        /// Exit status 2 (strict only): what was left undecided, or nil when a warning said it.
        case undecided(String?)
    }

    /// Warning lines, in order.
    public var warnings: [String] = []
    public var outcome: Outcome = .pass

    public var status: Int32 {
        switch outcome {
        case .pass: 0
        case .fail: 1
        case .undecided: 2
        }
    }

    public init(_ report: ValidateReport, strict: Bool) {
        let inconclusive = report.inconclusive
        if !inconclusive.isEmpty {
            warnings.append("\(inconclusive.count) case(s) inconclusive (see their reasons): "
                + inconclusive.map(\.validationCase.description).joined(separator: ", "))
        }
        let failed = report.failed
        if !failed.isEmpty {
            let what = failed.map { r in
                "\(r.validationCase) (\(r.firstViolation.map { "\($0.kind) value \($0.observed.hexBytes)" } ?? "violation"))"
            }
            outcome = .fail("a strategy that claims safety showed violations: \(what.joined(separator: "; "))")
            return
        }
        let lost = report.lostUpdates.flatMap(\.failures)
        if !lost.isEmpty {
            outcome = .fail("the exchange clear lost a request: \(lost.joined(separator: "; "))")
            return
        }
        let violated = report.models.filter(\.violatesClaim)
        if !violated.isEmpty {
            outcome = .fail("a model a strategy claims allows it to fail: "
                + violated.map { "\($0.strategy)/\($0.record) \($0.question) under \($0.model)" }.joined(separator: "; "))
            return
        }
        let weaker = report.compiled.filter(\.weaker)
        if !weaker.isEmpty {
            outcome = .fail("compiled code allows what the recorded program forbids: "
                + weaker.map { "\($0.strategy)/\($0.record) \($0.question) compiled by \($0.target) under \($0.model)" }.joined(separator: "; "))
            return
        }
        let differing = report.kernels.filter(\.differs)
        if !differing.isEmpty {
            outcome = .fail("the C kernel as compiled differs from the recorded program: " + differing.map {
                "\($0.strategy)/\($0.record) \($0.question) compiled by \($0.target) \($0.verdict.rawValue) under \($0.model), the recorded program \($0.recorded.rawValue)"
            }.joined(separator: "; "))
            return
        }
        let undecided = Set(report.models.filter { $0.verdict == .notModelled }.map { "\($0.strategy)/\($0.record)" }).sorted()
        if !undecided.isEmpty {
            warnings.append("not modelled (no model verdict): \(undecided.joined(separator: ", "))")
            if strict {
                outcome = .undecided(nil)
                return
            }
        }
        if strict, !inconclusive.isEmpty { outcome = .undecided("\(inconclusive.count) case(s) inconclusive") }
    }
}
