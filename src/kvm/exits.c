// SPDX-License-Identifier: MIT
/* The core's trap handler: every hardware exit comes through kvm_handle_exit, which
 * dispatches it and ends it as every exit ends: delivery, timers, counting, and timing
 * when SKVM_CAP_EXIT_TIMING is on (kvmppc_handle_exit and timing.c in the seeds). An
 * instruction's pre-decoded handler (booke/emulation.h) is an exit too and ends the same
 * way, without the trap.
 *
 * Timers. The core's budget counts taken branches, but a guest can spend most of its time
 * in exits with few branches between them (a TLB-miss storm, an emulation-heavy loop), and
 * an exit can move the next timer event (mtspr DEC/TCR). So the end of an exit re-arms the
 * budget when the exit changed the timer deadline, and every TIMER_CHECK_EXITS lightweight
 * exits it reads the clock and, when an event is due, updates the timers and delivers then
 * and there. That bounds the lateness of a timer interrupt by a few microseconds of exits
 * whatever the mix, for the cost of a counter per exit.
 *
 * A lightweight exit returns NEXT/RETRY/REFETCH and the core goes on; a heavyweight one
 * sets run->exit_reason and returns STOP, and skvm_vcpu_run returns to userspace. A STOP
 * with no exit reason (MSR[WE] halt) makes the run loop sleep and re-enter.
 *
 * Timing uses clock_gettime(CLOCK_MONOTONIC) (vDSO, tens of ns); with timing off an exit
 * costs one predictable branch and a counter increment.
 */
#include "kvm.h"

#define TIMER_CHECK_EXITS 64

/* A synchronous interrupt at the trapping instruction (SRR0 = its address). */
static enum cpu_resume reflect(struct skvm_vcpu *vcpu, const struct cpu_trap *t,
			       enum skvm_exit_type type, enum booke_irqprio prio, uint32_t esr,
			       uint32_t dear)
{
	kvm_set_exit_type(vcpu, type);
	vcpu->cpu.pc = t->pc;
	kvmppc_deliver_exception(vcpu, prio, esr, dear);
	return CPU_RESUME_REFETCH;
}

static enum cpu_resume dispatch(struct skvm_vcpu *vcpu, struct cpu_trap *t)
{
	switch (t->kind) {
	case CPU_TRAP_EMULATE:
		return kvmppc_emulate_trap(vcpu, t);
	case CPU_TRAP_ITLB_MISS:
	case CPU_TRAP_DTLB_MISS:
		return ppc440_handle_tlb_miss(vcpu, t);
	case CPU_TRAP_PROGRAM:
		if ((vcpu->dbg.control & SKVM_GUESTDBG_ENABLE) &&
		    t->insn == KVMPPC_INST_SW_BREAKPOINT) {
			kvm_set_exit_type(vcpu, SKVM_EXITS_DEBUG);
			vcpu->cpu.pc = t->pc;
			kvm_debug_exit(vcpu, t->pc, SKVM_DEBUG_NONE);
			return CPU_RESUME_STOP;
		}
		return reflect(vcpu, t, SKVM_EXITS_PROGRAM, BOOKE_IRQPRIO_PROGRAM, t->esr, 0);
	case CPU_TRAP_FP_UNAVAIL:
		return reflect(vcpu, t, SKVM_EXITS_FP_UNAVAIL, BOOKE_IRQPRIO_FP_UNAVAIL, 0, 0);
	case CPU_TRAP_ALIGNMENT:
		return reflect(vcpu, t, SKVM_EXITS_ALIGNMENT, BOOKE_IRQPRIO_ALIGNMENT, t->esr,
			       t->ea);
	case CPU_TRAP_BUDGET:
		return kvm_handle_budget(vcpu);
	case CPU_TRAP_INTERNAL:
	default:
		kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_EMULATION, t->pc, t->insn);
		return CPU_RESUME_STOP;
	}
}

/* Every TIMER_CHECK_EXITS trapped exits: take a timer event that fell due between budget
 * exits. c->pc is where the guest resumes. (The exits of pre-decoded emulations cost what
 * an instruction costs; the branch budget bounds them, and reading the clock every 64 of
 * them would cost more than they do.) */
static enum cpu_resume check_timers(struct skvm_vcpu *vcpu, enum cpu_resume r)
{
	uint32_t pc = vcpu->cpu.pc;

	vcpu->exits_to_timer_check = TIMER_CHECK_EXITS;
	if (kvmppc_timer_ns_to_next_event(vcpu) != 0)
		return r;
	if (kvm_prepare_to_enter(vcpu))
		return CPU_RESUME_STOP;
	kvm_arm_budget(vcpu);
	return vcpu->cpu.pc != pc ? CPU_RESUME_REFETCH : r;
}

enum cpu_resume kvm_handle_exit(void *opaque, struct cpu *c, struct cpu_trap *t)
{
	struct skvm_vcpu *vcpu = opaque;
	uint64_t t0 = 0;
	enum cpu_resume r;

	(void)c;
	if (unlikely(vcpu->timing))
		t0 = kvm_exit_timing_begin(vcpu->stats, vcpu->guest_enter_ns);
	r = kvm_exit_resume(vcpu, dispatch(vcpu, t));
	if (r != CPU_RESUME_STOP && r != CPU_RESUME_DATA &&
	    unlikely(--vcpu->exits_to_timer_check == 0))
		r = check_timers(vcpu, r);
	if (vcpu->exit_type != KVM_EXIT_NONE)
		kvm_account_exit(vcpu, vcpu->exit_type);
	if (unlikely(vcpu->timing))
		vcpu->guest_enter_ns = kvm_exit_timing_end(vcpu->stats, vcpu->exit_type, t0);
	kvm_set_exit_type(vcpu, KVM_EXIT_NONE);
	return r;
}
