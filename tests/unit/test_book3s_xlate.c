// SPDX-License-Identifier: MIT
/* Effective-to-real translation of the Book3S-64 MMU (src/kvm/book3s/xlate.c, hpt.c): pages of
 * 4 KiB, 64 KiB and 16 MiB (and a mixed size), the primary and the secondary hash, 1 TiB
 * segments, R and C recording, the interrupt and its DSISR/SRR1 bits for each kind of fault,
 * real mode within the RMA. Entries are written into the table the way a guest's H_ENTER
 * leaves them (big-endian, book3s_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "book3s_fixture.h"

#define RW (HPTE_R_M | 0x2) /* PP=10: read/write with either key */
#define RO (HPTE_R_M | 0x3) /* PP=11: read-only with either key */

static int setup(void **state)
{
	*state = b3s_fix_create();
	return 0;
}

static int teardown(void **state)
{
	b3s_fix_destroy(*state);
	return 0;
}

static const struct book3s_slbe *segment(struct b3s_fix *f, uint64_t ea, uint64_t vsid, bool tb,
					 uint64_t flags, unsigned index)
{
	assert_true(book3s_slbmte(&f->slb, slb_rs(vsid, tb, flags), slb_rb(ea, tb, index), NULL));
	return book3s_slb_find(&f->slb, ea);
}

static int xl(struct b3s_fix *f, uint64_t ea, enum book3s_access acc, struct book3s_xlate *x,
	      struct book3s_fault *flt)
{
	return book3s_xlate(&f->ctx, ea, acc, x, flt);
}

static void test_4k_primary_load_sets_r(void **state)
{
	struct b3s_fix *f = *state;
	const struct book3s_slbe *s = segment(f, 0xc000000000000000ULL, 0x123456, false, 0, 0);
	uint64_t ea = 0xc000000001234567ULL;
	uint64_t ptex = map_page(f, s, ea, 0x00abc000, 12, 12, false, 3, RW);
	struct book3s_xlate x;
	struct book3s_fault flt;

	assert_int_equal(xl(f, ea, BOOK3S_LOAD, &x, &flt), 0);
	assert_int_equal(x.ra, 0x00abc567);
	assert_int_equal(x.page_shift, 12);
	assert_int_equal(x.ptex, ptex);
	assert_int_equal(x.vpn, (0x123456ULL << 16) | 0x1234);
	assert_int_equal(x.wimg, HPTE_R_M);
	/* R recorded; C not yet, so a shadow may not store without asking again */
	assert_int_equal(hpte_load(f, ptex).r & (HPTE_R_R | HPTE_R_C), HPTE_R_R);
	assert_int_equal(x.prot, BOOK3S_PROT_READ | BOOK3S_PROT_EXEC);
	assert_false(x.real);
}

static void test_store_sets_c(void **state)
{
	struct b3s_fix *f = *state;
	const struct book3s_slbe *s = segment(f, 0x10000000, 0x777, false, 0, 1);
	uint64_t ptex = map_page(f, s, 0x10005000, 0x200000, 12, 12, false, 0, RW);
	struct book3s_xlate x;
	struct book3s_fault flt;

	assert_int_equal(xl(f, 0x10005008, BOOK3S_STORE, &x, &flt), 0);
	assert_int_equal(x.ra, 0x200008);
	assert_int_equal(hpte_load(f, ptex).r & (HPTE_R_R | HPTE_R_C), HPTE_R_R | HPTE_R_C);
	assert_int_equal(x.prot, BOOK3S_PROT_READ | BOOK3S_PROT_WRITE | BOOK3S_PROT_EXEC);
	/* the rest of the second word is untouched */
	assert_int_equal(hpte_load(f, ptex).r & ~(HPTE_R_R | HPTE_R_C), 0x200000 | RW);
}

static void test_secondary_hash(void **state)
{
	struct b3s_fix *f = *state;
	const struct book3s_slbe *s = segment(f, 0x20000000, 0x4242, false, 0, 2);
	struct book3s_xlate x;
	struct book3s_fault flt;
	uint64_t ptex;

	/* fill the primary PTEG with other pages, the entry goes to the secondary one */
	for (unsigned i = 0; i < 8; i++)
		map_page(f, s, 0x20000000 + (uint64_t)(i + 1) * (2048ULL << 12), 0x1000 * i, 12, 12,
			 false, i, RW);
	ptex = map_page(f, s, 0x20003000, 0x5000, 12, 12, true, 5, RW);
	assert_int_not_equal(ptex / 8, pteg_of(f, s, 0x20003000, false));
	assert_int_equal(xl(f, 0x20003010, BOOK3S_LOAD, &x, &flt), 0);
	assert_int_equal(x.ra, 0x5010);
	assert_int_equal(x.ptex, ptex);
	/* an entry in the secondary PTEG without H set is not the page's */
	hpte_store(f, ptex, hpte_v_for(s, 0x20003000, 12, 12, false), 0x5000 | RW);
	assert_int_equal(xl(f, 0x20003010, BOOK3S_LOAD, &x, &flt), 1);
	assert_int_equal(flt.vector, BOOK3S_VEC_DSI);
	assert_int_equal(flt.dsisr, DSISR_NOHPTE);
}

static void test_64k_page(void **state)
{
	struct b3s_fix *f = *state;
	const struct book3s_slbe *s =
		segment(f, 0x30000000, 0x999, false, SLB_VSID_L | SLB_VSID_LP_01, 3);
	uint64_t ptex = map_page(f, s, 0x30010000, 0x1230000, 16, 16, false, 2, RW);
	struct book3s_xlate x;
	struct book3s_fault flt;

	assert_int_equal(s->base_shift, 16);
	/* every 4 KiB of the 64 KiB page hashes to the same entry */
	assert_int_equal(xl(f, 0x30010000, BOOK3S_LOAD, &x, &flt), 0);
	assert_int_equal(x.ra, 0x1230000);
	assert_int_equal(xl(f, 0x3001fffc, BOOK3S_LOAD, &x, &flt), 0);
	assert_int_equal(x.ra, 0x123fffc);
	assert_int_equal(x.page_shift, 16);
	assert_int_equal(x.ptex, ptex);
	/* the next 64 KiB page is not mapped */
	assert_int_equal(xl(f, 0x30020000, BOOK3S_LOAD, &x, &flt), 1);
	assert_int_equal(flt.dsisr, DSISR_NOHPTE);
}

static void test_16m_page(void **state)
{
	struct b3s_fix *f = *state;
	const struct book3s_slbe *s = segment(f, 0xd000000000000000ULL, 0x5a5a5, false,
					      SLB_VSID_L | SLB_VSID_LP_00, 4);
	uint64_t ea = 0xd000000003000000ULL;
	struct book3s_xlate x;
	struct book3s_fault flt;

	map_page(f, s, ea, 0x5000000, 24, 24, false, 7, RW);
	assert_int_equal(xl(f, ea + 0xfedcba, BOOK3S_STORE, &x, &flt), 0);
	assert_int_equal(x.ra, 0x5fedcba);
	assert_int_equal(x.page_shift, 24);
	/* a 4 KiB-page entry (L=0) for the same address does not serve a 16 MiB segment */
	memset(f->table, 0, HPT_ALIGN);
	map_page(f, s, ea, 0x5000000, 12, 12, false, 7, RW);
	assert_int_equal(xl(f, ea, BOOK3S_LOAD, &x, &flt), 1);
	assert_int_equal(flt.dsisr, DSISR_NOHPTE);
}

static void test_mixed_page_size(void **state)
{
	struct b3s_fix *f = *state;
	const struct book3s_slbe *s = segment(f, 0x40000000, 0x31337, false, 0, 5);
	struct book3s_xlate x;
	struct book3s_fault flt;

	/* a 64 KiB page in a 4 KiB segment (MPSS, LP 0111): the hash is the 4 KiB page's */
	map_page(f, s, 0x40013000, 0x7770000, 12, 16, false, 1, RW);
	assert_int_equal(xl(f, 0x40013abc, BOOK3S_LOAD, &x, &flt), 0);
	assert_int_equal(x.ra, 0x7773abc);
	assert_int_equal(x.page_shift, 16);
}

static void test_1t_segment(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t ea = 0x0000123456789000ULL; /* offset 0x3456789000 in the 1 TiB segment 0x12 */
	const struct book3s_slbe *s = segment(f, ea, 0xabcdef, true, 0, 6);
	struct book3s_slbe as256 = *s;
	struct book3s_xlate x;
	struct book3s_fault flt;

	assert_int_equal(s->seg_shift, 40);
	map_page(f, s, ea, 0x9000, 12, 12, false, 4, RW);
	assert_int_equal(xl(f, ea + 0x44, BOOK3S_LOAD, &x, &flt), 0);
	assert_int_equal(x.ra, 0x9044);
	assert_int_equal(x.vpn, (0xabcdefULL << 28) | (0x3456789000ULL >> 12));
	/* the 1 TiB hash folds the VSID in twice */
	as256.seg_shift = 28;
	assert_int_not_equal(book3s_hpt_hash(s, ea), book3s_hpt_hash(&as256, ea));
	assert_int_equal(book3s_hpt_hash(s, ea),
			 (0xabcdefULL ^ (0xabcdefULL << 25) ^ (0x3456789000ULL >> 12)) &
				 0x7fffffffffULL);
}

static void test_no_hpte_faults(void **state)
{
	struct b3s_fix *f = *state;
	struct book3s_xlate x;
	struct book3s_fault flt;

	segment(f, 0x50000000, 0x55, false, 0, 7);
	assert_int_equal(xl(f, 0x50000123, BOOK3S_LOAD, &x, &flt), 1);
	assert_int_equal(flt.vector, BOOK3S_VEC_DSI);
	assert_int_equal(flt.dar, 0x50000123);
	assert_int_equal(flt.dsisr, 0x40000000);
	assert_int_equal(xl(f, 0x50000123, BOOK3S_STORE, &x, &flt), 1);
	assert_int_equal(flt.dsisr, 0x42000000);
	assert_int_equal(xl(f, 0x50000120, BOOK3S_FETCH, &x, &flt), 1);
	assert_int_equal(flt.vector, BOOK3S_VEC_ISI);
	assert_int_equal(flt.srr1, 0x40000000);
	assert_int_equal(flt.dsisr, 0);
}

static void test_segment_faults(void **state)
{
	struct b3s_fix *f = *state;
	struct book3s_xlate x;
	struct book3s_fault flt;

	segment(f, 0x50000000, 0x55, false, 0, 7);
	assert_int_equal(xl(f, 0x60000010, BOOK3S_STORE, &x, &flt), 1);
	assert_int_equal(flt.vector, BOOK3S_VEC_DSEG);
	assert_int_equal(flt.dar, 0x60000010);
	assert_int_equal(xl(f, 0x60000010, BOOK3S_FETCH, &x, &flt), 1);
	assert_int_equal(flt.vector, BOOK3S_VEC_ISEG);
	assert_int_equal(flt.srr1, 0);
}

static void test_pp_protection(void **state)
{
	struct b3s_fix *f = *state;
	/* user segment: Kp=1, so problem state uses key 1 */
	const struct book3s_slbe *s = segment(f, 0x70000000, 0x70, false, SLB_VSID_KP, 8);
	uint64_t ro = map_page(f, s, 0x70001000, 0x1000, 12, 12, false, 0, RO);
	struct book3s_xlate x;
	struct book3s_fault flt;

	map_page(f, s, 0x70002000, 0x2000, 12, 12, false, 0, HPTE_R_M | 0x0); /* PP=00 */
	/* PP=11: a store faults with protection + store, and records neither R nor C */
	assert_int_equal(xl(f, 0x70001004, BOOK3S_STORE, &x, &flt), 1);
	assert_int_equal(flt.vector, BOOK3S_VEC_DSI);
	assert_int_equal(flt.dsisr, 0x0a000000);
	assert_int_equal(hpte_load(f, ro).r & (HPTE_R_R | HPTE_R_C), 0);
	assert_int_equal(xl(f, 0x70001004, BOOK3S_LOAD, &x, &flt), 0);
	/* PP=00: the kernel (key Ks=0) reads and writes, the user (key Kp=1) nothing */
	assert_int_equal(xl(f, 0x70002000, BOOK3S_STORE, &x, &flt), 0);
	f->ctx.msr |= BOOK3S_MSR_PR;
	assert_int_equal(xl(f, 0x70002000, BOOK3S_LOAD, &x, &flt), 1);
	assert_int_equal(flt.dsisr, 0x08000000);
	assert_int_equal(xl(f, 0x70002000, BOOK3S_FETCH, &x, &flt), 1);
	assert_int_equal(flt.vector, BOOK3S_VEC_ISI);
	assert_int_equal(flt.srr1, 0x08000000);
	/* PP0=1 PP=10 (supervisor read-only): the kernel reads but may not store */
	f->ctx.msr &= ~BOOK3S_MSR_PR;
	map_page(f, s, 0x70003000, 0x3000, 12, 12, false, 0, HPTE_R_M | HPTE_R_PP0 | 0x2);
	assert_int_equal(xl(f, 0x70003000, BOOK3S_LOAD, &x, &flt), 0);
	assert_int_equal(x.prot & BOOK3S_PROT_WRITE, 0);
	assert_int_equal(xl(f, 0x70003000, BOOK3S_STORE, &x, &flt), 1);
	assert_int_equal(flt.dsisr, 0x0a000000);
}

static void test_no_execute(void **state)
{
	struct b3s_fix *f = *state;
	const struct book3s_slbe *s = segment(f, 0x80000000, 0x80, false, 0, 9);
	struct book3s_xlate x;
	struct book3s_fault flt;

	map_page(f, s, 0x80001000, 0x1000, 12, 12, false, 0, RW | HPTE_R_N);
	map_page(f, s, 0x80002000, 0x2000, 12, 12, false, 0, HPTE_R_I | HPTE_R_G | 0x2);
	map_page(f, s, 0x80003000, 0x3000, 12, 12, false, 0, RW);
	assert_int_equal(xl(f, 0x80001000, BOOK3S_FETCH, &x, &flt), 1);
	assert_int_equal(flt.vector, BOOK3S_VEC_ISI);
	assert_int_equal(flt.srr1, 0x10000000);
	assert_int_equal(xl(f, 0x80001000, BOOK3S_LOAD, &x, &flt), 0); /* N does not stop data */
	assert_int_equal(x.prot & BOOK3S_PROT_EXEC, 0);
	assert_int_equal(xl(f, 0x80002000, BOOK3S_FETCH, &x, &flt), 1); /* guarded */
	assert_int_equal(flt.srr1, 0x10000000);
	assert_int_equal(xl(f, 0x80003000, BOOK3S_FETCH, &x, &flt), 0);
	assert_int_equal(x.ra, 0x3000);
	/* a no-execute segment: every fetch in it */
	segment(f, 0x80000000, 0x80, false, SLB_VSID_N, 9);
	assert_int_equal(xl(f, 0x80003000, BOOK3S_FETCH, &x, &flt), 1);
	assert_int_equal(flt.vector, BOOK3S_VEC_ISI);
	assert_int_equal(flt.srr1, 0x10000000);
}

static void test_amr_keys(void **state)
{
	struct b3s_fix *f = *state;
	const struct book3s_slbe *s = segment(f, 0x90000000, 0x90, false, 0, 10);
	struct book3s_xlate x;
	struct book3s_fault flt;

	/* key 5 = KEY 0:1 = 00, 2:4 = 101 */
	map_page(f, s, 0x90001000, 0x1000, 12, 12, false, 0, RW | (5ULL << 9));
	f->ctx.amr = 1ULL << (63 - 10); /* AMR bit 10 = 2*5: stores with key 5 */
	assert_int_equal(xl(f, 0x90001000, BOOK3S_LOAD, &x, &flt), 0);
	assert_int_equal(x.prot & BOOK3S_PROT_WRITE, 0);
	assert_int_equal(xl(f, 0x90001000, BOOK3S_STORE, &x, &flt), 1);
	assert_int_equal(flt.dsisr, 0x02200000);
	f->ctx.amr = 0;
	f->ctx.iamr = 1ULL << (63 - 11);
	assert_int_equal(xl(f, 0x90001000, BOOK3S_FETCH, &x, &flt), 1);
	assert_int_equal(flt.srr1, 0x00200000);
}

static void test_real_mode(void **state)
{
	struct b3s_fix *f = *state;
	struct book3s_xlate x;
	struct book3s_fault flt;

	f->ctx.msr = BOOK3S_MSR_DR; /* fetches real, data translated */
	f->ctx.rma_size = 64u << 20;
	assert_int_equal(xl(f, 0xc000000000012344ULL, BOOK3S_FETCH, &x, &flt), 0);
	assert_true(x.real);
	assert_int_equal(x.ra, 0x12344); /* the top four bits are ignored */
	assert_int_equal(xl(f, 0x12344, BOOK3S_LOAD, &x, &flt), 1); /* no segment */
	assert_int_equal(flt.vector, BOOK3S_VEC_DSEG);
	f->ctx.msr = BOOK3S_MSR_IR;
	assert_int_equal(xl(f, 0x3fffff8, BOOK3S_STORE, &x, &flt), 0);
	assert_int_equal(x.ra, 0x3fffff8);
	assert_int_equal(xl(f, 0x4000000, BOOK3S_STORE, &x, &flt), 1);
	assert_int_equal(flt.vector, BOOK3S_VEC_DSI);
	assert_int_equal(flt.dsisr, 0x0a000000);
	assert_int_equal(flt.dar, 0x4000000);
	f->ctx.msr = 0;
	assert_int_equal(xl(f, 0x4000000, BOOK3S_FETCH, &x, &flt), 1);
	assert_int_equal(flt.vector, BOOK3S_VEC_ISI);
	assert_int_equal(flt.srr1, 0x08000000);
}

static void test_mismatches_not_found(void **state)
{
	struct b3s_fix *f = *state;
	const struct book3s_slbe *s = segment(f, 0xa0000000, 0xa0a0, false, 0, 11);
	uint64_t ptex = map_page(f, s, 0xa0001000, 0x1000, 12, 12, false, 0, RW);
	struct book3s_hpte e = hpte_load(f, ptex);
	struct book3s_xlate x;
	struct book3s_fault flt;

	assert_int_equal(xl(f, 0xa0001000, BOOK3S_LOAD, &x, &flt), 0);
	/* a 1 TiB entry (B=01) does not serve a 256 MiB segment */
	hpte_store(f, ptex, e.v | HPTE_V_1TB_SEG, e.r);
	assert_int_equal(xl(f, 0xa0001000, BOOK3S_LOAD, &x, &flt), 1);
	/* nor an invalid one, nor one of another VSID */
	hpte_store(f, ptex, e.v & ~HPTE_V_VALID, e.r);
	assert_int_equal(xl(f, 0xa0001000, BOOK3S_LOAD, &x, &flt), 1);
	hpte_store(f, ptex, e.v ^ (1ULL << 20), e.r);
	assert_int_equal(xl(f, 0xa0001000, BOOK3S_LOAD, &x, &flt), 1);
	assert_int_equal(flt.dsisr, DSISR_NOHPTE);
	/* nor an L=1 entry with an LP POWER8 lacks (16 GiB) */
	hpte_store(f, ptex, e.v | HPTE_V_LARGE, 0x3000 | RW);
	assert_int_equal(xl(f, 0xa0001000, BOOK3S_LOAD, &x, &flt), 1);
	hpte_store(f, ptex, e.v, e.r);
	assert_int_equal(xl(f, 0xa0001000, BOOK3S_LOAD, &x, &flt), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_4k_primary_load_sets_r, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_sets_c, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secondary_hash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_64k_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_16m_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mixed_page_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_1t_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_hpte_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_segment_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pp_protection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_execute, setup, teardown),
		cmocka_unit_test_setup_teardown(test_amr_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mismatches_not_found, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
