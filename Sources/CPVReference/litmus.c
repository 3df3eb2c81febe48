#include "pv_litmus.h"
#include <stdatomic.h>

void pvlit_execute(const struct pvlit_step *steps, int n, void *base, uint32_t *results)
{
    for (int i = 0; i < n; i++) {
        const struct pvlit_step *s = &steps[i];
        uintptr_t offset = (uintptr_t)s->location * 64;
        if (s->depends_on >= 0)
            offset += results[s->depends_on] ^ results[s->depends_on];
        _Atomic uint32_t *p = (_Atomic uint32_t *)((char *)base + offset);
        switch (s->op) {
        case PVLIT_STORE:
            if (s->order == PVLIT_RELAXED) atomic_store_explicit(p, s->value, memory_order_relaxed);
            else if (s->order == PVLIT_ACQREL) atomic_store_explicit(p, s->value, memory_order_release);
            else atomic_store_explicit(p, s->value, memory_order_seq_cst);
            break;
        case PVLIT_LOAD:
            if (s->order == PVLIT_RELAXED) results[s->result] = atomic_load_explicit(p, memory_order_relaxed);
            else if (s->order == PVLIT_ACQREL) results[s->result] = atomic_load_explicit(p, memory_order_acquire);
            else results[s->result] = atomic_load_explicit(p, memory_order_seq_cst);
            break;
        default:
            if (s->order == PVLIT_SEQCST) atomic_thread_fence(memory_order_seq_cst);
            else if (s->order == PVLIT_ACQREL) atomic_thread_fence(memory_order_acquire);
            else atomic_thread_fence(memory_order_release);
            break;
        }
    }
}
