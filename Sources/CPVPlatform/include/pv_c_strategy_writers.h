/* The emulated scheduler's writer kernels (pv_vcpu_sched.h) for a C
 * strategy file: vcpu_put/vcpu_load store `preempted` through the file's
 * pv_preempted_write, and kvm_update_stolen_time reads stolen time back
 * through pv_steal_read and stores the sum through pv_steal_write, on the
 * records (the flag at offset 0 of its block, stolen_time at offset 8 of
 * its record). One set per slot, as CStrategyFunctions has in Swift. They
 * run in the scheduler's signal handler: the file's functions must be
 * async-signal-safe (loads and stores are). */
#ifndef PVBENCH_PV_C_STRATEGY_WRITERS_H
#define PVBENCH_PV_C_STRATEGY_WRITERS_H

#include "pv_vcpu_sched.h"

#define PV_C_STRATEGY_SLOTS 4

/* Binds slot `slot` (0 ... PV_C_STRATEGY_SLOTS-1) to the file's functions
 * (dlsym results). 0, or EINVAL for a slot out of range or a null function. */
int pv_c_strategy_bind_writers(int slot, void *steal_read, void *steal_write, void *preempted_write);
/* The slot's kernels; null for a slot out of range. */
pv_flag_write_fn pv_c_strategy_flag_writer(int slot);
pv_steal_update_fn pv_c_strategy_steal_updater(int slot);

#endif
