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
/// than the previous read: what the C kernel checks too). Counts stay in
/// registers; only a violation leaves the loop's fast path. A protocol read
/// that retries ``pvReadGiveUpAttempts`` times gives up and is counted.
/// Returns (protocol retries, reads given up).
@inline(never)
public func pvGuestStealClockReads<S: OrderingStrategy>(
    _: S.Type, record: UnsafeMutableRawPointer, count: Int, check: inout MonotonicCheck<S.Target>
) -> (retries: UInt64, gaveUp: UInt64) {
    var last = check.last
    var retries: UInt64 = 0
    var gaveUp: UInt64 = 0
    var i = 0
    while i < count {
        i &+= 1
        guard let value = S.readBounded(record, retries: &retries, limit: pvReadGiveUpAttempts) else {
            gaveUp &+= 1
            continue
        }
        if let key = S.Target.specKey(value) {
            if S.Target.specIsMonotonic, key < last { check.noteDecrease(value, key: key, previous: last) }
            last = key
        } else {
            check.noteViolation(value, previous: last, torn: true)
        }
    }
    check.last = last
    return (retries, gaveUp)
}

/// The value of a flag read as `vcpu_is_preempted()` interprets it: 0 for
/// running, 1 for preempted, 2 for a value that is neither (torn).
@inlinable @inline(__always)
func pvFlagState<T: SharedTarget>(_: T.Type, _ value: T.Value) -> UInt32 {
    guard let key = T.specKey(value) else { return 2 }
    return UInt32(truncatingIfNeeded: key)
}

/// Spinning code's shape: polls `vcpu_is_preempted()` for the vCPUs in
/// `flags` round robin from `cursor` until one differs from `last[v]` or
/// `maxPolls` polls are done. Returns the polls done and, on a change, the
/// vCPU and the raw value read (for the detector); `last` and `cursor` are
/// updated. Same contract as `pvref_preempt_poll_*`.
@inline(never)
public func pvGuestPreemptPoll<S: OrderingStrategy>(
    _: S.Type, flags: RecordArray, last: UnsafeMutablePointer<UInt32>, cursor: inout Int, maxPolls: Int
) -> (polls: Int, changed: Int, value: S.Target.Value?) {
    let n = flags.count
    var v = cursor
    var retries: UInt64 = 0
    var i = 0
    while i < maxPolls {
        let value = S.read(flags[v], retries: &retries)
        let state = pvFlagState(S.Target.self, value)
        i &+= 1
        if state != last[v] {
            last[v] = state
            cursor = v &+ 1 == n ? 0 : v &+ 1
            return (i, v, value)
        }
        v = v &+ 1 == n ? 0 : v &+ 1
    }
    cursor = v
    return (i, -1, nil)
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
            seen &+= pvFlagState(S.Target.self, S.read(flags[v], retries: &retries)) == 0 ? 0 : 1
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
