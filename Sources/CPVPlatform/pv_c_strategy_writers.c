#include "pv_vcpu_sched.h"

#include <errno.h>

typedef uint64_t (*steal_read_fn)(void *st, uint64_t *retries);
typedef void (*steal_write_fn)(void *st, uint64_t stolen_time);
typedef void (*preempted_write_fn)(void *ps, uint32_t preempted);

/* Written before the scheduler starts, only read while it runs. */
static steal_read_fn steal_read[PV_C_STRATEGY_SLOTS];
static steal_write_fn steal_write[PV_C_STRATEGY_SLOTS];
static preempted_write_fn preempted_write[PV_C_STRATEGY_SLOTS];

/* stolen_time is at offset 8 of struct pvclock_vcpu_stolen_time. */
#define RECORD_OF(stolen) ((void *)((char *)(stolen) - 8))

#define SLOT_KERNELS(n)                                                                  \
    static void flag_write_##n(uint32_t *flag, uint32_t value) {                         \
        preempted_write[n](flag, value);                                                 \
    }                                                                                    \
    static uint64_t steal_update_##n(uint64_t *stolen, uint64_t delta) {                 \
        uint64_t retries = 0;                                                            \
        uint64_t next = steal_read[n](RECORD_OF(stolen), &retries) + delta;              \
        steal_write[n](RECORD_OF(stolen), next);                                         \
        return next;                                                                     \
    }
SLOT_KERNELS(0)
SLOT_KERNELS(1)
SLOT_KERNELS(2)
SLOT_KERNELS(3)

static const pv_flag_write_fn flag_writers[PV_C_STRATEGY_SLOTS] = {flag_write_0, flag_write_1, flag_write_2, flag_write_3};
static const pv_steal_update_fn steal_updaters[PV_C_STRATEGY_SLOTS] = {steal_update_0, steal_update_1, steal_update_2,
                                                                        steal_update_3};

int pv_c_strategy_bind_writers(int slot, void *read, void *write, void *flag) {
    if (slot < 0 || slot >= PV_C_STRATEGY_SLOTS || !read || !write || !flag) return EINVAL;
    steal_read[slot] = (steal_read_fn)read;
    steal_write[slot] = (steal_write_fn)write;
    preempted_write[slot] = (preempted_write_fn)flag;
    return 0;
}

pv_flag_write_fn pv_c_strategy_flag_writer(int slot) {
    return slot >= 0 && slot < PV_C_STRATEGY_SLOTS ? flag_writers[slot] : 0;
}

pv_steal_update_fn pv_c_strategy_steal_updater(int slot) {
    return slot >= 0 && slot < PV_C_STRATEGY_SLOTS ? steal_updaters[slot] : 0;
}
