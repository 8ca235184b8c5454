// SPDX-License-Identifier: MIT
/* BookE interrupts: the pending bitmap, masking by MSR, and delivery
 * (kvmppc_booke_irqprio_deliver in the seeds' booke.c).
 *
 * Three classes save state in three pairs of registers: base (SRR0/1), critical (CSRR0/1:
 * critical input, watchdog and, on a 440, debug) and machine check (MCSRR0/1). Each class
 * clears the MSR bits that would let an interrupt of the same or a lower class in: base
 * keeps only CE, ME and DE; critical keeps ME; machine check keeps nothing. The vector is
 * IVPR[0:15] | IVORn[16:27].
 *
 * The timer interrupts are levels: timer.c keeps their pending bits equal to
 * TSR & TCR, so delivery leaves them set. The external and critical inputs are levels
 * while the VMM holds them (ext_level / crit_level), edges otherwise.
 *
 * The magic page (paravirt.h) takes part once the guest has mapped it: its int_pending
 * follows the pending bitmap, and while its `critical` equals the guest's r1 in supervisor
 * mode only synchronous interrupts go in (kvmppc_booke_irqprio_deliver's `crit`).
 */
#include "booke.h"

static const uint8_t prio_ivor[BOOKE_IRQPRIO_MAX] = {
	[BOOKE_IRQPRIO_DATA_STORAGE] = BOOKE_IVOR_DATA_STORAGE,
	[BOOKE_IRQPRIO_INST_STORAGE] = BOOKE_IVOR_INST_STORAGE,
	[BOOKE_IRQPRIO_ALIGNMENT] = BOOKE_IVOR_ALIGNMENT,
	[BOOKE_IRQPRIO_PROGRAM] = BOOKE_IVOR_PROGRAM,
	[BOOKE_IRQPRIO_FP_UNAVAIL] = BOOKE_IVOR_FP_UNAVAIL,
	[BOOKE_IRQPRIO_SYSCALL] = BOOKE_IVOR_SYSCALL,
	[BOOKE_IRQPRIO_AP_UNAVAIL] = BOOKE_IVOR_AP_UNAVAIL,
	[BOOKE_IRQPRIO_DTLB_MISS] = BOOKE_IVOR_DTLB_MISS,
	[BOOKE_IRQPRIO_ITLB_MISS] = BOOKE_IVOR_ITLB_MISS,
	[BOOKE_IRQPRIO_MACHINE_CHECK] = BOOKE_IVOR_MACHINE_CHECK,
	[BOOKE_IRQPRIO_DEBUG] = BOOKE_IVOR_DEBUG,
	[BOOKE_IRQPRIO_CRITICAL] = BOOKE_IVOR_CRITICAL,
	[BOOKE_IRQPRIO_WATCHDOG] = BOOKE_IVOR_WATCHDOG,
	[BOOKE_IRQPRIO_EXTERNAL] = BOOKE_IVOR_EXTERNAL,
	[BOOKE_IRQPRIO_FIT] = BOOKE_IVOR_FIT,
	[BOOKE_IRQPRIO_DECREMENTER] = BOOKE_IVOR_DECREMENTER,
};

/* Which syndrome registers an interrupt writes from queued_esr / queued_dear. */
#define UPDATE_DEAR_MASK                                                                   \
	((1u << BOOKE_IRQPRIO_DATA_STORAGE) | (1u << BOOKE_IRQPRIO_DTLB_MISS) |            \
	 (1u << BOOKE_IRQPRIO_ALIGNMENT))
#define UPDATE_ESR_MASK                                                                    \
	(UPDATE_DEAR_MASK | (1u << BOOKE_IRQPRIO_INST_STORAGE) | (1u << BOOKE_IRQPRIO_PROGRAM))
#define TIMER_MASK                                                                         \
	((1u << BOOKE_IRQPRIO_DECREMENTER) | (1u << BOOKE_IRQPRIO_FIT) |                   \
	 (1u << BOOKE_IRQPRIO_WATCHDOG))
#define EXTINT_MASK ((1u << BOOKE_IRQPRIO_EXTERNAL) | (1u << BOOKE_IRQPRIO_CRITICAL))
#define CRIT_CLASS_MASK (BOOKE_IRQ_CE_MASK | (1u << BOOKE_IRQPRIO_DEBUG))

static uint32_t vector_of(const struct skvm_vcpu *vcpu, unsigned ivor)
{
	return (vcpu->ivpr & 0xffff0000u) | (vcpu->ivor[ivor] & 0xfff0u);
}

void kvmppc_set_context(struct skvm_vcpu *vcpu, uint32_t msr, uint32_t pid)
{
	uint32_t context = (msr & PPC440_MSR_CONTEXT) | pid << 24;

	if (context == vcpu->context)
		return;
	vcpu->context = context;
	cpu_set_context(&vcpu->cpu, msr, pid);
	kvm_exit_check(vcpu, KVM_CHECK_REFETCH);
}

void kvmppc_set_msr(struct skvm_vcpu *vcpu, uint32_t msr)
{
	if (vcpu->pending)
		kvm_exit_check(vcpu, KVM_CHECK_IRQ);
	kvm_shared_set(&vcpu->magic.shared.msr, msr);
	kvmppc_set_context(vcpu, msr, vcpu->pid);
	/* MSR[WE]: the vcpu waits (in the run loop) until an interrupt clears it */
	vcpu->halted = (msr & PPC_MSR_WE) != 0;
	if (vcpu->halted)
		kvm_exit_check(vcpu, KVM_CHECK_HALT);
	/* a new MSR is a new wait, if any: SKVM_EXIT_SHUTDOWN may be due again */
	vcpu->halt_reported = false;
}

/* Take interrupt prio now, whatever MSR says (the caller checked). The asynchronous ones
 * count as exits of their kind here, where the kind is known. */
static void deliver(struct skvm_vcpu *vcpu, enum booke_irqprio prio)
{
	uint32_t bit = 1u << prio, pc = vcpu->cpu.pc, msr = kvmppc_get_msr(vcpu), keep;

	if (bit & CRIT_CLASS_MASK) {
		vcpu->csrr0 = pc;
		vcpu->csrr1 = msr;
		keep = PPC_MSR_ME;
	} else if (prio == BOOKE_IRQPRIO_MACHINE_CHECK) {
		vcpu->mcsrr0 = pc;
		vcpu->mcsrr1 = msr;
		keep = 0;
	} else {
		kvmppc_set_srr0(vcpu, pc);
		kvmppc_set_srr1(vcpu, msr);
		keep = PPC_MSR_CE | PPC_MSR_ME | PPC_MSR_DE;
	}
	if (bit & UPDATE_ESR_MASK)
		kvmppc_set_esr(vcpu, vcpu->queued_esr);
	if (bit & UPDATE_DEAR_MASK)
		kvmppc_set_dear(vcpu, vcpu->queued_dear);
	if (bit & TIMER_MASK)
		kvm_account_exit(vcpu, SKVM_EXITS_DEC);
	else if (bit & EXTINT_MASK)
		kvm_account_exit(vcpu, SKVM_EXITS_EXTINT);

	/* taken: no longer pending, unless it is a level still held */
	if (!(bit & TIMER_MASK) && !(prio == BOOKE_IRQPRIO_EXTERNAL && vcpu->ext_level) &&
	    !(prio == BOOKE_IRQPRIO_CRITICAL && vcpu->crit_level))
		kvmppc_set_pending(vcpu, bit, 0);
	kvmppc_set_msr(vcpu, msr & keep);
	vcpu->cpu.pc = vector_of(vcpu, prio_ivor[prio]);
}

void kvmppc_queue_exception(struct skvm_vcpu *vcpu, enum booke_irqprio prio, uint32_t esr,
			    uint32_t dear)
{
	vcpu->queued_esr = esr;
	vcpu->queued_dear = dear;
	kvmppc_queue_irqprio(vcpu, prio);
}

void kvmppc_deliver_exception(struct skvm_vcpu *vcpu, enum booke_irqprio prio, uint32_t esr,
			      uint32_t dear)
{
	vcpu->queued_esr = esr;
	vcpu->queued_dear = dear;
	deliver(vcpu, prio);
}

/* The guest's paravirt code is in a critical section: supervisor mode, and the magic
 * page's `critical` (a 64-bit field; 32-bit guests compare its low word) equals r1. */
static bool in_critical_section(const struct skvm_vcpu *vcpu)
{
	return vcpu->magic_mapped && !(kvmppc_get_msr(vcpu) & PPC_MSR_PR) &&
	       kvm_shared_get(&vcpu->magic.shared.critical) == vcpu->cpu.gpr[1];
}

uint32_t kvmppc_deliverable(const struct skvm_vcpu *vcpu)
{
	uint32_t p = vcpu->pending & booke_deliverable_mask(kvmppc_get_msr(vcpu));

	if ((p & ~BOOKE_IRQ_SYNC_MASK) && in_critical_section(vcpu))
		p &= BOOKE_IRQ_SYNC_MASK;
	return p;
}

void kvmppc_deliver_sync(struct skvm_vcpu *vcpu)
{
	deliver(vcpu, (enum booke_irqprio)__builtin_ctz(vcpu->pending & BOOKE_IRQ_SYNC_MASK));
}

bool kvmppc_deliver_pending(struct skvm_vcpu *vcpu)
{
	uint32_t p = kvmppc_deliverable(vcpu);

	if (!p)
		return false;
	deliver(vcpu, (enum booke_irqprio)__builtin_ctz(p));
	return true;
}

void booke_return(struct skvm_vcpu *vcpu, uint32_t srr0, uint32_t srr1)
{
	kvmppc_set_msr(vcpu, srr1 & PPC440_MSR_MASK);
	vcpu->cpu.pc = srr0 & ~3u;
}

bool booke_machine_check(struct skvm_vcpu *vcpu, uint32_t pc, uint32_t mcsr, uint32_t esr)
{
	if (!(kvmppc_get_msr(vcpu) & PPC_MSR_ME)) {
		/* a machine check with MSR[ME]=0 stops the core (checkstop) */
		kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_CHECKSTOP, pc, 0);
		return false;
	}
	vcpu->mcsr |= mcsr;
	kvmppc_set_esr(vcpu, kvmppc_get_esr(vcpu) | esr);
	vcpu->cpu.pc = pc;
	deliver(vcpu, BOOKE_IRQPRIO_MACHINE_CHECK);
	return true;
}
