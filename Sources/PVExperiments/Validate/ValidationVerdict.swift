import PVRuntime

/// What a case's counts mean, given whether its strategy claims safety.
///
/// Only decided reads make a verdict: a torn value (two named writes mixed)
/// or a backwards one. Reads the detector could not decide
/// (``ReaderCounts/undecided``) never count as violations nor as a pass:
/// with none decided wrong they make the case inconclusive.
public enum ValidationVerdict: String, Sendable, Codable {
    /// A safe strategy, every read decided and none wrong.
    case pass = "pass"
    /// A safe strategy showed a torn or backwards value: the run fails.
    case fail = "FAIL"
    /// A deliberately unsafe strategy tore, as it should on real hardware.
    case tornAsExpected = "torn as expected"
    /// Could not be decided: a safe strategy with undecided reads, or an
    /// unsafe one that showed nothing (the detector or the run was too weak).
    case inconclusive = "inconclusive"

    public init(claimsSafety: Bool, counts: ReaderCounts, undecidable: Bool = false) {
        switch (claimsSafety, counts.violations > 0) {
        case (true, true): self = .fail
        case (true, false): self = counts.undecided > 0 || undecidable ? .inconclusive : .pass
        case (false, true): self = .tornAsExpected
        case (false, false): self = .inconclusive
        }
    }
}
