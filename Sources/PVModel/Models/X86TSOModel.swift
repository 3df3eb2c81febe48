/// x86-TSO, as herd7's x86tso.cat:
///
///     acyclic po-loc | com as uniproc
///     empty rmw & (fre;coe) as atomic
///     let po_ghb = WW(po) | RM(po)
///     let implied = MA(WR(po)) | AM(WR(po))   (a locked access is a fence)
///     let ghb = mfence | implied | po_ghb | rfe | fr | co
///     acyclic ghb as tso
///
/// with `(rfe | fr | co); si` reaching every byte of the target access, as
/// x86tso-mixed.cat (herd7's model for X86_64) has it: `ob = obs; si | lob`,
/// `obs = rfe | fre | coe`, `lob = po \ ([W];po;[R]) | [W];po;[MFENCE];po;[R]
/// | [W];po;[R & X] | [W & X];po;[R]` — the same axiom, since an internal
/// `fr` or `co` that uniproc allows follows `po` from a read or to a write.
/// Store→load order is the only relaxation (the store buffer); MFENCE and a
/// locked access restore it. Aligned accesses, and misaligned ones within
/// a 64-byte line, are single-copy atomic (Intel SDM vol. 3 §9.1.1).
enum X86TSOModel {
    /// `mfence | implied | po_ghb`, fixed by the threads' paths.
    static func preservedProgramOrder(_ g: ExecutionGraph) -> Relation {
        let R = g.reads, W = g.writes, X = g.locked
        let poWR = g.po.restricted(W, R)
        let implied = poWR.from(X) | poWR.to(X)
        let poGhb = g.po.restricted(W, W) | g.po.from(R)
        return g.fenced[.mfence]! | implied | poGhb
    }

    static func consistent(_ g: ExecutionGraph, _ x: ExecutionGraph.Communications, ppo: Relation) -> Bool {
        guard (g.poLoc | x.com).isAcyclic else { return false }  // uniproc
        guard (g.rmw & ((x.fr & g.ext) * (x.co & g.ext))).isEmpty else { return false }  // atomic
        let ghb = ppo | ((x.rf & g.ext) | x.fr | x.co) * g.sca
        return ghb.isAcyclic
    }
}
