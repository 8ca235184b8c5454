// SPDX-License-Identifier: MIT
/* The privileged instructions of a PR guest, emulated once each (book3s_emulate.c in the
 * seeds). The guest kernel runs in problem state, so every one of them traps here; the
 * guest's own MSR[PR] then says whether it was the kernel (emulate it) or a user program
 * (the privileged-instruction program interrupt, as the hardware would give).
 *
 * One emulation per instruction, two ways to reach it (as the 440's, kvm/booke/emulation.h):
 * the list PR_EMULATIONS gives each instruction's emulation, an inline function, and from it
 * both the trap's dispatch (pr_emulate) and the handler the core runs in place of the trap,
 * chosen at decode time (pr_emulation_of; the SPRs moved most get handlers of their own,
 * with the SPR number known to the compiler). An emulation reads its operands from the
 * decoded instruction and says whether the guest goes on with the next instruction (PR_NEXT:
 * the PC is left to the caller), where it set c->pc (PR_JUMP: rfid, a new MSR), or, before
 * doing anything, which interrupt the instruction raises instead (PR_PRIV, PR_ILLEGAL: a
 * program interrupt; PR_FAC_*: the facility unavailable interrupt; the trap's to deliver).
 * sc, which may leave for the VMM, is the trap's alone.
 *
 * Facilities (Power ISA 2.07B Book III-S, Facility Status and Control Register): FSCR says
 * which of DSCR (SPR 3), the event-based branch facility (EBBHR, EBBRR, BESCR and its set
 * and reset views, rfebb) and TAR (mtspr/mfspr 815, bctar) problem state may use; in
 * privileged state they are always there. The PR hypervisor plays the hypervisor whose
 * HFSCR enables them all, so a user program with its FSCR bit on runs them as on a POWER8
 * (KVM PR gives a user program the facility unavailable interrupt for EBB and DSCR whatever
 * the guest's FSCR says, as its host cannot lend it the real PMU; Linux then sends SIGILL).
 * A disabled one is the facility unavailable interrupt (0xf60) with its cause in FSCR[IC],
 * as KVM PR's kvmppc_trigger_fac_interrupt gives it: SRR0 the instruction, SRR1 the MSR.
 * The branch history rolling buffer (clrbhrb, mfbhrbe) is for problem state only with
 * MMCR0[BHRBA], and the hypervisor keeps no performance monitor (KVM PR's MMCRs read 0):
 * there the cause is BHRB; in privileged state mfbhrbe reads every entry as empty (0, as
 * after clrbhrb), since no branch is ever recorded. */
#include "cpu/emulation.h"
#include "kvm/book3s/pr_vcpu.h"
#include "kvm/paravirt.h"

#define ALWAYS_INLINE inline __attribute__((always_inline))

enum pr_emul {
	PR_NEXT,
	PR_JUMP,
	PR_PRIV,
	PR_ILLEGAL,
	PR_FAC_DSCR, /* the facility unavailable interrupt, by cause (keep them last) */
	PR_FAC_BHRB,
	PR_FAC_EBB,
	PR_FAC_TAR,
};

/* FSCR[IC] of each facility unavailable cause; FSCR's enable bit of a facility is bit
 * 63 - IC (Linux's FSCR_*_LG) */
enum { FSCR_IC_DSCR = 2, FSCR_IC_BHRB = 4, FSCR_IC_EBB = 7, FSCR_IC_TAR = 8 };
#define FSCR_IC_SHIFT 56

static unsigned fac_cause(enum pr_emul r)
{
	switch (r) {
	case PR_FAC_DSCR: return FSCR_IC_DSCR;
	case PR_FAC_BHRB: return FSCR_IC_BHRB;
	case PR_FAC_EBB: return FSCR_IC_EBB;
	default: return FSCR_IC_TAR;
	}
}

/* PR_NEXT when problem state may use the facility of cause ic (enabled by FSCR, or the
 * guest in privileged state), else the facility unavailable interrupt fac. */
static ALWAYS_INLINE enum pr_emul facility(const struct book3s_pr_vcpu *v, unsigned ic,
					   enum pr_emul fac)
{
	return (v->msr & MSR_PR) && !((v->fscr >> ic) & 1) ? fac : PR_NEXT;
}

/* BESCR's global enable (bit 0): rfebb's S */
#define BESCR_GE (1ull << 63)

/* SPR numbers (Book III-S 4.3.x; Linux's asm/reg.h names) */
enum {
	SPRN_DSCR_U = 3, SPRN_AMR_U = 13, SPRN_DSCR = 17, SPRN_DSISR = 18, SPRN_DAR = 19,
	SPRN_DEC = 22, SPRN_SDR1 = 25, SPRN_SRR0 = 26, SPRN_SRR1 = 27, SPRN_CFAR = 28,
	SPRN_AMR = 29, SPRN_IAMR = 61, SPRN_CTRLF = 136, SPRN_CTRLT = 152, SPRN_FSCR = 153,
	SPRN_UAMOR = 157, SPRN_CIABR = 187, SPRN_VRSAVE = 256, SPRN_SPRG3_U = 259,
	SPRN_TBRL = 268, SPRN_TBRU = 269, SPRN_SPRG0 = 272, SPRN_SPRG3 = 275, SPRN_TBWL = 284,
	SPRN_TBWU = 285, SPRN_PVR = 287, SPRN_SPURR = 308, SPRN_PURR = 309, SPRN_HIOR = 311,
	SPRN_LPCR = 318, SPRN_BESCRS = 800, SPRN_BESCRSU = 801, SPRN_BESCRR = 802,
	SPRN_BESCRRU = 803, SPRN_EBBHR = 804, SPRN_EBBRR = 805, SPRN_BESCR = 806,
	SPRN_TAR = 815, SPRN_PPR = 896, SPRN_PPR32 = 898, SPRN_HID0 = 1008,
	SPRN_HID1 = 1009, SPRN_HID4 = 1012, SPRN_DABR = 1013, SPRN_HID5 = 1014,
	SPRN_DABRX = 1015, SPRN_PIR = 1023,
};

/* An SPR whose number has the 0x10 bit is privileged (Book III-S 4.4.4, mtspr/mfspr). */
static bool spr_privileged(unsigned spr)
{
	return (spr & 0x10) != 0;
}

/* The facility unavailable interrupt a problem-state move of spr takes instead, or
 * PR_NEXT. */
static ALWAYS_INLINE enum pr_emul spr_facility(const struct book3s_pr_vcpu *v, unsigned spr)
{
	switch (spr) {
	case SPRN_DSCR_U: return facility(v, FSCR_IC_DSCR, PR_FAC_DSCR);
	case SPRN_BESCRS ... SPRN_BESCR: return facility(v, FSCR_IC_EBB, PR_FAC_EBB);
	case SPRN_TAR: return facility(v, FSCR_IC_TAR, PR_FAC_TAR);
	default: return PR_NEXT;
	}
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
	/* a 32-bit SPR (POWER8 has no large decrementer): mfspr zero-extends it (Book III-S 4.4.4) */
	case SPRN_DEC: *val = pr_get_dec(v); break;
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
	/* BESCR through any of its views; the upper ones give its word 0 in RT's low word */
	case SPRN_BESCRS: case SPRN_BESCRR: case SPRN_BESCR: *val = v->bescr; break;
	case SPRN_BESCRSU: case SPRN_BESCRRU: *val = v->bescr >> 32; break;
	case SPRN_EBBHR: *val = v->ebbhr; break;
	case SPRN_EBBRR: *val = v->ebbrr; break;
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
	/* the set (S) and reset (R) views set or clear the bits RS has; the upper (U) ones
	 * do it to word 0 with RS's low word */
	case SPRN_BESCRS: v->bescr |= val; break;
	case SPRN_BESCRSU: v->bescr |= val << 32; break;
	case SPRN_BESCRR: v->bescr &= ~val; break;
	case SPRN_BESCRRU: v->bescr &= ~(val << 32); break;
	case SPRN_BESCR: v->bescr = val; break;
	case SPRN_EBBHR: v->ebbhr = val; break;
	case SPRN_EBBRR: v->ebbrr = val; break;
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

/* mfspr/mtspr (mftb): a privileged SPR in problem state is the privileged-instruction
 * interrupt, one of a facility FSCR disables the facility unavailable interrupt, an SPR the
 * hypervisor does not keep illegal in problem state; in supervisor state a write of one is
 * dropped and a read gives 0, as KVM PR's (emulate.c's spr_val starts at 0): the
 * performance monitor's among them (MMCR0, so its BHRBA, reads 0). */
static ALWAYS_INLINE enum pr_emul move_spr(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d,
					   unsigned spr, bool to)
{
	struct cpu *c = &v->cpu;
	bool user = v->msr & MSR_PR;
	enum pr_emul fac = spr_facility(v, spr);
	uint64_t val;

	if (user && spr_privileged(spr))
		return PR_PRIV;
	if (fac != PR_NEXT)
		return fac;
	if (to ? !spr_write(v, spr, c->gpr[d->rt]) : !spr_read(v, spr, &val)) {
		if (user)
			return PR_ILLEGAL; /* (a read or write of no SPR changes nothing) */
		val = 0;
	}
	if (!to)
		c->gpr[d->rt] = val;
	return PR_NEXT;
}

static ALWAYS_INLINE enum pr_emul emulate_mfspr(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	return move_spr(v, d, (unsigned)d->imm, false);
}

static ALWAYS_INLINE enum pr_emul emulate_mtspr(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	return move_spr(v, d, (unsigned)d->imm, true);
}

/* Timebase reads with mfspr count as the mftb they are. */
#define SPR_READ_KIND(spr) ((spr) == 268 || (spr) == 269 ? MFTB : MFSPR)
#define SKVM_EXITS_EMULATED_SPR_READ_KIND(spr)                                                     \
	((spr) == 268 || (spr) == 269 ? SKVM_EXITS_EMULATED_MFTB : SKVM_EXITS_EMULATED_MFSPR)

/* The supervisor-only ones (the caller checked MSR[PR]). RS and RB as d names them. */
#define RS (v->cpu.gpr[d->rt & 31])
#define RB (v->cpu.gpr[d->rb & 31])

/* The guest's PC after the instruction at pc, in its addressing mode. */
static ALWAYS_INLINE uint64_t next_pc(const struct book3s_pr_vcpu *v, uint64_t pc)
{
	return (v->msr & MSR_SF) ? pc + 4 : (uint32_t)(pc + 4);
}

/* A new MSR takes effect at the instruction after d (fetched in the new context). */
static ALWAYS_INLINE enum pr_emul new_msr(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d,
					  uint64_t msr)
{
	v->cpu.pc = next_pc(v, cpu_pc_of(&v->cpu, d));
	pr_set_msr(v, msr);
	return PR_JUMP;
}

static ALWAYS_INLINE enum pr_emul emulate_mfmsr(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	v->cpu.gpr[d->rt] = v->msr;
	return PR_NEXT;
}

static ALWAYS_INLINE enum pr_emul emulate_mtmsr(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	/* MSR 32:63 only */
	return new_msr(v, d, msr_from_rs((v->msr & ~0xffffffffULL) | (RS & 0xffffffffULL)));
}

static ALWAYS_INLINE enum pr_emul emulate_mtmsrd(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	if (d->insn & 0x10000) /* L=1: EE and RI alone */
		return new_msr(v, d, (v->msr & ~(MSR_EE | MSR_RI)) | (RS & (MSR_EE | MSR_RI)));
	return new_msr(v, d, msr_from_rs(RS));
}

static ALWAYS_INLINE enum pr_emul emulate_rfid(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	v->cpu.pc = v->srr0 & ~3ULL;
	pr_set_msr(v, msr_from_rs(v->srr1));
	return PR_JUMP;
}

static ALWAYS_INLINE enum pr_emul emulate_slbmte(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	/* an index beyond the SLB is undefined in the ISA: nothing happens */
	(void)book3s_slbmte(&v->slb, RS, RB, &v->inval);
	return PR_NEXT;
}

static ALWAYS_INLINE enum pr_emul emulate_slbie(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	book3s_slbie(&v->slb, RB, &v->inval);
	return PR_NEXT;
}

static ALWAYS_INLINE enum pr_emul emulate_slbia(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	book3s_slbia(&v->slb, &v->inval);
	return PR_NEXT;
}

static ALWAYS_INLINE enum pr_emul emulate_slbmfee(struct book3s_pr_vcpu *v,
						  const struct cpu_dinsn *d)
{
	v->cpu.gpr[d->rt] = book3s_slbmfee(&v->slb, RB);
	return PR_NEXT;
}

static ALWAYS_INLINE enum pr_emul emulate_slbmfev(struct book3s_pr_vcpu *v,
						  const struct cpu_dinsn *d)
{
	v->cpu.gpr[d->rt] = book3s_slbmfev(&v->slb, RB);
	return PR_NEXT;
}

/* slbfee. RT,RB: the entry of RB's EA, CR0[EQ] when there is one (and SO) */
static ALWAYS_INLINE enum pr_emul emulate_slbfee_rc(struct book3s_pr_vcpu *v,
						    const struct cpu_dinsn *d)
{
	uint64_t rt;
	bool found = book3s_slbfee(&v->slb, RB, &rt);

	v->cpu.gpr[d->rt] = rt;
	cpu_set_crf(&v->cpu, 0, (found ? CR_EQ : 0) | v->cpu.xer_so);
	return PR_NEXT;
}

/* mtsr SR,RS and mtsrin RS,RB: segment register SR (RB[32:35]) as SLB entry SR */
static ALWAYS_INLINE enum pr_emul emulate_mtsr(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	book3s_mtsrin(&v->slb, RS, (uint64_t)(d->ra & 0xf) << 28, &v->inval);
	return PR_NEXT;
}

static ALWAYS_INLINE enum pr_emul emulate_mtsrin(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	book3s_mtsrin(&v->slb, RS, RB, &v->inval);
	return PR_NEXT;
}

static ALWAYS_INLINE enum pr_emul emulate_tlbie(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	book3s_tlbie(&v->vm_inval, RB); /* every vcpu's translations ... */
	pr_inval_sync(v);		/* ... gone before it completes */
	return PR_NEXT;
}

static ALWAYS_INLINE enum pr_emul emulate_tlbiel(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	book3s_tlbiel(&v->inval, RB); /* this vcpu's */
	return PR_NEXT;
}

/* bctar(l), not privileged: a branch to TAR (the hypervisor's, as mfspr reads it) on BO and BI
 * as bc's, CTR decremented unless BO says not (unlike bcctr's, a valid form here). */
static ALWAYS_INLINE enum pr_emul emulate_bctar(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	struct cpu *c = &v->cpu;
	unsigned bo = d->rt, bi = d->ra;
	uint64_t next = next_pc(v, cpu_pc_of(c, d));
	bool ctr_ok = true, cond_ok = (bo & 0x10) || ((c->cr >> (31 - bi)) & 1) == ((bo >> 3) & 1);

	if (facility(v, FSCR_IC_TAR, PR_FAC_TAR) != PR_NEXT)
		return PR_FAC_TAR;
	if (!(bo & 0x04)) {
		c->ctr--;
		ctr_ok = ((v->msr & MSR_SF ? c->ctr : (uint32_t)c->ctr) != 0) ^ ((bo >> 1) & 1);
	}
	if (d->flags & CPU_D_LK)
		c->lr = next;
	c->pc = ctr_ok && cond_ok ? (v->msr & MSR_SF ? v->tar : (uint32_t)v->tar) & ~3ull : next;
	return PR_JUMP;
}

/* rfebb S: the return from an event-based branch handler (Book II, Event-Based Branch
 * Facility): BESCR[GE] = S, and on at EBBRR (its low 32 bits in 32-bit mode). */
static ALWAYS_INLINE enum pr_emul emulate_rfebb(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	if (facility(v, FSCR_IC_EBB, PR_FAC_EBB) != PR_NEXT)
		return PR_FAC_EBB;
	v->bescr = (v->bescr & ~BESCR_GE) | (d->rb & 1 ? BESCR_GE : 0);
	v->cpu.pc = (v->msr & MSR_SF ? v->ebbrr : (uint32_t)v->ebbrr) & ~3ull;
	return PR_JUMP;
}

/* clrbhrb and mfbhrbe RT,BHRBE: no branch is recorded (see the top), so every entry
 * reads 0, as the ISA gives an entry past the last one written; in problem state MMCR0[BHRBA]
 * (0: no performance monitor kept) makes them the facility unavailable interrupt. */
static ALWAYS_INLINE enum pr_emul emulate_clrbhrb(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	return v->msr & MSR_PR ? PR_FAC_BHRB : PR_NEXT;
}

static ALWAYS_INLINE enum pr_emul emulate_mfbhrbe(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	if (v->msr & MSR_PR)
		return PR_FAC_BHRB;
	v->cpu.gpr[d->rt] = 0;
	return PR_NEXT;
}

static ALWAYS_INLINE enum pr_emul emulate_nop(struct book3s_pr_vcpu *v, const struct cpu_dinsn *d)
{
	return PR_NEXT;
}

#undef RS
#undef RB

/* X(op, emulation, privileged, may raise: an interrupt it may make deliverable is taken
 * before the next instruction, kind: SKVM_EXITS_EMULATED_<kind>, the exit's for --stats) */
#define PR_EMULATIONS(X)                                                                           \
	X(mfspr, emulate_mfspr, false, false, SPR_READ_KIND(d->imm))                               \
	X(mftb, emulate_mfspr, false, false, MFTB)                                                 \
	X(mtspr, emulate_mtspr, false, true, MTSPR)                                                \
	X(mfmsr, emulate_mfmsr, true, false, MFMSR)                                                \
	X(mtmsr, emulate_mtmsr, true, true, MTMSR)                                                 \
	X(mtmsrd, emulate_mtmsrd, true, true, MTMSR)                                               \
	X(rfid, emulate_rfid, true, true, RFI)                                                     \
	X(slbmte, emulate_slbmte, true, false, INST)                                               \
	X(slbie, emulate_slbie, true, false, INST)                                                 \
	X(slbia, emulate_slbia, true, false, INST)                                                 \
	X(slbmfee, emulate_slbmfee, true, false, INST)                                             \
	X(slbmfev, emulate_slbmfev, true, false, INST)                                             \
	X(slbfee_rc, emulate_slbfee_rc, true, false, INST)                                         \
	X(mtsr, emulate_mtsr, true, false, INST)                                                   \
	X(mtsrin, emulate_mtsrin, true, false, INST)                                               \
	X(tlbie, emulate_tlbie, true, false, INST)                                                 \
	X(tlbiel, emulate_tlbiel, true, false, INST)                                               \
	X(tlbsync, emulate_nop, true, false, INST)                                                 \
	X(bctar, emulate_bctar, false, false, INST)                                                \
	X(rfebb, emulate_rfebb, false, false, INST)                                                \
	X(clrbhrb, emulate_clrbhrb, false, false, INST)                                            \
	X(mfbhrbe, emulate_mfbhrbe, false, false, INST)

/* ---- the way in from the core's dispatch: no trap ----
 * What raises a program interrupt (a privileged instruction in problem state) declines before
 * doing anything: the trap delivers it; so does every instruction with exit timing on (the
 * trap times it). After an instruction that fell through, an interrupt it made deliverable
 * (mtspr DEC) is taken before the next one, as after a trap. */
static ALWAYS_INLINE enum cpu_resume pr_emulation_run(struct cpu *c, const struct cpu_dinsn *d,
						      enum pr_emul (*fn)(struct book3s_pr_vcpu *,
									 const struct cpu_dinsn *),
						      bool privileged, bool may_raise,
						      enum skvm_exit_type kind)
{
	struct book3s_pr_vcpu *v = pr_vcpu_of(c);
	enum pr_emul r;

	if (unlikely(v->timing) || (privileged && unlikely(v->msr & MSR_PR)))
		return CPU_RESUME_TRAP;
	r = fn(v, d);
	if (r >= PR_PRIV) /* an interrupt instead: the trap delivers it */
		return CPU_RESUME_TRAP;
	pr_account(v, kind);
	switch (r) {
	case PR_NEXT:
		if (!may_raise || likely(!v->pending) || !pr_deliverable(v))
			return CPU_RESUME_NEXT;
		c->pc = next_pc(v, cpu_pc_of(c, d));
		break;
	default:
		break;
	}
	if (v->pending)
		pr_deliver_pending(v);
	return CPU_RESUME_REFETCH;
}

#define PR_EMULATION_HANDLER(op, fn, privileged, may_raise, kind)                                  \
	static ALWAYS_INLINE enum cpu_resume op##_run(struct cpu *c, const struct cpu_dinsn *d)    \
	{                                                                                          \
		return pr_emulation_run(c, d, fn, privileged, may_raise,                           \
					SKVM_EXITS_EMULATED_##kind);                               \
	}                                                                                          \
	static CPU_EMULATION_HANDLER(op##_handler, op##_run)
PR_EMULATIONS(PR_EMULATION_HANDLER)

#define PR_EMULATION_ENTRY(op, fn, privileged, may_raise, kind) [CPU_OP_##op] = op##_handler,
static const cpu_handler pr_handlers[CPU_OP_NR] = {PR_EMULATIONS(PR_EMULATION_ENTRY)};

/* The SPRs a kernel moves most: its exception prologues and returns (SRR0/1, DAR, DSISR,
 * CFAR, the SPRGs as scratch), the decrementer, PPR and DSCR on context switches; the PVR
 * and the timebase are read in loops (read-only here). */
#define HOT_SPRS(X) X(17) X(18) X(19) X(22) X(26) X(27) X(28) X(272) X(273) X(274) X(275) X(896)
#define HOT_SPRS_READ_ONLY(X) X(268) X(269) X(287)

#define SPR_HANDLERS(n)                                                                            \
	static ALWAYS_INLINE enum pr_emul emulate_mfspr_##n(struct book3s_pr_vcpu *v,              \
							    const struct cpu_dinsn *d)             \
	{                                                                                          \
		return move_spr(v, d, n, false);                                                   \
	}                                                                                          \
	PR_EMULATION_HANDLER(mfspr_##n, emulate_mfspr_##n, false, false, SPR_READ_KIND(n))
#define SPR_HANDLERS_RW(n)                                                                         \
	SPR_HANDLERS(n)                                                                            \
	static ALWAYS_INLINE enum pr_emul emulate_mtspr_##n(struct book3s_pr_vcpu *v,              \
							    const struct cpu_dinsn *d)             \
	{                                                                                          \
		return move_spr(v, d, n, true);                                                    \
	}                                                                                          \
	PR_EMULATION_HANDLER(mtspr_##n, emulate_mtspr_##n, false, true, MTSPR)
HOT_SPRS(SPR_HANDLERS_RW)
HOT_SPRS_READ_ONLY(SPR_HANDLERS)

#define MFSPR_CASE(n)                                                                              \
	case n:                                                                                    \
		return mfspr_##n##_handler;
#define MTSPR_CASE(n)                                                                              \
	case n:                                                                                    \
		return mtspr_##n##_handler;

cpu_handler pr_emulation_of(void *opaque, const struct cpu_dinsn *d)
{
	if (d->op == CPU_OP_mfspr || d->op == CPU_OP_mftb) {
		switch (d->imm) {
			HOT_SPRS(MFSPR_CASE)
			HOT_SPRS_READ_ONLY(MFSPR_CASE)
		default:
			break;
		}
	} else if (d->op == CPU_OP_mtspr) {
		switch (d->imm) {
			HOT_SPRS(MTSPR_CASE)
		default:
			break;
		}
	}
	return d->op < CPU_OP_NR ? pr_handlers[d->op] : NULL;
}

/* ---- the way in from a trap ---- */
enum cpu_resume pr_emulate(struct book3s_pr_vcpu *v, const struct cpu_trap *t)
{
	const struct cpu_dinsn *d = t->d;
	struct cpu *c = &v->cpu;
	enum skvm_exit_type type = SKVM_EXITS_EMULATED_INST;
	enum pr_emul r;

	if (d->op == CPU_OP_sc) {
		/* sc 1 from the guest kernel is its hypervisor call (PAPR), sc with the OSI
		 * magic in r3/r4 (either privilege state) Mac-on-Linux's, sc with the magic r0
		 * from the kernel its ePAPR one; any other sc is the guest's own system call
		 * (book3s_pr.c asks in the same order) */
		if (((t->insn >> 5) & 0x7f) == 1 && v->papr_enabled && !(v->msr & MSR_PR)) {
			pr_account(v, SKVM_EXITS_HCALL);
			return pr_papr_hcall(v, next_pc(v, t->pc));
		}
		if (v->osi_enabled && (uint32_t)c->gpr[3] == SKVM_OSI_SC_MAGIC_R3 &&
		    (uint32_t)c->gpr[4] == SKVM_OSI_SC_MAGIC_R4) {
			pr_account(v, SKVM_EXITS_HCALL);
			return pr_osi_hcall(v, next_pc(v, t->pc));
		}
		if (!(v->msr & MSR_PR) && (uint32_t)c->gpr[0] == KVM_SC_MAGIC_R0) {
			pr_account(v, SKVM_EXITS_HCALL);
			return pr_kvm_hcall(v, next_pc(v, t->pc));
		}
		pr_account(v, SKVM_EXITS_SYSCALL);
		pr_inject(v, VEC_SYSCALL, next_pc(v, t->pc), 0);
		return CPU_RESUME_REFETCH;
	}
	switch (d->op) {
#define PR_EMULATION_CASE(op, fn, privileged, may_raise, kind)                                     \
	case CPU_OP_##op:                                                                          \
		r = privileged && (v->msr & MSR_PR) ? PR_PRIV : fn(v, d);                         \
		type = SKVM_EXITS_EMULATED_##kind;                                                 \
		break;
		PR_EMULATIONS(PR_EMULATION_CASE)
	default:
		/* not the POWER8's in supervisor state either: illegal; a privileged one the
		 * core has no emulation for is privileged in problem state */
		r = (v->msr & MSR_PR) ? PR_PRIV : PR_ILLEGAL;
		break;
	}
	if (r == PR_PRIV || r == PR_ILLEGAL) {
		pr_account(v, r == PR_PRIV ? SKVM_EXITS_USR_PR_INST : SKVM_EXITS_PROGRAM);
		pr_program_interrupt(v, t->pc, r == PR_PRIV ? SRR1_PROGPRIV : SRR1_PROGILL);
		return CPU_RESUME_REFETCH;
	}
	if (r >= PR_FAC_DSCR) {
		v->fscr = (v->fscr & ~(0xffull << FSCR_IC_SHIFT)) |
			  (uint64_t)fac_cause(r) << FSCR_IC_SHIFT;
		pr_inject(v, VEC_FAC_UNAVAIL, t->pc, 0);
		return CPU_RESUME_REFETCH;
	}
	pr_account(v, type);
	if (r == PR_JUMP)
		return CPU_RESUME_REFETCH;
	c->pc = next_pc(v, t->pc);
	return CPU_RESUME_NEXT;
}
