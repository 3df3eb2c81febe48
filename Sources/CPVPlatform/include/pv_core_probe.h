/* The core probe: how fast a CPU runs a fixed loop right now. On a KVM
 * guest the host may run other work on the other hardware thread of the
 * core a vCPU sits on; the vCPU loses no time (schedstat sees nothing) but
 * issues its loads and adds at about half the rate. A loop of independent
 * L1 loads and adds is throughput-bound, so it shows that share; a
 * dependent chain would not. */
#ifndef PVBENCH_PV_CORE_PROBE_H
#define PVBENCH_PV_CORE_PROBE_H

/* Runs the loop on a thread pinned to `cpu`: `bursts` bursts of a fixed
 * number of load-and-add steps over a 4 KiB array, each timed with
 * CLOCK_MONOTONIC. Writes the median burst's ns per step to `*ns_per_step`
 * and returns 0, or returns an errno value (the thread could not be pinned
 * or started) and writes nothing. */
int pv_core_probe(int cpu, int bursts, double *ns_per_step);

#endif
