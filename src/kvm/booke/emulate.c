/* Privileged-instruction emulation: the entry point and the generic layer (the seeds'
 * emulate.c).
 *
 * An instruction goes down the layers until one knows it: the 440 layer
 * (ppc440_emulate.c: TLB, DCR and cache instructions, 440 SPRs), the BookE layer
 * (booke_emulate.c: MSR, rfi/rfci/rfmci, BookE SPRs), then the generic one here (SPRs
 * every PowerPC has). A layer answers EMULATE_FAIL for what it does not know.
 *
 * SPR moves are privileged by SPR number (Book E: bit 0x10 of the number). An SPR no
 * layer knows is treated as QEMU's 440 does: a no-op for a privileged number in
 * supervisor mode, the privileged-instruction program interrupt in user mode, and the
 * illegal-instruction one for an unknown non-privileged number. An SPR that exists but
 * cannot be accessed that way (writing PVR, reading DECAR) is a privileged-instruction
 * program interrupt, again as QEMU.
 *
 * Results: DONE leaves vcpu->cpu.pc at the next instruction (or the rfi target); AGAIN
 * means an interrupt was delivered and the PC is its vector.
 */
#include "booke.h"

enum emulation_result kvmppc_program_interrupt(struct skvm_vcpu *vcpu, uint32_t pc, uint32_t esr)
{
	vcpu->cpu.pc = pc;
	kvmppc_deliver_exception(vcpu, BOOKE_IRQPRIO_PROGRAM, esr, 0);
	return EMULATE_AGAIN;
}

/* ---- the generic layer ---- */

static enum emulation_result generic_mfspr(struct skvm_vcpu *vcpu, unsigned sprn, uint32_t *val,
					   bool *noaccess)
{
	switch (sprn) {
	case SPRN_SRR0:
		*val = vcpu->srr0;
		break;
	case SPRN_SRR1:
		*val = vcpu->srr1;
		break;
	case SPRN_SPRG0:
	case SPRN_SPRG0 + 1:
	case SPRN_SPRG0 + 2:
	case SPRN_SPRG0 + 3:
		*val = vcpu->sprg[sprn - SPRN_SPRG0];
		break;
	case SPRN_PVR:
		*val = vcpu->pvr;
		break;
	case SPRN_TBRL:
		*val = (uint32_t)kvmppc_get_tb(vcpu);
		break;
	case SPRN_TBRU:
		*val = (uint32_t)(kvmppc_get_tb(vcpu) >> 32);
		break;
	default:
		return EMULATE_FAIL;
	}
	(void)noaccess;
	return EMULATE_DONE;
}

static enum emulation_result generic_mtspr(struct skvm_vcpu *vcpu, unsigned sprn, uint32_t val,
					   bool *noaccess)
{
	switch (sprn) {
	case SPRN_SRR0:
		vcpu->srr0 = val;
		break;
	case SPRN_SRR1:
		vcpu->srr1 = val;
		break;
	case SPRN_SPRG0:
	case SPRN_SPRG0 + 1:
	case SPRN_SPRG0 + 2:
	case SPRN_SPRG0 + 3:
		vcpu->sprg[sprn - SPRN_SPRG0] = val;
		break;
	case SPRN_PVR:
	case SPRN_TBRL:
	case SPRN_TBRU:
		*noaccess = true; /* read-only */
		return EMULATE_FAIL;
	default:
		return EMULATE_FAIL;
	}
	return EMULATE_DONE;
}

/* mfspr, mtspr, mftb. */
static enum emulation_result emulate_spr(struct skvm_vcpu *vcpu, struct cpu_trap *t)
{
	uint32_t w = t->insn, val = 0;
	unsigned xo = insn_xo(w), sprn = insn_sprn(w), rt = insn_rt(w);
	bool user = (vcpu->msr & PPC_MSR_PR) != 0, noaccess = false;
	enum emulation_result er;

	if (xo == XO_MFTB) {
		/* the 440 has the user-mode timebase numbers only */
		if (sprn != SPRN_TBRL && sprn != SPRN_TBRU)
			return kvmppc_program_interrupt(vcpu, t->pc, CPU_ESR_PIL);
	} else if (user && (sprn & SPR_PRIV_BIT)) {
		return kvmppc_program_interrupt(vcpu, t->pc, CPU_ESR_PPR);
	}

	if (xo == XO_MTSPR) {
		val = vcpu->cpu.gpr[rt];
		er = ppc440_emulate_mtspr(vcpu, sprn, val, &noaccess);
		if (er == EMULATE_FAIL && !noaccess)
			er = booke_emulate_mtspr(vcpu, sprn, val, &noaccess);
		if (er == EMULATE_FAIL && !noaccess)
			er = generic_mtspr(vcpu, sprn, val, &noaccess);
	} else {
		er = ppc440_emulate_mfspr(vcpu, sprn, &val, &noaccess);
		if (er == EMULATE_FAIL && !noaccess)
			er = booke_emulate_mfspr(vcpu, sprn, &val, &noaccess);
		if (er == EMULATE_FAIL && !noaccess)
			er = generic_mfspr(vcpu, sprn, &val, &noaccess);
	}

	if (noaccess)
		return kvmppc_program_interrupt(vcpu, t->pc, CPU_ESR_PPR);
	if (er == EMULATE_FAIL) {
		/* No such SPR. QEMU: privileged numbers are no-ops in supervisor mode; a
		 * non-privileged one faults in user mode (and 0, 4-6 always). */
		bool bad = user || sprn == 0 ||
			   (xo != XO_MTSPR && (sprn == 4 || sprn == 5 || sprn == 6));
		if (!(sprn & SPR_PRIV_BIT) && bad)
			return kvmppc_program_interrupt(vcpu, t->pc, CPU_ESR_PIL);
		vcpu->cpu.pc = t->pc + 4;
		return EMULATE_DONE;
	}
	if (er == EMULATE_EXIT_USER)
		vcpu->cpu.pc = t->pc + 4; /* the write took effect (DBCR0[RST]) */
	if (er != EMULATE_DONE)
		return er; /* the layer set up an exit or delivered an interrupt */
	if (xo != XO_MTSPR)
		vcpu->cpu.gpr[rt] = val;
	vcpu->cpu.pc = t->pc + 4;
	return EMULATE_DONE;
}

enum emulation_result kvmppc_emulate_instruction(struct skvm_vcpu *vcpu, struct cpu_trap *t)
{
	uint32_t w = t->insn;
	enum emulation_result er;

	if (insn_primary(w) == 31) {
		unsigned xo = insn_xo(w);
		if (xo == XO_MFSPR || xo == XO_MTSPR || xo == XO_MFTB)
			return emulate_spr(vcpu, t);
	}
	/* everything else that traps as privileged is privileged in user mode */
	if (vcpu->msr & PPC_MSR_PR)
		return kvmppc_program_interrupt(vcpu, t->pc, CPU_ESR_PPR);

	er = ppc440_emulate_op(vcpu, t);
	if (er == EMULATE_FAIL)
		er = booke_emulate_op(vcpu, t);
	return er;
}
