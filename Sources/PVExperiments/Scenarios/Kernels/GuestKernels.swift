import CPVPlatform
import PVABI
import PVRuntime

// The guest's hot paths, written once, generic over the ordering strategy.
// Each is `@inline(never)` so that, specialised for a strategy, it is one
// named function in the binary (`perf report`/`perf annotate` show it; run
// its name through `swift demangle`), and so the Swift and C kernels of one
// scenario are called the same way from the same outer loop.

/// Attempts after which a protocol read gives up (a writer stalled
/// mid-update), so a reader never hangs: a few ms of retrying where
/// `cpu_relax` is a few ns, a quarter of a second where a PAUSE exits to the
/// hypervisor (``RunSettings/readGiveUpAttempts`` changes it per run).
public let pvReadGiveUpAttempts: UInt64 = 1 << 18

/// `para_steal_clock()` `count` times on one record, each value through the
/// detector's cheap monotonic check (invariant fields hold, never smaller
/// than the previous read: what the C kernel checks too). The loop only
/// counts, in registers, and keeps the first offending value; the detector's
/// out-of-line part sees them after the batch, so no call sits in the loop.
/// A protocol read that retries `giveUpAfter` times gives up and is counted. Returns (protocol retries, reads given up).
///
/// Shape of the loop for single-access strategies, and why (each step
/// measured with `run --compare-impl` against the C kernel, and in a
/// stand-alone two-thread C harness):
/// - Eight reads per iteration. Decreases are counted branch-free, as the C
///   kernel counts them (`cmp; adc`); one branch, not taken, per eight reads
///   asks whether there were any. A compare-and-branch per read cost ~1.2x
///   under a writer's cache-line traffic even though never taken (C written
///   that way cost the same), one per four reads ~1.1x, one per eight
///   nothing measurable.
/// - Only a chunk with a decrease calls the out-of-line ``pvFirstDecrease``
///   to find which of its eight values (still in registers) came first, so
///   the report keeps the exact first offending value.
/// - A chunk with a read that gave up or broke the invariants is replayed
///   value by value through `observe`, which keeps every count exact.
/// Protocol reads (seqlock, ck-sequence) are loops of their own and go one
/// at a time, four per iteration, with every rare outcome out of line.
@inline(never)
public func pvGuestStealClockReads<S: RecordStrategy>(
    _: S.Type, record: UnsafeMutableRawPointer, count: Int, check: inout MonotonicCheck<S.Target>,
    giveUpAfter: UInt64 = pvReadGiveUpAttempts
) -> (retries: UInt64, gaveUp: UInt64) {
    var last = check.last
    var retries: UInt64 = 0, gaveUp: UInt64 = 0
    var drops: UInt64 = 0, invalid: UInt64 = 0
    // First offenders: the value, the key before it, and the read's index
    // in the batch (so the detector hears of them in the order they came).
    var firstDrop: (value: S.Target.Value, previous: UInt64, at: UInt)?
    var firstInvalid: (value: S.Target.Value, previous: UInt64, at: UInt)?
    // One read, checked on its own (chunks with something unusual, and the
    // last `count % 8` reads). First offenders are taken when their count
    // is still 0, so no flag is carried through the loop.
    @inline(__always)
    func observe(_ read: S.Target.Value?, at index: UInt) {
        guard let value = read else {
            gaveUp &+= 1
            return
        }
        guard let key = S.Target.specKey(value) else {
            if invalid == 0 { firstInvalid = (value, last, index) }
            invalid &+= 1
            return
        }
        if S.Target.specIsMonotonic, _slowPath(key < last) {
            if drops == 0 { firstDrop = (value, last, index) }
            drops &+= 1
        }
        last = key
    }
    @inline(__always)
    func read() -> S.Target.Value? {
        S.readBounded(record, retries: &retries, limit: giveUpAfter)
    }
    @inline(__always)
    func key(_ read: S.Target.Value?) -> UInt64? {
        guard let value = read else { return nil }
        return S.Target.specKey(value)
    }
    guard count > 0 else { return (0, 0) }
    var at: UInt = 0  // reads done
    if S.retriesReads {
        // A protocol read is a loop of its own (begin, load, check, maybe
        // retry); eight of them in flight only add register pressure (the
        // seqlock read ran at about half the C kernel's rate with them). One
        // at a time, four per iteration, rare outcomes out of line.
        let unrolled = UInt(count) & ~3
        while at != unrolled {
            observe(read(), at: at)
            observe(read(), at: at &+ 1)
            observe(read(), at: at &+ 2)
            observe(read(), at: at &+ 3)
            at &+= 4
        }
    } else {
        let allChunks = UInt(count) >> 3
        var chunks = allChunks
        while chunks != 0 {
            let r0 = read(), r1 = read(), r2 = read(), r3 = read()
            let r4 = read(), r5 = read(), r6 = read(), r7 = read()
            let base = (allChunks &- chunks) << 3  // index of r0 (used off the straight line only)
            if let k0 = key(r0), let k1 = key(r1), let k2 = key(r2), let k3 = key(r3),
               let k4 = key(r4), let k5 = key(r5), let k6 = key(r6), let k7 = key(r7)
            {
                if S.Target.specIsMonotonic {
                    let decreases = pvOneIf(k0 < last) &+ pvOneIf(k1 < k0) &+ pvOneIf(k2 < k1) &+ pvOneIf(k3 < k2)
                        &+ pvOneIf(k4 < k3) &+ pvOneIf(k5 < k4) &+ pvOneIf(k6 < k5) &+ pvOneIf(k7 < k6)
                    if _slowPath(decreases != 0) {
                        if drops == 0, let first = pvFirstDecrease(
                            S.Target.self, (r0.unsafelyUnwrapped, r1.unsafelyUnwrapped, r2.unsafelyUnwrapped,
                                            r3.unsafelyUnwrapped, r4.unsafelyUnwrapped, r5.unsafelyUnwrapped,
                                            r6.unsafelyUnwrapped, r7.unsafelyUnwrapped), after: last)
                        {
                            firstDrop = (first.value, first.previous, base &+ first.offset)
                        }
                        drops &+= decreases
                    }
                }
                last = k7
            } else {
                observe(r0, at: base)
                observe(r1, at: base &+ 1)
                observe(r2, at: base &+ 2)
                observe(r3, at: base &+ 3)
                observe(r4, at: base &+ 4)
                observe(r5, at: base &+ 5)
                observe(r6, at: base &+ 6)
                observe(r7, at: base &+ 7)
            }
            chunks &-= 1
        }
        at = allChunks << 3
    }
    while at < UInt(count) {
        observe(read(), at: at)
        at &+= 1
    }
    check.last = last
    // The detector keeps the first violation it hears of: tell it in order.
    if _slowPath(drops > 0 || invalid > 0) {
        let decreasesFirst = drops > 0 && (invalid == 0 || firstDrop!.at < firstInvalid!.at)
        if decreasesFirst { check.noteDecreases(drops, first: firstDrop!.value, previous: firstDrop!.previous) }
        if invalid > 0 { check.noteTorn(invalid, first: firstInvalid!.value, previous: firstInvalid!.previous) }
        if drops > 0, !decreasesFirst { check.noteDecreases(drops, first: firstDrop!.value, previous: firstDrop!.previous) }
    }
    return (retries, gaveUp)
}

/// 1 for true, 0 for false, without a branch. `condition ? 1 : 0` is the
/// same value, but in an unrolled loop the optimiser turned eight of them
/// into a tree of branches; Bool's one-byte 0/1 representation is ABI.
@inline(__always)
func pvOneIf(_ condition: Bool) -> UInt64 {
    UInt64(unsafeBitCast(condition, to: UInt8.self))
}

/// The first of eight valid values whose key is smaller than the key before
/// it (`after` is the key before the first), with that previous key and its
/// offset among the eight: the cold half of the steal-clock loop's check,
/// called only for the chunk that holds the first decrease of a batch.
@inline(never)
func pvFirstDecrease<T: SharedTarget>(
    _: T.Type, _ values: (T.Value, T.Value, T.Value, T.Value, T.Value, T.Value, T.Value, T.Value), after: UInt64
) -> (value: T.Value, previous: UInt64, offset: UInt)? {
    var previous = after
    let all = [values.0, values.1, values.2, values.3, values.4, values.5, values.6, values.7]
    for (offset, value) in all.enumerated() {
        guard let key = T.specKey(value) else { return nil }
        if key < previous { return (value, previous, UInt(offset)) }
        previous = key
    }
    return nil
}

/// A flag read as `vcpu_is_preempted()` reads it: `!!value`, 0 for running
/// and 1 for anything else (a value that is neither 0 nor 1 reads as
/// preempted, as in the kernel; the detector sees it where the answer changes).
@inlinable @inline(__always)
func pvFlagState<T: SharedTarget>(_: T.Type, _ value: T.Value) -> UInt32 {
    T.specKey(value) == 0 ? 0 : 1
}

/// Spinning code's shape: polls `vcpu_is_preempted()` — the flag read as
/// `!!` does, 0 or 1 — for the vCPUs in `flags` round robin from `cursor`
/// until one differs from `last[v]` or `maxPolls` polls are done. Returns
/// the polls done and, on a change, the vCPU and the raw value read (the
/// caller passes it to the detector, which sees every value that changed
/// the answer); `last` and `cursor` are updated. Same contract as
/// `pvref_preempt_poll_*`.
@inline(never)
public func pvGuestPreemptPoll<S: RecordStrategy>(
    _: S.Type, flags: RecordArray, last: UnsafeMutablePointer<UInt32>, cursor: inout Int, maxPolls: Int
) -> (polls: Int, changed: Int, value: S.Target.Value?) {
    let n = flags.count
    var v = cursor
    var retries: UInt64 = 0
    var remaining = maxPolls
    while remaining > 0 {
        let value = S.read(flags[v], retries: &retries)
        let preempted = pvFlagState(S.Target.self, value)
        remaining &-= 1
        if preempted != last[v] {
            last[v] = preempted
            cursor = v &+ 1 == n ? 0 : v &+ 1
            return (maxPolls &- remaining, v, value)
        }
        v = v &+ 1 == n ? 0 : v &+ 1
    }
    cursor = v
    return (maxPolls, -1, nil)
}

/// `available_idle_cpu()` over every vCPU in `flags`, `scans` times: one
/// `vcpu_is_preempted()` per vCPU per scan. Returns the flags seen set
/// (anything not 0 counts, as `!!` does).
@inline(never)
public func pvGuestIdleScan<S: RecordStrategy>(_: S.Type, flags: RecordArray, scans: Int) -> UInt64 {
    var seen: UInt64 = 0
    var retries: UInt64 = 0
    var s = 0
    while s < scans {
        var v = 0
        while v < flags.count {
            seen &+= UInt64(pvFlagState(S.Target.self, S.read(flags[v], retries: &retries)))
            v &+= 1
        }
        s &+= 1
    }
    return seen
}

/// Why a spinning waiter stopped.
public enum SpinExit: Int, Sendable {
    /// The owner released the lock.
    case released = 0
    /// The owner's vCPU was seen preempted (only when the waiter honours it).
    case ownerPreempted = 1
    /// The spin budget ran out (the caller checks the stop flag and spins on).
    case budget = 2
}

/// `mutex_spin_on_owner()`: spins while the lock word still names the owner
/// and, when `honoursPreempted`, while `!vcpu_is_preempted(owner's cpu)`;
/// `cpu_relax()` between iterations as the kernel does. A waiter that does
/// not honour the flag is a guest without PV sched.
@inline(never)
public func pvGuestSpinOnOwner<S: RecordStrategy>(
    _: S.Type, lock: SharedU32, ownerFlag: UnsafeMutableRawPointer, honoursPreempted: Bool, maxSpins: Int
) -> (spins: Int, exit: SpinExit) {
    var retries: UInt64 = 0
    var i = 0
    while i < maxSpins {
        if lock.loadRelaxed() == 0 { return (i, .released) }
        if honoursPreempted, pvFlagState(S.Target.self, S.read(ownerFlag, retries: &retries)) != 0 {
            return (i, .ownerPreempted)
        }
        pv_cpu_relax()
        i &+= 1
    }
    return (i, .budget)
}
