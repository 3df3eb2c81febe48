/// The Armv8 axiomatic memory model for explicit accesses: Arm ARM
/// (DDI 0487) B2.3, as herd7 7.57 states it in aarch64.cat and
/// aarch64hwreqs.cat. No TLB, cache-maintenance, tag or instruction-fetch
/// effects (the programs the front end accepts have none).
///
/// Axioms:
/// - internal (B2.3 "internal visibility requirement"), per cell:
///   `coRW1` `[R];(po-loc|rmw);[W];rfi;[R]`, `coWW` `[W];po-loc;[W];(ca&int)`,
///   `coWR` `[W];po-loc;[R];(ca&int);[W]`, each irreflexive;
/// - external: `ob = (obs | lob | haz-ob)+` irreflexive, with
///   `obs = (rfe | coe | fre); sca-class?` and the explicit hazard
///   `haz-ob = [R];po-loc;[R];(ca&ext);[W]` (this is what forbids CoRR);
/// - atomic: `empty (rmw & (fr;co)) \ (fri;[W];coi)`.
///
/// ARMv8 is other-multi-copy-atomic: `obs` uses only external rf, so a
/// thread may read its own write early (forwarding), but once another
/// thread sees it all do (IRIW+addrs forbidden, plain IRIW allowed).
enum ARMv8Model {
    /// Locally-ordered-before (aarch64hwreqs.cat `lob`, with the CSE-ob and
    /// `addr;po;[ISB];po` parts of `local-hw-reqs`), transitively closed:
    ///
    /// - `lws = po-loc;[W]`: a write after an earlier access to the same cell;
    /// - `dob = addr | data | ctrl;[W] | addr;po;[W] | addr;po;[ISB];po
    ///   | (addr|data);lrs`, and `[R];ctrl;[ISB];po` (CSE-ob);
    /// - `aob = rmw | rmw;lrs;[A|Q]`;
    /// - `bob = po;[DMB.full];po | [R];po;[DMB.LD];po | [W];po;[DMB.ST];po;[W]
    ///   | [L];po;[A] | [A|Q];po | po;[L]`. `[L];po;[A]` is RCsc: STLR then
    ///   LDAR is ordered; STLR then LDAPR (Q, RCpc) is not.
    static func locallyOrderedBefore(_ s: StaticExecution) -> Relation {
        let ev = s.events
        let n = ev.count
        var lob = Relation(size: n)
        for t in s.threadEvents {
            for a in t {
                for b in t where s.po.contains(a, b) {
                    let ea = ev[a], eb = ev[b]
                    var o = false
                    // lws
                    o = o || (eb.isWrite && s.shareCell(a, b))
                    // dob
                    o = o || s.addr.contains(a, b) || s.data.contains(a, b) || (s.ctrl.contains(a, b) && eb.isWrite)
                    o = o || t.contains { m in
                        s.addr.contains(a, m) && ((s.po.contains(m, b) && (eb.isWrite || s.fence(.isb, between: m, b)))
                            || s.lrs(m, b))
                            || s.data.contains(a, m) && s.lrs(m, b)
                    }
                    // CSE-ob: [R]; ctrl; [ISB]; po
                    o = o || s.fences[ea.thread].contains { f in
                        f.fence == .isb && f.ctrl.contains(a) && f.instruction < eb.instruction
                    }
                    // aob
                    o = o || (eb.acquire || eb.acquirePC) && t.contains { m in s.rmw.contains(a, m) && s.lrs(m, b) }
                    // bob
                    o = o || s.fence(.dmbFull, between: a, b)
                    o = o || (ea.isRead && s.fence(.dmbLoad, between: a, b))
                    o = o || (ea.isWrite && eb.isWrite && s.fence(.dmbStore, between: a, b))
                    o = o || (ea.release && eb.acquire)
                    o = o || ea.acquire || ea.acquirePC || eb.release
                    if o { lob.add(a, b) }
                }
            }
        }
        // aob: rmw (not po-ordered for a single-instruction rmw)
        lob = lob | s.rmw
        return lob.transitiveClosure
    }

    static func consistent(_ x: CandidateExecution, lob: Relation) throws -> Bool {
        guard internalVisibility(x) else { return false }
        guard x.atomicityHolds(exemptingOwnThread: true) else { return false }
        return try external(x, lob: lob)
    }

    /// coRW1, coWW, coWR (aarch64.cat "Internal visibility requirements"), per cell.
    static func internalVisibility(_ x: CandidateExecution) -> Bool {
        let ev = x.events
        let s = x.s
        for (r, e) in ev.enumerated() where e.isRead {
            for (i, c) in e.cells.enumerated() {
                let src = x.rf[r][i]
                // coRW1: reading a po-later (or own-rmw) same-thread write.
                if src >= 0, s.sameThread(src, r), s.po.contains(r, src) || s.rmw.contains(r, src) { return false }
                // coWR: a po-earlier write W to c, and r reads something coherence-before W.
                for w in s.threadEvents[e.thread] where ev[w].isWrite && s.po.contains(w, r) && ev[w].cells.contains(c) {
                    if w != src, x.after(src, cell: c).contains(w) { return false }
                }
            }
        }
        // coWW: po-ordered writes to a cell in the opposite coherence order.
        for order in x.co {
            for i in order.indices {
                for j in (i + 1) ..< order.count where s.po.contains(order[j], order[i]) { return false }
            }
        }
        return true
    }

    /// `irreflexive ob as external`, over (event, cell) nodes so that the
    /// per-byte relations of herd7's mixed-size mode (`haz-ob`, and the
    /// source side of `obs`) are not merged across an access's cells;
    /// `sca-class` and `lob` reach every cell of their target.
    static func external(_ x: CandidateExecution, lob: Relation) throws -> Bool {
        let ev = x.events
        var g = try CandidateExecution.CellGraph(ev)
        func all(_ from: Int, _ to: Int) {
            for u in g.nodes(ev, to) { g.relation.add(from, u) }
        }
        for a in ev.indices {
            var m = lob.rows[a]
            while m != 0 {
                let b = m.trailingZeroBitCount
                m &= m - 1
                for u in g.nodes(ev, a) { all(u, b) }
            }
        }
        let s = x.s
        for (r, e) in ev.enumerated() where e.isRead {
            for (i, c) in e.cells.enumerated() {
                let src = x.rf[r][i]
                // rfe
                if src >= 0, !s.sameThread(src, r) { all(g.node(src, ev[src].cells.firstIndex(of: c)!), r) }
                for w in x.after(src, cell: c) where !s.sameThread(r, w) {
                    // fre
                    all(g.node(r, i), w)
                    // haz-ob: an earlier read of c in r's thread is ordered before w's write of c.
                    let wc = g.node(w, ev[w].cells.firstIndex(of: c)!)
                    for r1 in s.threadEvents[e.thread] where ev[r1].isRead && s.po.contains(r1, r) {
                        if let j = ev[r1].cells.firstIndex(of: c) { g.relation.add(g.node(r1, j), wc) }
                    }
                }
            }
        }
        // coe
        for (c, order) in x.co.enumerated() where order.count > 1 {
            for i in order.indices {
                for j in (i + 1) ..< order.count where !s.sameThread(order[i], order[j]) {
                    all(g.node(order[i], ev[order[i]].cells.firstIndex(of: c)!), order[j])
                }
            }
        }
        return g.relation.isAcyclic
    }
}
