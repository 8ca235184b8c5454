/* SPDX-License-Identifier: MIT */
/* What the Book3S MMU unit tests share: a hashed page table in its own 256 KiB-aligned heap
 * block (the smallest table, 2048 PTEGs), an SLB, a recorder of the invalidations, and
 * builders of SLB words and HPTEs the way a Linux guest makes them (hpte_encode_v/r). */
#ifndef SOFTKVM_TEST_BOOK3S_FIXTURE_H
#define SOFTKVM_TEST_BOOK3S_FIXTURE_H

#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "kvm/book3s/mmu_ops.h"

#define HPT_ALIGN (1u << 18)
#define MAX_INVALS 64

struct inval_rec {
	unsigned n_page, n_segment, n_all;
	uint64_t vpn[MAX_INVALS];
	unsigned shift[MAX_INVALS];
	uint64_t seg_ea[MAX_INVALS];
	unsigned seg_shift[MAX_INVALS];
};

static inline void rec_page(void *opaque, uint64_t vpn, unsigned shift)
{
	struct inval_rec *r = opaque;

	if (r->n_page < MAX_INVALS) {
		r->vpn[r->n_page] = vpn;
		r->shift[r->n_page] = shift;
	}
	r->n_page++;
}

static inline void rec_segment(void *opaque, uint64_t ea, unsigned seg_shift)
{
	struct inval_rec *r = opaque;

	if (r->n_segment < MAX_INVALS) {
		r->seg_ea[r->n_segment] = ea;
		r->seg_shift[r->n_segment] = seg_shift;
	}
	r->n_segment++;
}

static inline void rec_all(void *opaque)
{
	((struct inval_rec *)opaque)->n_all++;
}

struct b3s_fix {
	void *table;
	struct book3s_hpt hpt;
	struct book3s_slb slb;
	struct inval_rec rec;
	struct book3s_inval_ops ops;
	struct book3s_mmu_ctx ctx;
	struct book3s_papr_hpt papr;
	uint8_t *ram; /* guest RAM for H_ZERO_PAGE */
	uint64_t ram_size;
	uint64_t written_gpa, written_len;
};

static inline void *fix_guest_ram(void *opaque, uint64_t gpa, uint64_t len)
{
	struct b3s_fix *f = opaque;

	return gpa < f->ram_size && len <= f->ram_size - gpa ? f->ram + gpa : NULL;
}

static inline void fix_ram_written(void *opaque, uint64_t gpa, uint64_t len)
{
	struct b3s_fix *f = opaque;

	f->written_gpa = gpa;
	f->written_len = len;
}

static struct b3s_fix *b3s_fix_create(void)
{
	struct b3s_fix *f = calloc(1, sizeof(*f));

	f->table = aligned_alloc(HPT_ALIGN, HPT_ALIGN);
	memset(f->table, 0, HPT_ALIGN);
	if (book3s_hpt_bind(&f->hpt, (uintptr_t)f->table, f->table, HPT_ALIGN))
		abort();
	book3s_slb_init(&f->slb, BOOK3S_SLB_POWER8);
	f->ops = (struct book3s_inval_ops){&f->rec, rec_page, rec_segment, rec_all};
	f->ctx = (struct book3s_mmu_ctx){.slb = &f->slb, .hpt = &f->hpt,
					 .msr = BOOK3S_MSR_IR | BOOK3S_MSR_DR,
					 .rma_size = 256u << 20};
	f->ram_size = 32u << 20;
	f->ram = calloc(1, f->ram_size);
	f->papr = (struct book3s_papr_hpt){&f->hpt, &f->ops, fix_guest_ram, fix_ram_written, f};
	return f;
}

static inline void b3s_fix_destroy(struct b3s_fix *f)
{
	free(f->table);
	free(f->ram);
	free(f);
}

/* slbmte's words: a 256 MiB (or 1 TiB) segment of ea with vsid, flags (Ks/Kp/N/L/LP). */
static inline uint64_t slb_rs(uint64_t vsid, bool tb, uint64_t flags)
{
	return (tb ? SLB_VSID_B_1T | vsid << SLB_VSID_SHIFT_1T : vsid << SLB_VSID_SHIFT) | flags;
}

static inline uint64_t slb_rb(uint64_t ea, bool tb, unsigned index)
{
	return (ea & (tb ? SLB_ESID_MASK_1T : SLB_ESID_MASK)) | SLB_ESID_V | index;
}

/* The HPTE mapping ea (segment s) to ra with pages of base/actual shift, as Linux encodes it:
 * AVA with the bits inside a larger-than-8 MiB page cleared, LP from the sizes. */
static inline uint64_t hpte_v_for(const struct book3s_slbe *s, uint64_t ea, unsigned base,
			   unsigned actual, bool secondary)
{
	uint64_t ava = book3s_va_vpn(s, ea) >> 11;

	if (actual > 23)
		ava &= ~((1ULL << (actual - 23)) - 1);
	return (s->vsid_word & SLB_VSID_B) | ava << HPTE_V_AVPN_SHIFT |
	       (actual > 12 ? HPTE_V_LARGE : 0) | (secondary ? HPTE_V_SECONDARY : 0) | HPTE_V_VALID;
}

static inline uint64_t lp_for(unsigned base, unsigned actual)
{
	if (base == 12)
		return actual == 16 ? 0x7 : actual == 24 ? 0x38 : 0;
	if (base == 16)
		return actual == 16 ? 0x1 : 0x8;
	return 0;
}

static inline uint64_t hpte_r_for(uint64_t ra, unsigned base, unsigned actual, uint64_t flags)
{
	return (ra & HPTE_R_RPN & ~((1ULL << actual) - 1)) | lp_for(base, actual) << 12 | flags;
}

/* The PTEG index (primary or secondary) in which ea's HPTE belongs. */
static inline uint64_t pteg_of(const struct b3s_fix *f, const struct book3s_slbe *s, uint64_t ea,
			bool secondary)
{
	uint64_t hash = book3s_hpt_hash(s, ea);

	return (secondary ? ~hash : hash) & (f->hpt.nptegs - 1);
}

static inline void hpte_store(struct b3s_fix *f, uint64_t ptex, uint64_t v, uint64_t r)
{
	uint64_t *w = (uint64_t *)((uint8_t *)f->table + ptex * HPTE_BYTES);

	w[0] = htobe64(v);
	w[1] = htobe64(r);
}

static inline struct book3s_hpte hpte_load(struct b3s_fix *f, uint64_t ptex)
{
	uint64_t *w = (uint64_t *)((uint8_t *)f->table + ptex * HPTE_BYTES);

	return (struct book3s_hpte){be64toh(w[0]), be64toh(w[1])};
}

/* Maps ea -> ra in slot `slot` of its primary (or secondary) PTEG; returns the index. */
static inline uint64_t map_page(struct b3s_fix *f, const struct book3s_slbe *s, uint64_t ea, uint64_t ra,
			 unsigned base, unsigned actual, bool secondary, unsigned slot,
			 uint64_t rflags)
{
	uint64_t ptex = pteg_of(f, s, ea, secondary) * HPTES_PER_GROUP + slot;

	hpte_store(f, ptex, hpte_v_for(s, ea, base, actual, secondary),
		   hpte_r_for(ra, base, actual, rflags));
	return ptex;
}

#endif
