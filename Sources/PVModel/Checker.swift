/// The entry point: decides which final states `model` allows for `program`.
///
/// Enumeration (kept apart from the models): (1) a per-cell value domain
/// is computed as a fixpoint of what the threads can write; (2) each
/// thread's paths are enumerated for read values from that domain; (3) for
/// each combination of paths, every reads-from (per read and cell, value
/// matching) and every coherence order (per cell, consistent across the
/// cells one write covers) is a candidate execution; (4) the model's axioms
/// keep or reject it. Throws `ModelError` rather than guess.
public enum ModelChecker {
    public static func check(_ program: Program, model: ModelKind? = nil, options: CheckOptions = CheckOptions()) throws -> CheckResult {
        let model = model ?? program.architecture.defaultModel
        switch (model, program.architecture) {
        case (.armv8, .x86), (.armv8, .x86_64):
            throw ModelError.notModelled("an \(program.architecture.rawValue) program under armv8 (no mapping of x86 code to AArch64; use --model x86-tso or sc)")
        case (.lkmm, .c):
            if let why = LKMMModel.refusal(program) { throw ModelError.notModelled(why) }
        case (.lkmm, _):
            throw ModelError.notModelled("an \(program.architecture.rawValue) program under lkmm (the kernel model reads C tests)")
        case (.armv8, .c), (.x86TSO, .c):
            throw ModelError.notModelled("a C program under \(model.rawValue) (the kernel's mapping of C to that architecture is not implemented; use --model lkmm or sc)")
        case (.x86TSO, .aarch64):
            var o = options
            o.lse2 = false
            let (mapped, notes) = try X86Mapping.map(program)
            var r = try check(mapped, model: .x86TSO, options: o)
            r.program = program
            r.mapping = notes
            return r
        default: break
        }
        // Cells as wide as the location's type (up to 8 bytes): refined below
        // when an access needs finer ones, so values of whole aligned accesses
        // are enumerated as one, not as every mix of their halves.
        var cellBytes = program.locations.map { options.byteEvents ? 1 : min(8, $0.type.bytes) }
        while true {
            do {
                return try enumerate(program, model, options, cellBytes: cellBytes)
            } catch let f as ThreadSemantics.NeedFinerCells {
                cellBytes[f.location] = max(1, f.cellBytes)
            }
        }
    }

    private static func enumerate(_ p: Program, _ model: ModelKind, _ options: CheckOptions, cellBytes: [Int]) throws -> CheckResult {
        let layout = CellLayout(locations: p.locations, cellBytes: cellBytes)
        // Initial cell values.
        var initial = [UInt64](repeating: 0, count: layout.cellCount)
        for (l, loc) in p.locations.enumerated() {
            let elements = p.initialMemory[loc.name] ?? []
            var bytes = [UInt8](repeating: 0, count: loc.byteSize)
            for (i, v) in elements.enumerated() {
                for b in 0 ..< loc.type.bytes { bytes[i * loc.type.bytes + b] = UInt8(truncatingIfNeeded: v >> UInt64(8 * b)) }
            }
            let cb = cellBytes[l]
            for k in 0 ..< loc.byteSize / cb {
                var v: UInt64 = 0
                for b in 0 ..< cb { v |= UInt64(bytes[k * cb + b]) << UInt64(8 * b) }
                initial[layout.firstCell[l] + k] = v
            }
        }
        // (1)-(2): value domain fixpoint and paths.
        var domain = initial.map { [$0] }
        if p.architecture == .c { LKMMSemantics.seed(&domain, p, layout) }
        var traces: [[ThreadTrace]] = []
        var rounds = 0
        while true {
            rounds += 1
            traces = try p.threads.indices.map {
                if p.architecture == .c {
                    return try LKMMSemantics(program: p, thread: $0, layout: layout, domain: domain,
                                             traceLimit: options.maxPathsPerThread).traces()
                }
                return try ThreadSemantics(program: p, thread: $0, layout: layout, domain: domain, options: options,
                                    traceLimit: options.maxPathsPerThread).traces()
            }
            var fresh = try newValues(traces, domain: domain, initial: initial, limit: options.maxCandidates)
            if p.architecture == .c {
                for (cell, value) in LKMMSemantics.readIndependentValues(traces) where !domain[cell].contains(value) {
                    fresh.insert(Pair(cell: cell, value: value))
                }
            }
            if fresh.isEmpty { break }
            for f in fresh where !domain[f.cell].contains(f.value) { domain[f.cell].append(f.value) }
            if rounds > 16 { throw ModelError.notModelled("values computed from values read do not reach a fixpoint in 16 rounds") }
        }
        try refuseReachableOutOfBounds(traces, initial: initial)
        traces = traces.map { $0.filter { !$0.impossible && $0.outOfBounds == nil } }
        let combos = traces.reduce(1.0) { $0 * Double($1.count) }
        if combos > Double(options.maxCandidates) {
            throw ModelError.tooLarge("\(traces.map { String($0.count) }.joined(separator: " × ")) thread paths; the bound is \(options.maxCandidates)")
        }
        try estimateCandidates(traces, layout: layout, initial: initial, options: options)
        let observed = observedList(p)
        var stateSet: Set<FinalState> = []
        // herd7's sort key of each state's values, from the first execution giving it (see `orderKey`).
        var keys: [FinalState: [Int64]] = [:]
        var yes = 0, no = 0, cut = false
        var flags: Set<String> = []
        var witnesses: [FinalState: [String]] = [:]
        var budget = options.maxCandidates
        var pick = [Int](repeating: 0, count: traces.count)
        func combination(_ t: Int) throws {
            if t == traces.count {
                let chosen = pick.enumerated().map { traces[$0.offset][$0.element] }
                try candidates(p, model, options, layout, initial, chosen, observed, &budget, &flags) { state, sat, execution in
                    guard let state else { cut = true; return }
                    if options.witnesses, witnesses[state] == nil, let execution { witnesses[state] = Self.describe(execution, p, layout) }
                    if stateSet.insert(state).inserted {
                        keys[state] = zip(observed, state.values).map { o, v in
                            orderKey(p, o, v, raw: p.architecture == .aarch64 ? finalRegisterBits(p, chosen, o) : nil)
                        }
                    }
                    if sat { yes += 1 } else { no += 1 }
                }
                return
            }
            for i in traces[t].indices {
                pick[t] = i
                try combination(t + 1)
            }
        }
        try combination(0)
        let states = stateSet.sorted { a, b in
            for (x, y) in zip(keys[a]!, keys[b]!) where x != y { return x < y }
            return false
        }
        var result = CheckResult(program: p, model: model, observed: observed, states: states, satisfying: yes, notSatisfying: no,
                                 unroll: options.unroll, unrollingLimitReached: cut)
        result.flags = flags.sorted()
        result.witnesses = witnesses
        return result
    }

    /// One execution as text: each thread's memory events in program order
    /// (`e` numbers count the thread's events), each read with the write it
    /// reads from, then each location's coherence order.
    static func describe(_ x: CandidateExecution, _ p: Program, _ layout: CellLayout) -> [String] {
        let ev = x.events
        func location(_ cell: Int) -> (String, Int) {
            let l = layout.firstCell.lastIndex { $0 <= cell }!
            return (p.locations[l].name, (cell - layout.firstCell[l]) * layout.cellBytes[l])
        }
        func name(_ e: Int) -> String {
            let k = ev[..<e].filter { $0.thread == ev[e].thread }.count
            return "P\(ev[e].thread) e\(k)"
        }
        func at(_ cell: Int) -> String {
            let (n, o) = location(cell)
            return o == 0 ? n : "\(n)+\(o)"
        }
        var out: [String] = []
        for (e, event) in ev.enumerated() {
            let cells = zip(event.cells, event.values).map { "\(at($0))=\($1)" }.joined(separator: ",")
            var line = "\(name(e)): \(event.isRead ? "R" : "W") \(cells)"
            if event.isRead {
                let from = x.rf[e].map { $0 < 0 ? "initial" : name($0) }
                line += " rf " + (Set(from).count == 1 ? from[0] : from.joined(separator: ","))
            }
            out.append(line)
        }
        for c in x.co.indices where x.co[c].count > 1 {
            out.append("co \(at(c)): " + x.co[c].map(name).joined(separator: ", "))
        }
        return out
    }

    /// Values written, outside `domain`, by some combination of paths in
    /// which every value read is written by a path of the combination (or
    /// is initial). Values justified only by a cycle through themselves
    /// (out of thin air) are never produced, as herd7 never solves for them.
    private static func newValues(_ traces: [[ThreadTrace]], domain: [[UInt64]], initial: [UInt64], limit: Int) throws -> Set<Pair> {
        var candidates = Set<Pair>()
        for ts in traces { for t in ts { for e in t.events where e.isWrite {
            for (c, v) in zip(e.cells, e.values) where !domain[c].contains(v) { candidates.insert(Pair(cell: c, value: v)) }
        } } }
        if candidates.isEmpty { return [] }
        // Only what a path reads and writes matters here: paths alike in that are one.
        struct Effect: Hashable { var reads: Set<Pair>; var writes: Set<Pair> }
        let effects: [[Effect]] = traces.map { ts in
            var seen = Set<Effect>()
            var out: [Effect] = []
            for t in ts {
                var r = Set<Pair>(), w = Set<Pair>()
                for e in t.events {
                    for (c, v) in zip(e.cells, e.values) {
                        if e.isWrite { w.insert(Pair(cell: c, value: v)) } else if initial[c] != v { r.insert(Pair(cell: c, value: v)) }
                    }
                }
                let x = Effect(reads: r, writes: w)
                if seen.insert(x).inserted { out.append(x) }
            }
            return out
        }
        // What threads t... can write at all: a read no chosen or later path can justify ends the search early.
        var laterWrites = [Set<Pair>](repeating: [], count: traces.count + 1)
        for t in stride(from: traces.count - 1, through: 0, by: -1) {
            laterWrites[t] = laterWrites[t + 1].union(effects[t].flatMap(\.writes))
        }
        var found = Set<Pair>()
        var budget = limit
        func go(_ t: Int, _ written: Set<Pair>, _ pending: Set<Pair>) throws {
            if found.count == candidates.count { return }
            if t == traces.count {
                found.formUnion(written.intersection(candidates))
                return
            }
            for x in effects[t] {
                budget -= 1
                if budget < 0 { throw ModelError.tooLarge("more than \(limit) path combinations while computing values") }
                let w = written.union(x.writes)
                let p = pending.union(x.reads).subtracting(w)
                guard p.isSubset(of: laterWrites[t + 1]) else { continue }
                try go(t + 1, w, p)
            }
        }
        try go(0, [], [])
        return found
    }

    struct Pair: Hashable { var cell: Int; var value: UInt64 }

    /// A path that accessed outside a location is refused unless some value
    /// it reads is neither initial nor written by any path (then it only
    /// exists because constants seed the value domains, and no execution takes it).
    private static func refuseReachableOutOfBounds(_ traces: [[ThreadTrace]], initial: [UInt64]) throws {
        let bad = traces.joined().filter { $0.outOfBounds != nil }
        guard !bad.isEmpty else { return }
        var written = Set(initial.enumerated().map { Pair(cell: $0.offset, value: $0.element) })
        for t in traces.joined() { for e in t.events where e.isWrite { for (c, v) in zip(e.cells, e.values) { written.insert(Pair(cell: c, value: v)) } } }
        for t in bad where t.events.allSatisfy({ e in e.isWrite || zip(e.cells, e.values).allSatisfy { written.contains(Pair(cell: $0, value: $1)) } }) {
            throw ModelError.notModelled(t.outOfBounds!)
        }
    }

    /// herd7 shows the condition's registers and locations plus `locations [...]`,
    /// registers first (by thread, then register number), then memory by name.
    static func observedList(_ p: Program) -> [Observable] {
        var all = p.condition.proposition.observables
        for o in p.observed where !all.contains(o) { all.append(o) }
        return all.sorted { a, b in
            switch (a, b) {
            case let (.register(t1, r1), .register(t2, r2)) where p.architecture == .c:  // a C test's locals by name
                return (t1, p.lkmmThreads[t1].registerNames[r1]) < (t2, p.lkmmThreads[t2].registerNames[r2])
            case let (.register(t1, r1), .register(t2, r2)): return (t1, r1) < (t2, r2)
            case (.register, .memory): return true
            case (.memory, .register): return false
            case let (.memory(l1, e1), .memory(l2, e2)): return (l1, e1 ?? -1) < (l2, e2 ?? -1)
            }
        }
    }

    static func type(_ p: Program, _ o: Observable) -> ValueType {
        switch o {
        case let .register(t, r): return p.threads[t].registerTypes[r] ?? .int
        case let .memory(l, _): return p.locations[p.locationIndex(l)!].type
        }
    }

    /// A register's final value, whole (nil for memory).
    private static func finalRegisterBits(_ p: Program, _ chosen: [ThreadTrace], _ o: Observable) -> UInt64? {
        guard case let .register(t, r) = o else { return nil }
        return (chosen[t].registers[r] ?? p.threads[t].initialRegisters[r] ?? .zero).bits
    }

    /// herd7's order of values in the States lines. An AArch64 register is
    /// ordered by its whole 64-bit value as a signed integer (`raw`), before
    /// it is cut to its printed type: a W register's -1 (0xffffffff) comes
    /// after 1, an X register's -1 before 0.
    private static func orderKey(_ p: Program, _ o: Observable, _ v: Value, raw: UInt64? = nil) -> Int64 {
        if let raw, v.location == nil { return Int64(bitPattern: raw) }
        if let l = v.location {
            // herd7 orders a C test's pointer values after the integers, by the location's name.
            guard p.architecture == .c else { return Int64(Int32.min) * 4 + Int64(l) }
            return Int64.max - Int64(p.locations.count) + Int64(p.locations.map(\.name).sorted().firstIndex(of: p.locations[l].name)!)
        }
        let t = type(p, o)
        let bits = t.truncate(v.bits)
        if t.signed, t.bytes < 8, bits & (1 << UInt64(t.bytes * 8 - 1)) != 0 { return Int64(bitPattern: bits) - (1 << Int64(t.bytes * 8)) }
        return Int64(bitPattern: bits)
    }

    /// The typed value of an observable in a final state.
    static func typed(_ p: Program, _ o: Observable, _ v: Value) -> Value {
        v.location != nil ? v : Value(bits: type(p, o).truncate(v.bits))
    }

    // (3)-(4): reads-from and coherence for one combination of paths. An
    // allowed execution with a path cut by the unrolling bound is recorded
    // as nil: herd7 drops it and prints `Loop` (top_herd.ml model_kont).
    private static func candidates(_ p: Program, _ model: ModelKind, _ options: CheckOptions, _ layout: CellLayout,
                                   _ initial: [UInt64], _ chosen: [ThreadTrace], _ observed: [Observable],
                                   _ budget: inout Int, _ flags: inout Set<String>, _ record: (FinalState?, Bool, CandidateExecution?) -> Void) throws {
        let initialBudget = options.maxCandidates
        let s = StaticExecution(traces: chosen, byteEvents: options.byteEvents)
        let ev = s.events
        guard ev.count <= 64 else { throw ModelError.tooLarge("\(ev.count) memory events; the bound is 64") }
        guard let space = try candidateSpace(ev, po: s.po.contains, cellCount: layout.cellCount, initial: initial,
                                         prune: options.coherencePruning, lockOrders: options.lockOrders) else { return }
        let (slots, groupList, locks, size) = (space.slots, space.groups, space.locks, space.size)
        let prune = options.coherencePruning
        // Refuse, with its size, a combination whose rf × co space exceeds what is left of the bound.
        if size > Double(budget) {
            throw ModelError.tooLarge("\(ev.count) memory events with \(size) rf × co candidates (bound \(budget) left of \(initialBudget))")
        }
        let graph = try ExecutionGraph(s)
        let local = model.local(graph)
        var rf = ev.map { [Int](repeating: -1, count: $0.isRead ? $0.cells.count : 0) }
        var co = [[Int]](repeating: [], count: layout.cellCount)
        // lock.cat `flag ~empty [FW] ; loc ; [ALL-LOCKS] as lock-final`: a spinlock's final value observed.
        let observedCells = Set(observed.compactMap { o -> Int? in
            guard case let .memory(name, element) = o, let l = p.locationIndex(name) else { return nil }
            return layout.cells(location: l, offset: (element ?? 0) * p.locations[l].type.bytes, bytes: p.locations[l].type.bytes)?.first
        })
        let lockFinal = ev.contains { !$0.lkmm.isDisjoint(with: LKMMTags.lockEvents) && !observedCells.isDisjoint(with: $0.cells) }
        var before = [[Int8]](repeating: [Int8](repeating: 0, count: ev.count), count: ev.count)

        func finish() throws {
            budget -= 1
            if budget < 0 { throw ModelError.tooLarge("more than the bound of candidate executions") }
            var rank = [[Int: Int]](repeating: [:], count: layout.cellCount)
            for c in co.indices { for (k, w) in co[c].enumerated() { rank[c][w] = k } }
            let x = CandidateExecution(s: s, rf: rf, co: co, coRank: rank)
            // Final memory: the coherence-last write of each cell.
            var cellValue = initial
            for c in co.indices { if let w = co[c].last { cellValue[c] = ev[w].value(ofCell: c)! } }
            func value(_ o: Observable) -> Value {
                switch o {
                case let .register(t, r): return typed(p, o, chosen[t].registers[r] ?? p.threads[t].initialRegisters[r] ?? .zero)
                case let .memory(name, element):
                    let l = p.locationIndex(name)!
                    let loc = p.locations[l]
                    let start = (element ?? 0) * loc.type.bytes
                    let bits = bytesValue(layout, cellValue, l, start, loc.type.bytes)
                    if p.architecture == .c, LKMMPointer.decode(bits).location != nil { return LKMMPointer.decode(bits) }
                    return Value(bits: loc.type.truncate(bits))
                }
            }
            if let f = p.filter, !f.evaluate(value) { return }
            if model == .lkmm {
                let v = try LKMMModel.verdict(graph, graph.communications(x))
                guard v.consistent else { return }
                if chosen.contains(where: \.cut) { record(nil, false, nil); return }
                flags.formUnion(v.flags)
                if lockFinal { flags.insert("lock-final") }
            } else {
                guard model.consistent(graph, x, local: local) else { return }
                if chosen.contains(where: \.cut) { record(nil, false, nil); return }
                if model == .armv8, chosen.contains(where: \.sharedDomainFence) { flags.insert("Assuming-common-inner-shareable-domain") }
            }
            record(FinalState(values: observed.map(value)), p.condition.proposition.evaluate(value), options.witnesses ? x : nil)
        }

        func coGroup(_ g: Int) throws {
            if g == groupList.count { try finish(); return }
            let (ws, cells) = groupList[g]
            if let lock = locks[g] {
                // One cell, written by lock events only: no other group shares its writers.
                try lock.forEachOrder { order, reads in
                    for (r, w) in reads {
                        guard ev[r].values[0] == (w < 0 ? initial[lock.cell] : ev[w].value(ofCell: lock.cell)!) else { return }
                        rf[r][0] = w
                    }
                    co[lock.cell] = order
                    try coGroup(g + 1)
                }
                return
            }
            var perm = ws
            func permute(_ k: Int) throws {
                if k == perm.count {
                    // pruning, as above: one thread's writes to a cell in program order
                    if prune { for i in perm.indices { for j in (i + 1) ..< perm.count where s.po.contains(perm[j], perm[i]) { return } } }
                    // consistency with orders already fixed by other groups
                    for i in perm.indices { for j in (i + 1) ..< perm.count where before[perm[i]][perm[j]] == -1 { return } }
                    var setHere: [(Int, Int)] = []
                    for i in perm.indices { for j in (i + 1) ..< perm.count where before[perm[i]][perm[j]] == 0 {
                        before[perm[i]][perm[j]] = 1; before[perm[j]][perm[i]] = -1; setHere.append((perm[i], perm[j]))
                    } }
                    for c in cells { co[c] = perm }
                    try coGroup(g + 1)
                    for (a, b) in setHere { before[a][b] = 0; before[b][a] = 0 }
                    return
                }
                for i in k ..< perm.count {
                    perm.swapAt(k, i)
                    try permute(k + 1)
                    perm.swapAt(k, i)
                }
            }
            if ws.count > 8 { throw ModelError.tooLarge("\(ws.count) writes to one cell; the bound is 8") }
            try permute(0)
        }

        func rfSlot(_ k: Int) throws {
            if k == slots.count { try coGroup(0); return }
            for src in slots[k].sources {
                rf[slots[k].event][slots[k].index] = src
                try rfSlot(k + 1)
            }
        }
        try rfSlot(0)
    }

    /// The reads-from slots (each read's cell, with its value-matching
    /// sources; -1 is the initial value), the coherence groups (cells with
    /// the same writers) and the number of rf × co candidates they span, for
    /// one combination of paths; nil when some read has no possible source.
    /// Pruning (sound for every model here: each forbids a po-loc ∪ com
    /// cycle — sc.cat's sc, x86tso's uniproc, aarch64.cat's coRW1/coWR/coWW):
    /// no po-later write of the reading thread, no initial value once the
    /// thread wrote the cell, and one thread's writes in program order.
    static func candidateSpace(_ ev: [Event], po: (Int, Int) -> Bool, cellCount: Int, initial: [UInt64], prune: Bool, lockOrders: Bool) throws
        -> (slots: [(event: Int, index: Int, sources: [Int])], groups: [(key: [Int], value: [Int])], locks: [LockCoherence?], size: Double)? {
        var writers = [[Int]](repeating: [], count: cellCount)
        for (i, e) in ev.enumerated() where e.isWrite { for c in e.cells { writers[c].append(i) } }
        var groups: [[Int]: [Int]] = [:]
        for c in 0 ..< cellCount where !writers[c].isEmpty { groups[writers[c], default: []].append(c) }
        let groupList = groups.sorted { $0.value[0] < $1.value[0] }
        // A spinlock cell's orders are its critical sections' (LockCoherence); its LKRs' rf follows from them.
        let locks = try groupList.map { g in
            prune && lockOrders && g.value.count == 1 ? try LockCoherence(writers: g.key, cell: g.value[0], events: ev, po: po) : nil
        }
        if locks.contains(where: { $0?.deadlocks == true }) { return nil }
        let derived = Set(locks.flatMap { $0?.reads ?? [] })
        var slots: [(event: Int, index: Int, sources: [Int])] = []
        for (i, e) in ev.enumerated() where e.isRead && !derived.contains(i) {
            for (k, c) in e.cells.enumerated() {
                let wroteBefore = prune && writers[c].contains { po($0, i) }
                var src: [Int] = initial[c] == e.values[k] && !wroteBefore ? [-1] : []
                // never a write of the read's own instruction (an exchange's): herd7 orders them (iico)
                src += writers[c].filter {
                    ev[$0].value(ofCell: c) == e.values[k] && !(prune && po(i, $0))
                        && !(ev[$0].thread == e.thread && ev[$0].instruction == e.instruction)
                }
                if src.isEmpty { return nil }
                slots.append((i, k, src))
            }
        }
        var size = 1.0
        for slot in slots { size *= Double(slot.sources.count) }
        for (g, (ws, _)) in groupList.enumerated() {
            if let lock = locks[g] { size *= lock.orderCount; continue }
            // orders of the writers; with pruning, each thread's own in program order
            for k in 1 ... max(1, ws.count) { size *= Double(k) }
            if prune {
                for t in Set(ws.map { ev[$0].thread }) {
                    for k in 1 ... max(1, ws.filter { ev[$0].thread == t }.count) { size /= Double(k) }
                }
            }
        }
        return (slots, groupList, locks, size)
    }

    /// The number of rf × co candidates over every combination of paths,
    /// counted before any is enumerated; throws as soon as it exceeds `limit`.
    private static func estimateCandidates(_ traces: [[ThreadTrace]], layout: CellLayout, initial: [UInt64],
                                           options: CheckOptions) throws {
        var total = 0.0, combinations = 0
        var pick = [Int](repeating: 0, count: traces.count)
        func go(_ t: Int) throws {
            if t == traces.count {
                combinations += 1
                var ev: [Event] = []
                for (k, i) in pick.enumerated() { ev += traces[k][i].events }
                let po: (Int, Int) -> Bool = { ev[$0].thread == ev[$1].thread && ev[$0].instruction < ev[$1].instruction }
                if let space = try candidateSpace(ev, po: po, cellCount: layout.cellCount, initial: initial, prune: options.coherencePruning, lockOrders: options.lockOrders) {
                    total += space.size
                }
                if total > Double(options.maxCandidates) {
                    throw ModelError.tooLarge("more than \(options.maxCandidates) rf × co candidate executions (\(Int(total)) in the first \(combinations) of \(traces.map { String($0.count) }.joined(separator: " × ")) path combinations); the bound is \(options.maxCandidates)")
                }
                return
            }
            for i in traces[t].indices {
                pick[t] = i
                try go(t + 1)
            }
        }
        try go(0)
    }

    /// Little-endian bytes `[start, start+n)` of location `l` from cell values.
    static func bytesValue(_ layout: CellLayout, _ cells: [UInt64], _ l: Int, _ start: Int, _ n: Int) -> UInt64 {
        let cb = layout.cellBytes[l]
        var v: UInt64 = 0
        for b in 0 ..< min(n, 8) {
            let off = start + b
            let cell = cells[layout.firstCell[l] + off / cb]
            let byte = (cell >> UInt64((off % cb) * 8)) & 0xFF
            v |= byte << UInt64(8 * b)
        }
        return v
    }
}
