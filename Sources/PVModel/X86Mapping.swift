/// How an AArch64 program is run under x86-TSO: as the x86 program a
/// compiler would emit for the C11 orderings the AArch64 code implements
/// (the standard mappings, e.g. Sewell et al.'s C/C++11 mappings page):
///
/// - `DMB SY/ISH` (full) → `MFENCE`;
/// - `DMB LD`, `DMB ST`, `ISB` → nothing (x86-TSO keeps R→R, R→W and W→W order);
/// - `LDAR`, `LDAPR` → plain `MOV` load (every x86 load is an acquire);
/// - `STLR` → `XCHG` (a locked store: the seq-cst store mapping, so
///   STLR→LDAR keeps its RCsc order; a release-only store would be a
///   plain `MOV`, which is weaker than this);
/// - address, data and control dependencies are dropped (TSO orders a
///   load before everything after it anyway);
/// - `LDXR/STXR`, `LDXP/STXP` are not mapped (refused: not modelled).
///
/// The notes say which of these the program used.
enum X86Mapping {
    static func map(_ p: Program) throws -> (Program, [String]) {
        var notes: [String] = []
        func note(_ s: String) { if !notes.contains(s) { notes.append(s) } }
        var q = p
        q.architecture = .x86_64
        for t in q.threads.indices {
            q.threads[t].instructions = try q.threads[t].instructions.map { i -> Instruction in
                switch i {
                case .fence(.dmbFull): note("DMB (full) → MFENCE"); return .fence(.mfence)
                case .fence(.dmbLoad), .fence(.dmbStore), .fence(.isb):
                    note("DMB LD/ST and ISB dropped (TSO order)")
                    return .branch(.always, target: -1)
                case let .load(d, a, n, ord, excl):
                    if excl { throw ModelError.notModelled("a load-exclusive under x86-tso (no x86 mapping)") }
                    if ord != .plain { note("LDAR/LDAPR → MOV") }
                    return .load(destination: d, address: a, bytes: n, ordering: .plain, exclusive: false)
                case let .store(s, a, n, ord, status):
                    if status != nil { throw ModelError.notModelled("a store-exclusive under x86-tso (no x86 mapping)") }
                    if ord == .release { note("STLR → XCHG (locked store)"); return .store(source: s, address: a, bytes: n, ordering: .release, status: nil) }
                    return i
                case .atomic, .compareAndSwap, .compareAndSwapPair:
                    throw ModelError.notModelled("an LSE atomic under x86-tso (no x86 mapping)")
                case .loadPair(_, _, _, _, _, true), .storePair(_, _, _, _, _, _?):
                    throw ModelError.notModelled("an exclusive pair under x86-tso (no x86 mapping)")
                case .loadPair(_, _, _, _, .acquirePC, _), .storePair(_, _, _, _, .release, _):
                    throw ModelError.notModelled("LDIAPP/STILP under x86-tso (no x86 mapping)")
                default: return i
                }
            }
            // Dropped fences become jumps to the next instruction.
            for k in q.threads[t].instructions.indices {
                if case .branch(.always, -1) = q.threads[t].instructions[k] { q.threads[t].instructions[k] = .branch(.always, target: k + 1) }
            }
        }
        let computes = p.threads.contains { t in
            t.instructions.contains { i in
                switch i {
                case .arithmetic, .select, .branch(.zero, _), .branch(.nonZero, _), .branch(.flags, _), .branch(.bitZero, _), .branch(.bitNonZero, _): return true
                case let .load(_, a, _, _, _), let .store(_, a, _, _, _), let .loadPair(_, _, a, _, _, _), let .storePair(_, _, a, _, _, _):
                    return a.index != nil
                default: return false
                }
            }
        }
        if computes { note("dependencies dropped (TSO order)") }
        return (q, notes)
    }
}
