/* Kernel-style C versions of the guest read loops and hypervisor write loops:
 * the baseline the Swift loops are measured against. */
#ifndef PVBENCH_PV_REFERENCE_H
#define PVBENCH_PV_REFERENCE_H
#include <stdint.h>
#endif
