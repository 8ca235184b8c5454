// SPDX-License-Identifier: MIT
/* sc 1 from a PAPR guest's kernel (book3s_pr_papr.c in the seeds): the hashed-page-table
 * hypercalls and H_CEDE in the hypervisor, H_SET_MODE's interrupt byte order too; every other
 * hypercall exits to the VMM as SKVM_EXIT_PAPR_HCALL (console, XICS, RTAS...), which puts
 * the result in run->papr_hcall.ret (r3) and args (r4..r12) for the next run. */
#include "kvm/book3s/pr_vcpu.h"
#include "kvm/paravirt.h"

#define H_SET_MODE_RESOURCE_ADDR_TRANS_MODE 3
#define H_SET_MODE_RESOURCE_LE 4
#define H_SET_MODE_ENDIAN_BIG 0
#define H_SET_MODE_ENDIAN_LITTLE 1

/* H_SET_MODE(mflags, resource, value1, value2): the interrupt byte order and the alternate
 * interrupt location (AIL 0 or 3, as POWER8 has them: Linux asks for 3), for the whole
 * partition as PAPR says (Linux asks once, from the boot cpu); the rest, the breakpoint
 * registers, go to the VMM. KVM PR leaves the byte order to QEMU, which sets LPCR[ILE],
 * and refuses AIL; here the hypervisor does both, and a VMM may still set them through
 * SKVM_REG_PPC_LPCR_64. */
static bool set_mode(struct book3s_pr_vcpu *v)
{
	uint64_t *gpr = v->cpu.gpr, mflags = gpr[4];
	uint64_t mask = gpr[5] == H_SET_MODE_RESOURCE_LE ? LPCR_ILE : LPCR_AIL;

	if (gpr[5] != H_SET_MODE_RESOURCE_LE && gpr[5] != H_SET_MODE_RESOURCE_ADDR_TRANS_MODE)
		return false;
	if (gpr[6])
		gpr[3] = (uint64_t)SKVM_H_P3;
	else if (gpr[7])
		gpr[3] = (uint64_t)SKVM_H_P4;
	else if (mask == LPCR_ILE && mflags > H_SET_MODE_ENDIAN_LITTLE)
		gpr[3] = (uint64_t)SKVM_H_UNSUPPORTED_FLAG_START;
	else if (mask == LPCR_AIL && mflags != 0 && mflags != 3)
		gpr[3] = (uint64_t)SKVM_H_UNSUPPORTED_FLAG_START;
	else {
		pr_set_partition_lpcr(v->pvm, mask,
				      mask == LPCR_ILE ? (mflags ? LPCR_ILE : 0) : mflags << 23);
		gpr[3] = SKVM_H_SUCCESS;
	}
	return true;
}

enum cpu_resume pr_papr_hcall(struct book3s_pr_vcpu *v, uint64_t next_pc)
{
	struct cpu *c = &v->cpu;
	struct skvm_run *run = v->run;
	uint64_t nr = c->gpr[3];

	c->pc = next_pc;
	if (book3s_papr_hpt_hcall(&v->papr, c->gpr)) {
		pr_inval_sync(v); /* the other vcpus' translations are gone before it returns */
		return CPU_RESUME_NEXT;
	}
	switch (nr) {
	case SKVM_H_CEDE:
		/* PAPR: the processor waits with MSR[EE] on until an interrupt */
		c->gpr[3] = SKVM_H_SUCCESS;
		pr_set_msr(v, v->msr | MSR_EE);
		v->ceded = true;
		return CPU_RESUME_STOP;
	case SKVM_H_SET_MODE:
		if (set_mode(v))
			return CPU_RESUME_NEXT;
		break;
	default:
		break;
	}
	run->exit_reason = SKVM_EXIT_PAPR_HCALL;
	run->papr_hcall.nr = nr;
	run->papr_hcall.ret = 0;
	for (unsigned i = 0; i < 9; i++)
		run->papr_hcall.args[i] = c->gpr[4 + i];
	v->io = PR_IO_PAPR_HCALL;
	return CPU_RESUME_STOP;
}

/* sc from the guest kernel with r0 = KVM_SC_MAGIC_R0: the ePAPR hypercall of the /hypervisor
 * node's sequence (kvmppc_kvm_pv, which book3s_pr.c calls for it). No magic page on Book3S
 * yet: KVM_HC_FEATURES answers none, so the guest asks for nothing more. r11 is the token,
 * r3 the status, r4 the result. */
enum cpu_resume pr_kvm_hcall(struct book3s_pr_vcpu *v, uint64_t next_pc)
{
	uint64_t *gpr = v->cpu.gpr;

	if ((uint32_t)gpr[11] == KVM_HCALL_TOKEN(KVM_HC_FEATURES)) {
		gpr[3] = EV_SUCCESS;
		gpr[4] = 0;
	} else {
		gpr[3] = EV_UNIMPLEMENTED;
	}
	v->cpu.pc = next_pc;
	return CPU_RESUME_NEXT;
}
