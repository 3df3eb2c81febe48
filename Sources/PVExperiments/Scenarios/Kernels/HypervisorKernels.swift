import CPVPlatform
import PVABI
import PVRuntime

/// `kvm_update_stolen_time()` for `count` sched-ins, round robin over the
/// vCPUs `first, first+step, …` below `records.count`, starting at `cursor`:
/// read the guest's value back, add a realistic run-delay delta, one store
/// through the strategy. `index` numbers the writes (for the delta).
/// With `intervalTicks > 0` each update waits for its deadline (spinning
/// with `cpu_relax`: a hypervisor thread on its own CPU). With
/// `stallEvery > 0` every that many updates stop mid-update for
/// `stallTicks` (`--inject stall-writer`).
@inline(never)
public func pvHypervisorStealUpdates<S: RecordStrategy>(
    _: S.Type, records: RecordArray, first: Int, step: Int, cursor: inout Int, count: Int,
    index: inout UInt64, intervalTicks: UInt64, deadline: inout UInt64,
    stallEvery: UInt64 = 0, stallTicks: UInt64 = 0, stalls: inout UInt64
) {
    var retries: UInt64 = 0
    var v = cursor
    var i = 0
    while i < count {
        let record = records[v]
        index &+= 1
        let current = S.read(record, retries: &retries)
        let next = S.Target.kvmNext(after: current, index: index)
        if stallEvery != 0, index % stallEvery == 0 {
            stalls &+= 1
            S.write(record, next, midpoint: {
                let until = pv_read_cycle_counter() &+ stallTicks
                while pv_read_cycle_counter() < until { pv_cpu_relax() }
            })
        } else {
            S.write(record, next)
        }
        v &+= step
        if v >= records.count { v = first }
        if intervalTicks > 0 {
            deadline &+= intervalTicks
            while pv_read_cycle_counter() < deadline { pv_cpu_relax() }
        }
        i &+= 1
    }
    cursor = v
}

/// vcpu_put/vcpu_load for the vCPUs `first, first+step, …`: writes the
/// `preempted` flag of each with `state` (1 = sched-out, 0 = sched-in)
/// through the strategy.
@inline(never)
public func pvHypervisorSetPreempted<S: RecordStrategy>(
    _: S.Type, flags: RecordArray, first: Int, step: Int, state: UInt32
) {
    // PreemptedFlagTarget's spec value n is n & 1: value `state` is that state.
    let value = S.Target.specValue(UInt64(state))
    var v = first
    while v < flags.count {
        S.write(flags[v], value)
        v &+= step
    }
}

/// Spins until the cycle counter reaches `deadline` or `stop()` says so,
/// checking `stop` every 64 spins.
@inline(__always)
func pvSpinUntil(_ deadline: UInt64, stop: () -> Bool) {
    var n = 0
    while pv_read_cycle_counter() < deadline {
        pv_cpu_relax()
        n &+= 1
        if n & 63 == 0, stop() { return }
    }
}
