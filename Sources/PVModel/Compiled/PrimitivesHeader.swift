/// The kernel's definitions of the LKMM primitives, written as a
/// freestanding header so that gcc and clang compile a C litmus test the
/// way the kernel would. The facts are the kernel's:
///
/// - ONCE: include/asm-generic/rwonce.h, a volatile access of the
///   object's own type.
/// - arm64, arch/arm64/include/asm/barrier.h: `smp_mb` `dmb ish`,
///   `smp_rmb` `dmb ishld`, `smp_wmb` `dmb ishst`; `smp_load_acquire`
///   `ldar`, `smp_store_release` `stlr` (inline asm, "Q" operands);
///   `smp_store_mb` and `smp_mb__{before,after}_atomic` from asm-generic.
/// - arm64 atomics, arch/arm64/include/asm/{atomic_lse,atomic_ll_sc,cmpxchg}.h:
///   with LSE (armv8.1-a) `xchg` is `swp{,a,l,al}` and `cmpxchg` is
///   `mov; cas{,a,l,al}; mov`; without it (armv8-a) the LL/SC loops
///   `prfm pstl1strm; 1: ld{a}xr; st{l}xr; cbnz 1b; [dmb ish]` and, for
///   cmpxchg, `eor; cbnz 2f` to leave on a mismatch.
/// - x86-64, arch/x86/include/asm/{barrier,cmpxchg}.h: `smp_mb` is
///   `lock; addl $0,-4(%rsp)`; `smp_rmb`, `smp_wmb`, the acquire load and
///   the release store are compiler barriers around plain MOVs; `xchg` is
///   `xchg`, `cmpxchg` `lock; cmpxchg`; `smp_store_mb` is an `xchg`.
///
/// Atomics are written for 32-bit `int` (the type of every kernel test's
/// shared variables); acquire/release accesses for 32 and 64 bits.
public enum PrimitivesHeader {
    /// The primitives the header defines; any other call in a thread is refused.
    public static let primitives: Set<String> = [
        "READ_ONCE", "WRITE_ONCE", "barrier", "smp_mb", "smp_rmb", "smp_wmb",
        "smp_load_acquire", "smp_store_release", "smp_store_mb",
        "smp_mb__before_atomic", "smp_mb__after_atomic",
        "rcu_dereference", "rcu_assign_pointer", "rcu_read_lock", "rcu_read_unlock",
        "xchg", "xchg_relaxed", "xchg_acquire", "xchg_release",
        "cmpxchg", "cmpxchg_relaxed", "cmpxchg_acquire", "cmpxchg_release",
    ]

    private static let common = """
        typedef signed char s8; typedef unsigned char u8; typedef short s16; typedef unsigned short u16;
        typedef int s32; typedef unsigned int u32; typedef long long s64; typedef unsigned long long u64;
        typedef long intptr_t; typedef unsigned long uintptr_t;
        typedef signed char int8_t; typedef unsigned char uint8_t; typedef short int16_t; typedef unsigned short uint16_t;
        typedef int int32_t; typedef unsigned int uint32_t; typedef long int64_t; typedef unsigned long uint64_t;
        #define barrier() __asm__ __volatile__("" ::: "memory")
        #define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
        #define WRITE_ONCE(x, val) do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
        #define rcu_dereference(p) READ_ONCE(p)
        #define rcu_assign_pointer(p, v) smp_store_release(&(p), (v))
        #define rcu_read_lock() barrier()
        #define rcu_read_unlock() barrier()

        """

    private static let arm64 = """
        #define smp_mb() __asm__ __volatile__("dmb ish" ::: "memory")
        #define smp_rmb() __asm__ __volatile__("dmb ishld" ::: "memory")
        #define smp_wmb() __asm__ __volatile__("dmb ishst" ::: "memory")
        #define smp_mb__before_atomic() smp_mb()
        #define smp_mb__after_atomic() smp_mb()
        #define smp_store_mb(var, value) do { WRITE_ONCE(var, value); smp_mb(); } while (0)
        #define smp_store_release(p, v) do { __typeof__(*(p)) __v = (v); \\
            if (sizeof(*(p)) == 8) __asm__ __volatile__("stlr %x1, %0" : "=Q" (*(p)) : "rZ" (__v) : "memory"); \\
            else __asm__ __volatile__("stlr %w1, %0" : "=Q" (*(p)) : "rZ" (__v) : "memory"); } while (0)
        #define smp_load_acquire(p) ({ __typeof__(*(p)) __v; \\
            if (sizeof(*(p)) == 8) __asm__ __volatile__("ldar %x0, %1" : "=r" (__v) : "Q" (*(p)) : "memory"); \\
            else __asm__ __volatile__("ldar %w0, %1" : "=r" (__v) : "Q" (*(p)) : "memory"); __v; })

        """

    private static func arm64Atomics(lse: Bool) -> String {
        // (suffix, load-acquire, store-release, trailing barrier, LSE order)
        let orders = [("", "", "l", "dmb ish", "al"), ("_relaxed", "", "", "", ""), ("_acquire", "a", "", "", "a"), ("_release", "", "l", "", "l")]
        return orders.map { sfx, acq, rel, mb, o in
            if lse {
                return """
                    #define xchg\(sfx)(__p, __v) ({ int __r; __asm__ __volatile__("swp\(o) %w[i], %w[r], %[m]" : [r] "=r" (__r), [m] "+Q" (*(__p)) : [i] "r" ((int)(__v)) : "memory"); __r; })
                    #define cmpxchg\(sfx)(__p, __o, __n) ({ int __t = (__o); __asm__ __volatile__("cas\(o) %w[t], %w[n], %[m]" : [t] "+r" (__t), [m] "+Q" (*(__p)) : [n] "r" ((int)(__n)) : "memory"); __t; })

                    """
            }
            return """
                #define xchg\(sfx)(__p, __v) ({ int __r; unsigned __tmp; __asm__ __volatile__("prfm pstl1strm, %2\\n1: ld\(acq)xr %w0, %2\\n st\(rel)xr %w1, %w3, %2\\n cbnz %w1, 1b\\n \(mb)" : "=&r" (__r), "=&r" (__tmp), "+Q" (*(__p)) : "r" ((int)(__v)) : "memory"); __r; })
                #define cmpxchg\(sfx)(__p, __o, __n) ({ int __r; unsigned __tmp; __asm__ __volatile__("prfm pstl1strm, %[m]\\n1: ld\(acq)xr %w[r], %[m]\\n eor %w[t], %w[r], %w[o]\\n cbnz %w[t], 2f\\n st\(rel)xr %w[t], %w[n], %[m]\\n cbnz %w[t], 1b\\n \(mb)\\n2:" : [r] "=&r" (__r), [t] "=&r" (__tmp), [m] "+Q" (*(__p)) : [o] "r" ((int)(__o)), [n] "r" ((int)(__n)) : "memory"); __r; })

                """
        }.joined()
    }

    private static let x86 = """
        #define smp_mb() __asm__ __volatile__("lock; addl $0,-4(%%rsp)" ::: "memory", "cc")
        #define smp_rmb() barrier()
        #define smp_wmb() barrier()
        #define smp_mb__before_atomic() barrier()
        #define smp_mb__after_atomic() barrier()
        #define smp_store_release(p, v) do { barrier(); WRITE_ONCE(*(p), v); } while (0)
        #define smp_load_acquire(p) ({ __typeof__(*(p)) __v = READ_ONCE(*(p)); barrier(); __v; })
        #define xchg(p, v) ({ int __r = (v); __asm__ __volatile__("xchgl %0, %1" : "+r" (__r), "+m" (*(p)) : : "memory"); __r; })
        #define xchg_relaxed xchg
        #define xchg_acquire xchg
        #define xchg_release xchg
        #define cmpxchg(p, o, n) ({ int __r = (o); __asm__ __volatile__("lock; cmpxchgl %2, %1" : "+a" (__r), "+m" (*(p)) : "r" ((int)(n)) : "memory"); __r; })
        #define cmpxchg_relaxed cmpxchg
        #define cmpxchg_acquire cmpxchg
        #define cmpxchg_release cmpxchg
        #define smp_store_mb(var, value) do { (void)xchg(&(var), value); } while (0)

        """

    /// The header for a target architecture.
    public static func text(for arch: CompileTarget.Arch) -> String {
        "/* The Linux kernel's definitions of the LKMM primitives for \(arch.rawValue) (see pvbench docs/compiled.md). */\n"
            + common + (arch.isArm64 ? arm64 + arm64Atomics(lse: arch == .armv81) : x86)
    }
}
