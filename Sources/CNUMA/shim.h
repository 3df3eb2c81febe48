#ifndef PVBENCH_CNUMA_SHIM_H
#define PVBENCH_CNUMA_SHIM_H
#include <numa.h>
#include <numaif.h>
#endif
