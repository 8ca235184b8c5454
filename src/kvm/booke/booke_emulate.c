/* The BookE layer of the emulator: MSR instructions, the returns from interrupt, and the
 * SPRs Book E defines (the seeds' booke_emulate.c). */
#include "booke.h"

enum emulation_result booke_emulate_op(struct skvm_vcpu *vcpu, struct cpu_trap *t)
{
	struct cpu *c = &vcpu->cpu;
	uint32_t w = t->insn;
	unsigned rt = insn_rt(w);

	if (insn_primary(w) == 19) {
		switch (insn_xo(w)) {
		case XO19_RFI:
			booke_return(vcpu, vcpu->srr0, vcpu->srr1);
			return EMULATE_DONE;
		case XO19_RFCI:
			booke_return(vcpu, vcpu->csrr0, vcpu->csrr1);
			return EMULATE_DONE;
		case XO19_RFMCI:
			booke_return(vcpu, vcpu->mcsrr0, vcpu->mcsrr1);
			return EMULATE_DONE;
		}
		return EMULATE_FAIL;
	}
	if (insn_primary(w) != 31)
		return EMULATE_FAIL;

	switch (insn_xo(w)) {
	case XO_MFMSR:
		c->gpr[rt] = vcpu->msr;
		break;
	case XO_MTMSR:
		kvmppc_set_msr(vcpu, c->gpr[rt] & PPC440_MSR_MASK);
		break;
	case XO_WRTEE:
		/* EE is not part of the translation context: no cpu_set_context */
		vcpu->msr = (vcpu->msr & ~PPC_MSR_EE) | (c->gpr[rt] & PPC_MSR_EE);
		break;
	case XO_WRTEEI:
		vcpu->msr = (vcpu->msr & ~PPC_MSR_EE) | (w & PPC_MSR_EE);
		break;
	default:
		return EMULATE_FAIL;
	}
	c->pc = t->pc + 4;
	return EMULATE_DONE;
}

/* DBCR0[RST]: 01 core, 10 chip, 11 system reset. All of them end the run: the VMM
 * resets the machine (QEMU with -no-reboot exits). */
static enum emulation_result write_dbcr0(struct skvm_vcpu *vcpu, uint32_t val)
{
	vcpu->dbcr0 = val & ~DBCR0_RST;
	if (!(val & DBCR0_RST))
		return EMULATE_DONE;
	vcpu->dbsr = (vcpu->dbsr & ~0x30000000u) | (val & DBCR0_RST); /* DBSR[MRR] */
	vcpu->run.exit_reason = SKVM_EXIT_SYSTEM_EVENT;
	vcpu->run.system_event.type = SKVM_SYSTEM_EVENT_RESET;
	return EMULATE_EXIT_USER;
}

enum emulation_result booke_emulate_mfspr(struct skvm_vcpu *vcpu, unsigned sprn, uint32_t *val,
					  bool *noaccess)
{
	switch (sprn) {
	case SPRN_DEC:
		*val = kvmppc_get_dec(vcpu);
		break;
	case SPRN_PID:
		*val = vcpu->pid;
		break;
	case SPRN_CSRR0:
		*val = vcpu->csrr0;
		break;
	case SPRN_CSRR1:
		*val = vcpu->csrr1;
		break;
	case SPRN_DEAR:
		*val = vcpu->dear;
		break;
	case SPRN_ESR:
		*val = vcpu->esr;
		break;
	case SPRN_IVPR:
		*val = vcpu->ivpr;
		break;
	case SPRN_USPRG0:
		*val = vcpu->usprg0;
		break;
	case SPRN_SPRG4R ... SPRN_SPRG7R:
		*val = vcpu->sprg[4 + sprn - SPRN_SPRG4R];
		break;
	case SPRN_SPRG0 + 4 ... SPRN_SPRG7:
		*val = vcpu->sprg[sprn - SPRN_SPRG0];
		break;
	case SPRN_PIR:
		*val = vcpu->pir;
		break;
	case SPRN_DBSR:
		*val = vcpu->dbsr;
		break;
	case SPRN_DBCR0:
		*val = vcpu->dbcr0;
		break;
	case SPRN_DBCR1:
		*val = vcpu->dbcr1;
		break;
	case SPRN_DBCR2:
		*val = vcpu->dbcr2;
		break;
	case SPRN_IAC1 ... SPRN_IAC4:
		*val = vcpu->iac[sprn - SPRN_IAC1];
		break;
	case SPRN_DAC1:
	case SPRN_DAC2:
		*val = vcpu->dac[sprn - SPRN_DAC1];
		break;
	case SPRN_DVC1:
	case SPRN_DVC2:
		*val = vcpu->dvc[sprn - SPRN_DVC1];
		break;
	case SPRN_TSR:
		*val = kvmppc_get_tsr(vcpu);
		break;
	case SPRN_TCR:
		*val = vcpu->timer.tcr;
		break;
	case SPRN_IVOR0 ... SPRN_IVOR15:
		*val = vcpu->ivor[sprn - SPRN_IVOR0];
		break;
	case SPRN_MCSRR0:
		*val = vcpu->mcsrr0;
		break;
	case SPRN_MCSRR1:
		*val = vcpu->mcsrr1;
		break;
	case SPRN_MCSR:
		*val = vcpu->mcsr;
		break;
	case SPRN_DECAR:
	case SPRN_TBWL:
	case SPRN_TBWU:
		*noaccess = true; /* write-only */
		return EMULATE_FAIL;
	default:
		return EMULATE_FAIL;
	}
	return EMULATE_DONE;
}

enum emulation_result booke_emulate_mtspr(struct skvm_vcpu *vcpu, unsigned sprn, uint32_t val,
					  bool *noaccess)
{
	uint64_t tb;

	switch (sprn) {
	case SPRN_DEC:
		kvmppc_set_dec(vcpu, val);
		break;
	case SPRN_DECAR:
		kvmppc_set_decar(vcpu, val);
		break;
	case SPRN_PID:
		/* the 440's PID is 8 bits; a new PID is a new translation context */
		vcpu->pid = val & 0xff;
		cpu_set_context(&vcpu->cpu, vcpu->msr, vcpu->pid);
		break;
	case SPRN_CSRR0:
		vcpu->csrr0 = val;
		break;
	case SPRN_CSRR1:
		vcpu->csrr1 = val;
		break;
	case SPRN_DEAR:
		vcpu->dear = val;
		break;
	case SPRN_ESR:
		vcpu->esr = val;
		break;
	case SPRN_IVPR:
		vcpu->ivpr = val & 0xffff0000u;
		break;
	case SPRN_USPRG0:
		vcpu->usprg0 = val;
		break;
	case SPRN_SPRG0 + 4 ... SPRN_SPRG7:
		vcpu->sprg[sprn - SPRN_SPRG0] = val;
		break;
	case SPRN_TBWL:
		tb = kvmppc_get_tb(vcpu);
		kvmppc_set_tb(vcpu, (tb & 0xffffffff00000000ull) | val);
		break;
	case SPRN_TBWU:
		tb = kvmppc_get_tb(vcpu);
		kvmppc_set_tb(vcpu, ((uint64_t)val << 32) | (uint32_t)tb);
		break;
	case SPRN_PIR:
		break; /* read-only on a 440; QEMU ignores the write too */
	case SPRN_DBSR:
		vcpu->dbsr &= ~val; /* write one to clear */
		break;
	case SPRN_DBCR0:
		return write_dbcr0(vcpu, val);
	case SPRN_DBCR1:
		vcpu->dbcr1 = val;
		break;
	case SPRN_DBCR2:
		vcpu->dbcr2 = val;
		break;
	case SPRN_IAC1 ... SPRN_IAC4:
		vcpu->iac[sprn - SPRN_IAC1] = val;
		break;
	case SPRN_DAC1:
	case SPRN_DAC2:
		vcpu->dac[sprn - SPRN_DAC1] = val;
		break;
	case SPRN_DVC1:
	case SPRN_DVC2:
		vcpu->dvc[sprn - SPRN_DVC1] = val;
		break;
	case SPRN_TSR:
		kvmppc_clear_tsr_bits(vcpu, val); /* write one to clear */
		break;
	case SPRN_TCR:
		kvmppc_emulate_tcr(vcpu, val);
		break;
	case SPRN_IVOR0 ... SPRN_IVOR15:
		vcpu->ivor[sprn - SPRN_IVOR0] = val & 0xfff0u;
		break;
	case SPRN_MCSRR0:
		vcpu->mcsrr0 = val;
		break;
	case SPRN_MCSRR1:
		vcpu->mcsrr1 = val;
		break;
	case SPRN_MCSR:
		vcpu->mcsr = val;
		break;
	case SPRN_SPRG4R ... SPRN_SPRG7R:
		*noaccess = true; /* the user-readable aliases are read-only */
		return EMULATE_FAIL;
	default:
		return EMULATE_FAIL;
	}
	return EMULATE_DONE;
}
