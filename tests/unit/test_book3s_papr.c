// SPDX-License-Identifier: MIT
/* The PAPR page-table hypercalls (src/kvm/book3s/papr_hpt.c) through their decoder, as a guest
 * makes them (r3 the hcall, arguments from r4): H_ENTER with H_EXACT and H_ZERO_PAGE, H_REMOVE
 * with H_AVPN/H_ANDCOND, H_BULK_REMOVE, H_PROTECT, H_READ (one or four), H_CLEAR_REF/MOD, the
 * error codes, the invalidations they report, what a translation sees afterwards, and two
 * vcpu threads racing on one PTEG. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <softkvm/papr.h>

#include "book3s_fixture.h"

#define RW (HPTE_R_M | 0x2)
#define EA 0x10004000ULL
#define VSID 0x321ULL

static int setup(void **state)
{
	struct b3s_fix *f = b3s_fix_create();

	book3s_slbmte(&f->slb, slb_rs(VSID, false, 0), slb_rb(EA, false, 0), NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	b3s_fix_destroy(*state);
	return 0;
}

static const struct book3s_slbe *seg(struct b3s_fix *f)
{
	return book3s_slb_find(&f->slb, EA);
}

/* An hcall as the guest's registers carry it; returns r3. */
static long hcall(struct b3s_fix *f, uint64_t gpr[32], uint64_t nr)
{
	gpr[3] = nr;
	assert_true(book3s_papr_hpt_hcall(&f->papr, gpr));
	return (long)gpr[3];
}

static long h_enter(struct b3s_fix *f, uint64_t flags, uint64_t ptex, uint64_t v, uint64_t r,
		    uint64_t *slot)
{
	uint64_t gpr[32] = {[4] = flags, [5] = ptex, [6] = v, [7] = r};
	long rc = hcall(f, gpr, SKVM_H_ENTER);

	if (slot)
		*slot = gpr[4];
	return rc;
}

/* Enters EA -> ra (4 KiB) into its primary PTEG; returns the index. */
static uint64_t enter_ea(struct b3s_fix *f, uint64_t ea, uint64_t ra, uint64_t rflags)
{
	uint64_t slot;

	assert_int_equal(h_enter(f, 0, pteg_of(f, seg(f), ea, false) * 8,
				 hpte_v_for(seg(f), ea, 12, 12, false), ra | rflags, &slot),
			 SKVM_H_SUCCESS);
	return slot;
}

static int xl(struct b3s_fix *f, uint64_t ea, enum book3s_access acc, struct book3s_xlate *x)
{
	struct book3s_fault flt;

	return book3s_xlate(&f->ctx, ea, acc, x, &flt);
}

static void test_enter_then_read(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t group = pteg_of(f, seg(f), EA, false) * 8, v = hpte_v_for(seg(f), EA, 12, 12, false);
	uint64_t gpr[32] = {0}, slot;
	struct book3s_xlate x;

	/* the guest's software bits stay, the hypervisor's lock bit does not */
	assert_int_equal(h_enter(f, 0, group + 5, v | HPTE_V_HVLOCK | 0x10, 0x77000 | RW, &slot),
			 SKVM_H_SUCCESS);
	assert_int_equal(slot, group); /* the first free slot of the PTEG */
	gpr[4] = 0;
	gpr[5] = slot;
	assert_int_equal(hcall(f, gpr, SKVM_H_READ), SKVM_H_SUCCESS);
	assert_int_equal(gpr[4], v | 0x10);
	assert_int_equal(gpr[5], 0x77000 | RW);
	/* the table is big-endian, as the guest and a migration stream see it */
	assert_int_equal(((uint8_t *)f->table)[slot * 16 + 7] & 0x11, 0x11);
	assert_int_equal(xl(f, EA + 0x10, BOOK3S_LOAD, &x), 0);
	assert_int_equal(x.ra, 0x77010);
	/* an entry entered without V is made valid (HV KVM does the same) */
	assert_int_equal(h_enter(f, 0, group, v & ~HPTE_V_VALID, 0x78000 | RW, &slot),
			 SKVM_H_SUCCESS);
	assert_int_equal(slot, group + 1);
	assert_true(hpte_load(f, slot).v & HPTE_V_VALID);
	assert_int_equal(f->rec.n_page, 0); /* entering invalidates nothing */
}

static void test_enter_exact_and_full(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t group = pteg_of(f, seg(f), EA, false) * 8, v = hpte_v_for(seg(f), EA, 12, 12, false);
	uint64_t slot;

	assert_int_equal(h_enter(f, SKVM_H_EXACT, group + 6, v, RW, &slot), SKVM_H_SUCCESS);
	assert_int_equal(slot, group + 6);
	assert_int_equal(h_enter(f, SKVM_H_EXACT, group + 6, v, RW, &slot), SKVM_H_PTEG_FULL);
	assert_int_equal(slot, SKVM_H_EXACT); /* r4 untouched on failure */
	for (unsigned i = 0; i < 7; i++) {
		assert_int_equal(h_enter(f, 0, group + 3, v, RW, &slot), SKVM_H_SUCCESS);
		assert_int_equal(slot, group + (i < 6 ? i : 7));
	}
	assert_int_equal(h_enter(f, 0, group, v, RW, &slot), SKVM_H_PTEG_FULL);
	assert_int_equal(h_enter(f, SKVM_H_EXACT, group + 2, v, RW, &slot), SKVM_H_PTEG_FULL);
}

static void test_enter_parameter_errors(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t v = hpte_v_for(seg(f), EA, 12, 12, false), slot;
	struct book3s_papr_hpt none = {0};
	uint64_t gpr[32] = {[3] = SKVM_H_ENTER, [5] = 0, [6] = v, [7] = RW};

	/* an index beyond the table's 2048 * 8 entries */
	assert_int_equal(h_enter(f, 0, 2048 * 8, v, RW, &slot), SKVM_H_PARAMETER);
	assert_int_equal(h_enter(f, SKVM_H_EXACT, ~0ULL, v, RW, &slot), SKVM_H_PARAMETER);
	/* a segment size B=0b10 and a page size POWER8 lacks (L=1, LP 0011: 16 GiB) */
	assert_int_equal(h_enter(f, 0, 0, v | 0x8000000000000000ULL, RW, &slot), SKVM_H_PARAMETER);
	assert_int_equal(h_enter(f, 0, 0, v | HPTE_V_LARGE, 0x3000 | RW, &slot), SKVM_H_PARAMETER);
	/* nothing was written */
	for (uint64_t i = 0; i < 16; i++)
		assert_int_equal(hpte_load(f, i).v, 0);
	/* no table at all */
	assert_true(book3s_papr_hpt_hcall(&none, gpr));
	assert_int_equal((long)gpr[3], SKVM_H_FUNCTION);
}

static void test_enter_zero_page(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t v = hpte_v_for(seg(f), EA, 12, 12, false), slot;

	memset(f->ram + 0x30000, 0xaa, 0x2000);
	assert_int_equal(h_enter(f, SKVM_H_ZERO_PAGE, 0, v, 0x30000 | RW, &slot), SKVM_H_SUCCESS);
	assert_int_equal(f->ram[0x30000], 0);
	assert_int_equal(f->ram[0x30fff], 0);
	assert_int_equal(f->ram[0x31000], 0xaa); /* only the 4 KiB page */
	assert_int_equal(f->written_gpa, 0x30000);
	assert_int_equal(f->written_len, 0x1000);
	/* beyond RAM (an I/O page) the flag is ignored and the entry still goes in */
	f->written_len = 0;
	assert_int_equal(h_enter(f, SKVM_H_ZERO_PAGE, 0, v, 0xf0000000ULL | RW, &slot),
			 SKVM_H_SUCCESS);
	assert_int_equal(f->written_len, 0);
	/* a 16 MiB page is zeroed whole; one that runs past the end of RAM not at all */
	memset(f->ram + (16u << 20), 0x55, 16u << 20);
	assert_int_equal(h_enter(f, SKVM_H_ZERO_PAGE, 8, v | HPTE_V_LARGE, (16u << 20) | RW, &slot),
			 SKVM_H_SUCCESS);
	assert_int_equal(f->ram[(32u << 20) - 1], 0);
	assert_int_equal(f->written_len, 16u << 20);
}

static void test_remove(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t slot = enter_ea(f, EA, 0x5000, RW), v = hpte_load(f, slot).v;
	uint64_t gpr[32] = {0};
	struct book3s_xlate x;

	assert_int_equal(xl(f, EA, BOOK3S_STORE, &x), 0); /* sets R and C */
	/* AVPN that differs, AND condition that hits: not found, entry kept */
	gpr[4] = SKVM_H_AVPN;
	gpr[5] = slot;
	gpr[6] = (v & ~0x7fULL) ^ 0x80;
	assert_int_equal(hcall(f, gpr, SKVM_H_REMOVE), SKVM_H_NOT_FOUND);
	gpr[4] = SKVM_H_ANDCOND;
	gpr[6] = HPTE_V_VALID;
	assert_int_equal(hcall(f, gpr, SKVM_H_REMOVE), SKVM_H_NOT_FOUND);
	assert_int_equal(f->rec.n_page, 0);
	assert_int_equal(xl(f, EA, BOOK3S_LOAD, &x), 0);
	/* the right AVPN: removed, both words returned with R and C */
	gpr[4] = SKVM_H_AVPN;
	gpr[6] = v & ~0x7fULL;
	assert_int_equal(hcall(f, gpr, SKVM_H_REMOVE), SKVM_H_SUCCESS);
	assert_int_equal(gpr[4], v);
	assert_int_equal(gpr[5], 0x5000 | RW | HPTE_R_R | HPTE_R_C);
	assert_int_equal(hpte_load(f, slot).v, 0);
	assert_int_equal(xl(f, EA, BOOK3S_LOAD, &x), 1);
	/* the shadows of exactly that page are dropped */
	assert_int_equal(f->rec.n_page, 1);
	assert_int_equal(f->rec.vpn[0], (VSID << 16) | (EA & 0xfffffff) >> 12);
	assert_int_equal(f->rec.shift[0], 12);
	assert_int_equal(f->hpt.inval_seq, 1);
	/* again: nothing there */
	gpr[4] = 0;
	gpr[5] = slot;
	assert_int_equal(hcall(f, gpr, SKVM_H_REMOVE), SKVM_H_NOT_FOUND);
	gpr[5] = 1ULL << 40;
	assert_int_equal(hcall(f, gpr, SKVM_H_REMOVE), SKVM_H_PARAMETER);
}

static void test_remove_invalidates_secondary_and_large(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t ea16 = 0x23000000ULL, out[2];
	struct book3s_slbe *s16;
	uint64_t ptex;

	/* a 4 KiB page entered in its secondary PTEG: the VA comes back from the complement */
	ptex = map_page(f, seg(f), EA + 0x3000, 0x3000, 12, 12, true, 2, RW);
	assert_int_equal(book3s_h_remove(&f->papr, 0, ptex, 0, out), SKVM_H_SUCCESS);
	assert_int_equal(f->rec.vpn[0], (VSID << 16) | ((EA + 0x3000) & 0xfffffff) >> 12);
	/* a 16 MiB page in a 16 MiB segment */
	book3s_slbmte(&f->slb, slb_rs(0x4567, false, SLB_VSID_L), slb_rb(ea16, false, 1), NULL);
	s16 = &f->slb.e[1];
	ptex = map_page(f, s16, ea16, 0x1000000, 24, 24, false, 0, RW);
	assert_int_equal(book3s_h_remove(&f->papr, 0, ptex, 0, out), SKVM_H_SUCCESS);
	assert_int_equal(f->rec.vpn[1], (0x4567ULL << 16) | 0x3000);
	assert_int_equal(f->rec.shift[1], 24);
}

static void test_bulk_remove(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t a = enter_ea(f, EA, 0x1000, RW), b = enter_ea(f, EA + 0x1000, 0x2000, RW);
	uint64_t va = hpte_load(f, a).v, gpr[32] = {0};
	struct book3s_xlate x;

	assert_int_equal(xl(f, EA + 0x1000, BOOK3S_LOAD, &x), 0); /* R on b */
	gpr[4] = SKVM_H_BULK_REMOVE_REQUEST | SKVM_H_BULK_REMOVE_AVPN | a;
	gpr[5] = va & ~0x7fULL;
	gpr[6] = SKVM_H_BULK_REMOVE_REQUEST | b;
	gpr[8] = SKVM_H_BULK_REMOVE_REQUEST | 7; /* empty slot */
	gpr[10] = SKVM_H_BULK_REMOVE_END;
	gpr[11] = 0x1234;
	assert_int_equal(hcall(f, gpr, SKVM_H_BULK_REMOVE), SKVM_H_SUCCESS);
	assert_int_equal(gpr[4], SKVM_H_BULK_REMOVE_RESPONSE | SKVM_H_BULK_REMOVE_AVPN | a);
	/* R of b in the RC field (R = 0x0800..., C = 0x0400...) */
	assert_int_equal(gpr[6], SKVM_H_BULK_REMOVE_RESPONSE | 0x0800000000000000ULL | b);
	assert_int_equal(gpr[8], SKVM_H_BULK_REMOVE_RESPONSE | SKVM_H_BULK_REMOVE_NOT_FOUND | 7);
	assert_int_equal(gpr[10], SKVM_H_BULK_REMOVE_END); /* untouched after the end */
	assert_int_equal(hpte_load(f, a).v | hpte_load(f, b).v, 0);
	assert_int_equal(f->rec.n_page, 2);
	/* a bad request type or AVPN with ANDCOND: H_PARAMETER, marked, and the rest not done */
	b = enter_ea(f, EA + 0x2000, 0x3000, RW);
	memset(gpr, 0, sizeof(gpr));
	gpr[4] = SKVM_H_BULK_REMOVE_REQUEST | SKVM_H_BULK_REMOVE_FLAGS | 3;
	gpr[6] = SKVM_H_BULK_REMOVE_REQUEST | b;
	assert_int_equal(hcall(f, gpr, SKVM_H_BULK_REMOVE), SKVM_H_PARAMETER);
	assert_int_equal(gpr[4], SKVM_H_BULK_REMOVE_RESPONSE | SKVM_H_BULK_REMOVE_PARM |
					 SKVM_H_BULK_REMOVE_FLAGS | 3);
	assert_true(hpte_load(f, b).v & HPTE_V_VALID);
	gpr[4] = b; /* type 00 */
	assert_int_equal(hcall(f, gpr, SKVM_H_BULK_REMOVE), SKVM_H_PARAMETER);
	gpr[4] = SKVM_H_BULK_REMOVE_REQUEST | SKVM_H_BULK_REMOVE_PTEX; /* beyond the table */
	assert_int_equal(hcall(f, gpr, SKVM_H_BULK_REMOVE), SKVM_H_PARAMETER);
	assert_true(hpte_load(f, b).v & HPTE_V_VALID);
}

static void test_protect(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t slot = enter_ea(f, EA, 0x6000, RW), v = hpte_load(f, slot).v;
	uint64_t gpr[32] = {0};
	struct book3s_xlate x;
	struct book3s_fault flt;

	assert_int_equal(xl(f, EA, BOOK3S_STORE, &x), 0);
	/* to read-only and no-execute, key 0b10001 (KEY 0:1 from flags 0x3000, 2:4 in place) */
	gpr[4] = SKVM_H_PP1 | SKVM_H_PP2 | SKVM_H_N | 0x1000 | 0x200;
	gpr[5] = slot;
	assert_int_equal(hcall(f, gpr, SKVM_H_PROTECT), SKVM_H_SUCCESS);
	assert_int_equal(hpte_load(f, slot).r, 0x6000 | HPTE_R_M | 0x3 | HPTE_R_N | HPTE_R_R |
						       HPTE_R_C | 0x1000000000000000ULL | 0x200);
	assert_int_equal(f->rec.n_page, 1);
	assert_int_equal(book3s_xlate(&f->ctx, EA, BOOK3S_STORE, &x, &flt), 1);
	assert_int_equal(flt.dsisr, DSISR_PROTFAULT | DSISR_ISSTORE);
	assert_int_equal(book3s_xlate(&f->ctx, EA, BOOK3S_FETCH, &x, &flt), 1);
	assert_int_equal(flt.srr1, SRR1_ISI_N_OR_G);
	/* PP0 from the flags' 0x100 */
	gpr[4] = 0x100 | SKVM_H_PP1;
	assert_int_equal(hcall(f, gpr, SKVM_H_PROTECT), SKVM_H_SUCCESS);
	assert_int_equal(hpte_load(f, slot).r & (HPTE_R_PP0 | HPTE_R_PP), HPTE_R_PP0 | 0x2);
	/* the same protection again changes nothing: no invalidation */
	assert_int_equal(hcall(f, gpr, SKVM_H_PROTECT), SKVM_H_SUCCESS);
	assert_int_equal(f->rec.n_page, 2);
	/* a wrong AVPN, an empty slot, an index beyond the table */
	gpr[4] = SKVM_H_AVPN;
	gpr[6] = 0;
	assert_int_equal(hcall(f, gpr, SKVM_H_PROTECT), SKVM_H_NOT_FOUND);
	gpr[4] = 0;
	gpr[5] = slot ^ 7;
	assert_int_equal(hcall(f, gpr, SKVM_H_PROTECT), SKVM_H_NOT_FOUND);
	gpr[5] = 2048 * 8;
	assert_int_equal(hcall(f, gpr, SKVM_H_PROTECT), SKVM_H_PARAMETER);
	assert_int_equal(hpte_load(f, slot).v, v);
}

static void test_read_4(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t group = pteg_of(f, seg(f), EA, false) * 8, gpr[32] = {0};

	for (unsigned i = 0; i < 8; i++)
		hpte_store(f, group + i, 0x100 * i | HPTE_V_VALID, 0x1000 * i);
	gpr[4] = SKVM_H_READ_4 | SKVM_H_R_XLATE;
	gpr[5] = group + 6; /* rounded down to a multiple of 4 */
	gpr[12] = 0xdead;
	assert_int_equal(hcall(f, gpr, SKVM_H_READ), SKVM_H_SUCCESS);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(gpr[4 + 2 * i], 0x100 * (4 + i) | HPTE_V_VALID);
		assert_int_equal(gpr[5 + 2 * i], 0x1000 * (4 + i));
	}
	assert_int_equal(gpr[12], 0xdead);
	gpr[4] = 0;
	gpr[5] = 2048 * 8 - 1; /* the last entry is fine, one more is not */
	assert_int_equal(hcall(f, gpr, SKVM_H_READ), SKVM_H_SUCCESS);
	gpr[4] = SKVM_H_READ_4;
	gpr[5] = 2048 * 8;
	assert_int_equal(hcall(f, gpr, SKVM_H_READ), SKVM_H_PARAMETER);
}

static void test_clear_ref_and_mod(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t slot = enter_ea(f, EA, 0x8000, RW), gpr[32] = {0};
	struct book3s_xlate x;

	assert_int_equal(xl(f, EA, BOOK3S_STORE, &x), 0);
	assert_true(x.prot & BOOK3S_PROT_WRITE);
	gpr[5] = slot;
	assert_int_equal(hcall(f, gpr, SKVM_H_CLEAR_MOD), SKVM_H_SUCCESS);
	assert_int_equal(gpr[4], 0x8000 | RW | HPTE_R_R | HPTE_R_C); /* as it was */
	assert_int_equal(hpte_load(f, slot).r & (HPTE_R_R | HPTE_R_C), HPTE_R_R);
	assert_int_equal(f->rec.n_page, 1);
	/* a load neither sets C nor lets a shadow store; the next store sets C again */
	assert_int_equal(xl(f, EA, BOOK3S_LOAD, &x), 0);
	assert_int_equal(x.prot & BOOK3S_PROT_WRITE, 0);
	assert_int_equal(hpte_load(f, slot).r & HPTE_R_C, 0);
	assert_int_equal(xl(f, EA, BOOK3S_STORE, &x), 0);
	assert_int_equal(hpte_load(f, slot).r & HPTE_R_C, HPTE_R_C);
	gpr[4] = 0;
	gpr[5] = slot;
	assert_int_equal(hcall(f, gpr, SKVM_H_CLEAR_REF), SKVM_H_SUCCESS);
	assert_int_equal(gpr[4] & (HPTE_R_R | HPTE_R_C), HPTE_R_R | HPTE_R_C);
	assert_int_equal(hpte_load(f, slot).r & (HPTE_R_R | HPTE_R_C), HPTE_R_C);
	assert_int_equal(xl(f, EA, BOOK3S_LOAD, &x), 0);
	assert_int_equal(hpte_load(f, slot).r & HPTE_R_R, HPTE_R_R);
	/* clearing a clear bit invalidates nothing; an empty slot is not found */
	gpr[4] = 0;
	gpr[5] = slot;
	f->rec.n_page = 0;
	assert_int_equal(hcall(f, gpr, SKVM_H_CLEAR_REF), SKVM_H_SUCCESS);
	assert_int_equal(hcall(f, gpr, SKVM_H_CLEAR_REF), SKVM_H_SUCCESS);
	assert_int_equal(f->rec.n_page, 1);
	gpr[5] = slot ^ 1;
	assert_int_equal(hcall(f, gpr, SKVM_H_CLEAR_MOD), SKVM_H_NOT_FOUND);
	gpr[5] = 1ULL << 63;
	assert_int_equal(hcall(f, gpr, SKVM_H_CLEAR_REF), SKVM_H_PARAMETER);
}

static void test_decoder_leaves_others(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t gpr[32], before[32];

	for (unsigned i = 0; i < 32; i++)
		gpr[i] = before[i] = 0x1111 * i;
	const uint64_t others[] = {SKVM_H_CEDE, SKVM_H_PUT_TERM_CHAR, SKVM_H_SET_MODE, 0, 0x400,
				   SKVM_H_RTAS};
	for (unsigned i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		gpr[3] = before[3] = others[i];
		assert_false(book3s_papr_hpt_hcall(&f->papr, gpr));
		assert_memory_equal(gpr, before, sizeof(gpr));
	}
}

/* Two vcpu threads enter four pages each into the same PTEG and remove them, over and over:
 * with the entry lock every H_ENTER gets a slot of its own (8 slots, 8 pages), and each
 * thread finds its entries intact until it removes them. Without it two H_ENTERs take the
 * same free slot and one entry is lost (seen when the threads overlap, which a busy host
 * does not always allow: the test can miss a broken lock, never fail a sound one). */
struct racer {
	struct b3s_fix *f;
	pthread_barrier_t *start;
	unsigned id;
	unsigned failures;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct b3s_fix *f = r->f;
	uint64_t group = pteg_of(f, seg(f), EA, false) * 8;

	pthread_barrier_wait(r->start);
	for (unsigned round = 0; round < 20000; round++) {
		uint64_t slots[4], out[2];

		for (unsigned i = 0; i < 4; i++) {
			uint64_t v = (0x1000ULL * (r->id * 4 + i + 1)) << 7 | HPTE_V_VALID;

			if (book3s_h_enter(&f->papr, 0, group, v, round, &slots[i]) != SKVM_H_SUCCESS)
				r->failures++;
		}
		for (unsigned i = 0; i < 4; i++) {
			uint64_t v = (0x1000ULL * (r->id * 4 + i + 1)) << 7 | HPTE_V_VALID;

			if (book3s_h_remove(&f->papr, SKVM_H_AVPN, slots[i], v & ~0x7fULL, out) !=
				    SKVM_H_SUCCESS ||
			    out[1] != round)
				r->failures++;
		}
	}
	return NULL;
}

static void test_two_vcpus_one_pteg(void **state)
{
	struct b3s_fix *f = *state;
	pthread_barrier_t start;
	struct racer r[2] = {{f, &start, 0, 0}, {f, &start, 1, 0}};
	pthread_t t[2];

	pthread_barrier_init(&start, NULL, 2);
	for (unsigned i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	for (unsigned i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	assert_int_equal(r[0].failures + r[1].failures, 0);
	for (uint64_t i = 0; i < 2048 * 8; i++)
		assert_int_equal(hpte_load(f, i).v, 0);
}

/* The interleaving the lock exists for, step by step: a translation found the entry, then
 * another vcpu's H_PROTECT (or H_REMOVE) changed it before the translation recorded R/C. The
 * recording must notice and leave the new entry alone (the translation searches again). */
static void test_rc_recording_rechecks_entry(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t slot = enter_ea(f, EA, 0xa000, RW), out[2];
	struct book3s_hpt_hit hit;

	assert_true(book3s_hpt_find(&f->hpt, seg(f), EA, &hit));
	assert_int_equal(hit.ptex, slot);
	assert_int_equal(book3s_h_protect(&f->papr, SKVM_H_PP1 | SKVM_H_PP2, slot, 0),
			 SKVM_H_SUCCESS);
	assert_false(book3s_hpt_set_rc(&f->hpt, &hit, HPTE_R_R | HPTE_R_C));
	assert_int_equal(hpte_load(f, slot).r, 0xa000 | HPTE_R_M | 0x3);
	/* found again, it records */
	assert_true(book3s_hpt_find(&f->hpt, seg(f), EA, &hit));
	assert_true(book3s_hpt_set_rc(&f->hpt, &hit, HPTE_R_R));
	assert_int_equal(hpte_load(f, slot).r, 0xa000 | HPTE_R_M | 0x3 | HPTE_R_R);
	/* removed in between: nothing comes back to life */
	assert_int_equal(book3s_h_remove(&f->papr, 0, slot, 0, out), SKVM_H_SUCCESS);
	assert_false(book3s_hpt_set_rc(&f->hpt, &hit, HPTE_R_C));
	assert_int_equal(hpte_load(f, slot).v, 0);
	/* an entry another vcpu holds is no free slot for H_ENTER */
	assert_int_equal(book3s_hpte_lock(&f->hpt, slot), 0);
	assert_false(book3s_hpte_trylock_free(&f->hpt, slot));
	book3s_hpte_unlock(&f->hpt, slot, 0);
	assert_true(book3s_hpte_trylock_free(&f->hpt, slot));
	book3s_hpte_unlock(&f->hpt, slot, 0);
}

/* One vcpu changes an entry's key by H_PROTECT and reads it back while another keeps
 * clearing C and storing to the page, so every store records C again. The recording takes
 * the entry's lock and re-checks it: it never writes back a second word from before an
 * H_PROTECT (a lost update would show as an old key read back). Like the test above it, it
 * needs the two threads to overlap, which a busy host does not always allow: it can miss a
 * broken lock, never fail a sound one; test_rc_recording_rechecks_entry is the deterministic
 * version. */
struct rc_racer {
	struct b3s_fix *f;
	pthread_barrier_t *start;
	uint64_t slot;
	unsigned failures, stores;
};

static void *rc_store(void *arg)
{
	struct rc_racer *r = arg;
	struct book3s_mmu_ctx ctx = r->f->ctx; /* this vcpu's MSR, AMR: its own */
	struct book3s_xlate x;
	struct book3s_fault flt;
	uint64_t old;

	pthread_barrier_wait(r->start);
	for (unsigned i = 0; i < 20000; i++) {
		book3s_h_clear_mod(&r->f->papr, 0, r->slot, &old);
		if (book3s_xlate(&ctx, EA, BOOK3S_STORE, &x, &flt))
			r->failures++;
		else
			r->stores++;
	}
	return NULL;
}

static void *rc_protect(void *arg)
{
	struct rc_racer *r = arg;
	uint64_t out[8];

	pthread_barrier_wait(r->start);
	for (unsigned i = 1; i <= 20000; i++) {
		uint64_t key = i % 32;

		/* still the key of the last H_PROTECT (0 from H_ENTER at first)? */
		book3s_h_read(&r->f->papr, 0, r->slot, out);
		if (((out[1] & HPTE_R_KEY_HI) >> 57 | (out[1] & HPTE_R_KEY_LO) >> 9) != (i - 1) % 32)
			r->failures++;
		/* key bits 0:1 in flags 0x3000, 2:4 in 0xe00; PP stays read/write */
		book3s_h_protect(&r->f->papr, (key >> 3) << 12 | (key & 7) << 9 | SKVM_H_PP1, r->slot,
				 0);
	}
	return NULL;
}

static void test_rc_update_never_undoes_protect(void **state)
{
	struct b3s_fix *f = *state;
	pthread_barrier_t start;
	struct rc_racer r = {f, &start, enter_ea(f, EA, 0x9000, RW), 0, 0};
	pthread_t t[2];

	pthread_barrier_init(&start, NULL, 2);
	assert_int_equal(pthread_create(&t[0], NULL, rc_store, &r), 0);
	assert_int_equal(pthread_create(&t[1], NULL, rc_protect, &r), 0);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	pthread_barrier_destroy(&start);
	assert_int_equal(r.failures, 0);
	assert_int_equal(r.stores, 20000);
	assert_int_equal(hpte_load(f, r.slot).r & (HPTE_R_RPN | HPTE_R_PP), 0x9000 | 0x2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_enter_then_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enter_exact_and_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enter_parameter_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enter_zero_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_invalidates_secondary_and_large, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bulk_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clear_ref_and_mod, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decoder_leaves_others, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rc_recording_rechecks_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_vcpus_one_pteg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rc_update_never_undoes_protect, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
