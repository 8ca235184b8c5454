// SPDX-License-Identifier: MIT
/* Book3S interrupts of a PR guest (Power ISA 2.07 Book III-S 6.5; book3s.c's
 * kvmppc_inject_interrupt in the seeds). SRR0 is the instruction the interrupt names (the
 * faulting one, or the next), SRR1 the MSR with bits 33:36 and 42:47 replaced by the
 * interrupt's own; the MSR on entry is SF | ME (unchanged; cleared by a machine check) |
 * LE if the partition asked for little-endian interrupts (LPCR[ILE], or H_SET_MODE), all
 * else 0: translation off, supervisor state, EE off. The vector is the real address, or with
 * LPCR[AIL] = 3 (H_SET_MODE) and translation on (IR and DR) when it comes, 0xc000000000004000
 * + the vector, entered with IR and DR on (ISA 2.07 Book III-S 6.5: not for system reset or
 * machine check). No HIOR. */
#include "kvm/book3s/pr_vcpu.h"

void pr_set_msr(struct book3s_pr_vcpu *v, uint64_t msr)
{
	struct cpu *c = &v->cpu;

	msr &= PR_MSR_MASK;
	v->msr = msr;
	/* The shadow context: PR and IR/DR in the core's tag, and the byte order as the
	 * context id, so entries filled for one byte order never serve the other. */
	cpu_set_context(c, msr, (uint32_t)(msr & MSR_LE));
	/* trace: cpu_run ends at once (the budget), the run loop steps instead */
	if (msr & (MSR_SE | MSR_BE))
		c->budget = 0;
	if (!(msr & MSR_SF))
		c->pc &= 0xffffffffu;
}

void pr_inject(struct book3s_pr_vcpu *v, unsigned vec, uint64_t srr0, uint64_t flags)
{
	uint64_t msr = v->msr, entry = MSR_SF | (msr & MSR_ME), pc = vec;
	uint64_t lpcr = __atomic_load_n(&v->lpcr, __ATOMIC_RELAXED);

	if (lpcr & LPCR_ILE)
		entry |= MSR_LE;
	if (vec == VEC_MACHINE_CHECK)
		entry &= ~MSR_ME;
	if ((lpcr & LPCR_AIL) == LPCR_AIL_3 && (msr & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR) &&
	    vec != VEC_SYSTEM_RESET && vec != VEC_MACHINE_CHECK) {
		pc = AIL_BASE + vec;
		entry |= MSR_IR | MSR_DR;
	}
	v->srr0 = (msr & MSR_SF) ? srr0 : (uint32_t)srr0;
	v->srr1 = (msr & ~SRR1_INT_BITS) | (flags & SRR1_INT_BITS);
	v->ceded = false;
	v->injected++;
	v->cpu.pc = pc;
	pr_set_msr(v, entry);
}

void pr_set_partition_lpcr(struct book3s_pr_vm *pvm, uint64_t mask, uint64_t bits)
{
	pthread_mutex_lock(&pvm->lock);
	for (unsigned i = 0; i < pvm->nr_vcpus; i++) {
		struct book3s_pr_vcpu *o = pvm->vcpus[i];
		uint64_t lpcr = __atomic_load_n(&o->lpcr, __ATOMIC_RELAXED);

		__atomic_store_n(&o->lpcr, (lpcr & ~mask) | bits, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&pvm->lock);
}

/* ---- trace (MSR[SE], MSR[BE]) ----
 * Single-step trace: after each instruction that completes with MSR[SE] set before and
 * after it, the trace interrupt (0xd00), SRR0 the next instruction, SRR1's interrupt bits 0.
 * Branch trace: the same after a branch (taken or not) with MSR[BE]. An instruction that
 * took an interrupt (sc included) or changed the MSR to clear SE/BE is not traced. An access
 * that exits to the VMM (MMIO) completes at the next run: its trace is taken then. The core
 * runs one instruction at a time then (cpu_step), which the run loop chooses while either
 * bit is set. */
static bool is_branch(unsigned op)
{
	return op == CPU_OP_b || op == CPU_OP_bc || op == CPU_OP_bclr || op == CPU_OP_bcctr;
}

void pr_trace_step(struct book3s_pr_vcpu *v)
{
	struct cpu *c = &v->cpu;
	uint64_t before = v->msr, injected = v->injected;

	if (cpu_step(c)) {
		pr_internal_error(v, SKVM_INTERNAL_ERROR_EMULATION, c->pc, 0);
		return;
	}
	if (v->run->exit_reason == SKVM_EXIT_MMIO) {
		v->trace_owed = (before & v->msr & MSR_SE) != 0;
		return;
	}
	if (v->run->exit_reason != SKVM_EXIT_UNKNOWN || v->ceded || v->injected != injected ||
	    c->step_op == CPU_OP_ILLEGAL)
		return;
	if ((before & v->msr & MSR_SE) || ((before & v->msr & MSR_BE) && is_branch(c->step_op)))
		pr_inject(v, VEC_TRACE, c->pc, 0);
}

void pr_trace_completed_io(struct book3s_pr_vcpu *v)
{
	if (!v->trace_owed || v->io != PR_IO_NONE || v->mmio_split.pending)
		return;
	v->trace_owed = false;
	pr_inject(v, VEC_TRACE, v->cpu.pc, 0);
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
		pr_count_event(v, irq == PR_IRQ_DECREMENTER ? SKVM_EXITS_DEC : SKVM_EXITS_EXTINT);
	/* asynchronous: SRR0 is the next instruction to execute */
	pr_inject(v, irq_vector[irq], v->cpu.pc, 0);
	return true;
}
