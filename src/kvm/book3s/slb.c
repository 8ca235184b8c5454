// SPDX-License-Identifier: MIT
/* The SLB of one vcpu (POWER8: 32 entries) and the instructions on it, as ISA 2.07 Book III-S
 * 5.9.3 and the seeds' book3s_64_mmu.c define them: slbmte writes entry RB[52:63] from RS and
 * RB, slbmfee/slbmfev read the two words back, slbie drops the entry of an effective address,
 * slbia every entry but 0, slbfee. finds the entry of an address, mtsrin writes a 32-bit
 * segment register as SLB entry 0-15. Whatever leaves the SLB is
 * reported to the shadow's owner, which drops the segment's translations. */
#include <string.h>

#include "kvm/book3s/mmu_ops.h"

void book3s_slb_init(struct book3s_slb *slb, unsigned nr)
{
	memset(slb, 0, sizeof(*slb));
	slb->nr = nr > BOOK3S_SLB_MAX ? BOOK3S_SLB_MAX : nr;
}

static void slbe_clear(struct book3s_slbe *e, const struct book3s_inval_ops *inval)
{
	if (e->valid)
		book3s_inval_segment(inval, e->esid << e->seg_shift, e->seg_shift);
	memset(e, 0, sizeof(*e));
}

bool book3s_slbmte(struct book3s_slb *slb, uint64_t rs, uint64_t rb,
		   const struct book3s_inval_ops *inval)
{
	uint64_t index = rb & SLB_INDEX_MASK;
	unsigned b = (unsigned)(rs >> 62);
	struct book3s_slbe *e;

	/* An index beyond the SLB is undefined in the ISA; like KVM PR, the write is dropped. */
	if (index >= slb->nr)
		return false;
	e = &slb->e[index];
	/* The ISA wants an slbie before an entry is replaced; a guest that skips it still must
	 * not keep the old segment's translations. */
	slbe_clear(e, inval);
	e->esid_word = rb & (SLB_ESID_MASK | SLB_ESID_V);
	e->vsid_word = rs & (SLB_VSID_B | SLB_VSID_VSID | SLB_VSID_FLAGS);
	e->seg_shift = b == 1 ? SID_SHIFT_1T : SID_SHIFT;
	e->esid = rb >> e->seg_shift;
	if (b == 1)
		e->vsid = (rs & SLB_VSID_VSID) >> SLB_VSID_SHIFT_1T;
	else
		e->vsid = (rs & SLB_VSID_VSID) >> SLB_VSID_SHIFT;
	e->vsid &= (1ULL << (VA_BITS_POWER8 - e->seg_shift)) - 1;
	e->base_shift = (uint8_t)book3s_slb_base_shift(rs);
	/* B = 0b1x is reserved: such an entry reads back but translates nothing. */
	e->valid = (rb & SLB_ESID_V) && b < 2;
	return true;
}

uint64_t book3s_slbmfee(const struct book3s_slb *slb, uint64_t rb)
{
	uint64_t index = rb & SLB_INDEX_MASK;

	return index < slb->nr ? slb->e[index].esid_word : 0;
}

uint64_t book3s_slbmfev(const struct book3s_slb *slb, uint64_t rb)
{
	uint64_t index = rb & SLB_INDEX_MASK;

	return index < slb->nr ? slb->e[index].vsid_word : 0;
}

const struct book3s_slbe *book3s_slb_find(const struct book3s_slb *slb, uint64_t ea)
{
	for (unsigned i = 0; i < slb->nr; i++) {
		const struct book3s_slbe *e = &slb->e[i];

		if (e->valid && e->esid == ea >> e->seg_shift)
			return e;
	}
	return NULL;
}

void book3s_slbie(struct book3s_slb *slb, uint64_t rb, const struct book3s_inval_ops *inval)
{
	const struct book3s_slbe *e = book3s_slb_find(slb, rb);

	if (e)
		slbe_clear(&slb->e[e - slb->e], inval);
}

void book3s_slbia(struct book3s_slb *slb, const struct book3s_inval_ops *inval)
{
	for (unsigned i = 1; i < slb->nr; i++)
		slbe_clear(&slb->e[i], inval);
}

bool book3s_slbfee(const struct book3s_slb *slb, uint64_t rb, uint64_t *rt)
{
	const struct book3s_slbe *e = book3s_slb_find(slb, rb);

	*rt = e ? e->vsid_word : 0;
	return e != NULL;
}

/* SLB entry n = SR n: ESID n, V, VSID from RS[37:63], Ks Kp N from RS[33:35], L = C = 0. */
void book3s_mtsrin(struct book3s_slb *slb, uint64_t rs, uint64_t rb,
		   const struct book3s_inval_ops *inval)
{
	unsigned sr = (unsigned)(rb >> 28) & 0xf;
	uint64_t vsid_word = (rs & 0x7ffffff) << SLB_VSID_SHIFT | ((rs >> 28) & 7) << 9;

	book3s_slbmte(slb, vsid_word, (uint64_t)sr << SID_SHIFT | SLB_ESID_V | sr, inval);
}
