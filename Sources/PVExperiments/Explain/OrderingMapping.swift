import PVModel
import PVRuntime

/// One kind of shared-memory access a strategy's code makes.
public enum SharedAccessKind: String, Sendable, Codable, CaseIterable {
    case load, store, fence
}

/// From a C11 ordering to the instructions it becomes: the mapping the
/// checker applies on AArch64 (through ``ProgramRecorder``) and what Swift
/// emits on x86-64, per access kind.
///
/// | C11 access    | AArch64   | x86-64 (Swift) | LLVM IR                 |
/// |---------------|-----------|----------------|-------------------------|
/// | relaxed load  | LDR       | MOV            | `load atomic monotonic` |
/// | acquire load  | LDAR      | MOV            | `load atomic acquire`   |
/// | seq_cst load  | LDAR      | MOV            | `load atomic seq_cst`   |
/// | relaxed store | STR       | MOV            | `store atomic monotonic`|
/// | release store | STLR      | MOV            | `store atomic release`  |
/// | seq_cst store | STLR      | XCHG           | `store atomic seq_cst`  |
/// | acquire fence | DMB ISHLD | (none)         | `fence acquire`         |
/// | release fence | DMB ISH   | (none)         | `fence release`         |
/// | seq_cst fence | DMB ISH   | LOCK OR        | `fence seq_cst`         |
///
/// The AArch64 column of loads and stores is ``ProgramRecorder``'s own
/// mapping (``ProgramRecorder/aarch64(_:)``), not a copy of it. Tests check
/// the other columns against `swiftc -emit-ir`/`-emit-assembly` of the
/// accessors and against `aarch64-linux-gnu-objdump` of the C kernels.
public enum OrderingMapping {
    /// Facts behind the table a reader would otherwise have to guess.
    public static let notes: [String] = [
        "AArch64 acquire loads are LDAR, not LDAPR: the toolchain targets armv8-a without +rcpc (FEAT_LRCPC), "
            + "and the C kernels cross-compiled with gcc -O2 use LDAR too",
        "no dependencies are assumed: a load's address, data or control dependency orders nothing in the model",
        "x86-64 seq_cst store: Swift emits XCHG (swiftc -emit-assembly of Atomic<UInt64>.store(ordering: .sequentiallyConsistent) "
            + "is xchgq), not MOV+MFENCE",
        "x86-64 seq_cst fence: Swift emits LOCK OR; the checker runs a DMB ISH as MFENCE (the same order under x86-TSO)",
        "x86-64 acquire and release fences are compiler barriers only: x86-TSO keeps load→load, load→store and store→store order",
        "the checker's x86-TSO run maps every STLR to XCHG, seq_cst or not: for a release store that is stronger than Swift's MOV "
            + "(it also orders the store before a later load of the same thread)",
    ]

    /// The AArch64 instruction for one access: loads and stores through the recorder's mapping.
    public static func aarch64(_ kind: SharedAccessKind, _ ordering: C11Ordering) -> String {
        switch kind {
        case .load: mnemonic(load: ProgramRecorder.aarch64(ordering), exclusive: false)
        case .store: mnemonic(store: ProgramRecorder.aarch64Store(ordering), exclusive: false)
        case .fence: ordering == .acquire ? "DMB ISHLD" : "DMB ISH"
        }
    }

    /// The x86-64 instruction Swift emits for one access; nil: no instruction (a compiler barrier).
    public static func x86(_ kind: SharedAccessKind, _ ordering: C11Ordering) -> String? {
        switch (kind, ordering) {
        case (.load, _): "MOV"
        case (.store, .seqCst): "XCHG"
        case (.store, _): "MOV"
        case (.fence, .seqCst): "LOCK OR"
        case (.fence, _): nil
        }
    }

    /// The LLVM IR spelling of a C11 ordering (`relaxed` is `monotonic`).
    public static func llvm(_ ordering: C11Ordering) -> String {
        switch ordering {
        case .relaxed: "monotonic"
        case .acquire: "acquire"
        case .release: "release"
        case .seqCst: "seq_cst"
        }
    }

    /// The AArch64 mnemonic of a checker instruction (what the recorder wrote down).
    public static func mnemonic(_ i: Instruction) -> String {
        switch i {
        case let .load(_, _, _, ordering, exclusive): mnemonic(load: ordering, exclusive: exclusive)
        case let .store(_, _, _, ordering, status): mnemonic(store: ordering, exclusive: status != nil)
        case let .loadPair(_, _, _, _, ordering, exclusive): exclusive ? (ordering == .plain ? "LDXP" : "LDAXP") : (ordering == .plain ? "LDP" : "LDIAPP")
        case let .storePair(_, _, _, _, ordering, status): status != nil ? (ordering == .plain ? "STXP" : "STLXP") : (ordering == .plain ? "STP" : "STILP")
        case .exchange: "XCHG"
        case let .fence(f):
            switch f {
            case .dmbFull: "DMB ISH"
            case .dmbLoad: "DMB ISHLD"
            case .dmbStore: "DMB ISHST"
            case .isb: "ISB"
            case .mfence: "MFENCE"
            }
        case .move: "MOV"
        case .arithmetic: "ALU"
        case .branch: "B"
        case .select: "CSEL"
        case .compareAndSwap: "CAS"
        case .compareAndSwapPair: "CASP"
        case .loadSigned: "LDRS"
        case let .atomic(op, _, _, _, _, _, _): op == .swp ? "SWP" : "LD\(op.rawValue)"
        }
    }

    static func mnemonic(load o: LoadOrdering, exclusive: Bool) -> String {
        switch o {
        case .plain: exclusive ? "LDXR" : "LDR"
        case .acquire: exclusive ? "LDAXR" : "LDAR"
        case .acquirePC: "LDAPR"
        }
    }

    static func mnemonic(store o: StoreOrdering, exclusive: Bool) -> String {
        switch o {
        case .plain: exclusive ? "STXR" : "STR"
        case .release: exclusive ? "STLXR" : "STLR"
        }
    }

    /// Whether an AArch64 instruction orders memory beyond a plain access
    /// (acquire, release, barrier): what the C kernels' disassembly is compared on.
    public static func isOrdering(_ mnemonic: String) -> Bool {
        !["LDR", "STR", "LDP", "STP", "LDXR", "STXR", "MOV", "ALU", "B"].contains(mnemonic)
    }
}
