/* The two paravirtual shared records, declared as the kernel declares them
 * (arch/arm64/include/asm/pvclock-abi.h; openEuler's pvsched-abi.h), so that
 * the layout is checked by the C compiler rather than by Swift's struct
 * layout rules. All fields are little-endian in guest memory. */
#ifndef PVBENCH_PV_ABI_H
#define PVBENCH_PV_ABI_H

#include <stddef.h>
#include <stdint.h>

/* PV time: DEN0057A / Documentation/virt/kvm/arm/pvtime.rst. Only the first
 * 16 bytes are "meaningfully filled by the hypervisor"; the kernel pads the
 * structure to 64 bytes because the IPA must be 64-byte aligned. */
struct pvclock_vcpu_stolen_time {
    uint32_t revision;     /* __le32, must be 0 */
    uint32_t attributes;   /* __le32, must be 0 */
    uint64_t stolen_time;  /* __le64, ns */
    uint8_t padding[48];
} __attribute__((packed));

/* PV sched (openEuler): preempted flag, padded to one 64-byte block. */
struct pvsched_vcpu_state {
    uint32_t preempted;    /* __le32, non-zero = preempted */
    uint8_t padding[60];
} __attribute__((packed));

/* Spec values, checked below and exported for Swift tests. */
#define PV_TIME_RECORD_MEANINGFUL_SIZE 16
#define PV_RECORD_IPA_ALIGNMENT 64
#define PV_TIME_REVISION_OFFSET 0
#define PV_TIME_REVISION_SIZE 4
#define PV_TIME_ATTRIBUTES_OFFSET 4
#define PV_TIME_ATTRIBUTES_SIZE 4
#define PV_TIME_STOLEN_TIME_OFFSET 8
#define PV_TIME_STOLEN_TIME_SIZE 8
#define PV_SCHED_PREEMPTED_OFFSET 0
#define PV_SCHED_PREEMPTED_SIZE 4
#define PV_SCHED_BLOCK_SIZE 64

_Static_assert(offsetof(struct pvclock_vcpu_stolen_time, revision) == PV_TIME_REVISION_OFFSET, "revision @0");
_Static_assert(sizeof(((struct pvclock_vcpu_stolen_time *)0)->revision) == PV_TIME_REVISION_SIZE, "revision u32");
_Static_assert(offsetof(struct pvclock_vcpu_stolen_time, attributes) == PV_TIME_ATTRIBUTES_OFFSET, "attributes @4");
_Static_assert(sizeof(((struct pvclock_vcpu_stolen_time *)0)->attributes) == PV_TIME_ATTRIBUTES_SIZE, "attributes u32");
_Static_assert(offsetof(struct pvclock_vcpu_stolen_time, stolen_time) == PV_TIME_STOLEN_TIME_OFFSET, "stolen_time @8");
_Static_assert(sizeof(((struct pvclock_vcpu_stolen_time *)0)->stolen_time) == PV_TIME_STOLEN_TIME_SIZE, "stolen_time u64");
_Static_assert(offsetof(struct pvclock_vcpu_stolen_time, padding) == PV_TIME_RECORD_MEANINGFUL_SIZE, "16 meaningful bytes");
_Static_assert(sizeof(struct pvclock_vcpu_stolen_time) == 64, "kernel pads to 64");
_Static_assert(offsetof(struct pvsched_vcpu_state, preempted) == PV_SCHED_PREEMPTED_OFFSET, "preempted @0");
_Static_assert(sizeof(((struct pvsched_vcpu_state *)0)->preempted) == PV_SCHED_PREEMPTED_SIZE, "preempted u32");
_Static_assert(sizeof(struct pvsched_vcpu_state) == PV_SCHED_BLOCK_SIZE, "64-byte block");

/* Accessors for Swift, which cannot evaluate offsetof itself. */
static inline size_t pv_abi_offset_revision(void) { return offsetof(struct pvclock_vcpu_stolen_time, revision); }
static inline size_t pv_abi_offset_attributes(void) { return offsetof(struct pvclock_vcpu_stolen_time, attributes); }
static inline size_t pv_abi_offset_stolen_time(void) { return offsetof(struct pvclock_vcpu_stolen_time, stolen_time); }
static inline size_t pv_abi_size_stolen_time_struct(void) { return sizeof(struct pvclock_vcpu_stolen_time); }
static inline size_t pv_abi_offset_preempted(void) { return offsetof(struct pvsched_vcpu_state, preempted); }
static inline size_t pv_abi_size_pvsched_struct(void) { return sizeof(struct pvsched_vcpu_state); }

#endif
