/// The memory models the checker decides. Each model is a set of named
/// axioms over a candidate execution's `ExecutionGraph` (see the files in Models/).
public enum ModelKind: String, Sendable, CaseIterable {
    /// Sequential consistency (herd7 sc.cat).
    case sc
    /// x86-TSO (herd7 x86tso.cat).
    case x86TSO = "x86-tso"
    /// The Armv8 axiomatic model for explicit accesses (Arm ARM B2.3; herd7 7.57 aarch64.cat).
    case armv8
    /// The Linux-kernel memory model for C tests (herd7 7.57 linux-kernel.cat, `-conf linux-kernel.cfg`).
    case lkmm

    /// The relations fixed by the threads' paths (ARMv8's `lob`, x86-TSO's
    /// preserved program order), computed once per combination of paths.
    func local(_ g: ExecutionGraph) -> Relation? {
        switch self {
        case .sc: return nil
        case .x86TSO: return X86TSOModel.preservedProgramOrder(g)
        case .armv8: return ARMv8Model.locallyOrderedBefore(g)
        case .lkmm: return nil
        }
    }

    func consistent(_ g: ExecutionGraph, _ x: CandidateExecution, local: Relation?) -> Bool {
        let com = g.communications(x)
        switch self {
        case .sc: return SCModel.consistent(g, com)
        case .x86TSO: return X86TSOModel.consistent(g, com, ppo: local!)
        case .armv8: return ARMv8Model.consistent(g, com, lob: local!)
        case .lkmm: preconditionFailure("the checker decides lkmm through LKMMModel.verdict, which also gives the flags")
        }
    }
}
