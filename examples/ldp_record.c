/* The whole 16-byte record (revision, attributes, stolen_time) in one read,
 * stolen_time taken from it. arm64: one LDP of two 64-bit registers (each
 * register single-copy atomic; the pair only with FEAT_LSE2 on an aligned
 * 16 bytes). x86-64: a volatile 16-byte read as the compiler does it (two
 * 8-byte movs, or one SSE load). Either way stolen_time is one aligned
 * 8-byte access, so it cannot tear; the revision/attributes pair is not
 * checked here (they are 0 in every mode). */

static inline void read_record(struct pvclock_vcpu_stolen_time *st, u64 *lo, u64 *hi)
{
#if defined(__aarch64__)
	__asm__ __volatile__("ldp %0, %1, [%2]" : "=&r"(*lo), "=&r"(*hi) : "r"(st) : "memory");
#else
	unsigned __int128 v = *(const volatile unsigned __int128 *)(void *)st;
	*lo = (u64)v;
	*hi = (u64)(v >> 64);
#endif
}

u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries)
{
	u64 lo, hi;
	(void)retries;
	read_record(st, &lo, &hi);
	return le64_to_cpu(hi);
}

void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 stolen_time)
{
	WRITE_ONCE(st->stolen_time, cpu_to_le64(stolen_time));
}
