// SPDX-License-Identifier: MIT
/* SPR moves: mfspr, mtspr and mftb, and what every SPR number names.
 *
 * An SPR goes down the layers until one knows it, as KVM's emulation does: the 440's own
 * (ppc440_*), Book E's (booke_*), then those every PowerPC has (generic_*). A layer answers
 * EMULATE_FAIL for an SPR it does not know, and sets *noaccess (with EMULATE_FAIL) for one
 * it knows that cannot be moved that way (writing PVR, reading DECAR). The layers are
 * inline, so that each SPR move's handler looks its SPR up without a call.
 *
 * SPR moves are privileged by SPR number (Book E: bit 0x10 of the number). An SPR no layer
 * knows is treated as QEMU's 440 does: a no-op for a privileged number in supervisor mode,
 * the privileged-instruction program interrupt in user mode, and the illegal-instruction
 * one for an unknown non-privileged number. An SPR that exists but cannot be accessed that
 * way is a privileged-instruction program interrupt, again as QEMU.
 */
#include "emulation.h"

/* mfspr/mtspr of an SPR with this bit in its number is privileged (Book E). */
#define SPR_PRIV_BIT 0x10

/* ---- the 440's own ---- */

static ALWAYS_INLINE enum emulation_result ppc440_mfspr(struct skvm_vcpu *vcpu, unsigned sprn,
							uint32_t *val, bool *noaccess)
{
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

static ALWAYS_INLINE enum emulation_result ppc440_mtspr(struct skvm_vcpu *vcpu, unsigned sprn,
							uint32_t val, bool *noaccess)
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

/* ---- Book E's ---- */

/* DBCR0[RST]: 01 core, 10 chip, 11 system reset. All of them end the run: the VMM
 * resets the machine (QEMU with -no-reboot exits). */
static enum emulation_result write_dbcr0(struct skvm_vcpu *vcpu, uint32_t val)
{
	vcpu->dbcr0 = val & ~DBCR0_RST;
	kvmppc_debug_update(vcpu); /* IDM and the compare enables */
	if (!(val & DBCR0_RST))
		return EMULATE_DONE;
	vcpu->dbsr = (vcpu->dbsr & ~0x30000000u) | (val & DBCR0_RST); /* DBSR[MRR] */
	kvm_system_event_exit(vcpu, SKVM_SYSTEM_EVENT_RESET);
	return EMULATE_EXIT_USER;
}

static ALWAYS_INLINE enum emulation_result booke_mfspr(struct skvm_vcpu *vcpu, unsigned sprn,
						       uint32_t *val, bool *noaccess)
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
		*val = kvmppc_get_dear(vcpu);
		break;
	case SPRN_ESR:
		*val = kvmppc_get_esr(vcpu);
		break;
	case SPRN_IVPR:
		*val = vcpu->ivpr;
		break;
	case SPRN_USPRG0:
		*val = vcpu->usprg0;
		break;
	case SPRN_SPRG4R ... SPRN_SPRG7R:
		*val = kvmppc_get_sprg(vcpu, 4 + sprn - SPRN_SPRG4R);
		break;
	case SPRN_SPRG0 + 4 ... SPRN_SPRG7:
		*val = kvmppc_get_sprg(vcpu, sprn - SPRN_SPRG0);
		break;
	case SPRN_PIR:
		*val = kvmppc_get_pir(vcpu);
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

static ALWAYS_INLINE enum emulation_result booke_mtspr(struct skvm_vcpu *vcpu, unsigned sprn,
						       uint32_t val, bool *noaccess)
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
		kvmppc_set_context(vcpu, kvmppc_get_msr(vcpu), vcpu->pid);
		break;
	case SPRN_CSRR0:
		vcpu->csrr0 = val;
		break;
	case SPRN_CSRR1:
		vcpu->csrr1 = val;
		break;
	case SPRN_DEAR:
		kvmppc_set_dear(vcpu, val);
		break;
	case SPRN_ESR:
		kvmppc_set_esr(vcpu, val);
		break;
	case SPRN_IVPR:
		vcpu->ivpr = val & 0xffff0000u;
		break;
	case SPRN_USPRG0:
		vcpu->usprg0 = val;
		break;
	case SPRN_SPRG0 + 4 ... SPRN_SPRG7:
		kvmppc_set_sprg(vcpu, sprn - SPRN_SPRG0, val);
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
		kvmppc_debug_update(vcpu);
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
		kvmppc_debug_update(vcpu);
		break;
	case SPRN_DAC1:
	case SPRN_DAC2:
		vcpu->dac[sprn - SPRN_DAC1] = val;
		kvmppc_debug_update(vcpu);
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

/* ---- every PowerPC's ---- */

static ALWAYS_INLINE enum emulation_result generic_mfspr(struct skvm_vcpu *vcpu, unsigned sprn,
							 uint32_t *val, bool *noaccess)
{
	switch (sprn) {
	case SPRN_SRR0:
		*val = kvmppc_get_srr0(vcpu);
		break;
	case SPRN_SRR1:
		*val = kvmppc_get_srr1(vcpu);
		break;
	case SPRN_SPRG0 ... SPRN_SPRG0 + 3:
		*val = kvmppc_get_sprg(vcpu, sprn - SPRN_SPRG0);
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
	return EMULATE_DONE;
}

static ALWAYS_INLINE enum emulation_result generic_mtspr(struct skvm_vcpu *vcpu, unsigned sprn,
							 uint32_t val, bool *noaccess)
{
	switch (sprn) {
	case SPRN_SRR0:
		kvmppc_set_srr0(vcpu, val);
		break;
	case SPRN_SRR1:
		kvmppc_set_srr1(vcpu, val);
		break;
	case SPRN_SPRG0 ... SPRN_SPRG0 + 3:
		kvmppc_set_sprg(vcpu, sprn - SPRN_SPRG0, val);
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

/* ---- the instructions ---- */

/* After the layers: an SPR that cannot be moved that way, or that none knows. */
static enum emulation_result spr_unknown(struct skvm_vcpu *vcpu, unsigned sprn, bool mt,
					 bool noaccess)
{
	bool user = (kvmppc_get_msr(vcpu) & PPC_MSR_PR) != 0;

	if (noaccess)
		return kvmppc_program_interrupt(vcpu, CPU_ESR_PPR);
	/* QEMU: privileged numbers are no-ops in supervisor mode; a non-privileged one
	 * faults in user mode (and 0, 4-6 always, except mtspr of 4-6). */
	if (!(sprn & SPR_PRIV_BIT) &&
	    (user || sprn == 0 || (!mt && (sprn == 4 || sprn == 5 || sprn == 6))))
		return kvmppc_program_interrupt(vcpu, CPU_ESR_PIL);
	return EMULATE_DONE;
}

static ALWAYS_INLINE enum emulation_result read_spr(struct skvm_vcpu *vcpu,
						    const struct cpu_dinsn *d, unsigned sprn)
{
	bool noaccess = false;
	uint32_t val = 0;
	enum emulation_result er;

	er = ppc440_mfspr(vcpu, sprn, &val, &noaccess);
	if (er == EMULATE_FAIL && !noaccess)
		er = booke_mfspr(vcpu, sprn, &val, &noaccess);
	if (er == EMULATE_FAIL && !noaccess)
		er = generic_mfspr(vcpu, sprn, &val, &noaccess);
	if (likely(er == EMULATE_DONE))
		vcpu->cpu.gpr[d->rt] = val;
	else if (er == EMULATE_FAIL)
		er = spr_unknown(vcpu, sprn, false, noaccess);
	return er;
}

/* In user mode, a privileged SPR number is the privileged-operation program interrupt. */
static ALWAYS_INLINE bool spr_denied(struct skvm_vcpu *vcpu, unsigned sprn)
{
	return (sprn & SPR_PRIV_BIT) && (kvmppc_get_msr(vcpu) & PPC_MSR_PR);
}

static ALWAYS_INLINE enum emulation_result emulate_mfspr(struct skvm_vcpu *vcpu,
							 const struct cpu_dinsn *d, bool *advance)
{
	if (spr_denied(vcpu, (unsigned)d->imm))
		return kvmppc_program_interrupt(vcpu, CPU_ESR_PPR);
	return read_spr(vcpu, d, (unsigned)d->imm);
}

/* mftb: the 440 has the user-mode timebase numbers only. */
static ALWAYS_INLINE enum emulation_result emulate_mftb(struct skvm_vcpu *vcpu,
							const struct cpu_dinsn *d, bool *advance)
{
	if (d->imm != SPRN_TBRL && d->imm != SPRN_TBRU)
		return EMULATE_FAIL;
	return read_spr(vcpu, d, (unsigned)d->imm);
}

static ALWAYS_INLINE enum emulation_result write_spr(struct skvm_vcpu *vcpu,
						     const struct cpu_dinsn *d, unsigned sprn)
{
	uint32_t val = vcpu->cpu.gpr[d->rt];
	bool noaccess = false;
	enum emulation_result er;

	er = ppc440_mtspr(vcpu, sprn, val, &noaccess);
	if (er == EMULATE_FAIL && !noaccess)
		er = booke_mtspr(vcpu, sprn, val, &noaccess);
	if (er == EMULATE_FAIL && !noaccess)
		er = generic_mtspr(vcpu, sprn, val, &noaccess);
	if (er == EMULATE_FAIL)
		er = spr_unknown(vcpu, sprn, true, noaccess);
	return er; /* EXIT_USER: the write took effect (DBCR0[RST]) */
}

static ALWAYS_INLINE enum emulation_result emulate_mtspr(struct skvm_vcpu *vcpu,
							 const struct cpu_dinsn *d, bool *advance)
{
	if (spr_denied(vcpu, (unsigned)d->imm))
		return kvmppc_program_interrupt(vcpu, CPU_ESR_PPR);
	return write_spr(vcpu, d, (unsigned)d->imm);
}

#define SPR_EMULATIONS(X)                                                                          \
	X(mfspr, emulate_mfspr, 0, MFSPR)                                                          \
	X(mtspr, emulate_mtspr, 0, MTSPR)                                                          \
	X(mftb, emulate_mftb, 0, MFTB)

SPR_EMULATIONS(KVM_EMULATION_HANDLER)

/* ---- handlers of their own for the SPRs a guest moves most ----
 * Linux's exception prologues and context switches move the SPRGs, SRRs, DEAR, ESR, PID and
 * MMUCR; the timebase and PVR are read in loops. Each of these moves gets the emulation
 * above with its SPR number known to the compiler, which folds the layers to the one
 * register access (and the privilege check to the instruction's flag); other SPRs share
 * emulate_mfspr's and emulate_mtspr's handlers. */
#define SPR_FLAGS(n) (((n)&SPR_PRIV_BIT) ? KVM_PRIVILEGED : 0)
/* the timebase read with mfspr counts as the mftb it is */
#define SPR_READ_TYPE(n)                                                                           \
	((n) == SPRN_TBRL || (n) == SPRN_TBRU ? SKVM_EXITS_EMULATED_MFTB                           \
					      : SKVM_EXITS_EMULATED_MFSPR)
#define HOT_SPRS(X)                                                                                \
	X(26)                                                                                      \
	X(27)                                                                                      \
	X(48) X(61) X(62) X(256) X(272) X(273) X(274) X(275) X(276) X(277) X(278) X(279) X(946)
#define HOT_SPRS_READ_ONLY(X) X(260) X(261) X(262) X(263) X(268) X(269) X(287)

#define SPR_HANDLERS(n)                                                                            \
	static ALWAYS_INLINE enum emulation_result emulate_mfspr_##n(                              \
	    struct skvm_vcpu *vcpu, const struct cpu_dinsn *d, bool *advance)                      \
	{                                                                                          \
		return read_spr(vcpu, d, n);                                                       \
	}                                                                                          \
	KVM_EMULATION_HANDLER_TYPED(emulate_mfspr_##n, SPR_FLAGS(n), SPR_READ_TYPE(n))
#define SPR_HANDLERS_RW(n)                                                                         \
	SPR_HANDLERS(n)                                                                            \
	static ALWAYS_INLINE enum emulation_result emulate_mtspr_##n(                              \
	    struct skvm_vcpu *vcpu, const struct cpu_dinsn *d, bool *advance)                      \
	{                                                                                          \
		return write_spr(vcpu, d, n);                                                      \
	}                                                                                          \
	KVM_EMULATION_HANDLER_TYPED(emulate_mtspr_##n, SPR_FLAGS(n), SKVM_EXITS_EMULATED_MTSPR)
HOT_SPRS(SPR_HANDLERS_RW)
HOT_SPRS_READ_ONLY(SPR_HANDLERS)

#define MFSPR_CASE(n)                                                                              \
	case n:                                                                                    \
		return emulate_mfspr_##n##_handler;
#define MTSPR_CASE(n)                                                                              \
	case n:                                                                                    \
		return emulate_mtspr_##n##_handler;

static cpu_handler mfspr_handler_for(const struct cpu_dinsn *d)
{
	switch (d->imm) {
		HOT_SPRS(MFSPR_CASE)
		HOT_SPRS_READ_ONLY(MFSPR_CASE)
	default:
		return NULL;
	}
}

static enum skvm_exit_type mfspr_type_for(const struct cpu_dinsn *d)
{
	return SPR_READ_TYPE(d->imm);
}

static cpu_handler mtspr_handler_for(const struct cpu_dinsn *d)
{
	switch (d->imm) {
		HOT_SPRS(MTSPR_CASE)
	default:
		return NULL;
	}
}

const struct kvm_emulation spr_emulations[] = {
    {CPU_OP_mfspr, emulate_mfspr, emulate_mfspr_handler, 0, SKVM_EXITS_EMULATED_MFSPR,
     mfspr_handler_for, mfspr_type_for},
    {CPU_OP_mtspr, emulate_mtspr, emulate_mtspr_handler, 0, SKVM_EXITS_EMULATED_MTSPR,
     mtspr_handler_for, NULL},
    {CPU_OP_mftb, emulate_mftb, emulate_mftb_handler, 0, SKVM_EXITS_EMULATED_MFTB, NULL, NULL},
    KVM_EMULATIONS_END};
