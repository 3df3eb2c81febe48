/* One litmus thread's steps, executed with C11 atomics at -O2 (so the
 * debug build races as tightly as the release one). The Swift side
 * (PVExperiments' LitmusRunner) encodes each step; the program that runs is
 * what clang makes of these atomics, which LitmusTarget documents. */
#ifndef PVBENCH_PV_LITMUS_H
#define PVBENCH_PV_LITMUS_H

#include <stdint.h>

enum pvlit_op { PVLIT_STORE = 0, PVLIT_LOAD = 1, PVLIT_FENCE = 2 };
/* store: relaxed, release, seq_cst; load: relaxed, acquire, seq_cst;
 * fence: seq_cst (full), acquire (load), release (store). */
enum pvlit_order { PVLIT_RELAXED = 0, PVLIT_ACQREL = 1, PVLIT_SEQCST = 2 };

struct pvlit_step {
    uint8_t op;
    uint8_t order;
    uint8_t location;  /* byte offset location * 64 from the instance base */
    uint8_t result;    /* load: result register 0 or 1 */
    int8_t depends_on; /* -1, or the result an address dependency reads (x ^ x: folded by the compiler) */
    uint32_t value;    /* store: the value */
};

/* Runs `n` steps on one instance: memory at `base`, results at `results`. */
void pvlit_execute(const struct pvlit_step *steps, int n, void *base, uint32_t *results);

#endif
