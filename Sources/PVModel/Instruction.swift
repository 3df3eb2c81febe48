/// One instruction of the checker's architecture-neutral program
/// representation. The litmus front ends lower AArch64 and x86 text to it;
/// another module can build it directly.
///
/// Registers are small integers (AArch64: X0...X30 are 0...30, XZR is
/// `Instruction.zeroRegister`; x86: see `X86Registers`). Widths are bytes.
public enum Instruction: Sendable, Hashable {
    /// A load of `bytes` into `destination` (zero-extended).
    case load(destination: Int, address: Address, bytes: Int, ordering: LoadOrdering, exclusive: Bool)
    /// LDRSB/LDRSH/LDRSW: `bytes` sign-extended to the destination's
    /// `registerBytes` (4 or 8; a W result is zero-extended above, as herd7's `ldrs`).
    case loadSigned(destination: Int, address: Address, bytes: Int, registerBytes: Int)
    /// A store of `source`'s low `bytes`. An exclusive store writes 0 to
    /// `status` on success, 1 on failure (both are explored).
    case store(source: Operand, address: Address, bytes: Int, ordering: StoreOrdering, status: Int?)
    /// LDP/LDXP: two registers of `bytes` each from consecutive memory.
    /// A non-exclusive pair with `.acquirePC` is LDIAPP: two Load-AcquirePC
    /// reads, the first ordered before the second inside the instruction
    /// (herd7 `iico_order`).
    case loadPair(first: Int, second: Int, address: Address, bytes: Int, ordering: LoadOrdering, exclusive: Bool)
    /// STP/STXP. A pair with `.release` and no status is STILP: two
    /// Store-Release writes, ordered inside the instruction (herd7 7.57: the
    /// first before the second, the second before the first with pre-index).
    case storePair(first: Operand, second: Operand, address: Address, bytes: Int, ordering: StoreOrdering, status: Int?)
    /// x86 `XCHG reg,[mem]`: a locked read-modify-write.
    case exchange(register: Int, address: Address, bytes: Int)
    case fence(Fence)
    /// `destination = source`, truncated to `bytes`.
    case move(destination: Int, source: Operand, bytes: Int)
    /// `destination = lhs op rhs`, truncated to `bytes`.
    case arithmetic(ArithmeticOperation, destination: Int, lhs: Int, rhs: Operand, bytes: Int)
    /// Jump to instruction index `target` when the condition holds; a target
    /// at or before this index is a loop (unrolled, `CheckOptions.unroll`).
    case branch(BranchCondition, target: Int)
    /// AArch64 CSEL/CSINC/CSINV/CSNEG: `destination = condition ? ifTrue :
    /// op(ifFalse)`, on the flags register. As in herd7, the flags reach the
    /// result through a control edge (`iico_ctrl`): a pick dependency, not a data one.
    case select(SelectOperation, destination: Int, ifTrue: Int, ifFalse: Int, condition: ConditionCode, bytes: Int)
    /// An LSE atomic (SWP, LDADD, LDCLR, LDSET, LDEOR, LDSMAX, LDSMIN, LDUMAX, LDUMIN; STADD... are the
    /// forms into XZR): reads the old value into `destination` and writes
    /// `op(old, source)`, one herd7 `amo` pair. Into XZR the read is herd7's
    /// `NoRet` and never an acquire.
    case atomic(AtomicOperation, source: Int, destination: Int, address: Address, bytes: Int, acquire: Bool, release: Bool)
    /// CAS{A}{L}{B|H} Rs,Rt,[Xn]: reads; if the value equals `expected`'s,
    /// writes `new`'s (an amo pair), else only reads; the old value goes to
    /// `expected`. herd7 7.57 builds each outcome in two ways (where the
    /// returned value comes from; whether the comparison controls it): two
    /// executions, counted as herd7 counts them.
    case compareAndSwap(expected: Int, new: Int, address: Address, bytes: Int, acquire: Bool, release: Bool)
    /// CASP{A}{L} Rs,Rs+1,Rt,Rt+1,[Xn]: CAS on two consecutive `bytes`-sized
    /// locations, as herd7 7.57 builds it: two reads, and on success (both
    /// values equal the `expected` pair's) two writes, each an rmw pair with
    /// the read of its location; the old values go to the `expected` pair.
    case compareAndSwapPair(expected: Int, expected2: Int, new: Int, new2: Int, address: Address, bytes: Int, acquire: Bool, release: Bool)

    /// AArch64's XZR/WZR: reads as 0, writes are discarded.
    public static let zeroRegister = 31
    /// PSTATE.NZCV, as herd7 keeps it: a register (N = bit 3, Z = 2, C = 1, V = 0)
    /// written by ADDS/SUBS/ANDS (CMP, CMN, TST) and read by B.cond and CSEL.
    public static let flagsRegister = 32
}

public enum AtomicOperation: String, Sendable, Hashable {
    /// SWP: the new value is the source.
    case swp = "SWP"
    case add = "ADD"
    /// old AND NOT source.
    case clr = "CLR"
    /// old OR source.
    case set = "SET"
    case eor = "EOR"
    /// The larger (smaller) of old and source, compared as signed or unsigned
    /// integers of the access size (herd7 sign-extends both for SMAX/SMIN).
    case smax = "SMAX"
    case smin = "SMIN"
    case umax = "UMAX"
    case umin = "UMIN"
}

public enum SelectOperation: Sendable, Hashable {
    case csel, csinc, csinv, csneg
}

/// AArch64 condition codes (Arm ARM C1.2.4), as herd7's `tr_cond` reads NZCV.
public enum ConditionCode: String, Sendable, Hashable, CaseIterable {
    case eq = "EQ", ne = "NE", cs = "CS", cc = "CC", mi = "MI", pl = "PL", vs = "VS", vc = "VC"
    case hi = "HI", ls = "LS", ge = "GE", lt = "LT", gt = "GT", le = "LE", al = "AL"

    public func holds(nzcv f: UInt64) -> Bool {
        let n = f & 8 != 0, z = f & 4 != 0, c = f & 2 != 0, v = f & 1 != 0
        switch self {
        case .eq: return z
        case .ne: return !z
        case .cs: return c
        case .cc: return !c
        case .mi: return n
        case .pl: return !n
        case .vs: return v
        case .vc: return !v
        case .hi: return c && !z
        case .ls: return !c || z
        case .ge: return n == v
        case .lt: return n != v
        case .gt: return n == v && !z
        case .le: return n != v || z
        case .al: return true
        }
    }

    /// The opposite condition (CSET/CINC select on it); nil for AL.
    public var inverse: ConditionCode? {
        switch self {
        case .eq: .ne
        case .ne: .eq
        case .cs: .cc
        case .cc: .cs
        case .mi: .pl
        case .pl: .mi
        case .vs: .vc
        case .vc: .vs
        case .hi: .ls
        case .ls: .hi
        case .ge: .lt
        case .lt: .ge
        case .gt: .le
        case .le: .gt
        case .al: nil
        }
    }
}

public enum Operand: Sendable, Hashable {
    case register(Int)
    case immediate(UInt64)
    /// The address of a location (`MOV X0,x` is not AArch64 syntax, but a program may need it).
    case address(Int)
    /// A register shifted or extended before use (AArch64 `Xm,LSL #k`, `Wm,SXTW`).
    case shifted(Int, RegisterShift)
}

/// AArch64's shifted-register and extended-register operand forms.
public enum RegisterShift: Sendable, Hashable {
    case lsl(Int)
    case lsr(Int)
    case asr(Int)
    /// The low 32 bits, sign-extended.
    case sxtw
    /// The low 32 bits, zero-extended.
    case uxtw
}

/// How an address's index register is read: as it is (`[Xn,Xm]`), or its
/// low 32 bits sign- or zero-extended (`[Xn,Wm,SXTW]`, `[Xn,Wm,UXTW]`).
public enum IndexExtension: Sendable, Hashable {
    case none
    case sxtw
    case uxtw
}

/// `[base, index, #offset]`; base is a register or (x86 `[x]`) a location.
/// The index is extended, then shifted left by `indexShift`
/// (`[Xn,Wm,SXTW #2]`, `[Xn,Xm,LSL #3]`).
public struct Address: Sendable, Hashable {
    public enum Base: Sendable, Hashable {
        case register(Int)
        case location(Int)
    }

    public var base: Base
    public var index: Int?
    public var offset: Int64
    public var indexExtension: IndexExtension
    public var indexShift: Int
    /// AArch64 pre-index `[Xn,#k]!` (the access at Xn+k) and post-index
    /// `[Xn],#k` (the access at Xn): either way Xn becomes Xn+k afterwards.
    public var writeback: Writeback?
    public init(base: Base, index: Int? = nil, offset: Int64 = 0, indexExtension: IndexExtension = .none, indexShift: Int = 0,
                writeback: Writeback? = nil) {
        self.writeback = writeback
        self.base = base
        self.index = index
        self.offset = offset
        self.indexExtension = indexExtension
        self.indexShift = indexShift
    }
}

public enum Writeback: Sendable, Hashable {
    case preIndex
    case postIndex
}

/// Load orderings: LDR, LDAR (acquire, RCsc), LDAPR (acquire, RCpc).
public enum LoadOrdering: Sendable, Hashable {
    case plain
    /// Arm ARM "Load-Acquire" (herd7 set A): ordered after an earlier STLR.
    case acquire
    /// Arm ARM "Load-AcquirePC" (herd7 set Q): not ordered after an earlier STLR.
    case acquirePC
}

/// Store orderings: STR and STLR (herd7 set L).
public enum StoreOrdering: Sendable, Hashable {
    case plain
    case release
}

public enum Fence: Sendable, Hashable {
    /// DMB SY/ISH/OSH/NSH (herd7 dmb.full).
    case dmbFull
    /// DMB LD/ISHLD/... (dmb.ld).
    case dmbLoad
    /// DMB ST/ISHST/... (dmb.st).
    case dmbStore
    /// ISB, a context synchronisation event (herd7 CSE).
    case isb
    /// x86 MFENCE.
    case mfence
}

public enum ArithmeticOperation: Sendable, Hashable {
    case add
    case sub
    case and
    case orr
    case eor
    /// `lhs AND NOT rhs`.
    case bic
    /// Shifts by an immediate amount (`LSL Xd,Xn,#k`).
    case lsl
    case lsr
    case asr
    /// Flag-setting forms: the result, and NZCV into `Instruction.flagsRegister`
    /// (CMP is SUBS into XZR, CMN ADDS, TST ANDS).
    case adds
    case subs
    case ands
    /// AArch64 MOVK: `rhs` (16 bits) into bits `shift ..< shift+16` of `lhs`, the other bits kept.
    case movk(shift: Int)
}

public enum BranchCondition: Sendable, Hashable {
    case always
    case zero(Int)
    case nonZero(Int)
    /// B.cond on the flags register.
    case flags(ConditionCode)
    /// TBZ/TBNZ: bit `bit` of the register is 0 / 1.
    case bitZero(Int, bit: Int)
    case bitNonZero(Int, bit: Int)
}
