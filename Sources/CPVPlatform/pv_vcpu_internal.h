/* The emulated scheduler's state, shared by its set-up (pv_vcpu_sched.c) and
 * its async-signal-safe switch path (pv_vcpu_switch.c). Not installed. */
#ifndef PVBENCH_PV_VCPU_INTERNAL_H
#define PVBENCH_PV_VCPU_INTERNAL_H

#include "pv_vcpu_sched.h"

#include <signal.h>
#include <stdatomic.h>
#include <sys/types.h>
#include <time.h>

enum pv_vcpu_state {
    PV_VCPU_RUNNING = 0,
    PV_VCPU_RUNNABLE = 1,  /* waiting for its CPU */
    PV_VCPU_HALTED = 2,    /* waiting for a kick */
    PV_VCPU_KICKING = 3,   /* a kicker is making it runnable (not grantable yet) */
    PV_VCPU_EXITED = 4,
    PV_VCPU_NEW = 5,       /* not entered yet */
};

enum { PV_CPU_IDLE = -1, PV_CPU_GRANTING = -2 };

/* An expiry this much before the deadline is a stale one (left pending
 * across a voluntary put) and is ignored. */
#define PV_TICK_SLACK_NS 20000u

struct pv_vcpu {
    /* Written by other threads (granters, kickers): the futex word and the
     * grant it publishes (stored before state = RUNNING, release). */
    _Atomic uint32_t state;
    _Atomic uint64_t granted_ns;
    _Atomic uint64_t granted_cycles;
    _Atomic uint64_t granted_put_ns;
    /* Written by the vCPU at a put, or by its kicker while KICKING. */
    _Atomic uint64_t runnable_ns;
    _Atomic uint64_t runnable_cycles;
    /* A kick that found the vCPU not halted (yet): its next halt returns
     * at once, as WFI does with an event pending. */
    _Atomic uint32_t kick_pending;
    /* Schedule sequence, see pv_vcpu_sched_seq(). */
    _Atomic uint64_t seq;

    /* The vCPU's own thread only (the handler runs on it). */
    struct pv_vcpu_sched *sched;
    int index;
    int cpu;            /* index into sched->cpus */
    int host_cpu;       /* the host CPU number */
    int ring_pos;       /* position in its CPU's ring */
    pid_t tid;
    timer_t timer;
    int has_timer;
    int schedstat_fd;
    uint32_t *flag;
    uint64_t *stolen;
    uint64_t loaded_ns;
    uint64_t deadline_ns;
    uint64_t last_run_delay;   /* host run_delay at the last load */
    uint64_t put_run_delay;    /* host run_delay at the last put */
    uint64_t steal_expected;
    uint64_t loads_at_runnable;
    uint64_t put_ns;
    uint64_t put_slice_ns;
    uint32_t put_kind;
    uint32_t put_in_region;
    uint32_t stores_until_drop;  /* drop-writes countdown: the store that takes it to 0 is skipped */
    volatile int in_region;
    struct pv_vcpu_stats stats;
    struct pv_vcpu_episode *episodes;
    size_t capacity;
} __attribute__((aligned(128)));

struct pv_host_cpu {
    _Atomic int owner;       /* the vCPU running (or being granted), or PV_CPU_IDLE / PV_CPU_GRANTING */
    _Atomic int last;        /* the vCPU granted last: round robin resumes after it */
    _Atomic uint32_t running;/* vCPUs between load and put: must never exceed 1 */
    _Atomic uint64_t loads;
    int host_cpu;
    int count;
    int *members;            /* vCPU indices, round-robin order */
} __attribute__((aligned(128)));

struct pv_vcpu_sched {
    int nvcpus;
    int ncpus;
    uint64_t slice_ns;
    int pv_sched;
    uint32_t drop_every;     /* 0: every `preempted` store done */
    int signo;
    pv_flag_write_fn write_flag;
    pv_steal_update_fn update_steal;
    _Atomic int stopping;
    _Atomic int awake;       /* vCPUs neither halted nor exited */
    struct pv_vcpu *vcpus;
    struct pv_host_cpu *cpus;
    int *members;
    struct sigaction previous;
};

/* The switch path (pv_vcpu_switch.c). */
void pv_vcpu_on_timer(int sig, siginfo_t *info, void *ucontext);
/* The first load of an entered vCPU: runnable, granted (maybe at once), loaded, armed. */
void pv_vcpu_first_load(struct pv_vcpu *v);
uint64_t pv_vcpu_now_ns(void);
uint64_t pv_vcpu_read_run_delay(struct pv_vcpu *v);

#endif
