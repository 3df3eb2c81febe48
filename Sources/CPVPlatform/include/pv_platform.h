/* The few things Swift cannot reach directly. One seam for everything that
 * differs between arm64 and x86_64: cycle counter, cpu_relax, cache line. */
#ifndef PVBENCH_PV_PLATFORM_H
#define PVBENCH_PV_PLATFORM_H

#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>

/* ---- architecture seam -------------------------------------------------- */

/* Cache-line size assumed for layouts and padding (both arm64 Neoverse and
 * x86_64 use 64 bytes; Apple M-series uses 128 but is not a KVM host). */
#define PV_CACHE_LINE_SIZE 64

/* Spin-wait hint: `pause` on x86_64, `yield` on arm64 (the kernel's
 * cpu_relax()). */
static inline void pv_cpu_relax(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield" ::: "memory");
#else
    __asm__ __volatile__("" ::: "memory");
#endif
}

/* A counter synchronised across cores: the invariant TSC on x86_64 (rdtsc,
 * not serialising), CNTVCT_EL0 on arm64 (after an isb so it is not read
 * early). Units are ticks; PVHost calibrates them to ns. */
static inline uint64_t pv_read_cycle_counter(void) {
#if defined(__x86_64__)
    return __builtin_ia32_rdtsc();
#elif defined(__aarch64__)
    uint64_t v;
    __asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
    return v;
#else
    return 0;
#endif
}

/* Frequency of pv_read_cycle_counter in Hz when the architecture states it
 * (CNTFRQ_EL0 on arm64); 0 when it must be calibrated (x86_64 TSC). */
static inline uint64_t pv_cycle_counter_frequency(void) {
#if defined(__aarch64__)
    uint64_t f;
    __asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(f));
    return f;
#else
    return 0;
#endif
}

/* Human-readable name of the clock pv_read_cycle_counter reads. */
const char *pv_cycle_counter_name(void);

/* Compiler-only barrier: keeps the optimiser from merging or hoisting loads
 * of benchmark loop bodies; emits no instruction. */
static inline void pv_compiler_barrier(void) { __asm__ __volatile__("" ::: "memory"); }

/* ---- threads and CPUs --------------------------------------------------- */

/* Pins the calling thread to one CPU. Returns 0 or an errno value. */
int pv_pin_current_thread(int cpu);
/* Pins the calling thread to a set of CPUs given as a list. 0 or errno. */
int pv_pin_current_thread_to_set(const int *cpus, int count);
/* Fills `out` (capacity `cap`) with the CPUs in this thread's affinity mask;
 * returns how many, or -errno. */
int pv_current_affinity(int *out, int cap);
/* Names the calling thread (<= 15 chars, as the kernel's comm). 0 or errno. */
int pv_set_current_thread_name(const char *name);
/* sched_getcpu(), or -errno. */
int pv_current_cpu(void);
/* The kernel thread id (gettid). */
pid_t pv_current_tid(void);

#endif
