/* Spawning threads that start life already pinned: the affinity is set in
 * the pthread attributes, so not one instruction of the new thread runs on
 * any other CPU. */
#ifndef PVBENCH_PV_THREADS_H
#define PVBENCH_PV_THREADS_H

#include <pthread.h>

/* Creates a joinable thread running `start(arg)` whose affinity is exactly
 * `cpu` from its first instruction (pthread_attr_setaffinity_np). Returns 0
 * or an errno value (EINVAL for a CPU outside this process's allowed set). */
int pv_thread_spawn_pinned(pthread_t *thread, int cpu, void *(*start)(void *), void *arg);

/* Waits for a thread made by pv_thread_spawn_pinned. 0 or an errno value. */
int pv_thread_join(pthread_t thread);

/* Whether `cpu` is in the calling thread's affinity mask: 1 yes, 0 no,
 * -errno when the mask cannot be read. */
int pv_cpu_is_allowed(int cpu);

#endif
