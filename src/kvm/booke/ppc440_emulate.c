/* The 440 layer of the emulator: TLB management, device control registers, cache
 * instructions and the 440's own SPRs (the seeds' 44x_emulate.c).
 *
 * DCRs belong to devices in the VMM (the UIC first of all): every mfdcr/mtdcr becomes a
 * SKVM_EXIT_DCR, and a read completes at the next run. Caches are not modelled (the core
 * keeps decoded code coherent by itself), so the cache instructions only keep their
 * visible effects.
 */
#include "booke.h"
#include "cpu/exec.h"

/* Start a DCR exit; the instruction completes at the next run (kvm_complete_io). */
static enum emulation_result dcr_exit(struct skvm_vcpu *vcpu, const struct cpu_trap *t,
				      uint32_t dcrn, bool write, uint32_t val, unsigned rt)
{
	struct skvm_run *run = &vcpu->run;

	run->exit_reason = SKVM_EXIT_DCR;
	run->dcr.dcrn = dcrn;
	run->dcr.is_write = write;
	run->dcr.data = write ? val : 0;
	run->dcr.status = SKVM_DCR_OK;
	/* completed at the next run: a read's value, or an unclaimed DCR's program interrupt */
	vcpu->io = (struct cpu_mem_op){.size = 4, .rt = (uint8_t)rt};
	vcpu->io_pending = write ? KVM_IO_DCR_WRITE : KVM_IO_DCR_READ;
	vcpu->cpu.pc = t->pc + 4;
	return EMULATE_DO_DCR;
}

enum emulation_result ppc440_emulate_op(struct skvm_vcpu *vcpu, struct cpu_trap *t)
{
	struct cpu *c = &vcpu->cpu;
	uint32_t w = t->insn;
	unsigned rt = insn_rt(w), ra = insn_ra(w), rb = insn_rb(w);
	uint32_t ea;
	int idx;

	if (insn_primary(w) != 31)
		return EMULATE_FAIL;

	switch (insn_xo(w)) {
	case XO_TLBWE:
		if (rb > 2) /* WS */
			return kvmppc_program_interrupt(vcpu, t->pc, CPU_ESR_PIL);
		ppc440_tlbwe(vcpu, c->gpr[ra] & (PPC440_TLB_ENTRIES - 1), rb, c->gpr[rt]);
		break;
	case XO_TLBRE:
		if (rb > 2)
			return kvmppc_program_interrupt(vcpu, t->pc, CPU_ESR_PIL);
		c->gpr[rt] = ppc440_tlbre(vcpu, c->gpr[ra] & (PPC440_TLB_ENTRIES - 1), rb);
		break;
	case XO_TLBSX:
		ea = (ra ? c->gpr[ra] : 0) + c->gpr[rb];
		idx = ppc440_tlbsx(vcpu, ea);
		c->gpr[rt] = (uint32_t)idx; /* -1 when not found, as QEMU */
		if (w & 1) /* tlbsx. */
			cpu_set_crf(c, 0, c->xer_so | (idx >= 0 ? CR_EQ : 0));
		break;
	case XO_TLBSYNC:
		break;
	case XO_MFDCR:
		return dcr_exit(vcpu, t, insn_sprn(w), false, 0, rt);
	case XO_MTDCR:
		return dcr_exit(vcpu, t, insn_sprn(w), true, c->gpr[rt], rt);
	case XO_MFDCRX:
		return dcr_exit(vcpu, t, c->gpr[ra], false, 0, rt);
	case XO_MTDCRX:
		return dcr_exit(vcpu, t, c->gpr[ra], true, c->gpr[rt], rt);
	case XO_ICCCI:
	case XO_DCCCI:
	case XO_DCBI:
	case XO_ICREAD:
		break;
	case XO_DCREAD:
		/* the cache debug registers are not modelled; QEMU leaves the EA in RT */
		c->gpr[rt] = (ra ? c->gpr[ra] : 0) + c->gpr[rb];
		break;
	default:
		return EMULATE_FAIL;
	}
	c->pc = t->pc + 4;
	return EMULATE_DONE;
}

enum emulation_result ppc440_emulate_mfspr(struct skvm_vcpu *vcpu, unsigned sprn, uint32_t *val,
					   bool *noaccess)
{
	(void)noaccess;
	switch (sprn) {
	case SPRN_MMUCR:
		*val = vcpu->mmucr;
		break;
	case SPRN_CCR0:
		*val = vcpu->ccr0;
		break;
	case SPRN_CCR1:
		*val = vcpu->ccr1;
		break;
	case SPRN_RSTCFG:
		*val = vcpu->rstcfg;
		break;
	case SPRN_INV0 ... SPRN_INV0 + 3:
		*val = vcpu->inv[sprn - SPRN_INV0];
		break;
	case SPRN_INV0 + 4 ... SPRN_ITV3:
		*val = vcpu->itv[sprn - SPRN_INV0 - 4];
		break;
	case SPRN_DNV0 ... SPRN_DNV0 + 3:
		*val = vcpu->dnv[sprn - SPRN_DNV0];
		break;
	case SPRN_DNV0 + 4 ... SPRN_DTV3:
		*val = vcpu->dtv[sprn - SPRN_DNV0 - 4];
		break;
	case SPRN_IVLIM:
		*val = vcpu->ivlim;
		break;
	case SPRN_DVLIM:
		*val = vcpu->dvlim;
		break;
	case SPRN_DCDBTRL:
	case SPRN_DCDBTRH:
	case SPRN_ICDBTRL:
	case SPRN_ICDBTRH:
	case SPRN_ICDBDR:
	case SPRN_DBDR:
		*val = 0; /* cache and debug data: nothing to show */
		break;
	default:
		return EMULATE_FAIL;
	}
	return EMULATE_DONE;
}

enum emulation_result ppc440_emulate_mtspr(struct skvm_vcpu *vcpu, unsigned sprn, uint32_t val,
					   bool *noaccess)
{
	switch (sprn) {
	case SPRN_MMUCR:
		vcpu->mmucr = val;
		break;
	case SPRN_CCR0:
		vcpu->ccr0 = val;
		break;
	case SPRN_CCR1:
		vcpu->ccr1 = val;
		break;
	case SPRN_INV0 ... SPRN_INV0 + 3:
		vcpu->inv[sprn - SPRN_INV0] = val;
		break;
	case SPRN_INV0 + 4 ... SPRN_ITV3:
		vcpu->itv[sprn - SPRN_INV0 - 4] = val;
		break;
	case SPRN_DNV0 ... SPRN_DNV0 + 3:
		vcpu->dnv[sprn - SPRN_DNV0] = val;
		break;
	case SPRN_DNV0 + 4 ... SPRN_DTV3:
		vcpu->dtv[sprn - SPRN_DNV0 - 4] = val;
		break;
	case SPRN_IVLIM:
		vcpu->ivlim = val;
		break;
	case SPRN_DVLIM:
		vcpu->dvlim = val;
		break;
	case SPRN_DBDR:
		break; /* debug data register: not modelled */
	case SPRN_RSTCFG:
	case SPRN_DCDBTRL:
	case SPRN_DCDBTRH:
	case SPRN_ICDBTRL:
	case SPRN_ICDBTRH:
	case SPRN_ICDBDR:
		*noaccess = true; /* read-only */
		return EMULATE_FAIL;
	default:
		return EMULATE_FAIL;
	}
	return EMULATE_DONE;
}
