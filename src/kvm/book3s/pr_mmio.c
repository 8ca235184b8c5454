// SPDX-License-Identifier: MIT
/* MMIO exits of the 64-bit core and what the next run completes (as mmio.c for the 440; and
 * the hypercall exits' results, PAPR and OSI):
 * 1, 2, 4 and 8-byte accesses in either byte order of the guest (MSR[LE]), byte-reversed
 * forms, sign-extending lha/lwa, update forms; a store an ioeventfd takes needs no exit.
 *
 * An access one exit cannot carry -- a vector load or store (lvx/stvx: two doublewords,
 * lxvd2x/stxvd2x two, lxvw4x/stxvw4x four words, each in the guest's byte order as the
 * core moves them: exec_vmx.c, exec_vsx.c), lmw/stmw, strings, a page-crossing access -- is
 * a series of exits, one per element, in address order, as Linux's KVM on Book3S splits a
 * vector MMIO into 8-byte or 4-byte ones (kvmppc_handle_vmx_load/store): the instruction is
 * re-executed after each with the fragments done answered from the record
 * (kvm/mmio_split.c), and no register changes until the last one is in. */
#include <string.h>

#include "cpu/fp_conv.h"
#include "kvm/book3s/pr_vcpu.h"
#include "kvm/mmio_data.h"

/* The one place a PR vcpu's MMIO exit is built (a store's bytes are the caller's). */
static void mmio_exit(struct book3s_pr_vcpu *v, uint64_t gpa, unsigned len, bool write)
{
	struct skvm_run *run = v->run;

	run->exit_reason = SKVM_EXIT_MMIO;
	run->mmio.phys_addr = gpa;
	run->mmio.len = len;
	run->mmio.is_write = write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
}

static enum cpu_resume mmio_split(struct book3s_pr_vcpu *v, struct cpu_trap *t, uint64_t gpa,
				  bool le)
{
	struct kvm_mmio_split *s = &v->mmio_split;
	bool write = t->access == CPU_ACCESS_WRITE, rev = le && !t->mem.raw;
	uint64_t val = t->mem.store_val;

	switch (kvm_mmio_frag(s, t->pc, t->insn, gpa, t->mem.size, write, rev, &val)) {
	case KVM_FRAG_REPLAYED:
		if (!write)
			t->mem.load_val = val;
		return CPU_RESUME_DATA;
	case KVM_FRAG_TOO_MANY:
		pr_internal_error(v, SKVM_INTERNAL_ERROR_UNSUPPORTED, t->pc, t->insn);
		return CPU_RESUME_STOP;
	case KVM_FRAG_NEW:
		break;
	}
	mmio_exit(v, gpa, t->mem.size, write);
	memcpy(v->run->mmio.data, s->frag[s->n - 1].data, t->mem.size); /* a store's bytes */
	v->io = PR_IO_MMIO_SPLIT;
	v->cpu.pc = t->pc; /* the instruction is not done: it runs again */
	return CPU_RESUME_STOP;
}

void pr_mmio_split_resume(struct book3s_pr_vcpu *v)
{
	int rc;

	if (!kvm_mmio_replay_begin(&v->mmio_split, v->cpu.pc))
		return;
	pr_enter_guest(v);
	rc = cpu_step(&v->cpu);
	pr_leave_guest(v);
	kvm_mmio_replay_end(&v->mmio_split, v->io == PR_IO_MMIO_SPLIT);
	if (rc)
		pr_internal_error(v, SKVM_INTERNAL_ERROR_EMULATION, v->cpu.pc, 0);
}

enum cpu_resume pr_mmio_access(struct book3s_pr_vcpu *v, struct cpu_trap *t, uint64_t gpa)
{
	struct cpu_mem_op *m = &t->mem;
	struct skvm_run *run = v->run;
	bool le = v->msr & MSR_LE, write = t->access == CPU_ACCESS_WRITE;
	unsigned len = m->size;

	if (m->probe) {
		m->le = le;
		return CPU_RESUME_DATA;
	}
	if (!m->simple)
		return mmio_split(v, t, gpa, le);
	if (len != 1 && len != 2 && len != 4 && len != 8) {
		pr_internal_error(v, SKVM_INTERNAL_ERROR_UNSUPPORTED, t->pc, t->insn);
		return CPU_RESUME_STOP;
	}
	/* little-endian: the access reversed as a whole on the bus (mmio.c says why) */
	if (le && len > 1) {
		if (write)
			m->store_val = kvm_bswap_n(m->store_val, len);
		else
			m->byterev ^= 1;
	}
	if (write) {
		uint8_t data[8];

		kvm_mmio_store_bytes(m->store_val, len, data);
		if (kvm_ioeventfd_write(&v->vm->eventfds, gpa, data, len))
			return CPU_RESUME_DATA;
	}
	mmio_exit(v, gpa, len, write);
	if (write) {
		kvm_mmio_store_bytes(m->store_val, len, run->mmio.data);
	} else {
		v->io_op = *m;
		v->io = PR_IO_MMIO_LOAD;
	}
	if (m->ra_update)
		v->cpu.gpr[m->ra_update] = t->ea;
	v->cpu.pc = (v->msr & MSR_SF) ? t->pc + 4 : (uint32_t)(t->pc + 4);
	return CPU_RESUME_STOP;
}

void pr_complete_io(struct book3s_pr_vcpu *v)
{
	struct cpu *c = &v->cpu;
	struct skvm_run *run = v->run;
	const struct cpu_mem_op *m = &v->io_op;

	switch (v->io) {
	case PR_IO_NONE:
		return;
	case PR_IO_MMIO_LOAD: {
		uint64_t val = kvm_mmio_load_value(run->mmio.data, m->size, m->byterev, m->sign);

		if (m->fp)
			cpu_set_fpr(c, m->rt & 31, m->size == 4 ? cpu_fp_double_of_single((uint32_t)val) : val);
		else if (m->rt < CPU_GPR_ZERO)
			c->gpr[m->rt] = val;
		break;
	}
	case PR_IO_MMIO_SPLIT:
		kvm_mmio_frag_done(&v->mmio_split, run->mmio.data);
		break;
	case PR_IO_PAPR_HCALL:
		c->gpr[3] = run->papr_hcall.ret;
		for (unsigned i = 0; i < 9; i++)
			c->gpr[4 + i] = run->papr_hcall.args[i];
		break;
	case PR_IO_OSI:
		for (unsigned i = 0; i < 32; i++)
			c->gpr[i] = run->osi.gprs[i];
		break;
	}
	v->io = PR_IO_NONE;
}
