/* The core's trap handler: every hardware exit comes through kvm_handle_exit, which
 * dispatches it, accounts it by type and, when SKVM_CAP_EXIT_TIMING is on, times it
 * (kvmppc_handle_exit and timing.c in the seeds).
 *
 * Timers. The core's budget counts taken branches, but a guest can spend most of its time
 * in exits with few branches between them (a TLB-miss storm, an emulation-heavy loop), and
 * an exit can move the next timer event (mtspr DEC/TCR). So the exit handler re-arms the
 * budget when an exit changed the timer deadline, and every TIMER_CHECK_EXITS lightweight
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

#define NO_ACCOUNT SKVM_EXITS_NR /* the exit is accounted elsewhere */
#define TIMER_CHECK_EXITS 64

static unsigned rt_of(uint32_t insn)
{
	return (insn >> 21) & 31;
}

/* Resume after an instruction the hypervisor completed: in place when nothing the core
 * caches (fetch context, FP state) changed and execution simply falls through. */
static enum cpu_resume resume_after(struct skvm_vcpu *vcpu, const struct cpu_trap *t,
				    uint32_t msr0, uint32_t pid0)
{
	if (vcpu->halted)
		return CPU_RESUME_STOP;
	if (vcpu->cpu.pc == t->pc + 4 && vcpu->msr == msr0 && vcpu->pid == pid0)
		return CPU_RESUME_NEXT;
	return CPU_RESUME_REFETCH;
}

/* A synchronous interrupt at the trapping instruction (SRR0 = its address). */
static enum cpu_resume reflect(struct skvm_vcpu *vcpu, const struct cpu_trap *t,
			       enum booke_irqprio prio, uint32_t esr, uint32_t dear)
{
	vcpu->cpu.pc = t->pc;
	kvmppc_deliver_exception(vcpu, prio, esr, dear);
	return CPU_RESUME_REFETCH;
}

static enum cpu_resume handle_priv(struct skvm_vcpu *vcpu, struct cpu_trap *t,
				   enum skvm_exit_type *type)
{
	struct skvm_run *run = &vcpu->run;
	uint32_t msr0 = vcpu->msr, pid0 = vcpu->pid;

	*type = SKVM_EXITS_EMULATED_INST;
	switch (kvmppc_emulate_instruction(vcpu, t)) {
	case EMULATE_DONE:
		return resume_after(vcpu, t, msr0, pid0);
	case EMULATE_AGAIN:
		if (msr0 & PPC_MSR_PR)
			*type = SKVM_EXITS_USR_PR_INST;
		return CPU_RESUME_REFETCH;
	case EMULATE_DO_DCR:
		*type = SKVM_EXITS_DCR;
		run->exit_reason = SKVM_EXIT_DCR;
		run->dcr.status = SKVM_DCR_OK;
		if (run->dcr.is_write)
			vcpu->io_pending = KVM_IO_DCR_WRITE;
		else if (vcpu->io_pending != KVM_IO_DCR_READ) {
			vcpu->io_pending = KVM_IO_DCR_READ;
			vcpu->io = (struct cpu_mem_op){.size = 4, .rt = (uint8_t)rt_of(t->insn)};
		}
		vcpu->cpu.pc = t->pc + 4;
		return CPU_RESUME_STOP;
	case EMULATE_DO_MMIO:
		*type = SKVM_EXITS_MMIO;
		return CPU_RESUME_STOP;
	case EMULATE_EXIT_USER:
		if (run->exit_reason == SKVM_EXIT_UNKNOWN)
			kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_EMULATION, t->pc, t->insn);
		return CPU_RESUME_STOP;
	case EMULATE_FAIL:
	default:
		*type = SKVM_EXITS_PROGRAM;
		return reflect(vcpu, t, BOOKE_IRQPRIO_PROGRAM, CPU_ESR_PIL, 0);
	}
}

static enum cpu_resume handle_sc(struct skvm_vcpu *vcpu, struct cpu_trap *t,
				 enum skvm_exit_type *type)
{
	struct cpu *c = &vcpu->cpu;
	uint32_t msr0 = vcpu->msr, pid0 = vcpu->pid;

	c->pc = t->pc + 4; /* SRR0 of a system call, and where a hypercall returns */
	if (!(vcpu->msr & PPC_MSR_PR) && c->gpr[0] == KVM_SC_MAGIC_R0) {
		*type = SKVM_EXITS_HCALL;
		switch (kvmppc_handle_hcall(vcpu)) {
		case EMULATE_DONE:
			return resume_after(vcpu, t, msr0, pid0);
		case EMULATE_EXIT_USER:
			if (vcpu->run.exit_reason == SKVM_EXIT_HYPERCALL)
				vcpu->io_pending = KVM_IO_HCALL;
			else if (vcpu->run.exit_reason == SKVM_EXIT_UNKNOWN)
				kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_EMULATION, t->pc,
						   t->insn);
			return CPU_RESUME_STOP;
		case EMULATE_DO_MMIO:
		case EMULATE_DO_DCR:
			kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_EMULATION, t->pc, t->insn);
			return CPU_RESUME_STOP;
		case EMULATE_AGAIN:
			return CPU_RESUME_REFETCH;
		case EMULATE_FAIL:
		default:
			break; /* not ours after all: the guest's system call */
		}
	}
	*type = SKVM_EXITS_SYSCALL;
	kvmppc_deliver_exception(vcpu, BOOKE_IRQPRIO_SYSCALL, 0, 0);
	return CPU_RESUME_REFETCH;
}

static enum cpu_resume handle_tlb_miss(struct skvm_vcpu *vcpu, struct cpu_trap *t,
				       enum skvm_exit_type *type)
{
	enum cpu_resume r = ppc440_handle_tlb_miss(vcpu, t);
	bool fetch = t->kind == CPU_TRAP_ITLB_MISS;

	/* What happened, from its effect: refilled (retry), an MMIO exit, or an interrupt
	 * delivered to the guest (the core now at that vector). */
	if (r == CPU_RESUME_RETRY)
		*type = fetch ? SKVM_EXITS_ITLB_VIRT_MISS : SKVM_EXITS_DTLB_VIRT_MISS;
	else if (r == CPU_RESUME_DATA)
		*type = NO_ACCOUNT; /* part of an MMIO exit already counted (mmio_split.c) */
	else if (vcpu->run.exit_reason == SKVM_EXIT_MMIO)
		*type = SKVM_EXITS_MMIO;
	else if (fetch)
		*type = kvm_at_vector(vcpu, BOOKE_IVOR_INST_STORAGE) ? SKVM_EXITS_ISI
								     : SKVM_EXITS_ITLB_REAL_MISS;
	else
		*type = kvm_at_vector(vcpu, BOOKE_IVOR_DATA_STORAGE) ? SKVM_EXITS_DSI
								     : SKVM_EXITS_DTLB_REAL_MISS;
	return r;
}

static enum cpu_resume debug_exit(struct skvm_vcpu *vcpu, const struct cpu_trap *t)
{
	vcpu->cpu.pc = t->pc;
	vcpu->run.exit_reason = SKVM_EXIT_DEBUG;
	vcpu->run.debug.pc = t->pc;
	return CPU_RESUME_STOP;
}

static enum cpu_resume dispatch(struct skvm_vcpu *vcpu, struct cpu_trap *t,
				enum skvm_exit_type *type)
{
	switch (t->kind) {
	case CPU_TRAP_PRIV:
		return handle_priv(vcpu, t, type);
	case CPU_TRAP_SC:
		return handle_sc(vcpu, t, type);
	case CPU_TRAP_ITLB_MISS:
	case CPU_TRAP_DTLB_MISS:
		return handle_tlb_miss(vcpu, t, type);
	case CPU_TRAP_PROGRAM:
		if ((vcpu->dbg.control & SKVM_GUESTDBG_ENABLE) &&
		    t->insn == KVMPPC_INST_SW_BREAKPOINT) {
			*type = SKVM_EXITS_DEBUG;
			return debug_exit(vcpu, t);
		}
		*type = SKVM_EXITS_PROGRAM;
		return reflect(vcpu, t, BOOKE_IRQPRIO_PROGRAM, t->esr, 0);
	case CPU_TRAP_FP_UNAVAIL:
		*type = SKVM_EXITS_FP_UNAVAIL;
		return reflect(vcpu, t, BOOKE_IRQPRIO_FP_UNAVAIL, 0, 0);
	case CPU_TRAP_FP_ENABLED:
		*type = SKVM_EXITS_PROGRAM;
		return reflect(vcpu, t, BOOKE_IRQPRIO_PROGRAM, t->esr | CPU_ESR_FP, 0);
	case CPU_TRAP_ALIGNMENT:
		*type = SKVM_EXITS_ALIGNMENT;
		return reflect(vcpu, t, BOOKE_IRQPRIO_ALIGNMENT, t->esr, t->ea);
	case CPU_TRAP_BUDGET: {
		enum cpu_resume r = kvm_handle_budget(vcpu);
		/* a userspace kick is counted as SKVM_EXITS_SIGNAL when the run returns */
		*type = vcpu->run.exit_reason == SKVM_EXIT_INTR ? NO_ACCOUNT : SKVM_EXITS_BUDGET;
		return r;
	}
	case CPU_TRAP_DEBUG:
		*type = SKVM_EXITS_DEBUG;
		return debug_exit(vcpu, t);
	case CPU_TRAP_INTERNAL:
	default:
		*type = NO_ACCOUNT;
		kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_EMULATION, t->pc, t->insn);
		return CPU_RESUME_STOP;
	}
}

/* Every TIMER_CHECK_EXITS exits: a timer event that fell due between budget exits is
 * taken now. c->pc is where the guest resumes (an interrupt's SRR0). */
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
	enum skvm_exit_type type = NO_ACCOUNT;
	uint64_t next_event = vcpu->timer.next_event_tb;
	uint64_t t0 = 0;
	enum cpu_resume r;

	(void)c;
	if (unlikely(vcpu->timing)) {
		t0 = kvm_now_ns();
		kvm_account_exit_time(vcpu, SKVM_EXITS_TIMEINGUEST, t0 - vcpu->guest_enter_ns);
	}

	r = dispatch(vcpu, t, &type);
	/* CPU_RESUME_DATA finishes an access inside an instruction: nothing may come between */
	if (r != CPU_RESUME_STOP && r != CPU_RESUME_DATA) {
		/* an exit reason set on a path that resumed would be lost: honour it */
		if (unlikely(vcpu->run.exit_reason != SKVM_EXIT_UNKNOWN || vcpu->halted)) {
			r = CPU_RESUME_STOP;
		} else {
			/* The exit may have unmasked an interrupt (wrteei 1, rfi, mtmsr) or
			 * queued one: deliver before the guest runs on, at c->pc. */
			if (vcpu->pending && kvm_deliver(vcpu))
				r = CPU_RESUME_REFETCH;
			if (unlikely(vcpu->timer.next_event_tb != next_event))
				kvm_arm_budget(vcpu); /* DEC, TCR or TSR moved the deadline */
			if (unlikely(--vcpu->exits_to_timer_check == 0))
				r = check_timers(vcpu, r);
		}
	}

	if (type != NO_ACCOUNT)
		kvm_account_exit(vcpu, type);
	if (unlikely(vcpu->timing)) {
		uint64_t now = kvm_now_ns();

		if (type != NO_ACCOUNT)
			kvm_account_exit_time(vcpu, type, now - t0);
		vcpu->guest_enter_ns = now;
	}
	return r;
}
