/* The emulated scheduler's set-up, outside any signal handler: allocation,
 * the handler's installation, each vCPU's timer and schedstat descriptor,
 * reading the counters back, and the handoff-cost probe. */
#include "pv_vcpu_internal.h"
#include "pv_platform.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static _Atomic(struct pv_vcpu_sched *) active = NULL;

int pv_vcpu_sched_signal(void) { return SIGRTMIN + 4; }

void pv_vcpu_sched_destroy(struct pv_vcpu_sched *s) {
    if (!s) return;
    struct pv_vcpu_sched *expected = s;
    if (atomic_compare_exchange_strong(&active, &expected, NULL)) sigaction(s->signo, &s->previous, NULL);
    for (int i = 0; i < s->nvcpus; i++) {
        struct pv_vcpu *v = &s->vcpus[i];
        if (v->has_timer) timer_delete(v->timer);
        if (v->schedstat_fd >= 0) close(v->schedstat_fd);
        free(v->episodes);
    }
    free(s->members);
    free(s->cpus);
    free(s->vcpus);
    free(s);
}

struct pv_vcpu_sched *pv_vcpu_sched_create(const struct pv_vcpu_sched_config *config, int *error) {
    *error = EINVAL;
    if (!config || config->vcpus < 1 || !config->host_cpu || !config->flags || !config->stolen
        || !config->write_flag || !config->update_steal || config->slice_ns == 0)
        return NULL;
    struct pv_vcpu_sched *s = calloc(1, sizeof *s);
    if (!s) { *error = ENOMEM; return NULL; }
    int n = config->vcpus;
    s->nvcpus = n;
    s->slice_ns = config->slice_ns;
    s->pv_sched = config->pv_sched != 0;
    s->drop_every = config->drop_every;
    s->signo = pv_vcpu_sched_signal();
    s->write_flag = config->write_flag;
    s->update_steal = config->update_steal;
    atomic_init(&s->stopping, 0);
    atomic_init(&s->awake, n);
    s->vcpus = aligned_alloc(128, sizeof(struct pv_vcpu) * (size_t)n);
    s->cpus = aligned_alloc(128, sizeof(struct pv_host_cpu) * (size_t)n);
    s->members = calloc((size_t)n, sizeof(int));
    if (!s->vcpus || !s->cpus || !s->members) { *error = ENOMEM; free(s->vcpus); free(s->cpus); free(s->members); free(s); return NULL; }
    memset(s->vcpus, 0, sizeof(struct pv_vcpu) * (size_t)n);
    memset(s->cpus, 0, sizeof(struct pv_host_cpu) * (size_t)n);
    for (int i = 0; i < n; i++) s->vcpus[i].schedstat_fd = -1;

    /* Host CPUs in order of first appearance; members in vCPU order. */
    int used = 0;
    for (int i = 0; i < n; i++) {
        int c = 0;
        while (c < s->ncpus && s->cpus[c].host_cpu != config->host_cpu[i]) c++;
        if (c == s->ncpus) {
            s->cpus[c].host_cpu = config->host_cpu[i];
            s->ncpus++;
        }
        s->vcpus[i].cpu = c;
    }
    for (int c = 0; c < s->ncpus; c++) {
        struct pv_host_cpu *cpu = &s->cpus[c];
        cpu->members = &s->members[used];
        for (int i = 0; i < n; i++) {
            if (s->vcpus[i].cpu != c) continue;
            s->vcpus[i].ring_pos = cpu->count;
            cpu->members[cpu->count++] = i;
        }
        used += cpu->count;
        atomic_init(&cpu->owner, PV_CPU_IDLE);
        atomic_init(&cpu->last, cpu->count - 1);
        atomic_init(&cpu->running, 0);
        atomic_init(&cpu->loads, 0);
    }
    for (int i = 0; i < n; i++) {
        struct pv_vcpu *v = &s->vcpus[i];
        v->sched = s;
        v->index = i;
        v->host_cpu = config->host_cpu[i];
        v->flag = config->flags[i];
        v->stores_until_drop = s->drop_every;
        v->stolen = config->stolen[i];
        atomic_init(&v->state, PV_VCPU_NEW);
        atomic_init(&v->seq, 2);  /* descheduled until its first load */
        v->capacity = config->episode_capacity;
        if (v->capacity) {
            v->episodes = calloc(v->capacity, sizeof(struct pv_vcpu_episode));
            if (!v->episodes) { *error = ENOMEM; pv_vcpu_sched_destroy(s); return NULL; }
        }
        /* Not entered yet: preempted, as a vCPU thread that never ran. */
        if (s->pv_sched) s->write_flag(v->flag, 1);
    }

    struct pv_vcpu_sched *expected = NULL;
    if (!atomic_compare_exchange_strong(&active, &expected, s)) {
        *error = EBUSY;
        pv_vcpu_sched_destroy(s);
        return NULL;
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = pv_vcpu_on_timer;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(s->signo, &action, &s->previous) != 0) {
        *error = errno;
        atomic_store(&active, NULL);
        pv_vcpu_sched_destroy(s);
        return NULL;
    }
    *error = 0;
    return s;
}

int pv_vcpu_enter(struct pv_vcpu_sched *s, int index) {
    if (!s || index < 0 || index >= s->nvcpus) return EINVAL;
    struct pv_vcpu *v = &s->vcpus[index];
    v->tid = (pid_t)syscall(SYS_gettid);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/schedstat", (int)v->tid);
    v->schedstat_fd = open(path, O_RDONLY | O_CLOEXEC);
    v->last_run_delay = pv_vcpu_read_run_delay(v);
    v->put_run_delay = v->last_run_delay;
    v->steal_expected = __atomic_load_n(v->stolen, __ATOMIC_RELAXED);
    v->stats.steal_base = v->steal_expected;

    struct sigevent event;
    memset(&event, 0, sizeof event);
    event.sigev_notify = SIGEV_THREAD_ID;
    event.sigev_signo = s->signo;
    event.sigev_value.sival_ptr = v;
    event._sigev_un._tid = v->tid;
    if (timer_create(CLOCK_MONOTONIC, &event, &v->timer) != 0) return errno;
    v->has_timer = 1;
    pv_vcpu_first_load(v);
    return 0;
}

void pv_vcpu_sched_reset(struct pv_vcpu_sched *s) {
    atomic_store(&s->stopping, 0);
    atomic_store(&s->awake, s->nvcpus);
    for (int c = 0; c < s->ncpus; c++) {
        atomic_store(&s->cpus[c].owner, PV_CPU_IDLE);
        atomic_store(&s->cpus[c].last, s->cpus[c].count - 1);
        atomic_store(&s->cpus[c].running, 0);
        atomic_store(&s->cpus[c].loads, 0);
    }
    for (int i = 0; i < s->nvcpus; i++) {
        struct pv_vcpu *v = &s->vcpus[i];
        if (v->has_timer) timer_delete(v->timer);
        v->has_timer = 0;
        if (v->schedstat_fd >= 0) close(v->schedstat_fd);
        v->schedstat_fd = -1;
        memset(&v->stats, 0, sizeof v->stats);
        v->stores_until_drop = s->drop_every;
        v->in_region = 0;
        atomic_store(&v->kick_pending, 0);
        atomic_store(&v->state, PV_VCPU_NEW);
        atomic_store(&v->seq, atomic_load(&v->seq) % 4 == 2 ? atomic_load(&v->seq) : 2);
        if (s->pv_sched) s->write_flag(v->flag, 1);
    }
}

int pv_vcpu_is_halted(const struct pv_vcpu_sched *s, int w) {
    return atomic_load_explicit(&s->vcpus[w].state, memory_order_relaxed) == PV_VCPU_HALTED;
}

volatile int *pv_vcpu_region_word(struct pv_vcpu_sched *s, int v) { return &s->vcpus[v].in_region; }

uint64_t pv_vcpu_sched_seq(const struct pv_vcpu_sched *s, int v) {
    return atomic_load_explicit(&s->vcpus[v].seq, memory_order_acquire);
}

void pv_vcpu_read_stats(const struct pv_vcpu_sched *s, int v, struct pv_vcpu_stats *out) { *out = s->vcpus[v].stats; }

const struct pv_vcpu_episode *pv_vcpu_episodes(const struct pv_vcpu_sched *s, int v, size_t *count) {
    *count = (size_t)s->vcpus[v].stats.episodes;
    return s->vcpus[v].episodes;
}

/* --- handoff cost ---------------------------------------------------------- */

struct handoff_probe {
    int cpu;
    int rounds;
    _Atomic uint32_t turn;   /* whose turn: 0 or 1 (futex word) */
    _Atomic uint64_t woken_at;
    _Atomic int abort;
    uint64_t *samples;
    int failed;
};

static void *handoff_side(void *arg, uint32_t me) {
    struct handoff_probe *p = arg;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(p->cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) p->failed = errno;
    for (int r = 0; r < p->rounds; r++) {
        uint32_t t;
        while ((t = atomic_load(&p->turn)) != me) {
            if (atomic_load(&p->abort)) return NULL;
            syscall(SYS_futex, (uint32_t *)&p->turn, FUTEX_WAIT_PRIVATE, t, NULL, NULL, 0);
        }
        uint64_t now = pv_vcpu_now_ns();
        uint64_t woken = atomic_load(&p->woken_at);
        if (me == 1 && woken) p->samples[r] = now - woken;
        atomic_store(&p->woken_at, pv_vcpu_now_ns());
        atomic_store(&p->turn, me ^ 1);
        syscall(SYS_futex, (uint32_t *)&p->turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    }
    return NULL;
}

static void *handoff_side0(void *arg) { return handoff_side(arg, 0); }
static void *handoff_side1(void *arg) { return handoff_side(arg, 1); }

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int pv_vcpu_sched_measure_handoff(int cpu, int rounds, uint64_t *median_ns) {
    if (rounds < 1 || !median_ns) return EINVAL;
    struct handoff_probe p = {.cpu = cpu, .rounds = rounds};
    atomic_init(&p.turn, 0);
    atomic_init(&p.woken_at, 0);
    atomic_init(&p.abort, 0);
    p.samples = calloc((size_t)rounds, sizeof(uint64_t));
    if (!p.samples) return ENOMEM;
    pthread_t a, b;
    int rc = pthread_create(&a, NULL, handoff_side0, &p);
    if (rc == 0) {
        rc = pthread_create(&b, NULL, handoff_side1, &p);
        if (rc == 0) pthread_join(b, NULL);
        else {
            /* Side 0 waits for a turn that never comes: release it. */
            atomic_store(&p.abort, 1);
            atomic_store(&p.turn, 2);
            syscall(SYS_futex, (uint32_t *)&p.turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
        }
        pthread_join(a, NULL);
    }
    if (rc == 0 && p.failed) rc = p.failed;
    if (rc == 0) {
        qsort(p.samples, (size_t)rounds, sizeof(uint64_t), compare_u64);
        *median_ns = p.samples[rounds / 2];
    }
    free(p.samples);
    return rc;
}
