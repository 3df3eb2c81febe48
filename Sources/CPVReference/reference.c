#include "pv_reference.h"

/* PVREF_WITHOUT_CK leaves the Concurrency Kit kernel out: for a build where
 * no libck for the target exists (the aarch64 cross-compile of the kernels
 * in CKernelAArch64Tests: Debian's libck-dev is configured for the host). */
#ifndef PVREF_WITHOUT_CK
#include <ck_sequence.h>
#endif

/* The loop kernels start on a 64-byte line: their bytes are the same from
 * build to build, and so is where their branches fall in the front end's
 * fetch windows. Placed at whatever 16-byte offset the link gave them, the
 * same idle-scan loop over one vCPU read 0.89 G scans/s in three builds and
 * 1.18 G in a fourth (docs/measurement.md, "Code placement"). */
#define PVREF_HOT __attribute__((aligned(64)))

/* The kernel's READ_ONCE is a volatile access; here it is a C11 relaxed
 * atomic, which compiles to the same single load on x86_64 and arm64 but is
 * not a data race in C11 terms (the Swift side writes with atomic stores),
 * so ThreadSanitizer sees it as what it is. */
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#if defined(__aarch64__)
#define smp_rmb() __asm__ __volatile__("dmb ishld" ::: "memory")
#define cpu_relax() __asm__ __volatile__("yield" ::: "memory")
#elif defined(__x86_64__)
/* x86 is TSO: rmb between loads is a compiler barrier. */
#define smp_rmb() __asm__ __volatile__("" ::: "memory")
#define cpu_relax() __builtin_ia32_pause()
#else
#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define cpu_relax() __asm__ __volatile__("" ::: "memory")
#endif

/* The cheap per-read detector: count a value smaller than the previous one. */
static inline void note(uint64_t v, uint64_t *last, uint64_t *backwards) {
    *backwards += v < *last;
    *last = v;
}

PVREF_HOT void pvref_steal_read_relaxed(const uint64_t *stolen, uint64_t n, struct pvref_steal_reader *r) {
    uint64_t last = r->last, backwards = r->backwards;
    for (uint64_t i = 0; i < n; i++) note(READ_ONCE(*stolen), &last, &backwards);
    r->last = last;
    r->backwards = backwards;
}

PVREF_HOT void pvref_steal_read_acquire(const uint64_t *stolen, uint64_t n, struct pvref_steal_reader *r) {
    uint64_t last = r->last, backwards = r->backwards;
    for (uint64_t i = 0; i < n; i++) note(smp_load_acquire(stolen), &last, &backwards);
    r->last = last;
    r->backwards = backwards;
}

PVREF_HOT void pvref_steal_read_seqlock(const uint32_t *sequence, const uint64_t *stolen, uint64_t n,
                                        struct pvref_steal_reader *r) {
    uint64_t last = r->last, backwards = r->backwards, retries = r->retries;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t version;
        uint64_t steal;
        for (;;) {
            /* The Swift seqlock strategy's protocol, access for access (Boehm's
             * C11 seqlock): an acquire load of the sequence, the data, an
             * acquire fence, the sequence again. On arm64 LDAR + DMB ISHLD,
             * as the strategy's recorded program; on x86 plain loads. */
            version = smp_load_acquire(sequence);
            steal = READ_ONCE(*stolen);
            smp_rmb();
            if (!(version & 1) && version == READ_ONCE(*sequence)) break;
            retries++;
            cpu_relax();
        }
        note(steal, &last, &backwards);
    }
    r->last = last;
    r->backwards = backwards;
    r->retries = retries;
}

#ifndef PVREF_WITHOUT_CK
PVREF_HOT void pvref_steal_read_ck(const void *sq, const uint64_t *stolen, uint64_t n, struct pvref_steal_reader *r) {
    const ck_sequence_t *seq = sq;
    uint64_t last = r->last, backwards = r->backwards, retries = r->retries;
    for (uint64_t i = 0; i < n; i++) {
        unsigned int version;
        uint64_t steal;
        for (;;) {
            version = ck_sequence_read_begin(seq);
            steal = READ_ONCE(*stolen);
            if (!ck_sequence_read_retry(seq, version)) break;
            retries++;
        }
        note(steal, &last, &backwards);
    }
    r->last = last;
    r->backwards = backwards;
    r->retries = retries;
}
#endif

#define PREEMPT_POLL(name, LOAD)                                                               \
    PVREF_HOT uint64_t name(const void *first_flag, size_t stride, size_t vcpus, uint32_t *last,   \
                            size_t *cursor, uint64_t n, int64_t *changed) {                        \
        const char *base = first_flag;                                                             \
        size_t v = *cursor;                                                                        \
        for (uint64_t i = 0; i < n; i++) {                                                         \
            uint32_t now = !!LOAD((const uint32_t *)(base + v * stride));                          \
            if (now != last[v]) {                                                                  \
                last[v] = now;                                                                     \
                *changed = (int64_t)v;                                                             \
                *cursor = v + 1 == vcpus ? 0 : v + 1;                                              \
                return i + 1;                                                                      \
            }                                                                                      \
            v = v + 1 == vcpus ? 0 : v + 1;                                                        \
        }                                                                                          \
        *cursor = v;                                                                               \
        *changed = -1;                                                                             \
        return n;                                                                                  \
    }

#define LOAD_ONCE(p) READ_ONCE(*(p))
PREEMPT_POLL(pvref_preempt_poll_relaxed, LOAD_ONCE)
PREEMPT_POLL(pvref_preempt_poll_acquire, smp_load_acquire)

PVREF_HOT uint64_t pvref_idle_scan_relaxed(const void *first_flag, size_t stride, size_t vcpus, uint64_t scans) {
    const char *base = first_flag;
    uint64_t seen = 0;
    for (uint64_t s = 0; s < scans; s++)
        for (size_t v = 0; v < vcpus; v++) seen += !!READ_ONCE(*(const uint32_t *)(base + v * stride));
    return seen;
}

/* Single-copy atomic 64-bit and 32-bit stores: the record is little-endian
 * and so are both hosts pvbench runs on (x86_64, arm64 LE), so
 * cpu_to_le64/le32 are the identity here, as in the kernel on those hosts. */
void pvref_preempted_write_relaxed(uint32_t *flag, uint32_t value) { WRITE_ONCE(*flag, value); }

void pvref_preempted_write_release(uint32_t *flag, uint32_t value) { smp_store_release(flag, value); }

void pvref_preempted_write_seq_cst(uint32_t *flag, uint32_t value) { __atomic_store_n(flag, value, __ATOMIC_SEQ_CST); }

uint64_t pvref_steal_update_relaxed(uint64_t *stolen, uint64_t delta) {
    uint64_t steal = READ_ONCE(*stolen) + delta;
    WRITE_ONCE(*stolen, steal);
    return steal;
}

uint64_t pvref_steal_update_release(uint64_t *stolen, uint64_t delta) {
    uint64_t steal = READ_ONCE(*stolen) + delta;
    smp_store_release(stolen, steal);
    return steal;
}

uint64_t pvref_steal_update_seq_cst(uint64_t *stolen, uint64_t delta) {
    uint64_t steal = READ_ONCE(*stolen) + delta;
    __atomic_store_n(stolen, steal, __ATOMIC_SEQ_CST);
    return steal;
}
