/// The memory models the checker decides. Each model is a set of named
/// axioms over a candidate execution (see the files in Models/).
public enum ModelKind: String, Sendable, CaseIterable {
    /// Sequential consistency (herd7 sc.cat).
    case sc
    /// x86-TSO (herd7 x86tso.cat).
    case x86TSO = "x86-tso"
    /// The Armv8 axiomatic model for explicit accesses (Arm ARM B2.3; herd7 7.57 aarch64.cat).
    case armv8

    func consistent(_ x: CandidateExecution, local: Relation?) throws -> Bool {
        switch self {
        case .sc: return SCModel.consistent(x)
        case .x86TSO: return try X86TSOModel.consistent(x)
        case .armv8: return try ARMv8Model.consistent(x, lob: local!)
        }
    }

    /// Relations fixed by the threads' paths (ARMv8's locally-ordered-before).
    func local(_ s: StaticExecution) throws -> Relation? {
        guard self == .armv8 else { return nil }
        return s.byteEvents ? ARMv8Model.referenceLocallyOrderedBefore(s) : try ARMv8Model.locallyOrderedBefore(s)
    }
}
