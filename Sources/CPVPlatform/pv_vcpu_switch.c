/* The emulated scheduler's switch path: vcpu_put, the handoff, the wait and
 * vcpu_load, run from the timer's signal handler (and from halt, kick and
 * exit with that signal blocked). Async-signal-safe only: the state lives in
 * memory pv_vcpu_sched_create allocated; shared words are C11 atomics; the
 * calls are clock_gettime, syscall(futex/getcpu), timer_settime, pread,
 * pthread_sigmask (outside the handler) and the scheduler's C writer kernels.
 * A test lists this object's undefined symbols to keep it that way. */
#include "pv_vcpu_internal.h"
#include "pv_platform.h"

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

uint64_t pv_vcpu_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void futex_wait(_Atomic uint32_t *word, uint32_t value) {
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *word) {
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Field 2 of /proc/self/task/TID/schedstat: ns the thread sat runnable on a
 * host runqueue (the kernel's sched_info.run_delay, what KVM reads). pread
 * re-generates the seq_file from offset 0; parsed by hand (no stdio). */
uint64_t pv_vcpu_read_run_delay(struct pv_vcpu *v) {
    char buf[96];
    if (v->schedstat_fd < 0) goto fail;
    ssize_t n = pread(v->schedstat_fd, buf, sizeof buf - 1, 0);
    if (n <= 0) goto fail;
    ssize_t i = 0;
    while (i < n && buf[i] != ' ') i++;   /* field 1: time on CPU */
    if (i >= n) goto fail;
    i++;
    uint64_t value = 0;
    int digits = 0;
    for (; i < n && buf[i] >= '0' && buf[i] <= '9'; i++, digits++) value = value * 10 + (uint64_t)(buf[i] - '0');
    if (digits == 0) goto fail;
    return value;
fail:
    v->stats.run_delay_failures++;
    return v->last_run_delay;
}

static void arm_timer(struct pv_vcpu *v, uint64_t from_ns) {
    v->deadline_ns = from_ns + v->sched->slice_ns;
    struct itimerspec spec = {0};
    spec.it_value.tv_sec = (time_t)(v->sched->slice_ns / 1000000000u);
    spec.it_value.tv_nsec = (long)(v->sched->slice_ns % 1000000000u);
    if (v->has_timer) timer_settime(v->timer, 0, &spec, NULL);
}

static void disarm_timer(struct pv_vcpu *v) {
    struct itimerspec spec = {0};
    if (v->has_timer) timer_settime(v->timer, 0, &spec, NULL);
}

static struct pv_vcpu *member(struct pv_vcpu_sched *s, struct pv_host_cpu *c, int pos) {
    return &s->vcpus[c->members[pos % c->count]];
}

/* The next RUNNABLE vCPU of `c` after ring position `pos` (wrapping, `pos`
 * itself last), or NULL. */
static struct pv_vcpu *next_runnable(struct pv_vcpu_sched *s, struct pv_host_cpu *c, int pos) {
    for (int i = 1; i <= c->count; i++) {
        struct pv_vcpu *w = member(s, c, pos + i);
        if (atomic_load(&w->state) == PV_VCPU_RUNNABLE) return w;
    }
    return NULL;
}

/* The caller owns `c` (it is its running vCPU, or holds PV_CPU_GRANTING):
 * gives it to runnable `w`. The grant is published before state = RUNNING,
 * owner before state, so `w`'s own next put finds itself the owner. */
static void grant(struct pv_host_cpu *c, struct pv_vcpu *w, uint64_t put_ns, struct pv_vcpu *self) {
    atomic_store_explicit(&w->granted_ns, pv_vcpu_now_ns(), memory_order_relaxed);
    atomic_store_explicit(&w->granted_cycles, pv_read_cycle_counter(), memory_order_relaxed);
    atomic_store_explicit(&w->granted_put_ns, put_ns, memory_order_relaxed);
    atomic_store(&c->owner, w->index);
    atomic_store(&c->last, w->ring_pos);
    atomic_store_explicit(&w->state, PV_VCPU_RUNNING, memory_order_release);
    if (w != self) futex_wake(&w->state);
}

/* Gives an idle CPU to a runnable vCPU, if any. Whoever makes a vCPU
 * runnable calls this after (seq_cst), and whoever leaves the CPU idle
 * rescans after marking it idle (seq_cst), so a runnable vCPU is never left
 * waiting on an idle CPU. */
static void idle_grant(struct pv_vcpu_sched *s, struct pv_host_cpu *c) {
    for (;;) {
        int expected = PV_CPU_IDLE;
        if (!atomic_compare_exchange_strong(&c->owner, &expected, PV_CPU_GRANTING)) return;
        struct pv_vcpu *w = next_runnable(s, c, atomic_load(&c->last));
        if (w) {
            grant(c, w, 0, NULL);
            return;
        }
        atomic_store(&c->owner, PV_CPU_IDLE);
        if (!next_runnable(s, c, 0)) return;
    }
}

/* The owner of `c` leaves it: to the next runnable vCPU after `from` in
 * round robin (`from` itself last), or idle. */
static void handoff(struct pv_vcpu_sched *s, struct pv_host_cpu *c, struct pv_vcpu *from, uint64_t put_ns) {
    struct pv_vcpu *w = next_runnable(s, c, from->ring_pos);
    if (w) {
        grant(c, w, put_ns, from);
        return;
    }
    atomic_store(&c->owner, PV_CPU_IDLE);
    idle_grant(s, c);
}

/* The injected drop-writes fault: whether this store of `preempted` is the
 * Nth since the last one skipped (a countdown on the vCPU's own thread: no
 * division, no call, safe in the handler). */
static int drop_this_store(struct pv_vcpu *v) {
    uint32_t every = v->sched->drop_every;
    if (every == 0) return 0;
    if (--v->stores_until_drop != 0) return 0;
    v->stores_until_drop = every;
    v->stats.flag_stores_skipped++;
    return 1;
}

/* One store of `preempted` inside the schedule sequence: odd while the
 * store is in flight, then even-and-stable, so a reader can tell whether the
 * value it read belongs to a stable state. The fences cost nothing on x86
 * and are outside the guest's hot path on arm64. */
static void set_preempted(struct pv_vcpu *v, uint32_t value) {
    uint64_t seq = atomic_load_explicit(&v->seq, memory_order_relaxed);
    atomic_store_explicit(&v->seq, seq + 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    if (v->sched->pv_sched && !drop_this_store(v)) v->sched->write_flag(v->flag, value);
    atomic_store_explicit(&v->seq, seq + 2, memory_order_release);
}

/* vcpu_put: preempted = 1, off the CPU, the CPU handed on. */
static void put(struct pv_vcpu *v, uint32_t kind, uint32_t new_state, uint64_t now) {
    struct pv_vcpu_sched *s = v->sched;
    struct pv_host_cpu *c = &s->cpus[v->cpu];
    uint32_t in_region = v->in_region != 0;
    set_preempted(v, 1);
    atomic_fetch_sub(&c->running, 1);
    v->put_ns = now;
    v->put_slice_ns = now - v->loaded_ns;
    if (kind != PV_PUT_EXIT) v->put_run_delay = pv_vcpu_read_run_delay(v);
    v->put_kind = kind;
    v->put_in_region = in_region;
    v->loads_at_runnable = atomic_load_explicit(&c->loads, memory_order_relaxed);
    if (kind == PV_PUT_PREEMPT) {
        v->stats.preemptions++;
        v->stats.preemptions_in_region += in_region;
        atomic_store_explicit(&v->runnable_ns, now, memory_order_relaxed);
        atomic_store_explicit(&v->runnable_cycles, pv_read_cycle_counter(), memory_order_relaxed);
    } else if (kind == PV_PUT_HALT) {
        v->stats.halts++;
    }
    atomic_store(&v->state, new_state);
    handoff(s, c, v, now);
}

/* Until granted the CPU (or exited). */
static void wait_for_cpu(struct pv_vcpu *v) {
    uint32_t st;
    while ((st = atomic_load_explicit(&v->state, memory_order_acquire)) != PV_VCPU_RUNNING) {
        if (st == PV_VCPU_EXITED) return;
        futex_wait(&v->state, st);
    }
}

/* vcpu_load: on the CPU again; stolen time += the delta (one store through
 * the writer kernel, read back first), preempted = 0. */
static void load(struct pv_vcpu *v) {
    struct pv_vcpu_sched *s = v->sched;
    struct pv_host_cpu *c = &s->cpus[v->cpu];
    uint64_t now = pv_vcpu_now_ns();
    uint64_t load_cycles = pv_read_cycle_counter();
    unsigned cpu = 0;
    if (syscall(SYS_getcpu, &cpu, NULL, NULL) == 0 && (int)cpu != v->host_cpu) v->stats.wrong_cpu++;
    if (atomic_fetch_add(&c->running, 1) != 0) v->stats.overlaps++;
    uint64_t loads = atomic_fetch_add(&c->loads, 1);
    uint64_t waited = 0;
    if (v->put_kind == PV_PUT_PREEMPT) {
        waited = loads - v->loads_at_runnable;
        if (waited > v->stats.max_waited_slices) v->stats.max_waited_slices = waited;
    }

    uint64_t runnable = atomic_load_explicit(&v->runnable_ns, memory_order_relaxed);
    uint64_t granted = atomic_load_explicit(&v->granted_ns, memory_order_relaxed);
    uint64_t granted_put = atomic_load_explicit(&v->granted_put_ns, memory_order_relaxed);
    /* Runnable since `runnable` (the put, or the kick of a halt) until now:
     * the emulator's wait for a grant, then the host's wake-up latency.
     * Host run_delay counts only while the vCPU was loaded (last load to
     * this put): inside [put, load] it would count twice, since a putting
     * thread the host preempts before it sleeps is on the runqueue while
     * the emulator already counts it waiting. */
    uint64_t wait = now > runnable ? now - runnable : 0;
    uint64_t rd = v->put_run_delay > v->last_run_delay ? v->put_run_delay - v->last_run_delay : 0;
    v->last_run_delay = pv_vcpu_read_run_delay(v);
    uint64_t delta = wait + rd;
    uint64_t stored = s->update_steal(v->stolen, delta);
    v->steal_expected += delta;
    if (stored != v->steal_expected) v->stats.steal_update_mismatches++;
    set_preempted(v, 0);

    v->stats.loads++;
    v->stats.steal_sum_ns += delta;
    v->stats.steal_wait_ns += wait;
    v->stats.steal_run_delay_ns += rd;
    v->stats.desched_ns += now - v->put_ns;
    if (v->put_in_region) v->stats.desched_in_region_ns += now - v->put_ns;
    if (v->stats.episodes < v->capacity) {
        struct pv_vcpu_episode *e = &v->episodes[v->stats.episodes++];
        e->put_ns = v->put_ns;
        e->runnable_ns = runnable;
        e->granted_ns = granted;
        e->load_ns = now;
        e->runnable_cycles = atomic_load_explicit(&v->runnable_cycles, memory_order_relaxed);
        e->granted_cycles = atomic_load_explicit(&v->granted_cycles, memory_order_relaxed);
        e->load_cycles = load_cycles;
        e->slice_ns = v->put_kind == PV_PUT_FIRST ? 0 : v->put_slice_ns;
        e->handoff_ns = granted_put != 0 && now > granted_put ? now - granted_put : 0;
        e->run_delay_ns = rd;
        e->steal_delta_ns = delta;
        e->kind = v->put_kind;
        e->in_region = v->put_in_region;
        e->waited_slices = waited;
    } else {
        v->stats.episodes_dropped++;
    }
    v->loaded_ns = now;
}

/* Makes halted `w` runnable (HALTED -> KICKING -> RUNNABLE, so no granter
 * sees it before its runnable time is stamped) and gives it an idle CPU. */
static void kick_one(struct pv_vcpu_sched *s, struct pv_vcpu *w) {
    /* Dekker with pv_vcpu_halt: it stores HALTED, then takes kick_pending. */
    atomic_store(&w->kick_pending, 1);
    uint32_t expected = PV_VCPU_HALTED;
    if (!atomic_compare_exchange_strong(&w->state, &expected, PV_VCPU_KICKING)) return;
    atomic_store_explicit(&w->runnable_ns, pv_vcpu_now_ns(), memory_order_relaxed);
    atomic_store_explicit(&w->runnable_cycles, pv_read_cycle_counter(), memory_order_relaxed);
    atomic_fetch_add(&s->awake, 1);
    atomic_store(&w->state, PV_VCPU_RUNNABLE);
    idle_grant(s, &s->cpus[w->cpu]);
}

void pv_vcpu_on_timer(int sig, siginfo_t *info, void *ucontext) {
    (void)sig;
    (void)ucontext;
    int saved = errno;
    struct pv_vcpu *v = info->si_code == SI_TIMER ? (struct pv_vcpu *)info->si_value.sival_ptr : NULL;
    if (!v || atomic_load(&v->state) != PV_VCPU_RUNNING) goto out;
    struct pv_vcpu_sched *s = v->sched;
    uint64_t now = pv_vcpu_now_ns();
    if (now + PV_TICK_SLACK_NS < v->deadline_ns) {
        v->stats.stale_ticks++;
        goto out;
    }
    /* Preemption goes on while the run stops: a vCPU spinning on a lock
     * whose owner waits for this CPU exits only once the owner has run. */
    struct pv_host_cpu *c = &s->cpus[v->cpu];
    struct pv_vcpu *other = next_runnable(s, c, v->ring_pos);
    if (!other || other == v) {
        /* Nobody else wants the CPU: no sched-out, as on a real host. */
        v->stats.ticks_kept++;
        arm_timer(v, now);
        goto out;
    }
    put(v, PV_PUT_PREEMPT, PV_VCPU_RUNNABLE, now);
    wait_for_cpu(v);
    load(v);
    arm_timer(v, v->loaded_ns);
out:
    errno = saved;
}

static void block_timer(struct pv_vcpu_sched *s, sigset_t *old) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, s->signo);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

void pv_vcpu_first_load(struct pv_vcpu *v) {
    struct pv_vcpu_sched *s = v->sched;
    sigset_t old;
    block_timer(s, &old);
    uint64_t now = pv_vcpu_now_ns();
    v->put_ns = now;
    v->put_kind = PV_PUT_FIRST;
    v->loaded_ns = now;
    atomic_store_explicit(&v->runnable_ns, now, memory_order_relaxed);
    atomic_store_explicit(&v->runnable_cycles, pv_read_cycle_counter(), memory_order_relaxed);
    atomic_store(&v->state, PV_VCPU_RUNNABLE);
    idle_grant(s, &s->cpus[v->cpu]);
    wait_for_cpu(v);
    load(v);
    arm_timer(v, v->loaded_ns);
    /* Unblocked whatever the thread inherited (a thread spawned from a
     * dispatch worker starts with every signal blocked). */
    (void)old;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, s->signo);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

int pv_vcpu_halt(struct pv_vcpu_sched *s, int v_index) {
    struct pv_vcpu *v = &s->vcpus[v_index];
    if (atomic_load(&s->stopping)) return 0;
    if (atomic_exchange(&v->kick_pending, 0)) return 1;  /* kicked already: no halt */
    int awake = atomic_load(&s->awake);
    do {
        if (awake <= 1) return 0;
    } while (!atomic_compare_exchange_weak(&s->awake, &awake, awake - 1));
    sigset_t old;
    block_timer(s, &old);
    disarm_timer(v);
    put(v, PV_PUT_HALT, PV_VCPU_HALTED, pv_vcpu_now_ns());
    /* Dekker with pv_vcpu_exit: it sets stopping, then kicks every HALTED
     * vCPU; this stored HALTED, then reads stopping. */
    if (atomic_load(&s->stopping) || atomic_exchange(&v->kick_pending, 0)) kick_one(s, v);
    wait_for_cpu(v);
    v->stats.kicks++;
    load(v);
    arm_timer(v, v->loaded_ns);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 1;
}

void pv_vcpu_kick(struct pv_vcpu_sched *s, int w) {
    sigset_t old;
    block_timer(s, &old);
    kick_one(s, &s->vcpus[w]);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void pv_vcpu_exit(struct pv_vcpu_sched *s, int v_index) {
    struct pv_vcpu *v = &s->vcpus[v_index];
    sigset_t old;
    block_timer(s, &old);
    disarm_timer(v);
    atomic_store(&s->stopping, 1);
    put(v, PV_PUT_EXIT, PV_VCPU_EXITED, pv_vcpu_now_ns());
    atomic_fetch_sub(&s->awake, 1);
    for (int i = 0; i < s->nvcpus; i++) kick_one(s, &s->vcpus[i]);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}
