/* Unaligned single-instruction accesses for the deliberately unsafe
 * `straddle` strategy: a field placed across a cache-line boundary.
 *
 * The access is `volatile` (what READ_ONCE/WRITE_ONCE compile to) through a
 * packed struct, so the compiler emits ONE load or store instruction that
 * tolerates misalignment (x86_64: mov; arm64: ldr/str, allowed on Normal
 * memory with SCTLR_EL1.A = 0 as Linux runs user space) and neither splits,
 * merges nor hoists it. The hardware then decides atomicity: an access that
 * crosses a cache line is NOT single-copy atomic on x86_64 (SDM vol. 3A
 * 9.1.1) nor on arm64 (Arm ARM B2.2.1: only aligned accesses are, or, with
 * FEAT_LSE2, unaligned ones within a 16-byte aligned window). */
#ifndef PVBENCH_PV_UNALIGNED_H
#define PVBENCH_PV_UNALIGNED_H

#include <stdint.h>

typedef struct __attribute__((packed)) { volatile uint64_t v; } pv_unaligned_u64_t;
typedef struct __attribute__((packed)) { volatile uint32_t v; } pv_unaligned_u32_t;

static inline uint64_t pv_load_unaligned_u64(const void *p) { return ((const pv_unaligned_u64_t *)p)->v; }
static inline void pv_store_unaligned_u64(void *p, uint64_t v) { ((pv_unaligned_u64_t *)p)->v = v; }
static inline uint32_t pv_load_unaligned_u32(const void *p) { return ((const pv_unaligned_u32_t *)p)->v; }
static inline void pv_store_unaligned_u32(void *p, uint32_t v) { ((pv_unaligned_u32_t *)p)->v = v; }

#endif
