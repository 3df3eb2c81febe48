/// A memory event of one candidate execution: one single-copy-atomic
/// access (herd7's `sca-class`, collapsed to one event), covering one or
/// more cells; or, in the reference enumeration (`CheckOptions.byteEvents`),
/// one byte of such an access, its class given by `piece`. Fences are not events here; they are kept as positions in
/// program order (`ThreadTrace.fences`).
struct Event: Sendable {
    enum Kind: Sendable { case read, write }
    var kind: Kind
    var thread: Int
    /// Index of the instruction in the thread's dynamic trace; events of
    /// one instruction share it and are not ordered by po (herd7 iico).
    var instruction: Int
    /// Which single-copy-atomic piece of its instruction's reads or writes
    /// the event belongs to (a misaligned access has several): events of one
    /// thread, instruction, kind and piece form one herd7 `sca-class`.
    var piece: Int = 0
    /// Global cell ids, ascending.
    var cells: [Int]
    /// The value of each cell (written, or the value the read returns).
    var values: [UInt64]
    var acquire = false
    var acquirePC = false
    var release = false
    var exclusive = false
    /// x86 locked (XCHG) access.
    var locked = false
    /// herd7 `NoRet`: the read of an LSE atomic into XZR.
    var noReturn = false
    /// The annotations herd7's C semantics gives the access under
    /// linux-kernel.def (empty for a plain C access and for assembly).
    var lkmm: LKMMTags = []

    var isRead: Bool { kind == .read }

    /// Same herd7 `sca-class` (reflexive).
    func sameClass(_ o: Event) -> Bool {
        thread == o.thread && instruction == o.instruction && kind == o.kind && piece == o.piece
    }
    var isWrite: Bool { kind == .write }

    func value(ofCell c: Int) -> UInt64? {
        guard let i = cells.firstIndex(of: c) else { return nil }
        return values[i]
    }
}

/// The thread-local reads a value depends on (bit masks of event ids):
/// through herd7's `dtrm` (rf-reg, iico_data, lrs), and through
/// `pick-dtrm = (dtrm | iico_ctrl)+`, which also passes from a CSEL's
/// flags to its result. `pick` always includes `dtrm`.
struct Taint: Sendable, Equatable {
    var dtrm: UInt64 = 0
    var pick: UInt64 = 0

    init() {}
    /// Read event `e` itself.
    init(read e: Int) {
        dtrm = 1 << UInt64(e)
        pick = dtrm
    }
    /// What reaches a value through a control edge only.
    init(pickOnly t: Taint) { pick = t.pick }

    static func | (l: Taint, r: Taint) -> Taint {
        var t = Taint()
        t.dtrm = l.dtrm | r.dtrm
        t.pick = l.pick | r.pick
        return t
    }
    static func |= (l: inout Taint, r: Taint) { l = l | r }
}

/// One thread's path through its code for one choice of the values its
/// reads return: events in program order, and the dependencies herd7
/// computes from register dataflow (aarch64deps.cat: addr, data, ctrl
/// through rf-reg and lrs; STXR status results carry none), with their
/// pick- versions (through iico_ctrl as well).
struct ThreadTrace: Sendable {
    var events: [Event] = []
    /// For event i, the thread-local read events its address depends on (bit mask).
    var addr: [UInt64] = []
    /// For write i, the reads its stored value depends on.
    var data: [UInt64] = []
    /// For event i, the reads a po-earlier conditional branch depended on.
    var ctrl: [UInt64] = []
    /// The same through pick-dtrm (aarch64deps.cat pick-addr-dep, pick-data-dep, pick-ctrl-dep).
    var pickAddr: [UInt64] = [], pickData: [UInt64] = [], pickCtrl: [UInt64] = []
    /// For read i, the reads that reach it through pick-dtrm and `lrs` (a
    /// po-earlier same-location write's sources): pick-lob's first step.
    var pickLrs: [UInt64] = []
    /// (instruction index, fence, the reads po-earlier branches depended on through dtrm and pick-dtrm), in program order.
    var fences: [(instruction: Int, fence: Fence, ctrl: UInt64, pickCtrl: UInt64)] = []

    mutating func append(addr a: Taint, data d: Taint, ctrl c: Taint) {
        addr.append(a.dtrm)
        data.append(d.dtrm)
        ctrl.append(c.dtrm)
        pickAddr.append(a.pick)
        pickData.append(d.pick)
        pickCtrl.append(c.pick)
    }
    /// Load-exclusive → successful store-exclusive pairs (herd7 rmw/lxsx), and x86 XCHG.
    var rmw: [(read: Int, write: Int)] = []
    /// Ordered pairs of memory events inside one instruction (herd7
    /// `iico_order`, from `seq_mem`): LDIAPP's reads, STILP's writes.
    var iicoOrder: [(first: Int, second: Int)] = []
    var registers: [Int: Value] = [:]
    /// The path took a backward jump once more than the unrolling bound
    /// allows and stops there (herd7's TooFar event): an execution with such
    /// a path is checked, but only to report that the bound was reached.
    var cut = false
    /// The path passes a DMB/DSB with a shareability domain (not in `ProgramThread.systemFences`).
    var sharedDomainFence = false
    /// LKMM fence events (`F[mb]`, `F[rcu-lock]`, …) at instruction positions, in program order (C programs only).
    var lkmmFences: [(instruction: Int, fence: LKMMFence)] = []
    /// The SRCU events among them, by instruction: their `srcu_struct` location and value (lock, unlock).
    var srcu: [Int: (location: Int, value: Value?)] = [:]
    /// A path no execution takes (a C thread dereferencing an integer): its
    /// writes count for the value domain, the path itself is left out.
    var impossible = false
    /// The path accessed outside a location (the reason, for a refusal), and
    /// runs on without that access: the checker refuses the test unless every
    /// value the path reads is one no write gives (then no execution takes it).
    var outOfBounds: String?
}
