/// The part of a candidate execution fixed by the threads' paths: events,
/// program order, dependencies, fences, rmw pairs. Computed once per
/// combination of paths; reads-from and coherence vary over it.
struct StaticExecution {
    var events: [Event]
    /// Events of one thread, in program order, by global id.
    var threadEvents: [[Int]]
    /// `po`: same thread, earlier instruction (events of one instruction are unordered).
    var po: Relation
    var addr: Relation
    var data: Relation
    var ctrl: Relation
    /// aarch64deps.cat's pick-addr-dep, pick-data-dep, pick-ctrl-dep (⊇ addr, data, ctrl).
    var pickAddr: Relation, pickData: Relation, pickCtrl: Relation
    /// Read → read reached through pick-dtrm ending in `lrs` (`ThreadTrace.pickLrs`).
    var pickLrs: Relation
    /// Some dependency passes through a control edge only (a CSEL's flags, a
    /// CAS's comparison): without one, pick-dtrm is dtrm and pob, pick-lob add nothing to lob.
    var pickDiffers: Bool
    var rmw: Relation
    /// herd7 `iico_order` between memory events of one instruction (`ThreadTrace.iicoOrder`).
    var iicoOrder: Relation
    /// Per thread: fences at instruction positions, with the reads a branch before them depended on (dtrm, pick-dtrm).
    var fences: [[(instruction: Int, fence: Fence, ctrl: [Int], pickCtrl: [Int])]]
    /// Events are bytes (the reference enumeration, `CheckOptions.byteEvents`).
    var byteEvents: Bool
    /// herd7 `sca-class` (`sm`), reflexive: the identity when every
    /// single-copy-atomic access is one event.
    var scaClass: Relation
    /// Per thread: LKMM fence events at instruction positions (C programs only).
    var lkmmFences: [[(instruction: Int, fence: LKMMFence)]]
    var srcu: [[Int: (location: Int, value: Value?)]]

    init(traces: [ThreadTrace], byteEvents: Bool = false) {
        var evs: [Event] = []
        var te: [[Int]] = []
        var offsets: [Int] = []
        for t in traces {
            offsets.append(evs.count)
            te.append(Array(evs.count ..< evs.count + t.events.count))
            evs += t.events
        }
        events = evs
        threadEvents = te
        let n = evs.count
        po = Relation(size: n)
        addr = Relation(size: n)
        data = Relation(size: n)
        ctrl = Relation(size: n)
        pickAddr = Relation(size: n)
        pickData = Relation(size: n)
        pickCtrl = Relation(size: n)
        pickLrs = Relation(size: n)
        pickDiffers = traces.contains { t in
            t.pickAddr != t.addr || t.pickData != t.data || t.pickCtrl != t.ctrl || t.fences.contains { $0.pickCtrl != $0.ctrl }
        }
        rmw = Relation(size: n)
        iicoOrder = Relation(size: n)
        fences = []
        lkmmFences = traces.map(\.lkmmFences)
        srcu = traces.map(\.srcu)
        self.byteEvents = byteEvents
        scaClass = Relation.identity(NodeSet(bits: ~0), size: n)
        if byteEvents {
            for a in 0 ..< n { for b in 0 ..< n where evs[a].sameClass(evs[b]) { scaClass.add(a, b) } }
        }
        for (ti, t) in traces.enumerated() {
            let base = offsets[ti]
            for i in t.events.indices {
                for j in t.events.indices where t.events[i].instruction < t.events[j].instruction {
                    po.add(base + i, base + j)
                }
                // the thread's reads event i depends on, as sources of the relation
                func from(_ mask: UInt64, _ r: inout Relation) {
                    var m = mask
                    while m != 0 {
                        r.add(base + m.trailingZeroBitCount, base + i)
                        m &= m - 1
                    }
                }
                from(t.addr[i], &addr)
                from(t.data[i], &data)
                from(t.ctrl[i], &ctrl)
                from(t.pickAddr[i], &pickAddr)
                from(t.pickData[i], &pickData)
                from(t.pickCtrl[i], &pickCtrl)
                from(t.pickLrs[i], &pickLrs)
            }
            for (r, w) in t.rmw { rmw.add(base + r, base + w) }
            for (a, b) in t.iicoOrder { iicoOrder.add(base + a, base + b) }
            func ids(_ mask: UInt64) -> [Int] {
                var c: [Int] = []
                var m = mask
                while m != 0 { c.append(base + m.trailingZeroBitCount); m &= m - 1 }
                return c
            }
            fences.append(t.fences.map { f in (f.instruction, f.fence, ids(f.ctrl), ids(f.pickCtrl)) })
        }
    }

    /// A fence of `kind` strictly between the instructions of `a` and `b` (po-ordered, same thread).
    func fence(_ kind: Fence, between a: Int, _ b: Int) -> Bool {
        let ia = events[a].instruction, ib = events[b].instruction
        return fences[events[a].thread].contains { $0.fence == kind && $0.instruction > ia && $0.instruction < ib }
    }

}

/// A candidate execution: a static execution plus reads-from per (read,
/// cell) and a coherence order per cell (init is implicitly first).
struct CandidateExecution {
    let s: StaticExecution
    /// rf[e][i]: the write read by event e's i-th cell, or -1 for the initial value.
    var rf: [[Int]]
    /// co[c]: the writes to cell c in coherence order.
    var co: [[Int]]
    /// coRank[c][w]: position of w in co[c] (absent: not a writer of c).
    var coRank: [[Int: Int]]

    var events: [Event] { s.events }

    /// Writes to cell `c` coherence-after `source` (-1: the initial value).
    func after(_ source: Int, cell c: Int) -> ArraySlice<Int> {
        source < 0 ? co[c][...] : co[c][(coRank[c][source]! + 1)...]
    }
}
