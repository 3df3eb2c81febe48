#include "pv_core_probe.h"
#include "pv_threads.h"

#include <errno.h>
#include <stdint.h>
#include <time.h>

enum { probe_words = 512, probe_passes = 1024, probe_max_bursts = 15 };

struct probe_job {
    int bursts;
    double ns[probe_max_bursts];
};

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Four independent accumulators over an L1-resident array; the empty asm
 * keeps each step a scalar load and add (no vectorising, no hoisting). */
static double burst(const uint64_t *words) {
    uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    double t0 = now_ns();
    for (int p = 0; p < probe_passes; p++) {
        for (int i = 0; i < probe_words; i += 4) {
            s0 += words[i];
            s1 += words[i + 1];
            s2 += words[i + 2];
            s3 += words[i + 3];
            __asm__ volatile("" : "+r"(s0), "+r"(s1), "+r"(s2), "+r"(s3));
        }
    }
    double t1 = now_ns();
    __asm__ volatile("" ::"r"(s0 + s1 + s2 + s3));
    return (t1 - t0) / ((double)probe_passes * probe_words);
}

static void *probe_thread(void *arg) {
    struct probe_job *job = arg;
    uint64_t words[probe_words];
    for (int i = 0; i < probe_words; i++) words[i] = (uint64_t)i * 2654435761u;
    (void)burst(words); /* warm: the array into L1, the loop into the caches */
    for (int b = 0; b < job->bursts; b++) job->ns[b] = burst(words);
    return NULL;
}

int pv_core_probe(int cpu, int bursts, double *ns_per_step) {
    if (bursts < 1 || bursts > probe_max_bursts) return EINVAL;
    struct probe_job job = {.bursts = bursts};
    pthread_t thread;
    int rc = pv_thread_spawn_pinned(&thread, cpu, probe_thread, &job);
    if (rc != 0) return rc;
    rc = pv_thread_join(thread);
    if (rc != 0) return rc;
    /* Median by insertion sort: at most 15 values. */
    for (int i = 1; i < bursts; i++) {
        double v = job.ns[i];
        int j = i - 1;
        while (j >= 0 && job.ns[j] > v) { job.ns[j + 1] = job.ns[j]; j--; }
        job.ns[j + 1] = v;
    }
    *ns_per_step = job.ns[bursts / 2];
    return 0;
}
