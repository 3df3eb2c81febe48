import PVModel

/// One step of a litmus thread, as the C11/LKMM code a kernel engineer
/// writes it. The same steps give the AArch64 test (the target), the
/// program that runs on this machine (what C11 atomics compile to
/// here) and the hardware runner's code, so the three cannot drift.
public enum LitmusStep: Sendable, Hashable {
    /// `STR` (relaxed), `STLR` (release), or a seq-cst store (`STLR` on
    /// AArch64, `XCHG` on x86 as clang and Swift emit it).
    case store(location: Int, value: UInt32, LitmusStore, dependsOn: Int? = nil)
    /// Result register `result` (0 or 1) loaded from `location`; with
    /// `dependsOn` (here and for stores), through an address dependency on an earlier result
    /// (`EOR X9,Xr,Xr; LDR W,[Xloc,X9]`).
    case load(result: Int, location: Int, LitmusLoad, dependsOn: Int? = nil)
    case fence(LitmusFence)
}

public enum LitmusStore: String, Sendable, Hashable { case relaxed, release, seqCst = "seq-cst" }
/// `acquirePC` is `LDAPR` (RCpc) in the target; the runner (no +rcpc) emits `LDAR`.
public enum LitmusLoad: String, Sendable, Hashable { case relaxed, acquire, acquirePC = "acquire-pc", seqCst = "seq-cst" }
/// `DMB ISH`, `DMB ISHLD`, `DMB ISHST` in the target.
public enum LitmusFence: String, Sendable, Hashable { case full, load, store }

/// One atom of the `exists` clause: a result register or a final memory value.
public enum LitmusAtom: Sendable, Hashable {
    case result(thread: Int, result: Int, equals: UInt32)
    case memory(location: Int, equals: UInt32)
}

/// A litmus test the hardware runner knows: herd7's name for the AArch64
/// shape, its threads and its `exists` clause. Locations are `x`, `y`, `z`,
/// all zero at the start.
public struct LitmusShape: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var note: String
    public var threads: [[LitmusStep]]
    public var exists: [LitmusAtom]

    public var description: String { name }
    public static let locationNames = ["x", "y", "z"]
    public var locationCount: Int {
        threads.joined().reduce(0) { m, s in
            switch s {
            case let .store(l, _, _, _), let .load(_, l, _, _): max(m, l + 1)
            case .fence: m
            }
        } }
    /// The family: `MP`, `SB`, ... (the name up to the first `+`).
    public var family: String { name.hasPrefix("2+2W") ? "2+2W" : String(name.prefix { $0 != "+" }) }

    /// Parses a test's name (any case).
    public static func named(_ name: String) -> LitmusShape? {
        catalogue.first { $0.name.lowercased() == name.lowercased() }
    }
}

extension LitmusShape {
    private static let x = 0, y = 1, z = 2
    private static func w(_ l: Int, _ v: UInt32 = 1, _ o: LitmusStore = .relaxed, dep: Int? = nil) -> LitmusStep {
        .store(location: l, value: v, o, dependsOn: dep)
    }
    private static func r(_ k: Int, _ l: Int, _ o: LitmusLoad = .relaxed, dep: Int? = nil) -> LitmusStep {
        .load(result: k, location: l, o, dependsOn: dep)
    }
    private static func reg(_ t: Int, _ k: Int, _ v: UInt32) -> LitmusAtom { .result(thread: t, result: k, equals: v) }

    /// Every shape `pvbench litmus all` runs, in order.
    public static let catalogue: [LitmusShape] = [
        LitmusShape(name: "MP", note: "message passing, plain accesses",
                    threads: [[w(x), w(y)], [r(0, y), r(1, x)]], exists: [reg(1, 0, 1), reg(1, 1, 0)]),
        LitmusShape(name: "MP+dmb.st+dmb.ld", note: "smp_wmb / smp_rmb",
                    threads: [[w(x), .fence(.store), w(y)], [r(0, y), .fence(.load), r(1, x)]],
                    exists: [reg(1, 0, 1), reg(1, 1, 0)]),
        LitmusShape(name: "MP+dmb.ld+dmb.ld", note: "ISHLD on the writer does not order its stores",
                    threads: [[w(x), .fence(.load), w(y)], [r(0, y), .fence(.load), r(1, x)]],
                    exists: [reg(1, 0, 1), reg(1, 1, 0)]),
        LitmusShape(name: "MP+popl+poap", note: "store-release / load-acquire (STLR / LDAR)",
                    threads: [[w(x), w(y, 1, .release)], [r(0, y, .acquire), r(1, x)]],
                    exists: [reg(1, 0, 1), reg(1, 1, 0)]),
        LitmusShape(name: "MP+dmb.st+addr", note: "smp_wmb / address dependency",
                    threads: [[w(x), .fence(.store), w(y)], [r(0, y), r(1, x, dep: 0)]],
                    exists: [reg(1, 0, 1), reg(1, 1, 0)]),
        LitmusShape(name: "SB", note: "store buffering, plain accesses",
                    threads: [[w(x), r(0, y)], [w(y), r(0, x)]], exists: [reg(0, 0, 0), reg(1, 0, 0)]),
        LitmusShape(name: "SB+dmb.sys", note: "smp_mb on both sides",
                    threads: [[w(x), .fence(.full), r(0, y)], [w(y), .fence(.full), r(0, x)]],
                    exists: [reg(0, 0, 0), reg(1, 0, 0)]),
        LitmusShape(name: "SB+popl+poap", note: "STLR then LDAR: ordered (RCsc); seq-cst in C11",
                    threads: [[w(x, 1, .seqCst), r(0, y, .seqCst)], [w(y, 1, .seqCst), r(0, x, .seqCst)]],
                    exists: [reg(0, 0, 0), reg(1, 0, 0)]),
        LitmusShape(name: "SB+popl+poapr", note: "STLR then LDAPR: not ordered (RCpc); release/acquire in C11",
                    threads: [[w(x, 1, .release), r(0, y, .acquirePC)], [w(y, 1, .release), r(0, x, .acquirePC)]],
                    exists: [reg(0, 0, 0), reg(1, 0, 0)]),
        LitmusShape(name: "LB", note: "load buffering, plain accesses",
                    threads: [[r(0, x), w(y)], [r(0, y), w(x)]], exists: [reg(0, 0, 1), reg(1, 0, 1)]),
        LitmusShape(name: "2+2W", note: "two writers, two locations",
                    threads: [[w(x, 1), w(y, 2)], [w(y, 1), w(x, 2)]],
                    exists: [.memory(location: x, equals: 1), .memory(location: y, equals: 1)]),
        LitmusShape(name: "WRC+addrs", note: "write-to-read causality with address dependencies",
                    threads: [[w(x)], [r(0, x), w(y, dep: 0)], [r(0, y), r(1, x, dep: 0)]],
                    exists: [reg(1, 0, 1), reg(2, 0, 1), reg(2, 1, 0)]),
        LitmusShape(name: "WRC+dmb.sy+addr", note: "write-to-read causality: smp_mb, then an address dependency",
                    threads: [[w(x)], [r(0, x), .fence(.full), w(y)], [r(0, y), r(1, x, dep: 0)]],
                    exists: [reg(1, 0, 1), reg(2, 0, 1), reg(2, 1, 0)]),
        LitmusShape(name: "ISA2+dmb.st+addr+addr", note: "three threads, smp_wmb then two address dependencies",
                    threads: [[w(x), .fence(.store), w(y)], [r(0, y), w(z, dep: 0)],
                              [r(0, z), r(1, x, dep: 0)]],
                    exists: [reg(1, 0, 1), reg(2, 0, 1), reg(2, 1, 0)]),
        LitmusShape(name: "IRIW", note: "independent reads of independent writes, plain",
                    threads: [[w(x)], [r(0, x), r(1, y)], [w(y)], [r(0, y), r(1, x)]],
                    exists: [reg(1, 0, 1), reg(1, 1, 0), reg(3, 0, 1), reg(3, 1, 0)]),
        LitmusShape(name: "IRIW+addrs", note: "IRIW with address dependencies: ARMv8 is other-multi-copy-atomic",
                    threads: [[w(x)], [r(0, x), r(1, y, dep: 0)], [w(y)], [r(0, y), r(1, x, dep: 0)]],
                    exists: [reg(1, 0, 1), reg(1, 1, 0), reg(3, 0, 1), reg(3, 1, 0)]),
        LitmusShape(name: "CoRR", note: "read-read coherence on one location",
                    threads: [[w(x)], [r(0, x), r(1, x)]], exists: [reg(1, 0, 1), reg(1, 1, 0)]),
    ]
}
