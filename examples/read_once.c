/* The arm64 kernel's own accesses: KVM/arm64 publishes stolen_time with one
 * 64-bit store (kvm_update_stolen_time), the guest reads it with one
 * READ_ONCE (arch/arm64/kernel/paravirt.c, para_steal_clock). The pvsched
 * flag likewise. Single-copy atomic aligned accesses: no tear, no backwards. */

u64 pv_steal_read(struct pvclock_vcpu_stolen_time *st, u64 *retries)
{
	(void)retries;
	return le64_to_cpu(READ_ONCE(st->stolen_time));
}

void pv_steal_write(struct pvclock_vcpu_stolen_time *st, u64 stolen_time)
{
	WRITE_ONCE(st->stolen_time, cpu_to_le64(stolen_time));
}

u32 pv_preempted_read(struct pvsched_vcpu_state *ps, u64 *retries)
{
	(void)retries;
	return le32_to_cpu(READ_ONCE(ps->preempted));
}

void pv_preempted_write(struct pvsched_vcpu_state *ps, u32 preempted)
{
	WRITE_ONCE(ps->preempted, cpu_to_le32(preempted));
}
