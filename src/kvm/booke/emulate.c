// SPDX-License-Identifier: MIT
/* Instruction emulation: where the emulation of an instruction is found, the two ways in
 * (a trap, and the handler chosen at decode time), and the generic layer (the seeds'
 * emulate.c).
 *
 * An instruction goes down the layers until one knows it: the 440 layer
 * (ppc440_emulate.c: TLB, DCR and cache instructions), the BookE layer (booke_emulate.c:
 * MSR, rfi/rfci/rfmci), the SPR moves (spr.c, itself layered 440 -> BookE -> generic by
 * SPR) and the generic one here (sc). What no layer knows takes the illegal-instruction
 * program interrupt. Layers are asked by instruction (enum cpu_op), once at decode time
 * for the handler and at each trap for the emulation; both run the same function.
 */
#include "emulation.h"

static const struct kvm_emulation *const layers[] = {
    ppc440_emulations,
    booke_emulations,
    spr_emulations,
    generic_emulations,
};

static const struct kvm_emulation *emulation_of(unsigned op)
{
	for (unsigned l = 0; l < sizeof(layers) / sizeof(layers[0]); l++)
		for (const struct kvm_emulation *e = layers[l]; e->op != CPU_OP_NR; e++)
			if (e->op == op)
				return e;
	return NULL;
}

enum emulation_result kvmppc_program_interrupt(struct skvm_vcpu *vcpu, uint32_t esr)
{
	bool user = (kvmppc_get_msr(vcpu) & PPC_MSR_PR) != 0;

	kvm_set_exit_type(vcpu,
			  user && esr == CPU_ESR_PPR ? SKVM_EXITS_USR_PR_INST : SKVM_EXITS_PROGRAM);
	kvmppc_queue_exception(vcpu, BOOKE_IRQPRIO_PROGRAM, esr, 0);
	return EMULATE_AGAIN;
}

enum emulation_result kvmppc_emulate_instruction(struct skvm_vcpu *vcpu, const struct cpu_dinsn *d)
{
	const struct kvm_emulation *e = emulation_of(d->op);
	uint32_t pc = vcpu->cpu.pc;
	bool advance = true;
	enum emulation_result er;

	if (!e)
		er = EMULATE_FAIL;
	else if ((e->flags & KVM_PRIVILEGED) && (kvmppc_get_msr(vcpu) & PPC_MSR_PR))
		er = kvmppc_program_interrupt(vcpu, CPU_ESR_PPR);
	else
		er = e->emulate(vcpu, d, &advance);
	if (e)
		kvm_set_exit_type(vcpu,
				  kvm_emulation_type(vcpu, e->type_for ? e->type_for(d) : e->type));
	return kvm_emulation_finish(vcpu, er, advance, pc);
}

enum cpu_resume kvmppc_emulate_trap(struct skvm_vcpu *vcpu, const struct cpu_trap *t)
{
	enum cpu_resume r =
	    kvm_emulation_resume(vcpu, t->d, kvmppc_emulate_instruction(vcpu, t->d));

	/* counted by kvm_handle_exit */
	kvm_set_exit_type(vcpu, kvm_emulation_type(vcpu, SKVM_EXITS_EMULATED_INST));
	return r;
}

enum cpu_resume kvmppc_emulation_end(void *opaque, struct cpu *c, const struct cpu_dinsn *d)
{
	struct skvm_vcpu *vcpu = opaque;
	const struct kvm_emulated *e = &vcpu->emulated;

	(void)c;
	return kvm_emulation_end(vcpu, d, e->er, e->advance, e->pc, e->type);
}

cpu_handler kvmppc_emulation_handler(void *opaque, const struct cpu_dinsn *d)
{
	const struct kvm_emulation *e = emulation_of(d->op);
	cpu_handler h = e && e->handler_for ? e->handler_for(d) : NULL;

	(void)opaque;
	return h ? h : e ? e->handler : NULL;
}

/* ---- the generic layer ---- */

/* sc: a hypercall from supervisor mode with r0 = "KVM!", else the guest's system call,
 * taken after the instruction (SRR0 = the next one, as KVM queues it). */
static ALWAYS_INLINE enum emulation_result emulate_sc(struct skvm_vcpu *vcpu,
						      const struct cpu_dinsn *d, bool *advance)
{
	if (!(kvmppc_get_msr(vcpu) & PPC_MSR_PR) && vcpu->cpu.gpr[0] == KVM_SC_MAGIC_R0) {
		kvm_set_exit_type(vcpu, SKVM_EXITS_HCALL);
		return kvmppc_handle_hcall(vcpu);
	}
	kvm_set_exit_type(vcpu, SKVM_EXITS_SYSCALL);
	kvmppc_queue_irqprio(vcpu, BOOKE_IRQPRIO_SYSCALL);
	return EMULATE_DONE;
}

#define GENERIC_EMULATIONS(X) X(sc, emulate_sc, KVM_RAISES, INST)

GENERIC_EMULATIONS(KVM_EMULATION_HANDLER)

const struct kvm_emulation generic_emulations[] = {GENERIC_EMULATIONS(KVM_EMULATION_ENTRY)
						       KVM_EMULATIONS_END};
