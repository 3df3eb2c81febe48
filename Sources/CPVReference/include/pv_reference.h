/* Kernel-style C versions of the guest read kernels: the baseline the
 * Swift kernels are measured against (the hypervisor side of those
 * scenarios runs the Swift writers, so both implementations race the same
 * writer), and the hypervisor's single-record writes that the emulated
 * scheduler's vcpu_put/vcpu_load (a signal handler, where Swift may not
 * run) stores through. Each kernel
 * runs `n` operations and returns; the caller's outer loop (shared by the
 * Swift and C implementations) does timing, histograms and stop checks, so
 * a Swift/C comparison compares exactly the kernels.
 *
 * Accesses are written as the kernel writes them: READ_ONCE is a
 * volatile access, smp_load_acquire a C11 atomic, the seqlock is the
 * x86 kvm_steal_time reader. Compiled with -O2. */
#ifndef PVBENCH_PV_REFERENCE_H
#define PVBENCH_PV_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

/* Running state of a steal-clock reader, carried across batches. The cheap
 * detector: stolen time must never go backwards for one reader. */
struct pvref_steal_reader {
    uint64_t last;        /* last value read */
    uint64_t backwards;   /* reads that were smaller than the previous one */
    uint64_t retries;     /* seqlock retries */
};

/* --- guest: para_steal_clock() ------------------------------------------ */

/* le64_to_cpu(READ_ONCE(rec->stolen_time)): what arm64 Linux does. */
void pvref_steal_read_relaxed(const uint64_t *stolen, uint64_t n, struct pvref_steal_reader *r);
/* smp_load_acquire(&rec->stolen_time). */
void pvref_steal_read_acquire(const uint64_t *stolen, uint64_t n, struct pvref_steal_reader *r);
/* x86 kvm_steal_clock(): do { v = version; rmb; s = steal; rmb; } while (v & 1 || v != version). */
void pvref_steal_read_seqlock(const uint32_t *sequence, const uint64_t *stolen, uint64_t n,
                              struct pvref_steal_reader *r);
/* The same protocol through Concurrency Kit's ck_sequence. */
void pvref_steal_read_ck(const void *ck_sequence, const uint64_t *stolen, uint64_t n,
                         struct pvref_steal_reader *r);

/* --- guest: vcpu_is_preempted() ----------------------------------------- */

/* Spinning code's shape: polls vcpu_is_preempted() = !!le32_to_cpu(READ_ONCE(
 * rec->preempted)) for `vcpus` vCPUs round robin (flags `stride` bytes apart),
 * starting at *cursor, until one differs from last[v] or `n` polls are done.
 * Returns the polls done; *changed is the vCPU whose flag changed (last[] and
 * *cursor updated) or -1. */
uint64_t pvref_preempt_poll_relaxed(const void *first_flag, size_t stride, size_t vcpus, uint32_t *last,
                                    size_t *cursor, uint64_t n, int64_t *changed);
/* The same with smp_load_acquire. */
uint64_t pvref_preempt_poll_acquire(const void *first_flag, size_t stride, size_t vcpus, uint32_t *last,
                                    size_t *cursor, uint64_t n, int64_t *changed);

/* available_idle_cpu()-shaped scan: reads the flag of each of `vcpus` vCPUs
 * (blocks `stride` bytes apart), `scans` times; returns preempted flags seen. */
uint64_t pvref_idle_scan_relaxed(const void *first_flag, size_t stride, size_t vcpus, uint64_t scans);

/* --- hypervisor: vcpu_put/vcpu_load, kvm_update_stolen_time() ----------- *
 * One record per call, async-signal-safe (no calls, one atomic access each),
 * for pv_vcpu_sched's handler. `stolen` is &rec->stolen_time, `flag` is
 * &block->preempted; only the vCPU's own thread writes either. */

/* WRITE_ONCE(*flag, value). */
void pvref_preempted_write_relaxed(uint32_t *flag, uint32_t value);
/* smp_store_release(flag, value). */
void pvref_preempted_write_release(uint32_t *flag, uint32_t value);
/* smp_store_mb-like: a sequentially consistent store. */
void pvref_preempted_write_seq_cst(uint32_t *flag, uint32_t value);

/* kvm_update_stolen_time(): steal = le64_to_cpu(READ_ONCE(*stolen)) + delta;
 * WRITE_ONCE(*stolen, cpu_to_le64(steal)): read back, one store. Returns
 * the value stored. */
uint64_t pvref_steal_update_relaxed(uint64_t *stolen, uint64_t delta);
/* The same with the store a release. */
uint64_t pvref_steal_update_release(uint64_t *stolen, uint64_t delta);
/* The same with the store sequentially consistent. */
uint64_t pvref_steal_update_seq_cst(uint64_t *stolen, uint64_t delta);

#endif
