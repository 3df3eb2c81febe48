/// What a case's counts mean, given whether its strategy claims safety.
public enum ValidationVerdict: String, Sendable, Codable {
    /// A safe strategy, no violation seen.
    case pass = "pass"
    /// A safe strategy showed a torn or backwards value: the run fails.
    case fail = "FAIL"
    /// A deliberately unsafe strategy tore, as it should on real hardware.
    case tornAsExpected = "torn as expected"
    /// A deliberately unsafe strategy showed nothing; the detector or the run
    /// was too weak to tell.
    case inconclusive = "inconclusive"

    public init(claimsSafety: Bool, violations: UInt64) {
        switch (claimsSafety, violations > 0) {
        case (true, false): self = .pass
        case (true, true): self = .fail
        case (false, true): self = .tornAsExpected
        case (false, false): self = .inconclusive
        }
    }
}
