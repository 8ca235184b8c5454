// SPDX-License-Identifier: MIT
/* The PAPR hypercalls by which a Book3S guest edits its hashed page table, handled in the
 * hypervisor as KVM does: H_ENTER, H_REMOVE, H_BULK_REMOVE, H_PROTECT, H_READ, H_CLEAR_REF,
 * H_CLEAR_MOD. Arguments and results are those of book3s_pr_papr.c; where KVM PR trusts the
 * guest (an index beyond the table wraps, a reserved segment size or page size is stored)
 * the checks and return codes are book3s_hv_rm_mmu.c's (H_PARAMETER), and so are
 * H_BULK_REMOVE's R/C bits in the response. Each entry is changed under its lock (hpt.c);
 * the shadows' invalidation follows the unlock. */
#include <string.h>

#include <softkvm/papr.h>

#include "kvm/book3s/mmu_ops.h"

/* 0, or the return code for an index outside the table (or no table at all). */
static long check_index(const struct book3s_papr_hpt *p, uint64_t ptex)
{
	if (!p->hpt || !p->hpt->base)
		return SKVM_H_FUNCTION;
	return ptex < book3s_hpt_nptes(p->hpt) ? 0 : SKVM_H_PARAMETER;
}

static void invalidate(const struct book3s_papr_hpt *p, uint64_t v, uint64_t r, uint64_t ptex)
{
	book3s_hpt_inval_begin(p->hpt);
	book3s_inval_hpte(p->inval, v, r, ptex);
}

/* H_ZERO_PAGE: RAM only ("ignored for IO pages"), before the entry becomes visible. */
static void zero_page(const struct book3s_papr_hpt *p, uint64_t ptel, unsigned shift)
{
	uint64_t len = 1ULL << shift, gpa = ptel & HPTE_R_RPN & ~(len - 1);
	void *host = p->guest_ram ? p->guest_ram(p->opaque, gpa, len) : NULL;

	if (!host)
		return;
	memset(host, 0, len);
	if (p->ram_written)
		p->ram_written(p->opaque, gpa, len);
}

/* A free slot of the PTEG of ptex (or ptex itself with H_EXACT), locked; -1 when none. */
static int64_t claim_slot(const struct book3s_hpt *hpt, uint64_t flags, uint64_t ptex)
{
	uint64_t first = ptex & ~(uint64_t)(HPTES_PER_GROUP - 1);

	if (flags & SKVM_H_EXACT) {
		if (book3s_hpte_trylock_free(hpt, ptex))
			return (int64_t)ptex;
		uint64_t v = book3s_hpte_lock(hpt, ptex);

		if (!(v & HPTE_V_VALID))
			return (int64_t)ptex;
		book3s_hpte_unlock(hpt, ptex, v);
		return -1;
	}
	for (unsigned i = 0; i < HPTES_PER_GROUP; i++)
		if (book3s_hpte_trylock_free(hpt, first + i))
			return (int64_t)(first + i);
	/* A slot may have been locked by a translation setting R/C: look again, waiting. */
	for (unsigned i = 0; i < HPTES_PER_GROUP; i++) {
		uint64_t v = book3s_hpte_lock(hpt, first + i);

		if (!(v & HPTE_V_VALID))
			return (int64_t)(first + i);
		book3s_hpte_unlock(hpt, first + i, v);
	}
	return -1;
}

long book3s_h_enter(const struct book3s_papr_hpt *p, uint64_t flags, uint64_t ptex,
		    uint64_t pteh, uint64_t ptel, uint64_t *ptex_out)
{
	unsigned base, actual;
	int64_t slot;
	long rc = check_index(p, ptex);

	if (rc)
		return rc;
	/* B = 0b1x is reserved; so is any page size POWER8 lacks. */
	if ((pteh >> HPTE_V_B_SHIFT) & 2)
		return SKVM_H_PARAMETER;
	if (!book3s_hpte_page_shifts(pteh, ptel, &base, &actual))
		return SKVM_H_PARAMETER;
	slot = claim_slot(p->hpt, flags, ptex);
	if (slot < 0)
		return SKVM_H_PTEG_FULL;
	if (flags & SKVM_H_ZERO_PAGE)
		zero_page(p, ptel, actual);
	book3s_hpte_set_locked_r(p->hpt, (uint64_t)slot, ptel);
	book3s_hpte_unlock(p->hpt, (uint64_t)slot, pteh | HPTE_V_VALID);
	*ptex_out = (uint64_t)slot;
	return SKVM_H_SUCCESS;
}

/* H_REMOVE's and H_BULK_REMOVE's match: valid, and the AVPN or the AND condition if asked. */
static bool remove_matches(uint64_t v, uint64_t flags, uint64_t avpn)
{
	return (v & HPTE_V_VALID) && !((flags & SKVM_H_AVPN) && (v & ~0x7fULL) != avpn) &&
	       !((flags & SKVM_H_ANDCOND) && (v & avpn));
}

static long remove_one(const struct book3s_papr_hpt *p, uint64_t flags, uint64_t ptex,
		       uint64_t avpn, uint64_t out[2])
{
	uint64_t v = book3s_hpte_lock(p->hpt, ptex), r;

	if (!remove_matches(v, flags, avpn)) {
		book3s_hpte_unlock(p->hpt, ptex, v);
		return SKVM_H_NOT_FOUND;
	}
	r = book3s_hpte_locked_r(p->hpt, ptex); /* R/C final: set only under this lock */
	book3s_hpte_unlock(p->hpt, ptex, 0);
	invalidate(p, v, r, ptex);
	out[0] = v;
	out[1] = r;
	return SKVM_H_SUCCESS;
}

long book3s_h_remove(const struct book3s_papr_hpt *p, uint64_t flags, uint64_t ptex,
		     uint64_t avpn, uint64_t out[2])
{
	long rc = check_index(p, ptex);

	return rc ? rc : remove_one(p, flags, ptex, avpn, out);
}

long book3s_h_bulk_remove(const struct book3s_papr_hpt *p, uint64_t args[8])
{
	for (unsigned i = 0; i < SKVM_H_BULK_REMOVE_MAX_BATCH; i++) {
		uint64_t tsh = args[2 * i], ptex = tsh & SKVM_H_BULK_REMOVE_PTEX;
		uint64_t bflags = tsh & SKVM_H_BULK_REMOVE_FLAGS, flags = 0, out[2];

		if ((tsh & SKVM_H_BULK_REMOVE_TYPE) == SKVM_H_BULK_REMOVE_END)
			break;
		if ((tsh & SKVM_H_BULK_REMOVE_TYPE) != SKVM_H_BULK_REMOVE_REQUEST ||
		    bflags == SKVM_H_BULK_REMOVE_FLAGS || check_index(p, ptex)) {
			args[2 * i] = SKVM_H_BULK_REMOVE_RESPONSE | SKVM_H_BULK_REMOVE_PARM | bflags | ptex;
			return SKVM_H_PARAMETER;
		}
		if (bflags == SKVM_H_BULK_REMOVE_ANDCOND)
			flags = SKVM_H_ANDCOND;
		else if (bflags == SKVM_H_BULK_REMOVE_AVPN)
			flags = SKVM_H_AVPN;
		tsh = SKVM_H_BULK_REMOVE_RESPONSE | bflags | ptex;
		if (remove_one(p, flags, ptex, args[2 * i + 1], out) == SKVM_H_SUCCESS)
			/* R (0x100) and C (0x80) land in the response's RC field, bits 4:5. */
			tsh |= SKVM_H_BULK_REMOVE_SUCCESS | (out[1] & (HPTE_R_R | HPTE_R_C)) << 51;
		else
			tsh |= SKVM_H_BULK_REMOVE_NOT_FOUND;
		args[2 * i] = tsh;
	}
	return SKVM_H_SUCCESS;
}

long book3s_h_protect(const struct book3s_papr_hpt *p, uint64_t flags, uint64_t ptex,
		      uint64_t avpn)
{
	const uint64_t mask = HPTE_R_PP0 | HPTE_R_PP | HPTE_R_N | HPTE_R_KEY_HI | HPTE_R_KEY_LO;
	uint64_t v, r, nr;
	long rc = check_index(p, ptex);

	if (rc)
		return rc;
	v = book3s_hpte_lock(p->hpt, ptex);
	if (!(v & HPTE_V_VALID) || ((flags & SKVM_H_AVPN) && (v & ~0x7fULL) != avpn)) {
		book3s_hpte_unlock(p->hpt, ptex, v);
		return SKVM_H_NOT_FOUND;
	}
	/* The flags hold PP0 in bit 0x100, key bits 0:1 in 0x3000, and N, PP1:2 and key bits
	 * 2:4 where the HPTE has them. */
	r = book3s_hpte_locked_r(p->hpt, ptex);
	nr = (r & ~mask) | ((flags << 55) & HPTE_R_PP0) | ((flags << 48) & HPTE_R_KEY_HI) |
	     (flags & (HPTE_R_PP | HPTE_R_N | HPTE_R_KEY_LO));
	book3s_hpte_set_locked_r(p->hpt, ptex, nr);
	book3s_hpte_unlock(p->hpt, ptex, v);
	if (nr != r)
		invalidate(p, v, r, ptex);
	return SKVM_H_SUCCESS;
}

long book3s_h_read(const struct book3s_papr_hpt *p, uint64_t flags, uint64_t ptex,
		   uint64_t out[8])
{
	unsigned n = 1;
	long rc = check_index(p, ptex);

	if (rc)
		return rc;
	/* H_R_XLATE asks for logical page numbers: the table holds nothing else. */
	if (flags & SKVM_H_READ_4) {
		ptex &= ~3ULL;
		n = 4;
	}
	for (unsigned i = 0; i < n; i++) {
		struct book3s_hpte e = book3s_hpte_read(p->hpt, ptex + i);

		out[2 * i] = e.v;
		out[2 * i + 1] = e.r;
	}
	return SKVM_H_SUCCESS;
}

/* Clears R or C of a valid entry, returning its second word as it was; the shadows of the
 * page are dropped so the next access records the bit again. */
static long clear_bit(const struct book3s_papr_hpt *p, uint64_t ptex, uint64_t bit,
		      uint64_t *old_r)
{
	uint64_t v, r;
	long rc = check_index(p, ptex);

	if (rc)
		return rc;
	v = book3s_hpte_lock(p->hpt, ptex);
	if (!(v & HPTE_V_VALID)) {
		book3s_hpte_unlock(p->hpt, ptex, v);
		return SKVM_H_NOT_FOUND;
	}
	r = book3s_hpte_locked_r(p->hpt, ptex);
	if (r & bit)
		book3s_hpte_set_locked_r(p->hpt, ptex, r & ~bit);
	book3s_hpte_unlock(p->hpt, ptex, v);
	if (r & bit)
		invalidate(p, v, r, ptex);
	*old_r = r;
	return SKVM_H_SUCCESS;
}

long book3s_h_clear_ref(const struct book3s_papr_hpt *p, uint64_t flags, uint64_t ptex,
			uint64_t *old_r)
{
	return clear_bit(p, ptex, HPTE_R_R, old_r);
}

long book3s_h_clear_mod(const struct book3s_papr_hpt *p, uint64_t flags, uint64_t ptex,
			uint64_t *old_r)
{
	return clear_bit(p, ptex, HPTE_R_C, old_r);
}

bool book3s_papr_hpt_hcall(const struct book3s_papr_hpt *p, uint64_t gpr[32])
{
	uint64_t out[8] = {0};
	long rc;

	switch (gpr[3]) {
	case SKVM_H_ENTER:
		rc = book3s_h_enter(p, gpr[4], gpr[5], gpr[6], gpr[7], &out[0]);
		if (rc == SKVM_H_SUCCESS)
			gpr[4] = out[0];
		break;
	case SKVM_H_REMOVE:
		rc = book3s_h_remove(p, gpr[4], gpr[5], gpr[6], out);
		if (rc == SKVM_H_SUCCESS)
			memcpy(&gpr[4], out, 2 * sizeof(*out));
		break;
	case SKVM_H_BULK_REMOVE:
		rc = book3s_h_bulk_remove(p, &gpr[4]);
		break;
	case SKVM_H_PROTECT:
		rc = book3s_h_protect(p, gpr[4], gpr[5], gpr[6]);
		break;
	case SKVM_H_READ:
		rc = book3s_h_read(p, gpr[4], gpr[5], out);
		if (rc == SKVM_H_SUCCESS)
			memcpy(&gpr[4], out, (gpr[4] & SKVM_H_READ_4 ? 8 : 2) * sizeof(*out));
		break;
	case SKVM_H_CLEAR_REF:
		rc = book3s_h_clear_ref(p, gpr[4], gpr[5], &out[0]);
		if (rc == SKVM_H_SUCCESS)
			gpr[4] = out[0];
		break;
	case SKVM_H_CLEAR_MOD:
		rc = book3s_h_clear_mod(p, gpr[4], gpr[5], &out[0]);
		if (rc == SKVM_H_SUCCESS)
			gpr[4] = out[0];
		break;
	default:
		return false;
	}
	gpr[3] = (uint64_t)rc;
	return true;
}
