/// The header a C strategy file is compiled against (`pvbench abi --c-header`
/// prints it; `validate --c` writes it next to the build and force-includes
/// it, so the file's own line numbers stay its own). One source: this text.
///
/// The records are declared as the kernel declares them; the primitives are
/// the kernel's definitions for x86-64 and arm64 (arch/*/include/asm/barrier.h,
/// include/asm-generic/rwonce.h); the four prototypes make a mis-typed
/// definition a compile error that names the expected signature.
public enum CStrategyHeader {
    public static let fileName = "pvbench_strategy.h"

    /// The prototypes, as the error for a missing function quotes them.
    public static let prototypes: [String: String] = [
        "pv_steal_read": "u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries);",
        "pv_steal_write": "void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 stolen_time);",
        "pv_preempted_read": "u32 pv_preempted_read(struct pvsched_vcpu_state *ps, u64 *retries);",
        "pv_preempted_write": "void pv_preempted_write(struct pvsched_vcpu_state *ps, u32 preempted);",
    ]

    public static let text = #"""
    /* pvbench_strategy.h: what a pvbench C strategy file is compiled against.
     * Printed by `pvbench abi --c-header`; reference: docs/c-strategies.md.
     *
     * A strategy file defines one or both pairs (reader and writer together):
     *   u64  pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries);
     *   void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 stolen_time);
     *   u32  pv_preempted_read(struct pvsched_vcpu_state *ps, u64 *retries);
     *   void pv_preempted_write(struct pvsched_vcpu_state *ps, u32 preempted);
     * The writer gets the value to publish (host-endian; the records are
     * little-endian and so is every host pvbench runs on). The reader returns
     * what it read and may add the attempts it discarded to *retries.
     * One writer thread per record, as in KVM; any number of readers.
     */
    #ifndef PVBENCH_STRATEGY_H
    #define PVBENCH_STRATEGY_H

    #include <stdint.h>
    #include <stddef.h>

    typedef uint8_t u8;
    typedef uint32_t u32;
    typedef uint64_t u64;
    typedef uint32_t __le32;
    typedef uint64_t __le64;

    #define le32_to_cpu(x) ((u32)(x))
    #define le64_to_cpu(x) ((u64)(x))
    #define cpu_to_le32(x) ((__le32)(x))
    #define cpu_to_le64(x) ((__le64)(x))

    /* include/linux/arm-smccc.h / Documentation/virt/kvm/arm/pvtime.rst */
    struct pvclock_vcpu_stolen_time {
        __le32 revision;
        __le32 attributes;
        __le64 stolen_time;
        /* Structure must be 64 byte aligned, pad to that size */
        u8 padding[48];
    } __attribute__((__packed__, __aligned__(64)));

    /* openEuler pvsched */
    struct pvsched_vcpu_state {
        __le32 preempted;
        u8 padding[60];
    } __attribute__((__packed__, __aligned__(64)));

    _Static_assert(sizeof(struct pvclock_vcpu_stolen_time) == 64, "stolen-time record is 64 bytes");
    _Static_assert(offsetof(struct pvclock_vcpu_stolen_time, stolen_time) == 8, "stolen_time at offset 8");
    _Static_assert(sizeof(struct pvsched_vcpu_state) == 64, "pvsched block is 64 bytes");

    /* include/asm-generic/rwonce.h */
    #define barrier() __asm__ __volatile__("" ::: "memory")
    #define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
    #define WRITE_ONCE(x, val) do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)

    #if defined(__x86_64__)
    /* arch/x86/include/asm/barrier.h (x86-64, SMP) */
    #define smp_mb() __asm__ __volatile__("lock; addl $0,-4(%%rsp)" ::: "memory", "cc")
    #define smp_rmb() barrier()
    #define smp_wmb() barrier()
    #define smp_store_release(p, v) do { barrier(); WRITE_ONCE(*(p), (v)); } while (0)
    #define smp_load_acquire(p) ({ __typeof__(*(p)) ___p1 = READ_ONCE(*(p)); barrier(); ___p1; })
    #define cpu_relax() __asm__ __volatile__("pause" ::: "memory")
    #elif defined(__aarch64__)
    /* arch/arm64/include/asm/barrier.h: dmb ish/ishld/ishst; stlr/ldar
       (the kernel's __smp_store_release/__smp_load_acquire emit the same
       instructions through inline asm; the builtins below compile to them) */
    #define smp_mb() __asm__ __volatile__("dmb ish" ::: "memory")
    #define smp_rmb() __asm__ __volatile__("dmb ishld" ::: "memory")
    #define smp_wmb() __asm__ __volatile__("dmb ishst" ::: "memory")
    #define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
    #define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
    #define cpu_relax() __asm__ __volatile__("yield" ::: "memory")
    #else
    #error "pvbench C strategies: x86-64 or arm64 only"
    #endif

    u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries);
    void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 stolen_time);
    u32 pv_preempted_read(struct pvsched_vcpu_state *ps, u64 *retries);
    void pv_preempted_write(struct pvsched_vcpu_state *ps, u32 preempted);

    #endif /* PVBENCH_STRATEGY_H */

    """#
}
