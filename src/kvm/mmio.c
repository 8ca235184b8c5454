// SPDX-License-Identifier: MIT
/* MMIO exits and the completion of heavyweight exits at the next KVM_RUN
 * (kvmppc_handle_load/store and kvmppc_complete_mmio_load in the seeds).
 *
 * run->mmio.data holds the bytes as they are on the bus, i.e. in guest (big-endian)
 * order: a store of 0x11223344 is data[] = {11 22 33 44}, and a load that returns
 * {aa bb} reads as 0xaabb before byte reversal or sign extension. The core hands us the
 * value of a store already in memory order (sthbrx/stwbrx reversed it, stfs converted
 * it), so only loads need the instruction's flags (struct cpu_mem_op) afterwards.
 */
#include <string.h>

#include "cpu/fp_conv.h"
#include "kvm.h"
#include "mmio_data.h"

void kvm_internal_error(struct skvm_vcpu *vcpu, uint32_t suberror, uint32_t pc, uint32_t insn)
{
	struct skvm_run *run = &vcpu->run;

	run->exit_reason = SKVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.ndata = 2;
	run->internal.data[0] = pc;
	run->internal.data[1] = insn;
	vcpu->cpu.pc = pc;
	vcpu->io_pending = KVM_IO_NONE;
}

void kvm_mmio_exit(struct skvm_vcpu *vcpu, uint64_t gpa, unsigned len, bool write)
{
	struct skvm_run *run = &vcpu->run;

	kvm_set_exit_type(vcpu, SKVM_EXITS_MMIO);
	run->exit_reason = SKVM_EXIT_MMIO;
	run->mmio.phys_addr = gpa;
	run->mmio.len = len;
	run->mmio.is_write = write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
}

enum emulation_result kvm_start_mmio(struct skvm_vcpu *vcpu, const struct cpu_trap *t,
				     uint64_t gpa)
{
	struct skvm_run *run = &vcpu->run;
	const struct cpu_mem_op *m = &t->mem;
	unsigned len = m->size;
	bool write = t->access == CPU_ACCESS_WRITE;

	/* Only one access that the instruction completes in one go can become this exit:
	 * lmw/stmw, strings, dcbz, lwarx/stwcx. and accesses split across pages take
	 * mmio_split.c's series of exits (kvm_mmio_access). */
	if (!m->simple || (len != 1 && len != 2 && len != 4 && len != 8)) {
		kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_UNSUPPORTED, t->pc, t->insn);
		return EMULATE_EXIT_USER;
	}

	kvm_mmio_exit(vcpu, gpa, len, write);
	if (write) {
		kvm_mmio_store_bytes(m->store_val, len, run->mmio.data);
		vcpu->io_pending = KVM_IO_NONE;
	} else {
		vcpu->io = *m;
		vcpu->io_pending = KVM_IO_MMIO_LOAD;
	}
	/* Update forms write RA now, as the instruction would have (RA = RT is invalid). */
	if (m->ra_update)
		vcpu->cpu.gpr[m->ra_update] = t->ea;
	vcpu->cpu.pc = t->pc + 4;
	return EMULATE_DO_MMIO;
}

/* A store an ioeventfd takes completes here, without an exit (KVM_IOEVENTFD). */
static bool ioeventfd_store(struct skvm_vcpu *vcpu, const struct cpu_mem_op *m, uint64_t gpa)
{
	uint8_t data[8];
	unsigned len = m->size;

	if (len != 1 && len != 2 && len != 4 && len != 8)
		return false;
	kvm_mmio_store_bytes(m->store_val, len, data);
	if (!kvm_ioeventfd_write(&vcpu->vm->eventfds, gpa, data, len))
		return false;
	kvm_account_exit(vcpu, SKVM_EXITS_IOEVENTFD);
	return true;
}

enum cpu_resume kvm_mmio_access(struct skvm_vcpu *vcpu, struct cpu_trap *t, uint64_t gpa,
				bool le)
{
	struct cpu_mem_op *m = &t->mem;

	if (m->probe) {
		m->le = le;
		return CPU_RESUME_DATA;
	}
	if (!m->simple)
		return kvm_mmio_split(vcpu, t, gpa, le);
	/* A little-endian page reverses the access as a whole: on the bus a store of
	 * 0x11223344 is 44 33 22 11, and a load's data is reversed as lwbrx does (once more
	 * for lwbrx itself). KVM's mmio.data is always in bus order. */
	if (le && m->size > 1 && m->size <= 8) {
		if (t->access == CPU_ACCESS_WRITE)
			m->store_val = kvm_bswap_n(m->store_val, m->size);
		else
			m->byterev ^= 1;
	}
	if (t->access == CPU_ACCESS_WRITE && ioeventfd_store(vcpu, m, gpa))
		return CPU_RESUME_DATA; /* done: the core goes on (and updates RA itself) */
	kvm_start_mmio(vcpu, t, gpa);
	return CPU_RESUME_STOP;
}

static void complete_mmio_load(struct skvm_vcpu *vcpu)
{
	const struct cpu_mem_op *m = &vcpu->io;
	const uint8_t *data = vcpu->run.mmio.data;
	struct cpu *c = &vcpu->cpu;
	unsigned len = m->size;
	uint64_t v = kvm_mmio_load_value(data, len, m->byterev, m->sign);

	if (m->fp)
		cpu_set_fpr(c, m->rt & 31, len == 4 ? cpu_fp_double_of_single((uint32_t)v) : v);
	else if (m->rt < CPU_GPR_ZERO)
		c->gpr[m->rt] = (uint32_t)v;
}

void kvm_complete_io(struct skvm_vcpu *vcpu)
{
	struct cpu *c = &vcpu->cpu;

	switch (vcpu->io_pending) {
	case KVM_IO_NONE:
		return;
	case KVM_IO_MMIO_LOAD:
		complete_mmio_load(vcpu);
		break;
	case KVM_IO_MMIO_SPLIT:
		kvm_mmio_split_complete(vcpu);
		break;
	case KVM_IO_DCR_READ:
	case KVM_IO_DCR_WRITE:
		if (vcpu->run.dcr.status != SKVM_DCR_OK) {
			/* no DCR there: the instruction did not execute (PC is past it) */
			c->pc -= 4;
			kvmppc_deliver_exception(vcpu, BOOKE_IRQPRIO_PROGRAM, CPU_ESR_PIL, 0);
		} else if (vcpu->io_pending == KVM_IO_DCR_READ && vcpu->io.rt < CPU_GPR_ZERO) {
			c->gpr[vcpu->io.rt] = vcpu->run.dcr.data;
		}
		break;
	case KVM_IO_HCALL:
		/* ePAPR: r3 = status, r4 = the first return value */
		c->gpr[3] = (uint32_t)vcpu->run.hcall.ret;
		c->gpr[4] = (uint32_t)vcpu->run.hcall.ret2;
		break;
	}
	vcpu->io_pending = KVM_IO_NONE;
}
