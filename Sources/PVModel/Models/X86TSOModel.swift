/// x86-TSO, as herd7's x86tso.cat:
///
///     acyclic po-loc | com                          (uniproc, per cell)
///     empty rmw & (fre;coe)                         (atomic)
///     let implied = po;[W→R with a locked end]      (XCHG is a fence)
///     let ghb = mfence | implied | WW(po) | RM(po) | rfe | fr | co
///     acyclic ghb as tso
///
/// Store→load order is the only relaxation (the store buffer); MFENCE and a
/// locked access restore it. Aligned accesses, and misaligned ones within
/// a 64-byte line, are single-copy atomic (Intel SDM vol. 3 §9.1.1).
enum X86TSOModel {
    static func consistent(_ x: CandidateExecution) throws -> Bool {
        guard x.atomicityHolds(exemptingOwnThread: false) else { return false }
        guard try uniproc(x) else { return false }
        let s = x.s
        let ev = x.events
        let com = x.communications()
        var ghb = Relation(size: ev.count)
        for a in ev.indices {
            for b in ev.indices where s.po.contains(a, b) {
                let ww = ev[a].isWrite && ev[b].isWrite
                let rm = ev[a].isRead
                let wr = ev[a].isWrite && ev[b].isRead
                let implied = wr && (ev[a].locked || ev[b].locked)
                if ww || rm || implied || s.fence(.mfence, between: a, b) { ghb.add(a, b) }
            }
        }
        var rfe = Relation(size: ev.count)
        for w in ev.indices { for r in ev.indices where com.rf.contains(w, r) && !s.sameThread(w, r) { rfe.add(w, r) } }
        // `(rfe | fr | co); si` (x86tso-mixed.cat's `obs; si`): a byte event
        // reaches the other bytes of its target access (identity otherwise).
        ghb = ghb | (com.fr | com.co | rfe) * s.scaClass
        return ghb.isAcyclic
    }

    /// `acyclic po-loc | com`, per cell (a cell of one access is not ordered with another cell).
    static func uniproc(_ x: CandidateExecution) throws -> Bool {
        let ev = x.events
        var g = try CandidateExecution.CellGraph(ev)
        for a in ev.indices {
            for b in ev.indices where x.s.po.contains(a, b) {
                for (i, c) in ev[a].cells.enumerated() {
                    if let j = ev[b].cells.firstIndex(of: c) { g.relation.add(g.node(a, i), g.node(b, j)) }
                }
            }
        }
        for (e, event) in ev.enumerated() where event.isRead {
            for (i, c) in event.cells.enumerated() {
                let src = x.rf[e][i]
                if src >= 0 { g.relation.add(g.node(src, ev[src].cells.firstIndex(of: c)!), g.node(e, i)) }
                for w in x.after(src, cell: c) { g.relation.add(g.node(e, i), g.node(w, ev[w].cells.firstIndex(of: c)!)) }
            }
        }
        for (c, order) in x.co.enumerated() where order.count > 1 {
            for k in 1 ..< order.count {
                g.relation.add(g.node(order[k - 1], ev[order[k - 1]].cells.firstIndex(of: c)!),
                               g.node(order[k], ev[order[k]].cells.firstIndex(of: c)!))
            }
        }
        return g.relation.isAcyclic
    }
}
