/// The coherence orders of one spinlock cell, enumerated as lock.cat
/// generates them: by the order of the critical sections, not by every
/// permutation of the lock's writes.
///
/// lock.cat puts only the lock writes (`LKW`) into `co0` and lets
/// cos-opt.cat linearise them (the initial write first, an `LKW` left
/// unlocked last); each unlock (`UL`) then sits right after the `LKW` of its
/// critical section (`co = (co | critical | critical^-1 ; co)+`), and each
/// lock read (`LKR`) reads from the write just co-before its `LKW`
/// (`rf | [IW | UL] ; singlestep(co) ; lk-rmw^-1`). So a cell's coherence
/// order is an interleaving of the threads' critical sections, each
/// thread's in program order (the others break `coherence`), and the `LKR`s'
/// reads-from follows from it. The value-based enumeration finds the same
/// consistent executions (an `LKR` reads 0, which only a `UL` or the
/// initial value holds, and atomicity makes it the write just before its
/// `LKW`), but spans (2n)! orders and every `LKR` source where this spans
/// the n! / Π kᵢ! interleavings.
struct LockCoherence {
    /// A critical section: `LKW`, its `LKR` (lk-rmw), its `UL` (critical).
    struct Section {
        var lock: Int
        var read: Int
        var unlock: Int?
    }

    let cell: Int
    /// Per thread, its closed critical sections in program order.
    let sections: [[Section]]
    /// The `LKW` without an unlock (lock.cat's UNMATCHED-LKW, co-last).
    let open: Section?
    /// A thread takes the lock again while holding it: lock.cat's `empty
    /// ([LKW] ; po-loc ; [LKR]) \ (po-loc ; [UL] ; po-loc) as lock-nest`
    /// fails whatever co and rf are, so no execution of these paths is consistent.
    var deadlocks = false

    /// nil when `cell` is not a spinlock's (no lock event writes it).
    /// Refused (herd7 answers them with lock.cat's flags, and with
    /// coherence orders this does not generate): an ordinary access to the
    /// spinlock (`mixed-lock-accesses`) and a `UL` that closes no critical
    /// section (`unmatched-unlock`). More than one unmatched `LKW` is left
    /// to the value-based enumeration (it deadlocks: no execution).
    init?(writers: [Int], cell: Int, events ev: [Event], po: (Int, Int) -> Bool) throws {
        guard writers.contains(where: { !ev[$0].lkmm.isDisjoint(with: [.lockWrite, .unlock]) }) else { return nil }
        if ev.contains(where: { $0.cells.contains(cell) && $0.lkmm.isDisjoint(with: LKMMTags.lockEvents) }) {
            throw ModelError.notModelled("an ordinary access to a spinlock (lock.cat's mixed-lock-accesses)")
        }
        guard writers.allSatisfy({ ev[$0].cells == [cell] }) else { return nil }
        self.cell = cell
        let locks = writers.filter { ev[$0].lkmm.contains(.lockWrite) }
        let unlocks = writers.filter { ev[$0].lkmm.contains(.unlock) }
        func between(_ a: Int, _ b: Int) -> Bool { writers.contains { po(a, $0) && po($0, b) } }
        let lockReads = ev.indices.filter { ev[$0].lkmm.contains(.lockRead) && ev[$0].cells == [cell] }
        if locks.contains(where: { w in lockReads.contains { r in po(w, r) && !unlocks.contains { po(w, $0) && po($0, r) } } }) {
            (sections, open, deadlocks) = ([], nil, true)
            return
        }
        var byThread: [Int: [Section]] = [:]
        var opened: [Section] = []
        var matched = Set<Int>()
        for w in locks {
            // lk-rmw: the LKR just po-before (no po-between event of the cell).
            let reads = lockReads.filter { po($0, w) }
            guard let r = reads.first(where: { r in !reads.contains { po(r, $0) } }) else { return nil }
            // critical: the po-next UL with no LKW or UL of the cell between.
            let u = unlocks.first { po(w, $0) && !between(w, $0) }
            if let u { matched.insert(u) }
            let s = Section(lock: w, read: r, unlock: u)
            if u == nil { opened.append(s) } else { byThread[ev[w].thread, default: []].append(s) }
        }
        guard matched.count == unlocks.count else {
            throw ModelError.notModelled("spin_unlock of a lock its thread does not hold (lock.cat's unmatched-unlock)")
        }
        guard opened.count <= 1 else { return nil }
        sections = byThread.keys.sorted().map { t in byThread[t]!.sorted { po($0.lock, $1.lock) } }
        open = opened.first
    }

    /// How many coherence orders `forEachOrder` gives: the interleavings, n! / Π kᵢ!.
    var orderCount: Double {
        var size = 1.0, n = 0.0
        for s in sections {
            for k in 0 ..< s.count {
                n += 1
                size *= n / Double(k + 1)
            }
        }
        return size
    }

    /// Calls `body` with each coherence order of the cell (write ids,
    /// co-first first) and, for each `LKR`, the write it reads (-1: initial).
    func forEachOrder(_ body: ([Int], [(read: Int, from: Int)]) throws -> Void) throws {
        var next = [Int](repeating: 0, count: sections.count)
        var order: [Int] = []
        var reads: [(read: Int, from: Int)] = []
        let total = sections.reduce(0) { $0 + $1.count }
        func place(_ s: Section, _ then: () throws -> Void) throws {
            reads.append((s.read, order.last ?? -1))
            order.append(s.lock)
            if let u = s.unlock { order.append(u) }
            try then()
            order.removeLast(s.unlock == nil ? 1 : 2)
            reads.removeLast()
        }
        func go(_ placed: Int) throws {
            if placed == total {
                if let o = open { try place(o) { try body(order, reads) } } else { try body(order, reads) }
                return
            }
            for t in sections.indices where next[t] < sections[t].count {
                let s = sections[t][next[t]]
                next[t] += 1
                try place(s) { try go(placed + 1) }
                next[t] -= 1
            }
        }
        try go(0)
    }
}

extension LockCoherence {
    /// The `LKR`s whose reads-from the order decides.
    var reads: [Int] { sections.flatMap { $0.map(\.read) } + (open.map { [$0.read] } ?? []) }
}
