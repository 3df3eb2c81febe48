/* An emulated hypervisor scheduler: N vCPU threads over M host CPUs, each
 * vCPU pinned to one host CPU, one vCPU running per host CPU at a time,
 * round robin in time slices. Preemption is asynchronous: the running
 * vCPU's own POSIX timer (timer_create, SIGEV_THREAD_ID) delivers a signal
 * whose handler *is* KVM's sched-out/sched-in on the vCPU's own thread:
 *
 *   vcpu_put:  preempted = 1; hand the CPU to the next runnable vCPU (futex
 *              wake); wait on its own futex until it is granted the CPU again;
 *   vcpu_load: preempted = 0; kvm_update_stolen_time (read the record back,
 *              add the delta, one store); re-arm the timer.
 *
 * The delta is the time the vCPU was runnable but not running (runnable
 * since -> load: the emulator's wait for a grant, then the host's wake-up)
 * plus the host kernel's run_delay of the thread while it was loaded (last
 * load -> put; /proc/self/task/TID/schedstat field 2, read with pread(2) on
 * a descriptor opened at pv_vcpu_enter). Nothing counts twice: run_delay
 * inside [put, load] is left out, being inside the first term already.
 *
 * Invariants (checked by the counters below, asserted by the tests): one
 * vCPU running per host CPU; a vCPU preempted with others runnable runs
 * again within (vCPUs on its CPU - 1) slices; `preempted` is 1 exactly while
 * the vCPU is descheduled (with PV sched on, no store dropped); the record equals its initial
 * value plus the sum of the deltas the emulator added.
 *
 * The switch path (pv_vcpu_switch.c, its own translation unit so a test can
 * list what it calls) is async-signal-safe: preallocated memory, C11
 * atomics, clock_gettime, futex, timer_settime, pread, getcpu, and the
 * caller's C writer kernels (CPVReference). It never calls into Swift.
 * errno is saved and restored; the handler is installed with SA_RESTART. */
#ifndef PVBENCH_PV_VCPU_SCHED_H
#define PVBENCH_PV_VCPU_SCHED_H

#include <stddef.h>
#include <stdint.h>

/* The hypervisor's store of `preempted` (vcpu_put: 1, vcpu_load: 0). */
typedef void (*pv_flag_write_fn)(uint32_t *flag, uint32_t value);
/* kvm_update_stolen_time: read back, add delta, one store; returns the value stored. */
typedef uint64_t (*pv_steal_update_fn)(uint64_t *stolen, uint64_t delta);

enum pv_put_kind {
    PV_PUT_FIRST = 0,   /* the first load after pv_vcpu_enter (no put before it) */
    PV_PUT_PREEMPT = 1, /* involuntary: the slice ended (the timer's signal) */
    PV_PUT_HALT = 2,    /* voluntary: the vCPU halted (WFI) until kicked */
    PV_PUT_EXIT = 3,    /* the vCPU went offline (never loaded again) */
};

/* One descheduling, logged by the load that ends it. Times are
 * CLOCK_MONOTONIC ns; the *_cycles pair is the same two moments on the cycle
 * counter (pv_read_cycle_counter), an independent clock for checking. */
struct pv_vcpu_episode {
    uint64_t put_ns;          /* sched-out (for PV_PUT_FIRST: pv_vcpu_enter) */
    uint64_t runnable_ns;     /* became runnable: the put, or the kick of a halt */
    uint64_t granted_ns;      /* another vCPU's put (or a kick on an idle CPU) granted it the CPU */
    uint64_t load_ns;         /* sched-in */
    uint64_t runnable_cycles;
    uint64_t granted_cycles;
    uint64_t load_cycles;
    uint64_t slice_ns;        /* the slice this put ended: put - previous load (0 for FIRST) */
    uint64_t handoff_ns;      /* load - the granting vCPU's put (0: granted from idle) */
    uint64_t run_delay_ns;    /* host run_delay from the previous load to this put */
    uint64_t steal_delta_ns;  /* what this load added: load - runnable + run_delay */
    uint32_t kind;            /* enum pv_put_kind */
    uint32_t in_region;       /* the put landed inside a region marked by the guest */
    uint64_t waited_slices;   /* other vCPUs' loads on this CPU while it waited (PREEMPT only) */
};

/* Counters of one vCPU, written only by its own thread. */
struct pv_vcpu_stats {
    uint64_t preemptions;            /* involuntary puts */
    uint64_t preemptions_in_region;
    uint64_t halts;                  /* voluntary puts */
    uint64_t kicks;                  /* halts ended by a kick */
    uint64_t ticks_kept;             /* slice ends with nobody else runnable: kept running */
    uint64_t stale_ticks;            /* expiries that arrived after a re-arm (ignored) */
    uint64_t loads;
    uint64_t steal_sum_ns;           /* sum of every delta added to stolen time */
    uint64_t steal_wait_ns;          /* of which runnable (put or kick) -> load */
    uint64_t steal_run_delay_ns;     /* of which host run_delay while loaded */
    uint64_t steal_base;             /* the record's value at pv_vcpu_enter */
    uint64_t steal_update_mismatches;/* a stored value != base + sum of deltas */
    uint64_t desched_ns;             /* sum of load - put */
    uint64_t desched_in_region_ns;   /* of puts inside a marked region */
    uint64_t overlaps;               /* loads that found another vCPU running on the CPU */
    uint64_t wrong_cpu;              /* loads on a CPU other than the vCPU's */
    uint64_t max_waited_slices;
    uint64_t run_delay_failures;     /* schedstat could not be read or parsed */
    uint64_t episodes;               /* logged */
    uint64_t episodes_dropped;       /* beyond the log's capacity */
    uint64_t flag_stores_skipped;    /* `preempted` stores dropped by the injected fault */
};

struct pv_vcpu_sched_config {
    int vcpus;
    /* Host CPU number of each vCPU (`vcpus` entries); vCPUs with the same
     * number share that CPU, round robin in vCPU order. */
    const int *host_cpu;
    uint64_t slice_ns;
    /* 1: write `preempted` at every put and load (openEuler); 0: never
     * (upstream arm64, vcpu_is_preempted() is `return false`). */
    int pv_sched;
    uint32_t *const *flags;    /* &block->preempted of each vCPU */
    uint64_t *const *stolen;   /* &record->stolen_time of each vCPU */
    pv_flag_write_fn write_flag;
    pv_steal_update_fn update_steal;
    size_t episode_capacity;   /* per vCPU */
    /* Injected fault: every Nth store of `preempted` (put or load, per vCPU)
     * is skipped, as when the guest page is not resident; 0: none. */
    uint32_t drop_every;
};

struct pv_vcpu_sched;

/* Allocates everything the switch path uses and installs the handler of
 * pv_vcpu_sched_signal(). One scheduler at a time (EBUSY). NULL with *error set. */
struct pv_vcpu_sched *pv_vcpu_sched_create(const struct pv_vcpu_sched_config *config, int *error);
/* Restores the previous handler and frees; every vCPU thread must have exited. */
void pv_vcpu_sched_destroy(struct pv_vcpu_sched *s);
/* Readies the scheduler for another run of the same vCPUs: every vCPU
 * thread of the last one has exited (or never entered). Counters, logs and
 * timers start afresh; the records keep their values. */
void pv_vcpu_sched_reset(struct pv_vcpu_sched *s);
/* The real-time signal the timers deliver. */
int pv_vcpu_sched_signal(void);

/* On vCPU v's own thread, pinned to its host CPU: opens its schedstat,
 * creates its timer, becomes runnable and returns once it runs (the first
 * vcpu_load). 0 or an errno value. */
int pv_vcpu_enter(struct pv_vcpu_sched *s, int v);
/* Voluntary put: vCPU v (the caller) halts until pv_vcpu_kick(v), then
 * waits for its CPU. Refused (returns 0) when it would leave no vCPU awake
 * to kick it, or once the run is stopping; 1 after a halt. */
int pv_vcpu_halt(struct pv_vcpu_sched *s, int v);
/* Wakes halted vCPU w: it becomes runnable, and runs at once when its CPU
 * is idle. A vCPU not halted keeps the kick pending: its next halt returns
 * at once (a spurious wake-up, never a lost one). Callable from any thread. */
void pv_vcpu_kick(struct pv_vcpu_sched *s, int w);
/* vCPU v (the caller) goes offline: its timer is deleted, its CPU handed on,
 * the run marked stopping (halts refused) and every halted vCPU kicked. */
void pv_vcpu_exit(struct pv_vcpu_sched *s, int v);

/* The word the guest sets while inside a marked region (vCPU v's thread only). */
volatile int *pv_vcpu_region_word(struct pv_vcpu_sched *s, int v);
static inline void pv_vcpu_region_mark(volatile int *word, int inside) {
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    *word = inside;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* Whether vCPU w is halted (waiting for a kick): one relaxed load. */
int pv_vcpu_is_halted(const struct pv_vcpu_sched *s, int w);

/* vCPU v's schedule sequence, load-acquire: 4k running, 4k+1 being put,
 * 4k+2 descheduled (preempted, halted, not yet entered or exited), 4k+3
 * being loaded. A reader that reads seq, then the flag, then
 * pv_vcpu_fence_acquire(), then seq again and finds it unchanged must have
 * read preempted == 1 for 4k+2 and 0 for 4k (with PV sched on). */
uint64_t pv_vcpu_sched_seq(const struct pv_vcpu_sched *s, int v);
static inline void pv_vcpu_fence_acquire(void) { __atomic_thread_fence(__ATOMIC_ACQUIRE); }

/* Copies vCPU v's counters (from its own thread, or after it exited). */
void pv_vcpu_read_stats(const struct pv_vcpu_sched *s, int v, struct pv_vcpu_stats *out);
/* vCPU v's episode log (valid until destroy); *count entries. */
const struct pv_vcpu_episode *pv_vcpu_episodes(const struct pv_vcpu_sched *s, int v, size_t *count);

/* The cost of one futex handoff between two threads pinned to `cpu`:
 * median ns from one thread's wake to the other running, over `rounds`
 * ping-pongs. 0 or an errno value. */
int pv_vcpu_sched_measure_handoff(int cpu, int rounds, uint64_t *median_ns);

/* The writer kernels above for a C
 * strategy file: vcpu_put/vcpu_load store `preempted` through the file's
 * pv_preempted_write, and kvm_update_stolen_time reads stolen time back
 * through pv_steal_read and stores the sum through pv_steal_write, on the
 * records (the flag at offset 0 of its block, stolen_time at offset 8 of
 * its record). One set per slot, as CStrategyFunctions has in Swift. They
 * run in the scheduler's signal handler: the file's functions must be
 * async-signal-safe (loads and stores are). */
#define PV_C_STRATEGY_SLOTS 4

/* Binds slot `slot` (0 ... PV_C_STRATEGY_SLOTS-1) to the file's functions
 * (dlsym results). 0, or EINVAL for a slot out of range or a null function. */
int pv_c_strategy_bind_writers(int slot, void *steal_read, void *steal_write, void *preempted_write);
/* The slot's kernels; null for a slot out of range. */
pv_flag_write_fn pv_c_strategy_flag_writer(int slot);
pv_steal_update_fn pv_c_strategy_steal_updater(int slot);

#endif
