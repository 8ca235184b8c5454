// SPDX-License-Identifier: MIT
/* The privileged instructions of a PR guest, emulated once each (book3s_emulate.c in the
 * seeds). The guest kernel runs in problem state, so every one of them traps here; the
 * guest's own MSR[PR] then says whether it was the kernel (emulate it) or a user program
 * (the privileged-instruction program interrupt, as the hardware would give). */
#include "kvm/book3s/pr_vcpu.h"
#include "kvm/paravirt.h"

/* SPR numbers (Book III-S 4.3.x; Linux's asm/reg.h names) */
enum {
	SPRN_DSCR_U = 3, SPRN_AMR_U = 13, SPRN_DSCR = 17, SPRN_DSISR = 18, SPRN_DAR = 19,
	SPRN_DEC = 22, SPRN_SDR1 = 25, SPRN_SRR0 = 26, SPRN_SRR1 = 27, SPRN_CFAR = 28,
	SPRN_AMR = 29, SPRN_IAMR = 61, SPRN_CTRLF = 136, SPRN_CTRLT = 152, SPRN_FSCR = 153,
	SPRN_UAMOR = 157, SPRN_CIABR = 187, SPRN_VRSAVE = 256, SPRN_SPRG3_U = 259,
	SPRN_TBRL = 268, SPRN_TBRU = 269, SPRN_SPRG0 = 272, SPRN_SPRG3 = 275, SPRN_TBWL = 284,
	SPRN_TBWU = 285, SPRN_PVR = 287, SPRN_SPURR = 308, SPRN_PURR = 309, SPRN_HIOR = 311,
	SPRN_LPCR = 318, SPRN_TAR = 815, SPRN_PPR = 896, SPRN_PPR32 = 898, SPRN_HID0 = 1008,
	SPRN_HID1 = 1009, SPRN_HID4 = 1012, SPRN_DABR = 1013, SPRN_HID5 = 1014,
	SPRN_DABRX = 1015, SPRN_PIR = 1023,
};

/* An SPR whose number has the 0x10 bit is privileged (Book III-S 4.4.4, mtspr/mfspr). */
static bool spr_privileged(unsigned spr)
{
	return (spr & 0x10) != 0;
}

static uint64_t *hid_of(struct book3s_pr_vcpu *v, unsigned spr)
{
	switch (spr) {
	case SPRN_HID0: return &v->hid[0];
	case SPRN_HID1: return &v->hid[1];
	case SPRN_HID4: return &v->hid[2];
	case SPRN_HID5: return &v->hid[3];
	default: return NULL;
	}
}

/* mfspr: true with *val, or false for an SPR the POWER8 does not have. */
static bool spr_read(struct book3s_pr_vcpu *v, unsigned spr, uint64_t *val)
{
	uint64_t *hid = hid_of(v, spr);

	if (hid) {
		*val = *hid;
		return true;
	}
	switch (spr) {
	case SPRN_DSCR_U: case SPRN_DSCR: *val = v->dscr; break;
	case SPRN_AMR_U: case SPRN_AMR: *val = v->amr; break;
	case SPRN_DSISR: *val = v->dsisr; break;
	case SPRN_DAR: *val = v->dar; break;
	case SPRN_DEC: *val = (uint64_t)(int64_t)(int32_t)pr_get_dec(v); break;
	case SPRN_SDR1: *val = v->sdr1; break;
	case SPRN_SRR0: *val = v->srr0; break;
	case SPRN_SRR1: *val = v->srr1; break;
	case SPRN_CFAR: *val = v->cfar; break;
	case SPRN_IAMR: *val = v->iamr; break;
	case SPRN_CTRLF: *val = v->ctrl; break;
	case SPRN_FSCR: *val = v->fscr; break;
	case SPRN_UAMOR: *val = v->uamor; break;
	case SPRN_CIABR: *val = v->ciabr; break;
	case SPRN_VRSAVE: *val = v->vrsave; break;
	case SPRN_SPRG3_U: *val = v->sprg[3]; break;
	case SPRN_SPRG0 ... SPRN_SPRG3: *val = v->sprg[spr - SPRN_SPRG0]; break;
	case SPRN_TBRL: case SPRN_SPURR: case SPRN_PURR: *val = pr_get_tb(v); break;
	case SPRN_TBRU: *val = pr_get_tb(v) >> 32; break;
	case SPRN_PVR: *val = v->pvr; break;
	case SPRN_HIOR: *val = 0; break;
	case SPRN_LPCR: *val = v->lpcr; break;
	case SPRN_TAR: *val = v->tar; break;
	case SPRN_PPR: *val = v->ppr; break;
	case SPRN_PPR32: *val = v->ppr >> 32; break;
	case SPRN_DABR: *val = v->dabr; break;
	case SPRN_DABRX: *val = v->dabrx; break;
	case SPRN_PIR: *val = v->pir; break;
	default: return false;
	}
	return true;
}

/* mtspr: false for an SPR the POWER8 does not have. Read-only ones and the hypervisor's
 * (PVR, PIR, TB, HIOR) ignore the write, as book3s_emulate.c does. */
static bool spr_write(struct book3s_pr_vcpu *v, unsigned spr, uint64_t val)
{
	uint64_t *hid = hid_of(v, spr);

	if (hid) {
		*hid = val;
		return true;
	}
	switch (spr) {
	case SPRN_DSCR_U: case SPRN_DSCR: v->dscr = val; break;
	case SPRN_AMR_U: case SPRN_AMR: v->amr = val; break;
	case SPRN_DSISR: v->dsisr = (uint32_t)val; break;
	case SPRN_DAR: v->dar = val; break;
	case SPRN_DEC: pr_set_dec(v, (uint32_t)val); break;
	case SPRN_SDR1: v->sdr1 = val; break; /* a PAPR guest's HPT is the VMM's (sregs) */
	case SPRN_SRR0: v->srr0 = val; break;
	case SPRN_SRR1: v->srr1 = val; break;
	case SPRN_CFAR: v->cfar = val; break;
	case SPRN_IAMR: v->iamr = val; break;
	case SPRN_CTRLT: v->ctrl = val & 1; break; /* RUN */
	case SPRN_FSCR: v->fscr = val; break;
	case SPRN_UAMOR: v->uamor = val; break;
	case SPRN_CIABR: v->ciabr = val; break;
	case SPRN_VRSAVE: v->vrsave = (uint32_t)val; break;
	case SPRN_SPRG0 ... SPRN_SPRG3: v->sprg[spr - SPRN_SPRG0] = val; break;
	case SPRN_TBWL: case SPRN_TBWU: case SPRN_PVR: case SPRN_HIOR: case SPRN_PIR: break;
	case SPRN_LPCR: v->lpcr = (v->lpcr & ~LPCR_ILE) | (val & LPCR_ILE); break;
	case SPRN_TAR: v->tar = val; break;
	case SPRN_PPR: v->ppr = val; break;
	case SPRN_PPR32: v->ppr = (v->ppr & 0xffffffffULL) | (val << 32); break;
	case SPRN_DABR: v->dabr = val; break;
	case SPRN_DABRX: v->dabrx = val; break;
	default: return false;
	}
	return true;
}

/* mtmsr/mtmsrd with L=0: PR set also sets EE, IR and DR (Book III-S 4.4.3). */
static uint64_t msr_from_rs(uint64_t msr)
{
	if (msr & MSR_PR)
		msr |= MSR_EE | MSR_IR | MSR_DR;
	return msr;
}

static enum cpu_resume move_spr(struct book3s_pr_vcpu *v, const struct cpu_trap *t, bool to)
{
	const struct cpu_dinsn *d = t->d;
	struct cpu *c = &v->cpu;
	unsigned spr = (unsigned)d->imm;
	bool user = v->msr & MSR_PR;
	uint64_t val;

	if (user && spr_privileged(spr)) {
		pr_program_interrupt(v, t->pc, SRR1_PROGPRIV);
		return CPU_RESUME_REFETCH;
	}
	if (to ? !spr_write(v, spr, c->gpr[d->rt]) : !spr_read(v, spr, &val)) {
		/* no such SPR: a no-op in supervisor state, illegal in problem state */
		if (user) {
			pr_program_interrupt(v, t->pc, SRR1_PROGILL);
			return CPU_RESUME_REFETCH;
		}
	} else if (!to) {
		c->gpr[d->rt] = val;
	}
	c->pc = t->pc + 4;
	return CPU_RESUME_NEXT;
}

enum cpu_resume pr_emulate(struct book3s_pr_vcpu *v, const struct cpu_trap *t)
{
	const struct cpu_dinsn *d = t->d;
	struct cpu *c = &v->cpu;
	uint64_t next = t->pc + 4, rs = c->gpr[d->rt & 31], rb = c->gpr[d->rb & 31];

	if (!(v->msr & MSR_SF))
		next &= 0xffffffffu;
	switch (d->op) {
	case CPU_OP_sc:
		/* sc 1 from the guest kernel is its hypervisor call (PAPR), sc with the magic r0
		 * its ePAPR one; any other sc is the guest's own system call (book3s_pr.c does
		 * the same) */
		if (((t->insn >> 5) & 0x7f) == 1 && v->papr_enabled && !(v->msr & MSR_PR))
			return pr_papr_hcall(v, next);
		if (!(v->msr & MSR_PR) && (uint32_t)c->gpr[0] == KVM_SC_MAGIC_R0)
			return pr_kvm_hcall(v, next);
		pr_inject(v, VEC_SYSCALL, next, 0);
		return CPU_RESUME_REFETCH;
	case CPU_OP_mfspr:
	case CPU_OP_mftb:
		return move_spr(v, t, false);
	case CPU_OP_mtspr:
		return move_spr(v, t, true);
	default:
		break;
	}
	if (v->msr & MSR_PR) {
		pr_program_interrupt(v, t->pc, SRR1_PROGPRIV);
		return CPU_RESUME_REFETCH;
	}
	c->pc = next;
	switch (d->op) {
	case CPU_OP_mfmsr:
		c->gpr[d->rt] = v->msr;
		return CPU_RESUME_NEXT;
	case CPU_OP_mtmsr: /* MSR 32:63 only */
		pr_set_msr(v, msr_from_rs((v->msr & ~0xffffffffULL) | (rs & 0xffffffffULL)));
		return CPU_RESUME_REFETCH;
	case CPU_OP_mtmsrd:
		if (t->insn & 0x10000) /* L=1: EE and RI alone */
			pr_set_msr(v, (v->msr & ~(MSR_EE | MSR_RI)) | (rs & (MSR_EE | MSR_RI)));
		else
			pr_set_msr(v, msr_from_rs(rs));
		return CPU_RESUME_REFETCH;
	case CPU_OP_rfid:
		c->pc = v->srr0 & ~3ULL;
		pr_set_msr(v, msr_from_rs(v->srr1));
		return CPU_RESUME_REFETCH;
	case CPU_OP_slbmte:
		/* an index beyond the SLB is undefined in the ISA: nothing happens */
		(void)book3s_slbmte(&v->slb, rs, rb, &v->inval);
		return CPU_RESUME_NEXT;
	case CPU_OP_slbie:
		book3s_slbie(&v->slb, rb, &v->inval);
		return CPU_RESUME_NEXT;
	case CPU_OP_slbia:
		book3s_slbia(&v->slb, &v->inval);
		return CPU_RESUME_NEXT;
	case CPU_OP_slbmfee:
		c->gpr[d->rt] = book3s_slbmfee(&v->slb, rb);
		return CPU_RESUME_NEXT;
	case CPU_OP_slbmfev:
		c->gpr[d->rt] = book3s_slbmfev(&v->slb, rb);
		return CPU_RESUME_NEXT;
	case CPU_OP_tlbie: /* every vcpu's translations */
		book3s_tlbie(&v->vm_inval, rb);
		pr_inval_sync(v);
		return CPU_RESUME_NEXT;
	case CPU_OP_tlbiel: /* this vcpu's */
		book3s_tlbiel(&v->inval, rb);
		return CPU_RESUME_NEXT;
	case CPU_OP_tlbsync:
		return CPU_RESUME_NEXT;
	default:
		c->pc = t->pc;
		pr_program_interrupt(v, t->pc, SRR1_PROGILL);
		return CPU_RESUME_REFETCH;
	}
}
