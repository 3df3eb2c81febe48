/// The Armv8 axiomatic memory model for explicit accesses: Arm ARM
/// (DDI 0487) B2.3, as herd7 7.57 states it in aarch64.cat,
/// aarch64hwreqs.cat and aarch64deps.cat, with their names. No TLB,
/// cache-maintenance, tag or instruction-fetch effects (the programs the
/// front end accepts have none), so every event is explicit (`Exp`).
///
/// ARMv8 is other-multi-copy-atomic: `obs` uses only external rf, so a
/// thread may read its own write early (forwarding), but once another
/// thread sees it all do (IRIW+addrs forbidden, plain IRIW allowed).
///
/// Mixed sizes: the relations built on `po-loc` (`lws`, `lrs`, `haz-ob`)
/// and on `rf`/`co` relate bytes; `sca-class` reaches the other bytes of
/// the target access only where the cat file says so (`lws; sca-class`,
/// `obs; sca-class?`). A read that takes one byte from its own thread's
/// store is `lrs`-after that store on that byte alone.
enum ARMv8Model {
    /// Locally-ordered-before (aarch64hwreqs.cat `lob`), with the CSE-ob
    /// part of `local-hw-reqs` (`[R]; ctrl; [ISB]; po`), transitively closed.
    /// Fixed by the threads' paths: computed once per combination of paths.
    static func locallyOrderedBefore(_ g: ExecutionGraph) -> Relation {
        let po = g.po, R = g.reads, W = g.writes
        let A = g.acquire, Q = g.acquirePC, L = g.release
        let poLoc = g.poLoc
        // aarch64deps.cat
        let lws = poLoc.to(W)
        let intervening = poLoc.to(W) * poLoc  // intervening(W, po-loc)
        let lrs = (poLoc - intervening).restricted(W, R)
        // aarch64hwreqs.cat
        let dob = g.addr | g.data
            | g.ctrl.to(W)
            | (g.addr * po).to(W)
            | (g.addr * g.fenced[.isb]!).to(R)
            | g.addr * lrs
            | g.data * lrs
        let aob = g.rmw
            | (g.rmw * lrs).to(A | Q)
        let bob = g.fenced[.dmbFull]!
            | g.fenced[.dmbLoad]!.from(R & ~g.noReturn)
            | g.fenced[.dmbStore]!.restricted(W, W)
            | po.from(g.amo.restricted(A, L).range)  // [range([A];amo;[L])]; po
            | po.restricted(L, A)
            | po.from(A | Q)
            | g.iicoOrder.from(A | Q)  // [A | Q]; iico_order
            | po.to(L)
            | g.iicoOrder.to(L)  // iico_order; [L]
        let cseOb = g.ctrlISB
        // Where pick-dtrm is dtrm (no CSEL or CAS on a dependency path), pob ⊆ dob | CSE-ob
        // and pick-lob ⊆ lob (addr/data;lrs are in dob): they add nothing and are not computed.
        guard g.pickDiffers else { return (lws | lws * g.sca | dob | aob | bob | cseOb).plus }
        // Pick-ordered-before: dependencies through a CSEL's flags and a CAS's comparison (pick-dtrm).
        let M = R | W
        let pob = (g.pickAddr | g.pickData | g.pickCtrl).to(W)
            | g.pickCtrlISB.to(M)
            | (g.pickAddr * g.fenced[.isb]!).to(M)
            | (g.pickAddr * po).to(W)
        let lob = (lws | lws * g.sca | dob | pob | aob | bob).plus
        // local-hw-reqs: lob, pick-lob (`pick-basic-dep; lob; [W]`: only its
        // lrs-ending first step is not already in lob), CSE-ob.
        let pickLob = (g.pickLrs * lob).to(W)
        return (lob | pickLob | cseOb).plus
    }

    static func consistent(_ g: ExecutionGraph, _ x: ExecutionGraph.Communications, lob: Relation) -> Bool {
        let R = g.reads, W = g.writes
        let poLoc = g.poLoc
        let ca = x.ca
        // Internal visibility requirements
        let coRW1 = (poLoc | g.rmw).restricted(R, W) * (x.rf & g.int).to(R)
        let coWW = poLoc.restricted(W, W) * (ca & g.int).to(W)
        let coWR = poLoc.restricted(W, R) * (ca & g.int).to(W)
        guard coRW1.isIrreflexive, coWW.isIrreflexive, coWR.isIrreflexive else { return false }
        // atomic: empty (rmw & (fr; co)) \ (fri; [W]; coi)
        let atomic = (g.rmw & (x.fr * x.co)) - ((x.fr & g.int).to(W) * (x.co & g.int))
        guard atomic.isEmpty else { return false }
        // external: irreflexive ob
        let obs = ((x.rf & g.ext) | (x.co & g.ext) | (x.fr & g.ext)) * g.sca.optional
        let hazOb = poLoc.restricted(R, R) * (ca & g.ext).to(W)
        let ob = (obs | lob | hazOb).plus
        return ob.isIrreflexive
    }
}
