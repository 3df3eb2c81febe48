/* An x86-style sequence counter (kvm_steal_time's `version`) in the record's
 * padding, where an ABI change would put it: the writer makes it odd,
 * updates, makes it even; the reader retries while it is odd or changed.
 * smp_wmb/smp_rmb order the counter against the data: barrier() on x86-64
 * (TSO keeps loads and stores in order), dmb ishst/ishld on arm64.
 * seqcount_normb.c includes this file with the reader's smp_rmb left out.
 *
 * The writer publishes stolen_time as two 32-bit halves, as a writer
 * without single-copy-atomic 64-bit stores must (a 32-bit hypervisor, or
 * one that fills the record field by field). The counter is then what
 * keeps the pair whole: the reader's one 64-bit load can take one half
 * from each update, and only the counter check, ordered by smp_rmb,
 * rejects it. (With one 64-bit store nothing could tear, counter or not.) */

#ifndef SEQ_READER_RMB
#define SEQ_READER_RMB() smp_rmb()
#endif

/* The counter: the first 4 bytes of the padding (record offset 16). */
static inline u32 *seq_of(struct pvclock_vcpu_stolen_time *st)
{
	return (u32 *)(void *)st->padding;
}

u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries)
{
	u32 *seq = seq_of(st);
	for (;;) {
		u32 begin = READ_ONCE(*seq);
		if (!(begin & 1)) {
			SEQ_READER_RMB();
			u64 value = le64_to_cpu(READ_ONCE(st->stolen_time));
			SEQ_READER_RMB();
			if (READ_ONCE(*seq) == begin)
				return value;
		}
		*retries += 1;
		cpu_relax();
	}
}

void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 stolen_time)
{
	u32 *seq = seq_of(st);
	u32 s = READ_ONCE(*seq);	/* one writer per record: its own value */
	WRITE_ONCE(*seq, s + 1);
	smp_wmb();
	/* Low half, then high half (little-endian: offsets 8 and 12). */
	u32 *half = (u32 *)(void *)&st->stolen_time;
	WRITE_ONCE(half[0], cpu_to_le32((u32)stolen_time));
	WRITE_ONCE(half[1], cpu_to_le32((u32)(stolen_time >> 32)));
	smp_wmb();
	WRITE_ONCE(*seq, s + 2);
}
