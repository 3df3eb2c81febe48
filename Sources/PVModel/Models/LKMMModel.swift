/// The Linux-kernel memory model (tools/memory-model; herd7 7.57's
/// catalogue/linux/cats/linux-kernel.cat with linux-kernel.bell), with its
/// names: the axioms `coherence`, `atomic`, `happens-before`, `propagation`,
/// `rcu`, `plain-coherence`, and the flags `mixed-accesses` and `data-race`,
/// which herd7 prints (`Flag data-race`) when an allowed execution raises them.
///
/// The initial writes (`IW`) are implicit: no relation here reaches one
/// (nothing is `po`, `rf`, `co` or `fr`-before them), they are never a
/// race's left side (`pre-race` leaves `M \ IW` there), so leaving them out
/// changes no axiom and no flag.
///
/// RCU and SRCU: the fence events `F[rcu-lock]`, `F[rcu-unlock]`,
/// `F[sync-rcu]` and the `SRCU` events (`srcu-lock`, `srcu-unlock`,
/// `sync-srcu`, each with its `srcu_struct`) are nodes of their own (after
/// the memory nodes), as rcu-order relates them.
///
/// Locks: lock.cat's events (`LKR`, `LKW`, `UL`, `LF`) by value, a
/// spinlock cell's coherence orders enumerated as lock.cat generates them
/// (`LockCoherence`). Not modelled, and refused with their names before
/// any execution is enumerated (`LKMMLowering`): `spin_is_locked` and SRCU.
enum LKMMModel {
    /// Why a program cannot be decided here, or nil.
    static func refusal(_ p: Program) -> String? {
        var found: Set<LKMMFence> = []
        func walk(_ b: [LKMMStatement]) {
            for s in b {
                switch s {
                case let .fence(f): found.insert(f)
                case let .conditional(_, t, e): walk(t); walk(e)
                default: break
                }
            }
        }
        for t in p.lkmmThreads { walk(t.body) }
        return nil
    }

    /// The verdict on one candidate execution: whether every axiom holds,
    /// and (then) the flags it raises.
    static func verdict(_ g: ExecutionGraph, _ x: ExecutionGraph.Communications) throws -> (consistent: Bool, flags: Set<String>) {
        // Nodes: the graph's memory nodes, then one per RCU fence event
        // (rcu-lock, rcu-unlock, sync-rcu), which rcu-order relates.
        let rcuFences = RCUFences(g)
        let n = g.size + rcuFences.count
        guard n <= 64 else { throw ModelError.tooLarge("\(g.size) memory nodes and \(rcuFences.count) RCU fences; the bound is 64") }
        func pad(_ r: Relation) -> Relation {
            guard n > g.size else { return r }
            var o = Relation(size: n)
            for i in 0 ..< g.size { o.rows[i] = r.rows[i] }
            return o
        }
        let M = NodeSet(bits: g.size == 64 ? ~0 : (1 << UInt64(g.size)) - 1)
        let all = NodeSet(bits: n == 64 ? ~0 : (1 << UInt64(n)) - 1)
        let F: NodeSet = all & ~M
        let po: Relation = rcuFences.po(g, size: n)
        let R: NodeSet = g.reads, W: NodeSet = g.writes
        let rf: Relation = pad(x.rf), co: Relation = pad(x.co), fr: Relation = pad(x.fr)
        let int: Relation = rcuFences.sameThread(g, size: n)
        var ext = Relation(size: n)
        for i in 0 ..< n { ext.rows[i] = all.bits & ~int.rows[i] }
        let id: Relation = Relation.identity(all, size: n)
        let addr = pad(g.addr), data = pad(g.data), ctrl = pad(g.ctrl), rmw = pad(g.rmw), poLoc = pad(g.poLoc)
        func set(_ t: LKMMTags) -> NodeSet { g.lkmmNodes { $0.lkmm.contains(t) } }
        let Once = set(.once), Acquire = set(.acquire), Release = set(.release), Noreturn = set(.noReturn)
        // linux-kernel.bell: Marked = (~M) | IW | Once | Release | Acquire | domain(rmw) | range(rmw)
        let RMW: NodeSet = rmw.range | rmw.inverse.range
        // lock.cat: LKR (Acquire), LKW, UL (Release), LF, RL, RU are marked; lk-rmw is in rmw.
        let LKR = set(.lockRead), LKW = set(.lockWrite), UL = set(.unlock)
        let Marked: NodeSet = F | Once | Release | Acquire | RMW | LKR | LKW | UL | set(.lockFail)
        let Plain: NodeSet = M & ~Marked
        func fencerel(_ f: LKMMFence) -> Relation { pad(g.lkmmFenced(f)) }
        // coherence, atomic
        let com: Relation = rf | co | fr
        guard (poLoc | com).isAcyclic else { return (false, []) }
        guard (rmw & ((fr & ext) * (co & ext))).isEmpty else { return (false, []) }
        // Basic relations
        let acqPo: Relation = po.from(Acquire)
        let poRel: Relation = po.to(Release)
        let R4rmb: NodeSet = R & ~Noreturn
        let rmb: Relation = fencerel(.rmb).restricted(R4rmb, R4rmb)
        let wmb: Relation = fencerel(.wmb).restricted(W, W)
        let beforeAtomic: Relation = fencerel(.beforeAtomic).to(RMW) * po.optional
        let afterAtomic: Relation = po.optional.to(RMW) * fencerel(.afterAtomic)
        let afterSpinlock: Relation = po.optional.to(LKW) * fencerel(.afterSpinlock)
        let afterUnlockLock: Relation = po.to(UL) * (co | po).to(LKW) * fencerel(.afterUnlockLock)
        let mb: Relation = fencerel(.mb) | beforeAtomic | afterAtomic | afterSpinlock | afterUnlockLock
        let poUnlockRfLockPo: Relation = po.to(UL) * rf.to(LKR) * po
        let gp: Relation = po * Relation.identity(rcuFences.sync | rcuFences.srcuSync, size: n) * po.optional
        let strongFence0: Relation = mb | gp
        let nonrwFence: Relation = strongFence0 | poRel | acqPo
        let fence0: Relation = nonrwFence | wmb | rmb
        // Preserved program order
        let dep: Relation = addr | data
        let rwdep: Relation = (dep | ctrl).to(W)
        let overwrite: Relation = co | fr
        let rfe: Relation = rf & ext, rfi: Relation = rf & int
        let addrWmb: Relation = addr.to(Plain) * wmb
        let toW: Relation = rwdep | (overwrite & int) | addrWmb
        let depRfi: Relation = dep.to(Marked) * rfi
        let toR: Relation = addr | depRfi
        let ppo: Relation = toR | toW | fence0 | (poUnlockRfLockPo & int)
        // Propagation
        let mk: Relation = Relation.identity(Marked, size: n)
        func aCumul(_ r: Relation) -> Relation { r | (rfe.to(Marked) * r) }
        let cumulFence: Relation = (aCumul(strongFence0 | poRel) | wmb | poUnlockRfLockPo).restricted(Marked, Marked)
        let cumulStar: Relation = cumulFence.plus.optional
        let prop0: Relation = mk * (overwrite & ext).optional
        let prop: Relation = prop0 * cumulStar * mk * rfe.optional * mk
        // happens-before
        let hb: Relation = (ppo | rfe | ((prop - id) & int)).restricted(Marked, Marked)
        guard hb.isAcyclic else { return (false, []) }
        let hbStar: Relation = hb.plus.optional
        // propagation
        let pb: Relation = (prop * strongFence0 * hbStar).to(Marked)
        guard pb.isAcyclic else { return (false, []) }
        // rcu
        let rcuFence: Relation = rcuFences.rcuFence(po: po, hbStar: hbStar, pbStar: pb.plus.optional, prop: prop, size: n)
        let fence: Relation = fence0 | rcuFence
        let strongFence: Relation = strongFence0 | rcuFence
        let rb: Relation = (prop * rcuFence * hbStar * pb.plus.optional).to(Marked)
        guard rb.isIrreflexive else { return (false, []) }
        // Plain accesses: plain-coherence, and the data-race flag.
        let xbstar: Relation = (hb | pb | rb).plus.optional
        let visTail: Relation = (strongFence.to(Marked) * xbstar) | (xbstar & int)
        let vis: Relation = cumulStar * rfe.optional * mk * visTail
        let rmbNoNoreturn: Relation = fencerel(.rmb).restricted(R4rmb, ~Noreturn)
        let wPreBounded: Relation = mk * (addr | fence).optional
        let rPreBounded: Relation = mk * (addr | nonrwFence | rmbNoNoreturn).optional
        let wPostBounded: Relation = fence.optional * mk
        let rPostBounded: Relation = (nonrwFence | fencerel(.rmb).restricted(~Noreturn, R4rmb)).optional * mk
        let sfXb: Relation = strongFence * xbstar
        let wVis: Relation = wPostBounded * vis
        let wwVis: Relation = fence | sfXb * wPreBounded | wVis * wPreBounded
        let wrVis: Relation = fence | sfXb * rPreBounded | wVis * rPreBounded
        let rwXbstar: Relation = fence | (rPostBounded * xbstar) * wPreBounded
        var preRace = Relation(size: n)
        for a in 0 ..< g.size { preRace.rows[a] = (Plain.contains(a) ? M : Plain).bits }
        preRace = preRace & ext
        let wrIncoh: Relation = preRace & rf & rwXbstar.inverse
        let rwIncoh: Relation = preRace & fr & wrVis.inverse
        let wwIncoh: Relation = preRace & co & wwVis.inverse
        guard (wrIncoh | rwIncoh | wwIncoh).isEmpty else { return (false, []) }
        var flags = rcuFences.flags
        let barrier: Relation = pad(g.lkmmFenced(anyOf: [.barrier, .rmb, .wmb, .mb, .syncRcu, .syncSrcu, .beforeAtomic, .afterAtomic,
                                                         .rcuLock, .rcuUnlock, .srcuLock, .srcuUnlock])
) | (po * Relation.identity(Acquire | Release, size: n) * po) | po.to(Release) | po.from(Acquire)
        let plainW: NodeSet = Plain & W
        let unbarred: Relation = poLoc - barrier
        let mixed: Relation = unbarred.restricted(plainW, Marked) | unbarred.restricted(Marked, plainW)
        if !mixed.isEmpty { flags.insert("mixed-accesses") }
        // Marked * W and W * Marked
        var markedW = Relation(size: n), wMarked = Relation(size: n)
        for a in 0 ..< n {
            if Marked.contains(a) { markedW.rows[a] = W.bits }
            if W.contains(a) { wMarked.rows[a] = Marked.bits }
        }
        let wwNonrace: Relation = wwVis & (markedW | rwXbstar) & (wMarked | wrVis)
        let wwRace: Relation = (preRace & co) - wwNonrace
        let wrRace: Relation = (preRace & (co.optional * rf)) - wrVis
        let rwRace: Relation = (preRace & fr) - rwXbstar
        if !(wwRace | wrRace | rwRace).isEmpty { flags.insert("data-race") }
        // A value that depends on itself through data and rf is one herd7
        // leaves unsolved (a symbol such as S16 in its states, out of thin
        // air); this execution is one concrete instance of it: refused.
        guard (rf | data).isAcyclic else {
            throw ModelError.notModelled("an allowed execution whose values depend on themselves through data and rf (out of thin air): herd7 leaves them symbolic")
        }
        return (true, flags)
    }
}

/// The RCU fence events and SRCU events of an execution as nodes
/// `size ..< size + count` (linux-kernel.bell's `Rcu-lock`, `Rcu-unlock`,
/// `Sync-rcu`, `Srcu-lock`, `Srcu-unlock`, `Sync-srcu`), with
/// linux-kernel.bell's `rcu-rscs` (each rcu_read_lock matched with its
/// rcu_read_unlock by nesting, per thread) and `srcu-rscs` (the same per
/// `srcu_struct`: its `unmatched-po` is `& loc`), their flags, and
/// linux-kernel.cat's rcu-order.
struct RCUFences {
    var nodes: [(thread: Int, instruction: Int, fence: LKMMFence)] = []
    let base: Int
    var lock = NodeSet.empty, unlock = NodeSet.empty, sync = NodeSet.empty
    /// `Sync-srcu`.
    var srcuSync = NodeSet.empty
    /// rcu-rscs: lock → its unlock.
    var rscs: [(Int, Int)] = []
    /// srcu-rscs: srcu-lock → its srcu-unlock (same `srcu_struct`).
    var srcuRscs: [(Int, Int)] = []
    /// The `srcu_struct` of each SRCU node (`loc`).
    var srcuLocation: [Int: Int] = [:]
    /// linux-kernel.bell's flags: `unbalanced-rcu-locking`,
    /// `unbalanced-srcu-locking`, `srcu-bad-nesting` (`different-values(srcu-rscs)`),
    /// `invalid-sleep` (`rcu-rscs & (po ; [Sync-srcu] ; po)`).
    var flags: Set<String> = []

    var count: Int { nodes.count }

    init(_ g: ExecutionGraph) {
        base = g.size
        let kinds: Set<LKMMFence> = [.rcuLock, .rcuUnlock, .syncRcu, .srcuLock, .srcuUnlock, .syncSrcu]
        for (t, fences) in g.lkmmFences.enumerated() {
            var open: [Int] = []
            var srcuOpen: [Int: [Int]] = [:]
            var value: [Int: Value] = [:]
            for f in fences where kinds.contains(f.fence) {
                let id = base + nodes.count
                nodes.append((t, f.instruction, f.fence))
                let operand = g.srcu[t][f.instruction]
                if let operand { srcuLocation[id] = operand.location }
                switch f.fence {
                case .rcuLock: lock = lock | NodeSet([id]); open.append(id)
                case .rcuUnlock:
                    unlock = unlock | NodeSet([id])
                    if let l = open.popLast() { rscs.append((l, id)) } else { flags.insert("unbalanced-rcu-locking") }
                case .syncRcu: sync = sync | NodeSet([id])
                case .srcuLock:
                    value[id] = operand?.value
                    srcuOpen[operand?.location ?? -1, default: []].append(id)
                case .srcuUnlock:
                    if let l = srcuOpen[operand?.location ?? -1]?.popLast() {
                        srcuRscs.append((l, id))
                        if value[l] != operand?.value { flags.insert("srcu-bad-nesting") }
                    } else { flags.insert("unbalanced-srcu-locking") }
                default: srcuSync = srcuSync | NodeSet([id])
                }
            }
            // synchronize_srcu() inside an RCU read-side critical section (node ids follow po within a thread)
            if rscs.contains(where: { l, u in (l + 1 ..< u).contains { srcuSync.contains($0) } }) { flags.insert("invalid-sleep") }
            if !open.isEmpty { flags.insert("unbalanced-rcu-locking") }
            if srcuOpen.values.contains(where: { !$0.isEmpty }) { flags.insert("unbalanced-srcu-locking") }
        }
    }

    /// The graph's thread and instruction of node `i`.
    private func place(_ g: ExecutionGraph, _ i: Int) -> (thread: Int, instruction: Int) {
        if i >= base { return (nodes[i - base].thread, nodes[i - base].instruction) }
        let e = g.base.lastIndex { $0 <= i }!
        return (g.events[e].thread, g.events[e].instruction)
    }

    /// `po` over memory and fence nodes.
    func po(_ g: ExecutionGraph, size n: Int) -> Relation {
        guard count > 0 else { return g.po }
        var r = Relation(size: n)
        for a in 0 ..< n {
            let pa = place(g, a)
            for b in 0 ..< n {
                let pb = place(g, b)
                if pa.thread == pb.thread, pa.instruction < pb.instruction { r.add(a, b) }
            }
        }
        return r
    }

    /// `int` over memory and fence nodes.
    func sameThread(_ g: ExecutionGraph, size n: Int) -> Relation {
        guard count > 0 else { return g.int }
        var r = Relation(size: n)
        for a in 0 ..< n { for b in 0 ..< n where place(g, a).thread == place(g, b).thread { r.add(a, b) } }
        return r
    }

    /// `rcu-fence = po ; rcu-order ; po?`, rcu-order the least fixpoint of
    /// linux-kernel.cat's definition (its SRCU terms aside), with
    /// `rcu-link = po? ; hb* ; pb* ; prop ; po`.
    func rcuFence(po: Relation, hbStar: Relation, pbStar: Relation, prop: Relation, size n: Int) -> Relation {
        // every term of rcu-order holds a grace period
        guard sync != .empty || srcuSync != .empty else { return Relation(size: n) }
        let gp = Relation.identity(sync, size: n), srcuGp = Relation.identity(srcuSync, size: n)
        var rscsi = Relation(size: n), srcuRscsi = Relation(size: n), loc = Relation(size: n)
        for (l, u) in rscs { rscsi.add(u, l) }
        for (l, u) in srcuRscs { srcuRscsi.add(u, l) }
        for (a, la) in srcuLocation { for (b, lb) in srcuLocation where la == lb { loc.add(a, b) } }
        let link: Relation = po.optional * hbStar * pbStar * prop * po
        let gpLink: Relation = gp * link, rscsiLink: Relation = rscsi * link
        let srcuGpLink: Relation = srcuGp * link, srcuRscsiLink: Relation = srcuRscsi * link
        let base: Relation = gp | srcuGp | gpLink * rscsi | ((srcuGpLink * srcuRscsi) & loc) | rscsiLink * gp
            | ((srcuRscsiLink * srcuGp) & loc)
        var order = base
        while true {
            let linkOrderLink: Relation = link * order * link
            var next: Relation = base | gp * linkOrderLink * rscsi | ((srcuGp * linkOrderLink * srcuRscsi) & loc)
            next = next | rscsi * linkOrderLink * gp | ((srcuRscsi * linkOrderLink * srcuGp) & loc) | order * link * order
            if next == order { break }
            order = next | order
        }
        return po * order * po.optional
    }
}

extension ExecutionGraph {
    /// The nodes of the events `p` holds for.
    func lkmmNodes(_ p: (Event) -> Bool) -> NodeSet {
        var s = NodeSet.empty
        for (e, event) in events.enumerated() where p(event) { for n in nodes(e) { s = s | NodeSet([n]) } }
        return s
    }

    /// linux-kernel.cat `fencerel(F)` = `po; [F]; po` for an LKMM fence kind.
    func lkmmFenced(_ f: LKMMFence) -> Relation { lkmmFenced(anyOf: [f]) }

    func lkmmFenced(anyOf kinds: Set<LKMMFence>) -> Relation {
        var r = Relation(size: size)
        for (a, ea) in events.enumerated() {
            let fences = lkmmFences[ea.thread].filter { kinds.contains($0.fence) && $0.instruction > ea.instruction }
            guard !fences.isEmpty else { continue }
            for (b, eb) in events.enumerated() where eb.thread == ea.thread
                && fences.contains(where: { $0.instruction < eb.instruction }) {
                for i in nodes(a) { for j in nodes(b) { r.add(i, j) } }
            }
        }
        return r
    }
}
