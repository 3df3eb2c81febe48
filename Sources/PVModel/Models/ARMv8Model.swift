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
///
/// Mixed sizes: herd7 `-variant mixed` gives every byte its own event. The
/// relations built on `po-loc` (`lws`, `lrs`, `haz-ob`) and on `rf`/`co`
/// relate bytes; `sca-class` then reaches the other bytes of the target
/// access (`lws; sca-class`, `obs; sca-class?`) — never of the source. So
/// `ob` is computed over (event, cell) nodes, and an edge leaves from the
/// cells that make it, not from the whole access. `referenceExternal` states
/// the same axiom over byte events (`CheckOptions.byteEvents`), literally.
enum ARMv8Model {
    /// The parts of `lob` that order every byte of `a` before every byte of
    /// `b` (both in thread `t`, `a` po-before `b`): register dataflow,
    /// barriers and annotations do not depend on which byte.
    ///
    /// - `dob = addr | data | ctrl;[W] | addr;po;[W] | addr;po;[ISB];po`,
    ///   and `[R];ctrl;[ISB];po` (CSE-ob);
    /// - `bob = po;[DMB.full];po | [R];po;[DMB.LD];po | [W];po;[DMB.ST];po;[W]
    ///   | [L];po;[A] | [A|Q];po | po;[L]`. `[L];po;[A]` is RCsc: STLR then
    ///   LDAR is ordered; STLR then LDAPR (Q, RCpc) is not.
    static func ordersWholeAccesses(_ s: StaticExecution, _ t: [Int], _ a: Int, _ b: Int) -> Bool {
        let ea = s.events[a], eb = s.events[b]
        // dob
        if s.addr.contains(a, b) || s.data.contains(a, b) || (s.ctrl.contains(a, b) && eb.isWrite) { return true }
        if t.contains(where: { m in s.addr.contains(a, m) && s.po.contains(m, b) && (eb.isWrite || s.fence(.isb, between: m, b)) }) {
            return true
        }
        // CSE-ob: [R]; ctrl; [ISB]; po
        if s.fences[ea.thread].contains(where: { f in f.fence == .isb && f.ctrl.contains(a) && f.instruction < eb.instruction }) {
            return true
        }
        // bob
        return s.fence(.dmbFull, between: a, b)
            || (ea.isRead && s.fence(.dmbLoad, between: a, b))
            || (ea.isWrite && eb.isWrite && s.fence(.dmbStore, between: a, b))
            || (ea.release && eb.acquire)
            || ea.acquire || ea.acquirePC || eb.release
    }

    /// The cells of read `b` that `lob` reaches from `a` through a write of
    /// `a`'s thread that `b` reads locally: `(addr|data);lrs` (dob) and
    /// `rmw;lrs;[A|Q]` (aob). `lrs` relates bytes, so only these cells of
    /// `b` are ordered after `a`.
    static func cellsAfterLocalWrite(_ s: StaticExecution, _ t: [Int], _ a: Int, _ b: Int) -> [Int] {
        let eb = s.events[b]
        var cells: [Int] = []
        for m in t where s.addr.contains(a, m) || s.data.contains(a, m)
            || (s.rmw.contains(a, m) && (eb.acquire || eb.acquirePC)) {
            for c in s.lrsCells(m, b) where !cells.contains(c) { cells.append(c) }
        }
        return cells
    }

    /// Locally-ordered-before (aarch64hwreqs.cat `lob`, with the CSE-ob and
    /// `addr;po;[ISB];po` parts of `local-hw-reqs`) over (event, cell)
    /// nodes, transitively closed: `ordersWholeAccesses`, `aob = rmw`, and
    /// the per-byte parts: `lws; sca-class` (`lws = po-loc;[W]`: from the
    /// cells an access shares with a po-later write, to all of the write)
    /// and `cellsAfterLocalWrite`.
    static func locallyOrderedBefore(_ s: StaticExecution) throws -> Relation {
        let ev = s.events
        let g = try CandidateExecution.CellGraph(ev)
        var lob = g.relation
        func order(_ from: [Int], _ to: [Int]) { for u in from { for v in to { lob.add(u, v) } } }
        for t in s.threadEvents {
            for a in t {
                let whole = Array(g.nodes(ev, a))
                for b in t where s.po.contains(a, b) {
                    let target = Array(g.nodes(ev, b))
                    if ordersWholeAccesses(s, t, a, b) { order(whole, target); continue }
                    if ev[b].isWrite { order(s.sharedCells(a, b).map { g.node(ev, a, cell: $0) }, target) }
                    order(whole, cellsAfterLocalWrite(s, t, a, b).map { g.node(ev, b, cell: $0) })
                }
                // aob: rmw (not po-ordered for a single-instruction rmw)
                for w in ev.indices where s.rmw.contains(a, w) { order(whole, Array(g.nodes(ev, w))) }
            }
        }
        return lob.transitiveClosure
    }

    /// `lob` over byte events, as aarch64hwreqs.cat states it
    /// (`CheckOptions.byteEvents`; each event is one cell).
    static func referenceLocallyOrderedBefore(_ s: StaticExecution) -> Relation {
        let ev = s.events
        var lob = Relation(size: ev.count)
        for t in s.threadEvents {
            for a in t {
                for b in t where s.po.contains(a, b) {
                    let lws = ev[b].isWrite && !s.sharedCells(a, b).isEmpty
                    if lws { for c in ev.indices where s.scaClass.contains(b, c) { lob.add(a, c) } }  // lws; sca-class
                    if ordersWholeAccesses(s, t, a, b) || !cellsAfterLocalWrite(s, t, a, b).isEmpty { lob.add(a, b) }
                }
            }
        }
        return (lob | s.rmw).transitiveClosure
    }

    static func consistent(_ x: CandidateExecution, lob: Relation) throws -> Bool {
        guard internalVisibility(x) else { return false }
        guard x.atomicityHolds(exemptingOwnThread: true) else { return false }
        return x.s.byteEvents ? referenceExternal(x, lob: lob) : try external(x, lob: lob)
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

    /// `irreflexive ob as external`, over the (event, cell) nodes of `lob`:
    /// `obs` leaves from the cell it relates and reaches all of its target
    /// (`sca-class?`); `haz-ob` relates cells.
    static func external(_ x: CandidateExecution, lob: Relation) throws -> Bool {
        let ev = x.events
        var g = try CandidateExecution.CellGraph(ev)
        g.relation = lob
        func all(_ from: Int, _ to: Int) {
            for u in g.nodes(ev, to) { g.relation.add(from, u) }
        }
        let s = x.s
        for (r, e) in ev.enumerated() where e.isRead {
            for (i, c) in e.cells.enumerated() {
                let src = x.rf[r][i]
                // rfe
                if src >= 0, !s.sameThread(src, r) { all(g.node(ev, src, cell: c), r) }
                for w in x.after(src, cell: c) where !s.sameThread(r, w) {
                    // fre
                    all(g.node(r, i), w)
                    // haz-ob: an earlier read of c in r's thread is ordered before w's write of c.
                    let wc = g.node(ev, w, cell: c)
                    for r1 in s.threadEvents[e.thread] where ev[r1].isRead && s.po.contains(r1, r) && ev[r1].cells.contains(c) {
                        g.relation.add(g.node(ev, r1, cell: c), wc)
                    }
                }
            }
        }
        // coe
        for (c, order) in x.co.enumerated() where order.count > 1 {
            for i in order.indices {
                for j in (i + 1) ..< order.count where !s.sameThread(order[i], order[j]) {
                    all(g.node(ev, order[i], cell: c), order[j])
                }
            }
        }
        return g.relation.isAcyclic
    }

    /// `irreflexive ob as external` over byte events, as aarch64.cat states
    /// it: `ob = (obs | lob | haz-ob)+`, `obs = (rfe | coe | fre); sca-class?`,
    /// `haz-ob = [R];po-loc;[R];(ca&ext);[W]`.
    static func referenceExternal(_ x: CandidateExecution, lob: Relation) -> Bool {
        let s = x.s
        let com = x.communications()
        var ob = lob
        let external = com.rf | com.co | com.fr
        for a in x.events.indices {
            for b in x.events.indices where external.contains(a, b) && !s.sameThread(a, b) {
                ob.rows[a] |= s.scaClass.rows[b]
                // haz-ob: `a` is a read (fr), `b` the write
                guard x.events[a].isRead, com.fr.contains(a, b) else { continue }
                for r1 in s.threadEvents[x.events[a].thread] where x.events[r1].isRead && s.po.contains(r1, a)
                    && !s.sharedCells(r1, a).isEmpty {
                    ob.add(r1, b)
                }
            }
        }
        return ob.isAcyclic
    }
}
