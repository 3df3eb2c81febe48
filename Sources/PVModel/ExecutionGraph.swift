/// A static execution as herd7's cat files see it, over which the models
/// state their axioms. Nodes are herd7 `-variant mixed`'s byte events: one
/// per (event, cell), a cell standing for bytes that every access takes
/// together (so a program without mixed sizes has one node per event).
///
/// Relations from registers, barriers and program order (`po`, `addr`,
/// `data`, `ctrl`, `rmw`, fences) hold between every node of their events;
/// those from locations (`loc`, and `rf`/`co`/`fr` in `Communications`)
/// relate the nodes of one cell; `sca` groups the nodes of one
/// single-copy-atomic access (herd7 `sca-class`, `sm`, `si`).
struct ExecutionGraph {
    let size: Int
    /// First node of each event; an event's nodes follow its cells' order.
    let base: [Int]
    let events: [Event]
    let threadOf: [Int]

    // Sets.
    let reads: NodeSet, writes: NodeSet
    /// Load-Acquire (herd7 `A`), Load-AcquirePC (`Q`), Store-Release (`L`).
    let acquire: NodeSet, acquirePC: NodeSet, release: NodeSet
    /// x86 locked accesses (`X`).
    let locked: NodeSet
    /// Reads of LSE atomics into XZR (herd7 `NoRet`).
    let noReturn: NodeSet

    // Relations.
    let po: Relation, loc: Relation, int: Relation, ext: Relation
    let addr: Relation, data: Relation, ctrl: Relation, rmw: Relation
    /// herd7 `iico_order`: memory events of one instruction in the order it gives them (LDIAPP, STILP).
    let iicoOrder: Relation
    /// The rmw pairs of one instruction: an LSE atomic's read and write (herd7 `amo`; `rmw = lxsx | amo`).
    let amo: Relation
    /// aarch64deps.cat pick-addr-dep, pick-data-dep, pick-ctrl-dep: the
    /// same through `(dtrm | iico_ctrl)+` (a CSEL's flags reach its result).
    let pickAddr: Relation, pickData: Relation, pickCtrl: Relation
    /// `[R]; pick-basic-dep; [R]` where the path ends in `lrs` (pick-lob's first step).
    let pickLrs: Relation
    /// `StaticExecution.pickDiffers`: the pick relations are worth computing.
    let pickDiffers: Bool
    let sca: Relation
    /// `po; [F]; po` for each fence kind.
    let fenced: [Fence: Relation]
    /// `[R]; ctrl; [ISB]; po` (aarch64hwreqs.cat CSE-ob).
    let ctrlISB: Relation
    /// `[R]; pick-ctrl-dep; [ISB]; po` (aarch64hwreqs.cat pob).
    let pickCtrlISB: Relation

    /// Per thread: LKMM fence events at instruction positions (C programs only).
    let lkmmFences: [[(instruction: Int, fence: LKMMFence)]]
    let srcu: [[Int: (location: Int, value: Value?)]]

    /// `po & loc`.
    var poLoc: Relation { po & loc }

    init(_ s: StaticExecution) throws {
        let ev = s.events
        var base: [Int] = []
        var eventOf: [Int] = [], cellOf: [Int] = []
        for (e, event) in ev.enumerated() {
            base.append(eventOf.count)
            for c in event.cells { eventOf.append(e); cellOf.append(c) }
        }
        let n = eventOf.count
        guard n <= 64 else { throw ModelError.tooLarge("\(n) (event, cell) pairs; the bound is 64") }
        size = n
        self.base = base
        events = ev
        threadOf = eventOf.map { ev[$0].thread }
        func set(_ p: (Event) -> Bool) -> NodeSet { NodeSet((0 ..< n).filter { p(ev[eventOf[$0]]) }) }
        reads = set(\.isRead)
        writes = set(\.isWrite)
        acquire = set(\.acquire)
        acquirePC = set(\.acquirePC)
        release = set(\.release)
        locked = set(\.locked)
        noReturn = set(\.noReturn)
        /// An event-level relation, between every node of its events (the
        /// relation itself when every event is one node).
        func lift(_ r: Relation) -> Relation {
            if n == ev.count { return r }
            var o = Relation(size: n)
            for a in 0 ..< n { for b in 0 ..< n where r.contains(eventOf[a], eventOf[b]) { o.add(a, b) } }
            return o
        }
        po = lift(s.po)
        addr = lift(s.addr)
        data = lift(s.data)
        ctrl = lift(s.ctrl)
        rmw = lift(s.rmw)
        iicoOrder = lift(s.iicoOrder)
        var sameInstruction = Relation(size: ev.count)
        for a in ev.indices { for b in ev.indices where s.rmw.contains(a, b) && ev[a].instruction == ev[b].instruction { sameInstruction.add(a, b) } }
        amo = lift(sameInstruction)
        pickDiffers = s.pickDiffers
        pickAddr = s.pickDiffers ? lift(s.pickAddr) : addr
        pickData = s.pickDiffers ? lift(s.pickData) : data
        pickCtrl = s.pickDiffers ? lift(s.pickCtrl) : ctrl
        pickLrs = s.pickDiffers ? lift(s.pickLrs) : Relation(size: n)
        sca = lift(s.scaClass)
        lkmmFences = s.lkmmFences
        srcu = s.srcu
        let threads = threadOf
        /// Nodes with the same key, as masks.
        func same(_ key: [Int]) -> Relation {
            var o = Relation(size: n)
            for i in 0 ..< n {
                var m: UInt64 = 0
                for j in 0 ..< n where key[j] == key[i] { m |= 1 << UInt64(j) }
                o.rows[i] = m
            }
            return o
        }
        loc = same(cellOf)
        int = same(threads)
        var e = int
        let all: UInt64 = n == 64 ? ~0 : (1 << UInt64(n)) - 1
        for i in 0 ..< n { e.rows[i] = ~e.rows[i] & all }
        ext = e
        // po; [F]; po for the fence kinds the threads have.
        var fenced: [Fence: Relation] = [:]
        for kind in [Fence.dmbFull, .dmbLoad, .dmbStore, .isb, .mfence] {
            guard s.fences.contains(where: { $0.contains { $0.fence == kind } }) else { fenced[kind] = Relation(size: n); continue }
            var r = Relation(size: ev.count)
            for a in ev.indices { for b in ev.indices where s.po.contains(a, b) && s.fence(kind, between: a, b) { r.add(a, b) } }
            fenced[kind] = lift(r)
        }
        self.fenced = fenced
        /// `[R]; c; [ISB]; po` for the branch dependencies `c` picks out of a fence.
        func isbAfterBranch(_ c: ((instruction: Int, fence: Fence, ctrl: [Int], pickCtrl: [Int])) -> [Int]) -> Relation {
            var r = Relation(size: ev.count)
            for (t, fences) in s.fences.enumerated() {
                for f in fences where f.fence == .isb {
                    for a in c(f) where ev[a].isRead {
                        for b in s.threadEvents[t] where ev[b].instruction > f.instruction { r.add(a, b) }
                    }
                }
            }
            return lift(r)
        }
        ctrlISB = isbAfterBranch { $0.ctrl }
        pickCtrlISB = s.pickDiffers ? isbAfterBranch { $0.pickCtrl } : ctrlISB
    }

    /// The nodes of event `e`.
    func nodes(_ e: Int) -> Range<Int> { base[e] ..< base[e] + events[e].cells.count }
    /// The node of event `e` for cell `c`.
    func node(_ e: Int, cell c: Int) -> Int { base[e] + events[e].cells.firstIndex(of: c)! }

    /// herd7's communication relations of a candidate, between the nodes of
    /// each cell; the initial write is implicit (a read of the initial value
    /// is `fr`-before every write of its cell).
    struct Communications {
        var rf: Relation, co: Relation, fr: Relation
        /// `fr | co` (aarch64.cat `ca`).
        var ca: Relation { fr | co }
        var com: Relation { rf | co | fr }
    }

    func communications(_ x: CandidateExecution) -> Communications {
        var rf = Relation(size: size), co = Relation(size: size), fr = Relation(size: size)
        for (r, e) in events.enumerated() where e.isRead {
            for (i, c) in e.cells.enumerated() {
                let src = x.rf[r][i]
                let rn = base[r] + i
                if src >= 0 { rf.add(node(src, cell: c), rn) }
                for w in x.after(src, cell: c) { fr.add(rn, node(w, cell: c)) }
            }
        }
        for (c, order) in x.co.enumerated() where order.count > 1 {
            for i in order.indices { for j in (i + 1) ..< order.count { co.add(node(order[i], cell: c), node(order[j], cell: c)) } }
        }
        return Communications(rf: rf, co: co, fr: fr)
    }
}
