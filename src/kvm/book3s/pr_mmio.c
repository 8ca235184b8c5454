// SPDX-License-Identifier: MIT
/* MMIO exits of the 64-bit core and what the next run completes (as mmio.c for the 440; and
 * the hypercall exits' results, PAPR and OSI):
 * 1, 2, 4 and 8-byte accesses in either byte order of the guest (MSR[LE]), byte-reversed
 * forms, sign-extending lha/lwa, update forms; a store an ioeventfd takes needs no exit.
 * Accesses one exit cannot carry (lmw, strings, a page-crossing access into MMIO) end in
 * an internal-error exit for now. */
#include "cpu/fp_conv.h"
#include "kvm/book3s/pr_vcpu.h"
#include "kvm/mmio_data.h"

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
	if (!m->simple || (len != 1 && len != 2 && len != 4 && len != 8)) {
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
	run->exit_reason = SKVM_EXIT_MMIO;
	run->mmio.phys_addr = gpa;
	run->mmio.len = len;
	run->mmio.is_write = write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
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
