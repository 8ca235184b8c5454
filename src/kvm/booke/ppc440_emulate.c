// SPDX-License-Identifier: MIT
/* The 440 layer of the emulator: TLB management, device control registers and cache
 * instructions (the seeds' 44x_emulate.c). Its SPRs are spr.c's.
 *
 * DCRs belong to devices in the VMM (the UIC first of all): every mfdcr/mtdcr becomes a
 * SKVM_EXIT_DCR (dcr_exit, the one place that builds it), and a read completes at the
 * next run (mmio.c). Caches are not
 * modelled (the core keeps decoded code coherent by itself), so the cache instructions
 * only keep their visible effects.
 */
#include "emulation.h"

/* tlbwe, tlbre: the entry from RA, the word from WS (the RB field); WS > 2 is invalid. */
static ALWAYS_INLINE enum emulation_result emulate_tlbwe(struct skvm_vcpu *vcpu,
							 const struct cpu_dinsn *d, bool *advance)
{
	struct cpu *c = &vcpu->cpu;

	if (d->rb > 2)
		return EMULATE_FAIL;
	ppc440_tlbwe(vcpu, c->gpr[d->ra] & (PPC440_TLB_ENTRIES - 1), d->rb, c->gpr[d->rt]);
	return EMULATE_DONE;
}

static ALWAYS_INLINE enum emulation_result emulate_tlbre(struct skvm_vcpu *vcpu,
							 const struct cpu_dinsn *d, bool *advance)
{
	struct cpu *c = &vcpu->cpu;

	if (d->rb > 2)
		return EMULATE_FAIL;
	c->gpr[d->rt] = ppc440_tlbre(vcpu, c->gpr[d->ra] & (PPC440_TLB_ENTRIES - 1), d->rb);
	return EMULATE_DONE;
}

/* tlbsx[.]: RT = the entry translating (RA|0) + RB, -1 when none (as QEMU). */
static ALWAYS_INLINE enum emulation_result emulate_tlbsx(struct skvm_vcpu *vcpu,
							 const struct cpu_dinsn *d, bool *advance)
{
	struct cpu *c = &vcpu->cpu;
	int idx = ppc440_tlbsx(vcpu, c->gpr[d->ra] + c->gpr[d->rb]);

	c->gpr[d->rt] = (uint32_t)idx;
	if ((d->flags & CPU_D_RC))
		cpu_set_crf(c, 0, c->xer_so | (idx >= 0 ? CR_EQ : 0));
	return EMULATE_DONE;
}

/* tlbsync, and the cache instructions with no visible effect. */
static ALWAYS_INLINE enum emulation_result emulate_nop(struct skvm_vcpu *vcpu,
						       const struct cpu_dinsn *d, bool *advance)
{
	return EMULATE_DONE;
}

/* dcread: the cache debug registers are not modelled; QEMU leaves the EA in RT. */
static ALWAYS_INLINE enum emulation_result emulate_dcread(struct skvm_vcpu *vcpu,
							  const struct cpu_dinsn *d, bool *advance)
{
	struct cpu *c = &vcpu->cpu;

	c->gpr[d->rt] = c->gpr[d->ra] + c->gpr[d->rb];
	return EMULATE_DONE;
}

/* The DCR exit of mfdcr/mfdcrx (the value goes to RT at the next run) or mtdcr/mtdcrx
 * (val): the instruction completes at the next run (kvm_complete_io), or takes the
 * illegal-instruction program interrupt if no device answered. */
static enum emulation_result dcr_exit(struct skvm_vcpu *vcpu, uint32_t dcrn, bool write,
				      uint32_t val, unsigned rt)
{
	struct skvm_run *run = &vcpu->run;

	kvm_set_exit_type(vcpu, SKVM_EXITS_DCR);
	run->exit_reason = SKVM_EXIT_DCR;
	run->dcr.dcrn = dcrn;
	run->dcr.is_write = write;
	run->dcr.data = write ? val : 0;
	run->dcr.status = SKVM_DCR_OK;
	vcpu->io = (struct cpu_mem_op){.size = 4, .rt = (uint8_t)rt};
	vcpu->io_pending = write ? KVM_IO_DCR_WRITE : KVM_IO_DCR_READ;
	return EMULATE_DO_DCR;
}

/* mfdcr/mtdcr name the DCR in the instruction, mfdcrx/mtdcrx in RA. */
static ALWAYS_INLINE enum emulation_result emulate_mfdcr(struct skvm_vcpu *vcpu,
							 const struct cpu_dinsn *d, bool *advance)
{
	return dcr_exit(vcpu, (uint32_t)d->imm, false, 0, d->rt);
}

static ALWAYS_INLINE enum emulation_result emulate_mtdcr(struct skvm_vcpu *vcpu,
							 const struct cpu_dinsn *d, bool *advance)
{
	return dcr_exit(vcpu, (uint32_t)d->imm, true, vcpu->cpu.gpr[d->rt], d->rt);
}

static ALWAYS_INLINE enum emulation_result emulate_mfdcrx(struct skvm_vcpu *vcpu,
							  const struct cpu_dinsn *d, bool *advance)
{
	return dcr_exit(vcpu, vcpu->cpu.gpr[d->ra], false, 0, d->rt);
}

static ALWAYS_INLINE enum emulation_result emulate_mtdcrx(struct skvm_vcpu *vcpu,
							  const struct cpu_dinsn *d, bool *advance)
{
	struct cpu *c = &vcpu->cpu;

	return dcr_exit(vcpu, c->gpr[d->ra], true, c->gpr[d->rt], d->rt);
}

#define PPC440_EMULATIONS(X)                                                                       \
	X(tlbwe, emulate_tlbwe, KVM_PRIVILEGED, TLBWE)                                             \
	X(tlbre, emulate_tlbre, KVM_PRIVILEGED, INST)                                              \
	X(tlbsx, emulate_tlbsx, KVM_PRIVILEGED, TLBSX)                                             \
	X(tlbsync, emulate_nop, KVM_PRIVILEGED, INST)                                              \
	X(mfdcr, emulate_mfdcr, KVM_PRIVILEGED, INST)                                              \
	X(mtdcr, emulate_mtdcr, KVM_PRIVILEGED, INST)                                              \
	X(mfdcrx, emulate_mfdcrx, KVM_PRIVILEGED, INST)                                            \
	X(mtdcrx, emulate_mtdcrx, KVM_PRIVILEGED, INST)                                            \
	X(dcread, emulate_dcread, KVM_PRIVILEGED, INST)

/* the instructions emulate_nop also stands for (one handler serves them all) */
#define PPC440_NOPS(X)                                                                             \
	X(iccci, emulate_nop, KVM_PRIVILEGED, INST)                                                \
	X(dccci, emulate_nop, KVM_PRIVILEGED, INST)                                                \
	X(dcbi, emulate_nop, KVM_PRIVILEGED, INST)                                                 \
	X(icread, emulate_nop, KVM_PRIVILEGED, INST)

PPC440_EMULATIONS(KVM_EMULATION_HANDLER)

const struct kvm_emulation ppc440_emulations[] = {
    PPC440_EMULATIONS(KVM_EMULATION_ENTRY) PPC440_NOPS(KVM_EMULATION_ENTRY) KVM_EMULATIONS_END};
