// SPDX-License-Identifier: MIT
/* KVM_GET/SET_REGS, _SREGS, _ONE_REG and the guest TLB entries (booke.c's
 * kvm_arch_vcpu_ioctl_get_regs and friends in the seeds). Each call takes the vcpu
 * (KVM_VCPU_CALL): while it runs they return -EBUSY, where KVM's would wait for its mutex. */
#include <errno.h>
#include <string.h>

#include "kvm.h"

/* The timebase runs at 400 MHz from host monotonic time (booke/timer.c). */
#define TB_PER_US 400u

static uint64_t host_tb(void)
{
	return kvm_now_ns() * TB_PER_US / 1000u;
}

static void set_context(struct skvm_vcpu *vcpu)
{
	kvmppc_set_context(vcpu, kvmppc_get_msr(vcpu), vcpu->pid);
}

static int vcpu_get_regs(struct skvm_vcpu *vcpu, struct skvm_regs *regs)
{
	const struct cpu *c = &vcpu->cpu;

	memset(regs, 0, sizeof(*regs));
	regs->pc = c->pc;
	regs->cr = c->cr;
	regs->ctr = c->ctr;
	regs->lr = c->lr;
	regs->xer = cpu_get_xer(c);
	regs->msr = kvmppc_get_msr(vcpu);
	regs->srr0 = kvmppc_get_srr0(vcpu);
	regs->srr1 = kvmppc_get_srr1(vcpu);
	regs->pid = vcpu->pid;
	regs->sprg0 = kvmppc_get_sprg(vcpu, 0);
	regs->sprg1 = kvmppc_get_sprg(vcpu, 1);
	regs->sprg2 = kvmppc_get_sprg(vcpu, 2);
	regs->sprg3 = kvmppc_get_sprg(vcpu, 3);
	regs->sprg4 = kvmppc_get_sprg(vcpu, 4);
	regs->sprg5 = kvmppc_get_sprg(vcpu, 5);
	regs->sprg6 = kvmppc_get_sprg(vcpu, 6);
	regs->sprg7 = kvmppc_get_sprg(vcpu, 7);
	for (unsigned i = 0; i < 32; i++)
		regs->gpr[i] = c->gpr[i];
	return 0;
}

static int vcpu_set_regs(struct skvm_vcpu *vcpu, const struct skvm_regs *regs)
{
	struct cpu *c = &vcpu->cpu;

	c->pc = (uint32_t)regs->pc & ~3u;
	c->cr = (uint32_t)regs->cr;
	c->ctr = (uint32_t)regs->ctr;
	c->lr = (uint32_t)regs->lr;
	cpu_set_xer(c, (uint32_t)regs->xer);
	kvmppc_set_srr0(vcpu, (uint32_t)regs->srr0);
	kvmppc_set_srr1(vcpu, (uint32_t)regs->srr1);
	kvmppc_set_sprg(vcpu, 0, (uint32_t)regs->sprg0);
	kvmppc_set_sprg(vcpu, 1, (uint32_t)regs->sprg1);
	kvmppc_set_sprg(vcpu, 2, (uint32_t)regs->sprg2);
	kvmppc_set_sprg(vcpu, 3, (uint32_t)regs->sprg3);
	kvmppc_set_sprg(vcpu, 4, (uint32_t)regs->sprg4);
	kvmppc_set_sprg(vcpu, 5, (uint32_t)regs->sprg5);
	kvmppc_set_sprg(vcpu, 6, (uint32_t)regs->sprg6);
	kvmppc_set_sprg(vcpu, 7, (uint32_t)regs->sprg7);
	for (unsigned i = 0; i < 32; i++)
		c->gpr[i] = (uint32_t)regs->gpr[i];
	c->gpr[CPU_GPR_ZERO] = 0;
	vcpu->pid = (uint32_t)regs->pid & 0xff; /* the 440's PID is 8 bits */
	kvmppc_set_msr(vcpu, (uint32_t)regs->msr);
	set_context(vcpu); /* the PID may have changed with an unchanged MSR */
	vcpu->halted = (kvmppc_get_msr(vcpu) & PPC_MSR_WE) != 0;
	return 0;
}

/* The groups of struct skvm_sregs a 440 has (KVM_SREGS_E_*). */
#define SREGS_FEATURES                                                                             \
	(SKVM_SREGS_E_BASE | SKVM_SREGS_E_ARCH206 | SKVM_SREGS_E_IVOR | SKVM_SREGS_E_DEBUG)

static int vcpu_get_sregs(struct skvm_vcpu *vcpu, struct skvm_sregs *s)
{
	memset(s, 0, sizeof(*s));
	s->pvr = vcpu->pvr;
	s->u.e.features = SREGS_FEATURES;
	s->u.e.impl_id = SKVM_SREGS_E_IMPL_440;
	s->u.e.impl.ppc440.mmucr = vcpu->mmucr;
	s->u.e.impl.ppc440.ccr0 = vcpu->ccr0;
	s->u.e.impl.ppc440.ccr1 = vcpu->ccr1;
	/* E_BASE */
	s->u.e.csrr0 = vcpu->csrr0;
	s->u.e.csrr1 = vcpu->csrr1;
	s->u.e.esr = kvmppc_get_esr(vcpu);
	s->u.e.dear = kvmppc_get_dear(vcpu);
	s->u.e.mcsr = vcpu->mcsr;
	s->u.e.tsr = vcpu->timer.tsr;
	s->u.e.tcr = vcpu->timer.tcr;
	s->u.e.dec = kvmppc_get_dec(vcpu);
	s->u.e.tb = kvmppc_get_tb(vcpu);
	s->u.e.vrsave = vcpu->usprg0;
	/* E_ARCH206 */
	s->u.e.pir = kvmppc_get_pir(vcpu);
	s->u.e.mcsrr0 = vcpu->mcsrr0;
	s->u.e.mcsrr1 = vcpu->mcsrr1;
	s->u.e.decar = vcpu->timer.decar;
	s->u.e.ivpr = vcpu->ivpr;
	/* E_IVOR */
	memcpy(s->u.e.ivor_low, vcpu->ivor, sizeof(s->u.e.ivor_low));
	/* E_DEBUG */
	s->u.e.dbsr = vcpu->dbsr;
	s->u.e.dbcr[0] = vcpu->dbcr0;
	s->u.e.dbcr[1] = vcpu->dbcr1;
	s->u.e.dbcr[2] = vcpu->dbcr2;
	memcpy(s->u.e.iac, vcpu->iac, sizeof(s->u.e.iac));
	memcpy(s->u.e.dac, vcpu->dac, sizeof(s->u.e.dac));
	memcpy(s->u.e.dvc, vcpu->dvc, sizeof(s->u.e.dvc));
	s->u.e.num_iac = 4;
	s->u.e.num_dac = 2;
	s->u.e.num_dvc = 2;
	return 0;
}

/* KVM_SET_SREGS as booke.c's set_sregs_base/_arch206 and 44x's: only the groups features
 * names, the registers that move on their own only when update_special asks, TB never. */
static int vcpu_set_sregs(struct skvm_vcpu *vcpu, const struct skvm_sregs *s)
{
	uint32_t f = s->u.e.features, upd = s->u.e.update_special;

	/* the processor version and the processor's id are not the VMM's to change */
	if (s->pvr != vcpu->pvr)
		return -EINVAL;
	if ((f & SKVM_SREGS_E_ARCH206) && s->u.e.pir != kvmppc_get_pir(vcpu))
		return -EINVAL;
	if (s->u.e.impl_id == SKVM_SREGS_E_IMPL_440) {
		vcpu->mmucr = s->u.e.impl.ppc440.mmucr;
		vcpu->ccr0 = s->u.e.impl.ppc440.ccr0;
		vcpu->ccr1 = s->u.e.impl.ppc440.ccr1;
	}
	if (f & SKVM_SREGS_E_ARCH206) {
		vcpu->mcsrr0 = (uint32_t)s->u.e.mcsrr0;
		vcpu->mcsrr1 = s->u.e.mcsrr1;
		kvmppc_set_decar(vcpu, s->u.e.decar);
		vcpu->ivpr = (uint32_t)s->u.e.ivpr & 0xffff0000u;
	}
	if (f & SKVM_SREGS_E_IVOR)
		for (unsigned i = 0; i < 16; i++)
			vcpu->ivor[i] = s->u.e.ivor_low[i] & 0xfff0u;
	if (f & SKVM_SREGS_E_DEBUG) {
		vcpu->dbcr0 = s->u.e.dbcr[0];
		vcpu->dbcr1 = s->u.e.dbcr[1];
		vcpu->dbcr2 = s->u.e.dbcr[2];
		memcpy(vcpu->iac, s->u.e.iac, sizeof(vcpu->iac));
		memcpy(vcpu->dac, s->u.e.dac, sizeof(vcpu->dac));
		memcpy(vcpu->dvc, s->u.e.dvc, sizeof(vcpu->dvc));
		if (upd & SKVM_SREGS_E_UPDATE_DBSR)
			vcpu->dbsr = s->u.e.dbsr;
		kvmppc_debug_update(vcpu);
	}
	if (f & SKVM_SREGS_E_BASE) {
		vcpu->csrr0 = (uint32_t)s->u.e.csrr0;
		vcpu->csrr1 = s->u.e.csrr1;
		kvmppc_set_esr(vcpu, s->u.e.esr);
		kvmppc_set_dear(vcpu, (uint32_t)s->u.e.dear);
		vcpu->usprg0 = s->u.e.vrsave;
		if (upd & SKVM_SREGS_E_UPDATE_MCSR)
			vcpu->mcsr = (uint32_t)s->u.e.mcsr;
		if (upd & SKVM_SREGS_E_UPDATE_DEC)
			kvmppc_set_dec(vcpu, s->u.e.dec);
		kvmppc_set_tcr(vcpu, s->u.e.tcr);
		if (upd & SKVM_SREGS_E_UPDATE_TSR) {
			kvmppc_clear_tsr_bits(vcpu, ~s->u.e.tsr);
			kvmppc_set_tsr_bits(vcpu, s->u.e.tsr);
		}
	}
	return 0;
}

/* ---- ONE_REG ---- */

static int get_u64(uint64_t id, uint64_t *v, struct skvm_vcpu *vcpu)
{
	struct cpu *c = &vcpu->cpu;

	if (id >= SKVM_REG_PPC_FPR(0) && id <= SKVM_REG_PPC_FPR(31)) {
		*v = c->fpr[id - SKVM_REG_PPC_FPR(0)];
		return 0;
	}
	switch (id) {
	case SKVM_REG_PPC_FPSCR:
		*v = c->fpscr;
		return 0;
	case SKVM_REG_PPC_IAC1:
	case SKVM_REG_PPC_IAC2:
	case SKVM_REG_PPC_IAC3:
	case SKVM_REG_PPC_IAC4:
		*v = vcpu->iac[id - SKVM_REG_PPC_IAC1];
		return 0;
	case SKVM_REG_PPC_DAC1:
	case SKVM_REG_PPC_DAC2:
		*v = vcpu->dac[id - SKVM_REG_PPC_DAC1];
		return 0;
	case SKVM_REG_PPC_TB_OFFSET:
		/* guest TB minus the host's timebase at the same moment */
		*v = kvmppc_get_tb(vcpu) - host_tb();
		return 0;
	}
	return -ENOENT;
}

static int set_u64(uint64_t id, uint64_t v, struct skvm_vcpu *vcpu)
{
	struct cpu *c = &vcpu->cpu;

	if (id >= SKVM_REG_PPC_FPR(0) && id <= SKVM_REG_PPC_FPR(31)) {
		c->fpr[id - SKVM_REG_PPC_FPR(0)] = v;
		return 0;
	}
	switch (id) {
	case SKVM_REG_PPC_FPSCR:
		c->fpscr = (uint32_t)v;
		return 0;
	case SKVM_REG_PPC_IAC1:
	case SKVM_REG_PPC_IAC2:
	case SKVM_REG_PPC_IAC3:
	case SKVM_REG_PPC_IAC4:
		vcpu->iac[id - SKVM_REG_PPC_IAC1] = (uint32_t)v;
		kvmppc_debug_update(vcpu);
		return 0;
	case SKVM_REG_PPC_DAC1:
	case SKVM_REG_PPC_DAC2:
		vcpu->dac[id - SKVM_REG_PPC_DAC1] = (uint32_t)v;
		kvmppc_debug_update(vcpu);
		return 0;
	case SKVM_REG_PPC_TB_OFFSET:
		kvmppc_set_tb(vcpu, host_tb() + v);
		return 0;
	}
	return -ENOENT;
}

static int get_u32(uint64_t id, uint32_t *v, struct skvm_vcpu *vcpu)
{
	switch (id) {
	case SKVM_REG_PPC_TCR:
		*v = vcpu->timer.tcr;
		return 0;
	case SKVM_REG_PPC_TSR:
		*v = vcpu->timer.tsr;
		return 0;
	case SKVM_REG_PPC_DEBUG_INST:
		*v = KVMPPC_INST_SW_BREAKPOINT;
		return 0;
	case SKVM_REG_PPC_CLEAR_TSR:
		return -EINVAL; /* write-only */
	case SKVM_REG_PPC_DEC:
		*v = kvmppc_get_dec(vcpu);
		return 0;
	case SKVM_REG_PPC_DBSR:
		*v = vcpu->dbsr;
		return 0;
	case SKVM_REG_PPC_VRSAVE:
		/* SPR 256: VRSAVE on AltiVec parts, USPRG0 on BookE */
		*v = vcpu->usprg0;
		return 0;
	}
	return -ENOENT;
}

static int set_u32(uint64_t id, uint32_t v, struct skvm_vcpu *vcpu)
{
	switch (id) {
	case SKVM_REG_PPC_TCR:
		kvmppc_set_tcr(vcpu, v);
		return 0;
	case SKVM_REG_PPC_TSR:
		kvmppc_clear_tsr_bits(vcpu, ~v);
		kvmppc_set_tsr_bits(vcpu, v);
		return 0;
	case SKVM_REG_PPC_OR_TSR:
		kvmppc_set_tsr_bits(vcpu, v);
		return 0;
	case SKVM_REG_PPC_CLEAR_TSR:
		kvmppc_clear_tsr_bits(vcpu, v);
		return 0;
	case SKVM_REG_PPC_DEC:
		kvmppc_set_dec(vcpu, v);
		return 0;
	case SKVM_REG_PPC_DBSR:
		vcpu->dbsr = v;
		kvmppc_debug_update(vcpu);
		return 0;
	case SKVM_REG_PPC_VRSAVE:
		vcpu->usprg0 = v;
		return 0;
	}
	return -ENOENT;
}

static bool is_ppc_reg(uint64_t id)
{
	return (id & 0xff00000000000000ull) == SKVM_REG_PPC;
}

static int vcpu_get_one_reg(struct skvm_vcpu *vcpu, uint64_t id, void *value)
{
	int rc = -ENOENT;

	if (!is_ppc_reg(id) || !value)
		return -ENOENT;
	if ((id & SKVM_REG_SIZE_MASK) == SKVM_REG_SIZE_U64) {
		uint64_t v;

		rc = get_u64(id, &v, vcpu);
		if (!rc)
			memcpy(value, &v, sizeof(v));
	} else if ((id & SKVM_REG_SIZE_MASK) == SKVM_REG_SIZE_U32) {
		uint32_t v;

		rc = get_u32(id, &v, vcpu);
		if (!rc)
			memcpy(value, &v, sizeof(v));
	}
	return rc;
}

static int vcpu_set_one_reg(struct skvm_vcpu *vcpu, uint64_t id, const void *value)
{
	if (!is_ppc_reg(id) || !value)
		return -ENOENT;
	if ((id & SKVM_REG_SIZE_MASK) == SKVM_REG_SIZE_U64) {
		uint64_t v;

		memcpy(&v, value, sizeof(v));
		return set_u64(id, v, vcpu);
	}
	if ((id & SKVM_REG_SIZE_MASK) == SKVM_REG_SIZE_U32) {
		uint32_t v;

		memcpy(&v, value, sizeof(v));
		return set_u32(id, v, vcpu);
	}
	return -ENOENT;
}

/* ---- guest TLB ---- */

static int vcpu_set_tlb_entry(struct skvm_vcpu *vcpu, unsigned index,
			    const struct skvm_440_tlb_entry *e)
{
	struct ppc440_tlbe t;

	if (index >= SKVM_440_TLB_ENTRIES || !e)
		return -EINVAL;
	t = (struct ppc440_tlbe){.word0 = e->word0, .word1 = e->word1, .word2 = e->word2,
				 .tid = e->tid};
	/* through the guest-TLB code, so the shadow entries the old one backed go too */
	return ppc440_tlb_write_entry(vcpu, index, &t);
}

static int vcpu_get_tlb_entry(struct skvm_vcpu *vcpu, unsigned index, struct skvm_440_tlb_entry *e)
{
	const struct ppc440_tlbe *t;

	if (index >= SKVM_440_TLB_ENTRIES || !e)
		return -EINVAL;
	t = &vcpu->tlb[index];
	*e = (struct skvm_440_tlb_entry){.word0 = t->word0, .word1 = t->word1, .word2 = t->word2,
					 .tid = t->tid};
	return 0;
}

/* ---- the calls, each with the vcpu taken (KVM_VCPU_CALL) ---- */

int skvm_vcpu_get_regs(struct skvm_vcpu *vcpu, struct skvm_regs *regs)
{
	KVM_VCPU_CALL(vcpu, vcpu_get_regs(vcpu, regs));
}

int skvm_vcpu_set_regs(struct skvm_vcpu *vcpu, const struct skvm_regs *regs)
{
	KVM_VCPU_CALL(vcpu, vcpu_set_regs(vcpu, regs));
}

int skvm_vcpu_get_sregs(struct skvm_vcpu *vcpu, struct skvm_sregs *s)
{
	KVM_VCPU_CALL(vcpu, vcpu_get_sregs(vcpu, s));
}

int skvm_vcpu_set_sregs(struct skvm_vcpu *vcpu, const struct skvm_sregs *s)
{
	KVM_VCPU_CALL(vcpu, vcpu_set_sregs(vcpu, s));
}

int skvm_vcpu_get_one_reg(struct skvm_vcpu *vcpu, uint64_t id, void *value)
{
	KVM_VCPU_CALL(vcpu, vcpu_get_one_reg(vcpu, id, value));
}

int skvm_vcpu_set_one_reg(struct skvm_vcpu *vcpu, uint64_t id, const void *value)
{
	KVM_VCPU_CALL(vcpu, vcpu_set_one_reg(vcpu, id, value));
}

int skvm_vcpu_set_tlb_entry(struct skvm_vcpu *vcpu, unsigned index,
			    const struct skvm_440_tlb_entry *e)
{
	KVM_VCPU_CALL(vcpu, vcpu_set_tlb_entry(vcpu, index, e));
}

int skvm_vcpu_get_tlb_entry(struct skvm_vcpu *vcpu, unsigned index, struct skvm_440_tlb_entry *e)
{
	KVM_VCPU_CALL(vcpu, vcpu_get_tlb_entry(vcpu, index, e));
}
