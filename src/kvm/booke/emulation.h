/* SPDX-License-Identifier: MIT */
/* One emulation per instruction, two ways to reach it.
 *
 * Each instruction the hypervisor emulates has one emulation, an inline function of its
 * layer (ppc440_emulate.c, booke_emulate.c, spr.c, emulate.c):
 *
 *   static ALWAYS_INLINE enum emulation_result fn(struct skvm_vcpu *vcpu,
 *                                                 const struct cpu_dinsn *d, bool *advance)
 *
 * entered with the core's PC at the instruction. It reads its operands from the decoded
 * instruction, clears *advance when it set the PC itself (rfi), and leaves the PC alone
 * otherwise: kvm_emulation_finish moves it on (KVM's `advance`). A layer lists its
 * instructions once, as X(op, fn, flags, kind), and gets from that list both its table of
 * emulations (KVM_EMULATION_ENTRY: what a trap finds, kvmppc_emulate_instruction) and,
 * for each, the handler the core runs in place of the trap (KVM_EMULATION_HANDLER: fn
 * inlined into the core's dispatch, chosen at decode time). Both end the same way.
 */
#ifndef SOFTKVM_KVM_BOOKE_EMULATION_H
#define SOFTKVM_KVM_BOOKE_EMULATION_H

#include "booke.h"
#include "cpu/emulation.h"

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* flags of a layer's list */
#define KVM_PRIVILEGED 1u /* in user mode: the privileged-operation program interrupt */
#define KVM_RAISES     2u /* raises an interrupt taken after it (sc: the system call) */

/* After fn(d) said er: move the PC to where the guest goes on -- past the instruction
 * (pc) unless fn branched (!advance) -- and take there the interrupt fn raised: at the
 * instruction for a program interrupt (FAIL: the illegal-instruction one), after it for
 * the system call. The one place the PC moves after an emulated instruction (KVM's
 * `advance`). */
static ALWAYS_INLINE enum emulation_result
kvm_emulation_finish(struct skvm_vcpu *vcpu, enum emulation_result er, bool advance, uint32_t pc)
{
	if (er == EMULATE_FAIL)
		er = kvmppc_program_interrupt(vcpu, CPU_ESR_PIL);
	if (er == EMULATE_AGAIN) {
		vcpu->cpu.pc = pc;
		kvmppc_deliver_sync(vcpu);
		kvm_exit_check(vcpu, KVM_CHECK_REFETCH);
		return er;
	}
	if (!advance) {
		kvm_exit_check(vcpu,
			       KVM_CHECK_REFETCH); /* fn set the PC: a return from interrupt */
		return er;
	}
	vcpu->cpu.pc = pc + 4;
	if (vcpu->pending & BOOKE_IRQ_SYNC_MASK) {
		kvmppc_deliver_sync(vcpu);
		kvm_exit_check(vcpu, KVM_CHECK_REFETCH);
	}
	return er;
}

/* The kind of an emulation's exit, for counting: the instruction's (type) unless the
 * emulation said otherwise. Between exits exit_type is KVM_EXIT_NONE again. */
static ALWAYS_INLINE enum skvm_exit_type kvm_emulation_type(struct skvm_vcpu *vcpu,
							    enum skvm_exit_type type)
{
	enum skvm_exit_type said = vcpu->exit_type;

	if (likely(said == KVM_EXIT_NONE))
		return type;
	vcpu->exit_type = KVM_EXIT_NONE;
	return said;
}

/* What the core does after kvm_emulation_finish of d: go on with the next instruction in
 * place when it fell through and nothing the core caches changed, else fetch at the PC;
 * stop for an exit to userspace. */
static ALWAYS_INLINE enum cpu_resume
kvm_emulation_resume(struct skvm_vcpu *vcpu, const struct cpu_dinsn *d, enum emulation_result er)
{
	switch (er) {
	case EMULATE_DONE:
	case EMULATE_AGAIN:
		return (kvm_exit_checks(vcpu) & KVM_CHECK_REFETCH) ? CPU_RESUME_REFETCH
								   : CPU_RESUME_NEXT;
	case EMULATE_EXIT_USER:
		if (vcpu->run.exit_reason == SKVM_EXIT_UNKNOWN)
			kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_EMULATION, vcpu->cpu.pc - 4,
					   d->insn);
		return CPU_RESUME_STOP;
	default: /* DO_MMIO, DO_DCR: the exit is set up */
		return CPU_RESUME_STOP;
	}
}

/* The end of an emulation's exit as a trap's ends, from fn's result er. */
static ALWAYS_INLINE enum cpu_resume kvm_emulation_end(struct skvm_vcpu *vcpu,
						       const struct cpu_dinsn *d,
						       enum emulation_result er, bool advance,
						       uint32_t pc, enum skvm_exit_type type)
{
	er = kvm_emulation_finish(vcpu, er, advance, pc);
	enum cpu_resume r = kvm_exit_resume(vcpu, kvm_emulation_resume(vcpu, d, er));

	kvm_account_exit(vcpu, kvm_emulation_type(vcpu, type));
	return r;
}

/* The pre-decoded way in: an exit like any other, without the trap. The plain cases are
 * ended and counted here: the instruction fell through, leaving the end of the exit nothing
 * to do (exit_checks), and the core goes on with the next one (the PC is not even written:
 * it moves with the core), or it only branched (rfi, which set the PC). Any other is ended
 * as a trap's exit is, inline for an instruction that raises an interrupt after itself
 * (sc), else out of line (kvmppc_emulation_end, with vcpu->emulated). What needs the trap
 * declines before doing anything: exit timing (the trap times it), a privileged
 * instruction in user mode (the trap raises the program interrupt). */
static ALWAYS_INLINE enum cpu_resume kvm_emulation_run(struct cpu *c, const struct cpu_dinsn *d,
						       kvm_emulate_fn fn, unsigned flags,
						       enum skvm_exit_type type)
{
	struct skvm_vcpu *vcpu = vcpu_of(c);
	enum emulation_result er;
	bool advance = true;

	if (unlikely(vcpu->timing) ||
	    ((flags & KVM_PRIVILEGED) && unlikely(kvmppc_get_msr(vcpu) & PPC_MSR_PR)))
		return CPU_RESUME_TRAP;
	er = fn(vcpu, d, &advance);
	/* an emulation that completed its instruction did not name its exit's kind */
	if (likely(er == EMULATE_DONE) && !(flags & KVM_RAISES)) {
		if (likely(advance && !kvm_exit_checks(vcpu))) {
			kvm_account_exit(vcpu, type);
			return CPU_RESUME_NEXT;
		}
		if (!advance && !(kvm_exit_checks(vcpu) & ~KVM_CHECK_REFETCH)) {
			kvm_exit_checks_set(vcpu, 0);
			kvm_account_exit(vcpu, type);
			return CPU_RESUME_REFETCH;
		}
	}
	if (flags & KVM_RAISES)
		return kvm_emulation_end(vcpu, d, er, advance, cpu_pc_of(c, d), type);
	vcpu->emulated = (struct kvm_emulated){
	    .er = er, .advance = advance, .pc = cpu_pc_of(c, d), .type = type};
	return CPU_RESUME_END;
}

/* For a layer's list X(op, fn, flags, kind): kind names the instruction's exit type,
 * SKVM_EXITS_EMULATED_<kind> */
#define KVM_EMULATION_HANDLER(op, fn, flags, kind)                                                 \
	KVM_EMULATION_HANDLER_TYPED(fn, flags, SKVM_EXITS_EMULATED_##kind)
#define KVM_EMULATION_HANDLER_TYPED(fn, flags, type)                                               \
	static ALWAYS_INLINE enum cpu_resume fn##_run(struct cpu *c, const struct cpu_dinsn *d)    \
	{                                                                                          \
		return kvm_emulation_run(c, d, fn, flags, type);                                   \
	}                                                                                          \
	static CPU_EMULATION_HANDLER(fn##_handler, fn##_run)
#define KVM_EMULATION_ENTRY(op, fn, flags, kind)                                                   \
	{CPU_OP_##op, fn, fn##_handler, flags, SKVM_EXITS_EMULATED_##kind, NULL, NULL},
#define KVM_EMULATIONS_END                                                                         \
	{                                                                                          \
		CPU_OP_NR, NULL, NULL, 0, SKVM_EXITS_EMULATED_INST, NULL, NULL                     \
	}

#endif
