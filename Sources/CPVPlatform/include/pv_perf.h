/* perf_event_open(2) for counting on the calling thread: the syscall (glibc
 * has no wrapper) and the parts of struct perf_event_attr Swift needs, so the
 * Swift side never builds the struct itself. Linux only; elsewhere every
 * call fails with ENOSYS. */
#ifndef PVBENCH_PV_PERF_H
#define PVBENCH_PV_PERF_H

#include <stdint.h>

/* perf_event_attr.type values (linux/perf_event.h, stable ABI). */
#define PV_PERF_TYPE_HARDWARE 0u
#define PV_PERF_TYPE_SOFTWARE 1u
#define PV_PERF_TYPE_HW_CACHE 3u

/* PERF_TYPE_HARDWARE configs. */
#define PV_PERF_COUNT_HW_CPU_CYCLES 0ull
#define PV_PERF_COUNT_HW_INSTRUCTIONS 1ull
#define PV_PERF_COUNT_HW_CACHE_MISSES 3ull

/* PERF_TYPE_SOFTWARE configs. */
#define PV_PERF_COUNT_SW_TASK_CLOCK 1ull
#define PV_PERF_COUNT_SW_CONTEXT_SWITCHES 3ull
#define PV_PERF_COUNT_SW_CPU_MIGRATIONS 4ull

/* PERF_TYPE_HW_CACHE config for L1D read misses:
 * PERF_COUNT_HW_CACHE_L1D | (OP_READ << 8) | (RESULT_MISS << 16). */
#define PV_PERF_CONFIG_L1D_READ_MISS 0x10000ull

/* Opens one counting event on the calling thread (pid 0, cpu -1), created
 * disabled, with read_format GROUP | TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING
 * and inherit off. `group_fd` is -1 for a group leader or the leader's fd.
 * `user_only` sets exclude_kernel and exclude_hv (what perf_event_paranoid 2
 * allows an unprivileged process). Returns the fd, or -errno. */
int pv_perf_open(uint32_t type, uint64_t config, int group_fd, int user_only);

/* Enables / disables / zeroes an event; with `whole_group` (on a leader) the
 * whole group at once (PERF_IOC_FLAG_GROUP). 0 or -errno. */
int pv_perf_enable(int fd, int whole_group);
int pv_perf_disable(int fd, int whole_group);
int pv_perf_reset(int fd, int whole_group);

/* Reads a whole group through its leader (PERF_FORMAT_GROUP): up to
 * `capacity` raw counts in the order the events joined (leader first), and
 * the ns the group was enabled and actually running on the PMU (they differ
 * when the kernel multiplexed it). Returns the number of events, or -errno.
 * Siblings must be read this way: read(2) on a sibling alone does not bring
 * its times up to date. */
int pv_perf_read_group(int leader_fd, uint64_t *values, int capacity, uint64_t *time_enabled,
                       uint64_t *time_running);

/* Closes an event fd. */
void pv_perf_close(int fd);

#endif
