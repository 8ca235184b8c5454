// SPDX-License-Identifier: MIT
/* Effective-to-real translation of one access of a POWER8 guest (ISA 2.07 Book III-S 5.7):
 * real mode within the RMA when MSR[IR] (fetch) or MSR[DR] (data) is 0; otherwise the SLB,
 * the HPT search, storage protection (PP with the segment's Ks/Kp key, N and G for fetches,
 * the AMR/IAMR virtual page class keys), and R/C recording. A failure is the interrupt the
 * guest gets: Data/Instruction Segment for an address without a segment, DSI/ISI with the
 * DSISR or SRR1 bits that say why. */
#include <string.h>

#include "kvm/book3s/mmu_ops.h"

static int fault(struct book3s_fault *f, enum book3s_access acc, uint64_t ea, uint64_t bits)
{
	memset(f, 0, sizeof(*f));
	if (acc == BOOK3S_FETCH) {
		f->vector = BOOK3S_VEC_ISI;
		f->srr1 = bits;
	} else {
		f->vector = BOOK3S_VEC_DSI;
		f->dar = ea;
		f->dsisr = bits | (acc == BOOK3S_STORE ? DSISR_ISSTORE : 0);
	}
	return 1;
}

static int segment_fault(struct book3s_fault *f, enum book3s_access acc, uint64_t ea)
{
	/* DSISR is left undefined by a Data Segment interrupt and SRR1's cause bits are 0. */
	memset(f, 0, sizeof(*f));
	f->vector = acc == BOOK3S_FETCH ? BOOK3S_VEC_ISEG : BOOK3S_VEC_DSEG;
	if (acc != BOOK3S_FETCH)
		f->dar = ea;
	return 1;
}

/* Real mode ignores the top four EA bits. Beyond the RMA it is the protection fault the ISA
 * gives an access beyond the RMLS (what QEMU does for a guest without a VRMA). */
static int real_mode(const struct book3s_mmu_ctx *m, uint64_t ea, enum book3s_access acc,
		     struct book3s_xlate *x, struct book3s_fault *f)
{
	uint64_t ra = ea & BOOK3S_REAL_ADDR_MASK;

	if (ra >= m->rma_size)
		return fault(f, acc, ea, acc == BOOK3S_FETCH ? SRR1_ISI_PROT : DSISR_PROTFAULT);
	x->ra = ra;
	x->page_shift = 12;
	x->wimg = HPTE_R_M;
	x->prot = BOOK3S_PROT_READ | BOOK3S_PROT_WRITE | BOOK3S_PROT_EXEC;
	x->real = true;
	return 0;
}

/* PP0||PP1:2 with the segment key as the ISA's table reads: index key*4 + PP1:2 + PP0*8. */
static bool pp_reads(unsigned pp)
{
	return pp <= 7 ? pp != 4 : pp == 10;
}

static bool pp_writes(unsigned pp)
{
	return pp <= 2 || pp == 6;
}

/* The HPTE's 5-bit virtual page class key and what AMR/IAMR say of it: AMR bit 2k forbids
 * stores, 2k+1 loads; IAMR bit 2k+1 forbids fetches (ISA bit numbering). */
static unsigned page_key(uint64_t r)
{
	return (unsigned)(((r & HPTE_R_KEY_HI) >> 57) | ((r & HPTE_R_KEY_LO) >> 9));
}

static bool key_denies(const struct book3s_mmu_ctx *m, uint64_t r, enum book3s_access acc)
{
	unsigned k = page_key(r);

	switch (acc) {
	case BOOK3S_STORE:
		return m->amr >> (63 - 2 * k) & 1;
	case BOOK3S_LOAD:
		return m->amr >> (62 - 2 * k) & 1;
	default:
		return m->iamr >> (62 - 2 * k) & 1;
	}
}

static unsigned key_prot(const struct book3s_mmu_ctx *m, uint64_t r)
{
	return (key_denies(m, r, BOOK3S_LOAD) ? 0 : BOOK3S_PROT_READ) |
	       (key_denies(m, r, BOOK3S_STORE) ? 0 : BOOK3S_PROT_WRITE) |
	       (key_denies(m, r, BOOK3S_FETCH) ? 0 : BOOK3S_PROT_EXEC);
}

int book3s_xlate(const struct book3s_mmu_ctx *m, uint64_t ea, enum book3s_access acc,
		 struct book3s_xlate *x, struct book3s_fault *f)
{
	bool fetch = acc == BOOK3S_FETCH, store = acc == BOOK3S_STORE;
	const struct book3s_slbe *s;
	struct book3s_hpt_hit hit;

	memset(x, 0, sizeof(*x));
	if (!(m->msr & (fetch ? BOOK3S_MSR_IR : BOOK3S_MSR_DR)))
		return real_mode(m, ea, acc, x, f);
	s = book3s_slb_find(m->slb, ea);
	if (!s)
		return segment_fault(f, acc, ea);
	if (fetch && (s->vsid_word & SLB_VSID_N))
		return fault(f, acc, ea, SRR1_ISI_N_OR_G);
	x->inval_seq = m->hpt ? book3s_hpt_inval_seq(m->hpt) : 0;
	for (;;) {
		uint64_t key = m->msr & BOOK3S_MSR_PR ? s->vsid_word & SLB_VSID_KP
						       : s->vsid_word & SLB_VSID_KS;
		uint64_t r, bits = 0, need;
		unsigned pp, prot;

		if (!m->hpt || !book3s_hpt_find(m->hpt, s, ea, &hit))
			return fault(f, acc, ea, fetch ? SRR1_ISI_NOPT : DSISR_NOHPTE);
		r = hit.e.r;
		pp = (unsigned)(r & HPTE_R_PP) | (key ? 4 : 0) | (r & HPTE_R_PP0 ? 8 : 0);
		prot = (pp_reads(pp) ? BOOK3S_PROT_READ : 0) | (pp_writes(pp) ? BOOK3S_PROT_WRITE : 0);
		if (pp_reads(pp) && !(r & (HPTE_R_N | HPTE_R_G)))
			prot |= BOOK3S_PROT_EXEC;
		if (acc == BOOK3S_PROBE) {
			/* nothing checked or recorded: below with what it allows */
		} else if (fetch) {
			if (r & (HPTE_R_N | HPTE_R_G))
				bits |= SRR1_ISI_N_OR_G;
			else if (!pp_reads(pp))
				bits |= SRR1_ISI_PROT;
			if (key_denies(m, r, acc))
				bits |= SRR1_ISI_KEY;
		} else {
			if (!(prot & (store ? BOOK3S_PROT_WRITE : BOOK3S_PROT_READ)))
				bits |= DSISR_PROTFAULT;
			if (key_denies(m, r, acc))
				bits |= DSISR_KEYFAULT;
		}
		if (bits)
			return fault(f, acc, ea, bits);
		/* The access is performed: record it. */
		need = acc == BOOK3S_PROBE ? 0 : HPTE_R_R | (store ? HPTE_R_C : 0);
		if ((r & need) != need) {
			if (!book3s_hpt_set_rc(m->hpt, &hit, need))
				continue; /* the entry changed under us: search again */
			r |= need;
		}
		x->ra = (r & HPTE_R_RPN & ~((1ULL << hit.shift) - 1)) | (ea & ((1ULL << hit.shift) - 1));
		x->vpn = book3s_va_vpn(s, ea);
		x->ptex = hit.ptex;
		x->page_shift = hit.shift;
		x->wimg = (unsigned)(r & HPTE_R_WIMG);
		/* A shadow may store without coming back only once C is recorded. */
		if (!(r & HPTE_R_C))
			prot &= ~BOOK3S_PROT_WRITE;
		x->prot = prot & key_prot(m, r);
		return 0;
	}
}
