import CPVPlatform
import PVABI
import PVRuntime

// The guest's hot paths, written once, generic over the ordering strategy.
// Each is `@inline(never)` so that, specialised for a strategy, it is one
// named function in the binary (`perf report`/`perf annotate` show it; run
// its name through `swift demangle`), and so the Swift and C kernels of one
// scenario are called the same way from the same outer loop.

/// Attempts after which a protocol read gives up (a writer stalled
/// mid-update): a few ms of retrying (each attempt on an odd sequence
/// includes a `cpu_relax`), so a reader never hangs.
public let pvReadGiveUpAttempts: UInt64 = 1 << 18

/// `para_steal_clock()` `count` times on one record, each value through the
/// detector's cheap monotonic check (invariant fields hold, never smaller
/// than the previous read: what the C kernel checks too). The loop only
/// counts, in registers, and keeps the first offending value; the detector's
/// out-of-line part sees them after the batch, so no call sits in the loop.
/// A protocol read that retries ``pvReadGiveUpAttempts`` times gives up and
/// is counted. Returns (protocol retries, reads given up).
@inline(never)
public func pvGuestStealClockReads<S: OrderingStrategy>(
    _: S.Type, record: UnsafeMutableRawPointer, count: Int, check: inout MonotonicCheck<S.Target>
) -> (retries: UInt64, gaveUp: UInt64) {
    var last = check.last
    var retries: UInt64 = 0, gaveUp: UInt64 = 0
    var drops: UInt64 = 0, invalid: UInt64 = 0
    var firstDrop: (value: S.Target.Value, previous: UInt64)?
    var firstInvalid: (value: S.Target.Value, previous: UInt64)?
    @inline(__always)
    func observe(_ read: S.Target.Value?) {
        guard let value = read else {
            gaveUp &+= 1
            return
        }
        if let key = S.Target.specKey(value) {
            if S.Target.specIsMonotonic, key < last {
                drops &+= 1
                if firstDrop == nil { firstDrop = (value, last) }
            }
            last = key
        } else {
            invalid &+= 1
            if firstInvalid == nil { firstInvalid = (value, last) }
        }
    }
    // Four reads per iteration, as the C compiler unrolls the C kernel: a
    // loop of single reads leaves fewer loads in flight per cache-line transfer.
    var i = 0
    while i &+ 4 <= count {
        observe(S.readBounded(record, retries: &retries, limit: pvReadGiveUpAttempts))
        observe(S.readBounded(record, retries: &retries, limit: pvReadGiveUpAttempts))
        observe(S.readBounded(record, retries: &retries, limit: pvReadGiveUpAttempts))
        observe(S.readBounded(record, retries: &retries, limit: pvReadGiveUpAttempts))
        i &+= 4
    }
    while i < count {
        observe(S.readBounded(record, retries: &retries, limit: pvReadGiveUpAttempts))
        i &+= 1
    }
    check.last = last
    if drops > 0 { check.noteDecreases(drops, first: firstDrop!.value, previous: firstDrop!.previous) }
    if invalid > 0 { check.noteTorn(invalid, first: firstInvalid!.value, previous: firstInvalid!.previous) }
    return (retries, gaveUp)
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
public func pvGuestPreemptPoll<S: OrderingStrategy>(
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
public func pvGuestIdleScan<S: OrderingStrategy>(_: S.Type, flags: RecordArray, scans: Int) -> UInt64 {
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
public func pvGuestSpinOnOwner<S: OrderingStrategy>(
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
