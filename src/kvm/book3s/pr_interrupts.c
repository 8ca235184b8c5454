// SPDX-License-Identifier: MIT
/* Book3S interrupts of a PR guest (Power ISA 2.07 Book III-S 6.5; book3s.c's
 * kvmppc_inject_interrupt in the seeds). SRR0 is the instruction the interrupt names (the
 * faulting one, or the next), SRR1 the MSR with bits 33:36 and 42:47 replaced by the
 * interrupt's own; the MSR on entry is SF | ME (unchanged; cleared by a machine check) |
 * LE if the partition asked for little-endian interrupts (LPCR[ILE], or H_SET_MODE), all
 * else 0: translation off, supervisor state, EE off. The vector is the real address
 * (no AIL, no HIOR yet). */
#include "kvm/book3s/pr_vcpu.h"

void pr_set_msr(struct book3s_pr_vcpu *v, uint64_t msr)
{
	struct cpu *c = &v->cpu;

	msr &= PR_MSR_MASK;
	v->msr = msr;
	/* The shadow context: PR and IR/DR in the core's tag, and the byte order as the
	 * context id, so entries filled for one byte order never serve the other. */
	cpu_set_context(c, msr, (uint32_t)(msr & MSR_LE));
	if (!(msr & MSR_SF))
		c->pc &= 0xffffffffu;
}

void pr_inject(struct book3s_pr_vcpu *v, unsigned vec, uint64_t srr0, uint64_t flags)
{
	uint64_t msr = v->msr, entry = MSR_SF | (msr & MSR_ME);

	if (v->lpcr & (1ULL << 25)) /* LPCR[ILE] */
		entry |= MSR_LE;
	if (vec == VEC_MACHINE_CHECK)
		entry &= ~MSR_ME;
	v->srr0 = (msr & MSR_SF) ? srr0 : (uint32_t)srr0;
	v->srr1 = (msr & ~SRR1_INT_BITS) | (flags & SRR1_INT_BITS);
	v->ceded = false;
	v->cpu.pc = vec;
	pr_set_msr(v, entry);
}

void pr_program_interrupt(struct book3s_pr_vcpu *v, uint64_t pc, uint64_t flags)
{
	pr_inject(v, VEC_PROGRAM, pc, flags);
}

void pr_dsi(struct book3s_pr_vcpu *v, uint64_t pc, uint64_t dar, uint32_t dsisr)
{
	v->dar = dar;
	v->dsisr = dsisr;
	pr_inject(v, BOOK3S_VEC_DSI, pc, 0);
}

uint32_t pr_deliverable(const struct book3s_pr_vcpu *v)
{
	uint32_t take = v->pending & ((1u << PR_IRQ_SYSTEM_RESET) | (1u << PR_IRQ_MACHINE_CHECK));

	if (v->msr & MSR_EE)
		take |= v->pending & ((1u << PR_IRQ_EXTERNAL) | (1u << PR_IRQ_DECREMENTER));
	return take;
}

static const unsigned irq_vector[PR_IRQ_NR] = {
	[PR_IRQ_SYSTEM_RESET] = VEC_SYSTEM_RESET,
	[PR_IRQ_MACHINE_CHECK] = VEC_MACHINE_CHECK,
	[PR_IRQ_EXTERNAL] = VEC_EXTERNAL,
	[PR_IRQ_DECREMENTER] = VEC_DECREMENTER,
};

bool pr_deliver_pending(struct book3s_pr_vcpu *v)
{
	uint32_t take = pr_deliverable(v);
	enum pr_irq irq;

	if (!take)
		return false;
	irq = (enum pr_irq)__builtin_ctz(take);
	/* The external input is a level, and the decrementer's exception stays until mtdec
	 * clears it (book3s.c: "DEC interrupts get cleared by mtdec"); the others are taken. */
	if (irq == PR_IRQ_SYSTEM_RESET || irq == PR_IRQ_MACHINE_CHECK)
		pr_set_pending(v, irq, false);
	else
		pr_account(v, irq == PR_IRQ_DECREMENTER ? SKVM_EXITS_DEC : SKVM_EXITS_EXTINT);
	/* asynchronous: SRR0 is the next instruction to execute */
	pr_inject(v, irq_vector[irq], v->cpu.pc, 0);
	return true;
}
