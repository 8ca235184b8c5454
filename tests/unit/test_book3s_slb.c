// SPDX-License-Identifier: MIT
/* The SLB instructions (src/kvm/book3s/slb.c), the page-size encodings and
 * KVM_PPC_GET_SMMU_INFO (pgsize.c), and what tlbie/tlbiel and segment changes tell a shadow
 * of translations to drop (tlbie.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "book3s_fixture.h"

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

static void test_slbmte_reads_back(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t rs = slb_rs(0x123456789ULL, false, SLB_VSID_KP | SLB_VSID_N | SLB_VSID_C);
	uint64_t rb = slb_rb(0xc000000012345678ULL, false, 31);

	/* undefined bits (47:51 of RS between C and LP, RB's 37:51) do not read back */
	assert_true(book3s_slbmte(&f->slb, rs | 0x40 | 0xf, rb | 0x7000, &f->ops));
	assert_int_equal(book3s_slbmfee(&f->slb, 31), 0xc000000018000000ULL);
	assert_int_equal(book3s_slbmfev(&f->slb, 31), rs);
	assert_int_equal(f->slb.e[31].vsid, 0x123456789ULL);
	assert_int_equal(f->slb.e[31].base_shift, 12);
	/* a POWER8 has 32 entries: index 32 is dropped and reads as 0 */
	assert_false(book3s_slbmte(&f->slb, rs, slb_rb(0x10000000, false, 32), &f->ops));
	assert_int_equal(book3s_slbmfee(&f->slb, 32), 0);
	assert_int_equal(book3s_slbmfev(&f->slb, 32), 0);
	assert_null(book3s_slb_find(&f->slb, 0x10000000));
	assert_int_equal(f->rec.n_segment, 0); /* nothing valid was replaced */
}

static void test_find_256m_and_1t(void **state)
{
	struct b3s_fix *f = *state;
	uint64_t rt;

	book3s_slbmte(&f->slb, slb_rs(0x11, false, 0), slb_rb(0x30000000, false, 0), NULL);
	book3s_slbmte(&f->slb, slb_rs(0x22, true, SLB_VSID_KS), slb_rb(0x50000000000ULL, true, 1),
		      NULL);
	assert_ptr_equal(book3s_slb_find(&f->slb, 0x3fffffff), &f->slb.e[0]);
	assert_null(book3s_slb_find(&f->slb, 0x40000000));
	/* the 1 TiB segment covers 0x500_0000_0000 .. 0x5ff_ffff_ffff */
	assert_ptr_equal(book3s_slb_find(&f->slb, 0x5ffffffffffULL), &f->slb.e[1]);
	assert_int_equal(f->slb.e[1].vsid, 0x22);
	assert_int_equal(f->slb.e[1].seg_shift, 40);
	assert_true(book3s_slbfee(&f->slb, 0x50012345678ULL, &rt));
	assert_int_equal(rt, slb_rs(0x22, true, SLB_VSID_KS));
	assert_false(book3s_slbfee(&f->slb, 0x60000000000ULL, &rt));
	assert_int_equal(rt, 0);
}

static void test_slbie(void **state)
{
	struct b3s_fix *f = *state;

	book3s_slbmte(&f->slb, slb_rs(0x11, false, 0), slb_rb(0x30000000, false, 0), &f->ops);
	book3s_slbmte(&f->slb, slb_rs(0x22, true, 0), slb_rb(0x50000000000ULL, true, 5), &f->ops);
	book3s_slbie(&f->slb, 0x70000000, &f->ops); /* no segment there: nothing */
	assert_int_equal(f->rec.n_segment, 0);
	book3s_slbie(&f->slb, 0x512345678ffULL, &f->ops);
	assert_null(book3s_slb_find(&f->slb, 0x50000000000ULL));
	assert_int_equal(book3s_slbmfee(&f->slb, 5), 0);
	assert_int_equal(f->rec.n_segment, 1);
	assert_int_equal(f->rec.seg_ea[0], 0x50000000000ULL);
	assert_int_equal(f->rec.seg_shift[0], 40);
	/* slbie may remove entry 0 too */
	book3s_slbie(&f->slb, 0x30000000, &f->ops);
	assert_null(book3s_slb_find(&f->slb, 0x30000000));
	assert_int_equal(f->rec.seg_ea[1], 0x30000000);
	assert_int_equal(f->rec.seg_shift[1], 28);
}

static void test_slbia_keeps_entry_0(void **state)
{
	struct b3s_fix *f = *state;

	for (unsigned i = 0; i < 4; i++)
		book3s_slbmte(&f->slb, slb_rs(0x100 + i, false, 0),
			      slb_rb((uint64_t)(i + 1) << 28, false, i), &f->ops);
	book3s_slbmte(&f->slb, slb_rs(0x200, false, 0), 0x50000000 | 20, &f->ops); /* V=0 */
	book3s_slbia(&f->slb, &f->ops);
	assert_ptr_equal(book3s_slb_find(&f->slb, 1ULL << 28), &f->slb.e[0]);
	for (unsigned i = 1; i < 4; i++)
		assert_null(book3s_slb_find(&f->slb, (uint64_t)(i + 1) << 28));
	/* the three valid entries it removed, each once */
	assert_int_equal(f->rec.n_segment, 3);
	assert_int_equal(f->rec.seg_ea[0], 2ULL << 28);
	assert_int_equal(f->rec.seg_ea[2], 4ULL << 28);
}

static void test_slbmte_replaces_segment(void **state)
{
	struct b3s_fix *f = *state;

	book3s_slbmte(&f->slb, slb_rs(0x11, false, 0), slb_rb(0x30000000, false, 3), &f->ops);
	assert_int_equal(f->rec.n_segment, 0);
	/* rewriting index 3 without an slbie still drops the old segment's translations */
	book3s_slbmte(&f->slb, slb_rs(0x12, false, 0), slb_rb(0x40000000, false, 3), &f->ops);
	assert_int_equal(f->rec.n_segment, 1);
	assert_int_equal(f->rec.seg_ea[0], 0x30000000);
	assert_null(book3s_slb_find(&f->slb, 0x30000000));
	assert_int_equal(book3s_slb_find(&f->slb, 0x40000000)->vsid, 0x12);
}

static void test_mtsrin(void **state)
{
	struct b3s_fix *f = *state;

	/* SR 5 = Ks|Kp, VSID 0x4abcdef (27 bits; RS bit 36, L, must be 0 and is dropped) */
	book3s_mtsrin(&f->slb, 0x60000000ULL | 0x8000000 | 0x4abcdef, 0x50001234, &f->ops);
	assert_ptr_equal(book3s_slb_find(&f->slb, 0x5fffffff), &f->slb.e[5]);
	assert_int_equal(book3s_slbmfee(&f->slb, 5), 0x50000000ULL | SLB_ESID_V);
	assert_int_equal(book3s_slbmfev(&f->slb, 5),
			 0x4abcdefULL << 12 | SLB_VSID_KS | SLB_VSID_KP);
	assert_int_equal(f->slb.e[5].base_shift, 12);
	/* rewriting the segment register drops the old segment */
	book3s_mtsrin(&f->slb, 0x10000000ULL | 0x42, 0x50000000, &f->ops);
	assert_int_equal(f->rec.n_segment, 1);
	assert_int_equal(f->rec.seg_ea[0], 0x50000000);
	assert_int_equal(book3s_slbmfev(&f->slb, 5), 0x42ULL << 12 | SLB_VSID_N);
}

static void test_segment_page_sizes(void **state)
{
	struct b3s_fix *f = *state;
	unsigned b, a;

	assert_int_equal(book3s_slb_base_shift(0), 12);
	assert_int_equal(book3s_slb_base_shift(SLB_VSID_L | SLB_VSID_LP_01), 16);
	assert_int_equal(book3s_slb_base_shift(SLB_VSID_L | SLB_VSID_LP_00), 24);
	assert_int_equal(book3s_slb_base_shift(SLB_VSID_L | 0x20), 0);
	/* the HPTE's LP: POWER8's MPSS set of 4K/64K/16M, nothing else (16 GiB: LP 0011) */
	assert_true(book3s_hpte_page_shifts(0, 0xfff000, &b, &a) && b == 12 && a == 12);
	assert_true(book3s_hpte_page_shifts(HPTE_V_LARGE, 0x1000, &b, &a) && b == 16 && a == 16);
	assert_true(book3s_hpte_page_shifts(HPTE_V_LARGE, 0x7000, &b, &a) && b == 12 && a == 16);
	assert_true(book3s_hpte_page_shifts(HPTE_V_LARGE, 0xf1000, &b, &a) && b == 16 && a == 16);
	assert_true(book3s_hpte_page_shifts(HPTE_V_LARGE, 0x08000, &b, &a) && b == 16 && a == 24);
	assert_true(book3s_hpte_page_shifts(HPTE_V_LARGE, 0x38000, &b, &a) && b == 12 && a == 24);
	assert_true(book3s_hpte_page_shifts(HPTE_V_LARGE, 0x1000000, &b, &a) && b == 24 && a == 24);
	assert_false(book3s_hpte_page_shifts(HPTE_V_LARGE, 0x3000, &b, &a));
	assert_false(book3s_hpte_page_shifts(HPTE_V_LARGE, 0x10000, &b, &a));
	assert_false(book3s_hpte_page_shifts(HPTE_V_LARGE, 0x18000, &b, &a));
	/* a segment with LP=10 keeps its words but nothing in it ever translates */
	book3s_slbmte(&f->slb, slb_rs(0x5, false, SLB_VSID_L | 0x20), slb_rb(0x10000000, false, 0),
		      NULL);
	assert_int_equal(f->slb.e[0].base_shift, 0);
	assert_false(book3s_hpt_find(&f->hpt, &f->slb.e[0], 0x10000000, &(struct book3s_hpt_hit){0}));
	/* B=0b10 (reserved): reads back, translates nothing */
	book3s_slbmte(&f->slb, 0x8000000000001000ULL, slb_rb(0x20000000, false, 1), NULL);
	assert_int_equal(book3s_slbmfev(&f->slb, 1), 0x8000000000001000ULL);
	assert_null(book3s_slb_find(&f->slb, 0x20000000));
	/* VSID bits beyond POWER8's 68-bit virtual address are not part of the segment */
	book3s_slbmte(&f->slb, SLB_VSID_VSID, slb_rb(0, false, 2), NULL);
	assert_int_equal(f->slb.e[2].vsid, (1ULL << 40) - 1);
}

static void test_smmu_info(void **state)
{
	struct skvm_ppc_smmu_info info;

	memset(&info, 0xff, sizeof(info));
	book3s_smmu_info_power8(&info);
	assert_int_equal(info.flags, SKVM_PPC_1T_SEGMENTS); /* layout: test_kvm_abi.c */
	assert_int_equal(info.slb_size, 32);
	assert_int_equal(info.sps[0].page_shift, 12);
	assert_int_equal(info.sps[0].enc[0].page_shift, 12);
	assert_int_equal(info.sps[1].page_shift, 16);
	assert_int_equal(info.sps[1].slb_enc, 0x110);
	assert_int_equal(info.sps[1].enc[0].pte_enc, 1);
	assert_int_equal(info.sps[2].page_shift, 24);
	assert_int_equal(info.sps[2].slb_enc, 0x100);
	assert_int_equal(info.sps[2].enc[0].pte_enc, 0);
	assert_int_equal(info.sps[2].enc[1].page_shift, 0);
	assert_int_equal(info.sps[3].page_shift, 0);
	/* every advertised pair decodes to itself */
	for (unsigned i = 0; i < 3; i++) {
		unsigned b, a;
		uint64_t v = info.sps[i].page_shift > 12 ? HPTE_V_LARGE : 0;

		assert_int_equal(book3s_slb_base_shift(info.sps[i].slb_enc), info.sps[i].page_shift);
		assert_true(book3s_hpte_page_shifts(v, (uint64_t)info.sps[i].enc[0].pte_enc << 12, &b,
						    &a));
		assert_int_equal(a, info.sps[i].enc[0].page_shift);
	}
}

static void test_tlbie_rb(void **state)
{
	struct b3s_fix *f = *state;

	/* L=0, AP=0: the 4 KiB page of VA 0x123456789a000 */
	book3s_tlbie(&f->ops, 0x123456789a000ULL);
	assert_int_equal(f->rec.vpn[0], 0x123456789aULL);
	assert_int_equal(f->rec.shift[0], 12);
	/* L=0, AP=101: a 64 KiB page in a 4 KiB segment; the VA's low bits go */
	book3s_tlbie(&f->ops, 0x123456789a000ULL | 5 << 5);
	assert_int_equal(f->rec.vpn[1], 0x1234567890ULL);
	assert_int_equal(f->rec.shift[1], 16);
	/* L=1, LP nibble 0001: 64 KiB; otherwise 16 MiB */
	book3s_tlbie(&f->ops, 0x1234567891000ULL | 1);
	assert_int_equal(f->rec.vpn[2], 0x1234567890ULL);
	assert_int_equal(f->rec.shift[2], 16);
	book3s_tlbie(&f->ops, 0x1234567000000ULL | 1 | 0x100);
	assert_int_equal(f->rec.vpn[3], 0x1234567000ULL);
	assert_int_equal(f->rec.shift[3], 24);
	/* tlbiel IS=0 is one page, IS=3 everything */
	book3s_tlbiel(&f->ops, 0x5000);
	assert_int_equal(f->rec.n_page, 5);
	assert_int_equal(f->rec.vpn[4], 5);
	book3s_tlbiel(&f->ops, 3 << 10);
	assert_int_equal(f->rec.n_page, 5);
	assert_int_equal(f->rec.n_all, 1);
	/* and no callbacks at all is fine */
	book3s_tlbie(NULL, 0x1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_slbmte_reads_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_256m_and_1t, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slbie, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slbia_keeps_entry_0, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slbmte_replaces_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mtsrin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_segment_page_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smmu_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tlbie_rb, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
