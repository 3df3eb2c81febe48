#include "pv_threads.h"

#include <errno.h>
#include <sched.h>

int pv_thread_spawn_pinned(pthread_t *thread, int cpu, void *(*start)(void *), void *arg) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) return EINVAL;
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);
    if (rc != 0) return rc;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    rc = pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
    if (rc == 0) rc = pthread_create(thread, &attr, start, arg);
    pthread_attr_destroy(&attr);
    return rc;
}

int pv_thread_join(pthread_t thread) { return pthread_join(thread, NULL); }

int pv_cpu_is_allowed(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) return 0;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) return -errno;
    return CPU_ISSET(cpu, &set) ? 1 : 0;
}
