/* Which cycle counter pv_read_cycle_counter() reads, so Swift can decide how
 * to calibrate it and whether it is trustworthy across cores without an
 * `#if arch` of its own. */
#ifndef PVBENCH_PV_CLOCK_H
#define PVBENCH_PV_CLOCK_H

#include <stdint.h>

enum pv_counter_kind {
    PV_COUNTER_NONE = 0,
    /* x86_64 time-stamp counter: frequency not architecturally stated, must
     * be calibrated; synchronised across cores only when the CPU reports
     * constant_tsc and nonstop_tsc (an "invariant TSC"). */
    PV_COUNTER_X86_TSC = 1,
    /* arm64 virtual counter CNTVCT_EL0: one system counter for every PE
     * (Arm ARM D11.1.2), frequency in CNTFRQ_EL0 as set by firmware. */
    PV_COUNTER_ARM64_CNTVCT = 2,
};

static inline enum pv_counter_kind pv_cycle_counter_kind(void) {
#if defined(__x86_64__)
    return PV_COUNTER_X86_TSC;
#elif defined(__aarch64__)
    return PV_COUNTER_ARM64_CNTVCT;
#else
    return PV_COUNTER_NONE;
#endif
}

#endif
