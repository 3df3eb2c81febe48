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
/// Not modelled, and refused with their names before any execution is
/// enumerated (`LKMMModel.refusal`): the lock events of lock.cat
/// (`spin_lock` and friends) and RCU/SRCU (`rcu_read_lock`,
/// `synchronize_rcu`, …), whose fence events the node sets here do not hold.
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
        let rcu = found.intersection([.rcuLock, .rcuUnlock, .syncRcu])
        guard rcu.isEmpty else {
            return "RCU (\(rcu.map { "F[\($0.rawValue)]" }.sorted().joined(separator: ", "))): linux-kernel.cat's rcu axiom is not modelled"
        }
        guard !found.contains(.afterSpinlock), !found.contains(.afterUnlockLock) else {
            return "smp_mb__after_spinlock/smp_mb__after_unlock_lock: lock.cat is not modelled"
        }
        return nil
    }

    /// The verdict on one candidate execution: whether every axiom holds,
    /// and (then) the flags it raises.
    static func verdict(_ g: ExecutionGraph, _ x: ExecutionGraph.Communications) -> (consistent: Bool, flags: Set<String>) {
        let n = g.size
        let all = NodeSet(bits: n == 64 ? ~0 : (1 << UInt64(n)) - 1)
        let po: Relation = g.po
        let R: NodeSet = g.reads, W: NodeSet = g.writes, M: NodeSet = all
        let rf: Relation = x.rf, co: Relation = x.co, fr: Relation = x.fr
        let int: Relation = g.int, ext: Relation = g.ext
        let id: Relation = Relation.identity(all, size: n)
        func set(_ t: LKMMTags) -> NodeSet { g.lkmmNodes { $0.lkmm.contains(t) } }
        let Once = set(.once), Acquire = set(.acquire), Release = set(.release), Noreturn = set(.noReturn)
        // linux-kernel.bell
        let RMW: NodeSet = g.rmw.range | g.rmw.inverse.range
        let Marked: NodeSet = Once | Release | Acquire | RMW
        let Plain: NodeSet = M & ~Marked
        func fencerel(_ f: LKMMFence) -> Relation { g.lkmmFenced(f) }
        // coherence, atomic
        let com: Relation = rf | co | fr
        guard (g.poLoc | com).isAcyclic else { return (false, []) }
        guard (g.rmw & ((fr & ext) * (co & ext))).isEmpty else { return (false, []) }
        // Basic relations
        let acqPo: Relation = po.from(Acquire)
        let poRel: Relation = po.to(Release)
        let R4rmb: NodeSet = R & ~Noreturn
        let rmb: Relation = fencerel(.rmb).restricted(R4rmb, R4rmb)
        let wmb: Relation = fencerel(.wmb).restricted(W, W)
        let beforeAtomic: Relation = fencerel(.beforeAtomic).to(RMW) * po.optional
        let afterAtomic: Relation = po.optional.to(RMW) * fencerel(.afterAtomic)
        let mb: Relation = fencerel(.mb) | beforeAtomic | afterAtomic
        let strongFence: Relation = mb  // | gp, rcu-fence: refused (see `refusal`)
        let nonrwFence: Relation = strongFence | poRel | acqPo
        let fence: Relation = nonrwFence | wmb | rmb
        // Preserved program order
        let dep: Relation = g.addr | g.data
        let rwdep: Relation = (dep | g.ctrl).to(W)
        let overwrite: Relation = co | fr
        let rfe: Relation = rf & ext, rfi: Relation = rf & int
        let addrWmb: Relation = g.addr.to(Plain) * wmb
        let toW: Relation = rwdep | (overwrite & int) | addrWmb
        let depRfi: Relation = dep.to(Marked) * rfi
        let toR: Relation = g.addr | depRfi
        let ppo: Relation = toR | toW | fence
        // Propagation
        let mk: Relation = Relation.identity(Marked, size: n)
        func aCumul(_ r: Relation) -> Relation { r | (rfe.to(Marked) * r) }
        let cumulFence: Relation = (aCumul(strongFence | poRel) | wmb).restricted(Marked, Marked)
        let cumulStar: Relation = cumulFence.plus.optional
        let prop0: Relation = mk * (overwrite & ext).optional
        let prop: Relation = prop0 * cumulStar * mk * rfe.optional * mk
        // happens-before
        let hb: Relation = (ppo | rfe | ((prop - id) & int)).restricted(Marked, Marked)
        guard hb.isAcyclic else { return (false, []) }
        let hbStar: Relation = hb.plus.optional
        // propagation
        let pb: Relation = (prop * strongFence * hbStar).to(Marked)
        guard pb.isAcyclic else { return (false, []) }
        // Plain accesses: plain-coherence, and the data-race flag.
        let xbstar: Relation = (hb | pb).plus.optional
        let visTail: Relation = (strongFence.to(Marked) * xbstar) | (xbstar & int)
        let vis: Relation = cumulStar * rfe.optional * mk * visTail
        let rmbNoNoreturn: Relation = fencerel(.rmb).restricted(R4rmb, ~Noreturn)
        let wPreBounded: Relation = mk * (g.addr | fence).optional
        let rPreBounded: Relation = mk * (g.addr | nonrwFence | rmbNoNoreturn).optional
        let wPostBounded: Relation = fence.optional * mk
        let rPostBounded: Relation = (nonrwFence | fencerel(.rmb).restricted(~Noreturn, R4rmb)).optional * mk
        let sfXb: Relation = strongFence * xbstar
        let wVis: Relation = wPostBounded * vis
        let wwVis: Relation = fence | sfXb * wPreBounded | wVis * wPreBounded
        let wrVis: Relation = fence | sfXb * rPreBounded | wVis * rPreBounded
        let rwXbstar: Relation = fence | (rPostBounded * xbstar) * wPreBounded
        var preRace = Relation(size: n)
        for a in 0 ..< n { preRace.rows[a] = (Plain.contains(a) ? M : Plain).bits }
        preRace = preRace & ext
        let wrIncoh: Relation = preRace & rf & rwXbstar.inverse
        let rwIncoh: Relation = preRace & fr & wrVis.inverse
        let wwIncoh: Relation = preRace & co & wwVis.inverse
        guard (wrIncoh | rwIncoh | wwIncoh).isEmpty else { return (false, []) }
        var flags: Set<String> = []
        let barrier: Relation = g.lkmmFenced(anyOf: [.barrier, .rmb, .wmb, .mb, .syncRcu, .beforeAtomic, .afterAtomic, .rcuLock, .rcuUnlock])
            | (po * Relation.identity(Acquire | Release, size: n) * po) | po.to(Release) | po.from(Acquire)
        let plainW: NodeSet = Plain & W
        let unbarred: Relation = g.poLoc - barrier
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
        return (true, flags)
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
