// SPDX-License-Identifier: MIT
/* Unit tests of the 64-bit core's VSX facility (src/cpu/exec_vsx.c, exec_vsx_fp.c): the
 * registers overlay the FPRs and the vector registers (one storage), element order of the
 * vector loads and stores in both byte orders, and MSR[VSX] (and FP/VEC for the direct
 * moves). The differential (tests/diff64) compares the rest with QEMU. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bare_machine.h"

#define BASE 0x10000000ull
#define DATA 0x1000
#define END 0x48000002u /* ba 0: the fetch there stops the core */
#define MSR64 (BARE_MSR_USER | BARE_MSR_SF | BARE_MSR_VEC | BARE_MSR_VSX)

static uint32_t xx1(unsigned xo, unsigned t, unsigned ra, unsigned rb)
{
	return 31u << 26 | (t & 31) << 21 | ra << 16 | rb << 11 | xo << 1 | t >> 5;
}

static uint32_t xx3(unsigned xo, unsigned t, unsigned a, unsigned b)
{
	return 60u << 26 | (t & 31) << 21 | (a & 31) << 16 | (b & 31) << 11 | xo << 3 |
	       (a >> 5) << 2 | (b >> 5) << 1 | t >> 5;
}

static struct bare_machine *setup(uint64_t msr, const uint32_t *w, unsigned n)
{
	struct bare_machine *m = bare_create(BASE, 0x4000, msr);
	assert_non_null(m);
	bare_put_code(m, BASE, w, n);
	uint32_t end = END;
	bare_put_code(m, BASE + 4 * n, &end, 1);
	for (unsigned i = 0; i < 16; i++)
		m->ram[DATA + i] = (uint8_t)i; /* 00 01 .. 0f */
	m->c.gpr[4] = BASE + DATA;
	return m;
}

/* VSR0-31 are the FPRs (doubleword 0) and VSR32-63 the vector registers: an lfd, an lvx
 * and xxlor see each other's registers. An FP instruction's write of an FPR makes
 * doubleword 1 zero (POWER8, ISA 3.1). */
static void test_overlay(void **state)
{
	(void)state;
	uint32_t w[] = {
		0xc8240000u,	      /* lfd f1,0(r4) */
		0x7c4020ceu,	      /* lvx v2,0,r4 */
		xx3(146, 3, 1, 1),    /* xxlor vs3,vs1,vs1 */
		xx3(146, 35, 34, 34), /* xxlor vs35 (v3),vs34,vs34 */
		xx3(146, 36, 5, 5),   /* xxlor vs36 (v4),vs5,vs5 */
	};
	struct bare_machine *m = setup(MSR64, w, 5);
	m->c.vsr_lo[1] = 0x1122334455667788ull;
	m->c.fpr[5] = 0x0001020304050607ull;
	m->c.vsr_lo[5] = 0x1122334455667788ull;
	bare_run(m, BASE);
	assert_int_equal(m->last.kind, CPU_TRAP_ITLB_MISS);
	assert_int_equal(m->c.fpr[1], 0x0001020304050607ull);
	assert_int_equal(m->c.fpr[3], 0x0001020304050607ull);
	assert_int_equal(m->c.vsr_lo[1], 0);
	assert_int_equal(m->c.vsr_lo[3], 0);
	assert_memory_equal(m->c.vr[3].b, m->ram + DATA, 16);
	assert_int_equal(m->c.vr[4].b[0], 0x00);
	assert_int_equal(m->c.vr[4].b[7], 0x07);
	assert_int_equal(m->c.vr[4].b[8], 0x11);
	bare_destroy(m);
}

/* lxvd2x/lxvw4x load element i from EA + i * size in the current byte order: in
 * little-endian mode each element is byte-reversed in place, their order stays. */
static void test_vector_load_store_order(void **state)
{
	(void)state;
	for (int le = 0; le < 2; le++) {
		uint32_t w[] = {
			xx1(844, 1, 0, 4),  /* lxvd2x vs1,0,r4 */
			xx1(780, 34, 0, 4), /* lxvw4x vs34,0,r4 */
			0x38a00010u,	    /* li r5,16 */
			xx1(908, 1, 4, 5),  /* stxvw4x vs1,r4,r5 */
		};
		struct bare_machine *m = setup(MSR64 | (le ? BARE_MSR_LE : 0), w, 4);
		bare_run(m, BASE);
		assert_int_equal(m->last.kind, CPU_TRAP_ITLB_MISS);
		assert_int_equal(m->c.fpr[1], le ? 0x0706050403020100ull : 0x0001020304050607ull);
		assert_int_equal(m->c.vsr_lo[1], le ? 0x0f0e0d0c0b0a0908ull : 0x08090a0b0c0d0e0full);
		/* v2 word 0 is the word at EA */
		uint32_t w0 = (uint32_t)m->c.vr[2].b[0] << 24 | m->c.vr[2].b[3];
		assert_int_equal(w0, le ? 0x03000000u : 0x00000003u);
		/* stxvw4x of the doublewords' words: in little-endian mode word 0 (the high
		 * half of doubleword 0, 07 06 05 04) lands at EA as 04 05 06 07 */
		static const uint8_t be_out[] = {0, 1, 2, 3, 4, 5, 6, 7};
		static const uint8_t le_out[] = {4, 5, 6, 7, 0, 1, 2, 3};
		assert_memory_equal(m->ram + DATA + 16, le ? le_out : be_out, 8);
		bare_destroy(m);
	}
}

static void test_vsx_unavailable(void **state)
{
	(void)state;
	uint32_t w[] = {xx3(146, 3, 1, 1)};
	struct bare_machine *m = setup(MSR64 & ~BARE_MSR_VSX, w, 1);
	m->c.fpr[1] = 5;
	bare_run(m, BASE);
	assert_int_equal(m->last.kind, CPU_TRAP_VSX_UNAVAIL);
	assert_int_equal(m->last.pc, BASE);
	assert_int_equal(m->c.fpr[3], 0);
	bare_destroy(m);

	/* mfvsrd of a vector register needs MSR[VEC], not MSR[VSX] */
	uint32_t mv[] = {xx1(51, 33, 3, 0), xx1(51, 1, 3, 0)}; /* mfvsrd r3,vs33; r3,vs1 */
	m = setup((MSR64 & ~BARE_MSR_VSX) & ~BARE_MSR_VEC, mv, 2);
	bare_run(m, BASE);
	assert_int_equal(m->last.kind, CPU_TRAP_VEC_UNAVAIL);
	bare_destroy(m);
	m = setup((MSR64 & ~BARE_MSR_VSX) & ~BARE_MSR_FP, mv + 1, 1);
	bare_run(m, BASE);
	assert_int_equal(m->last.kind, CPU_TRAP_FP_UNAVAIL);
	bare_destroy(m);
}

static uint32_t xx2(unsigned xo, unsigned t, unsigned b)
{
	return 60u << 26 | (t & 31) << 21 | (b & 31) << 11 | xo << 2 | (b >> 5) << 1 | t >> 5;
}

/* Where QEMU 7.2 departs from the architecture (tests/diff64/README.md), the architecture:
 * a vector conversion converts the elements after a NaN as themselves; a vector
 * instruction leaves FI alone, and reports underflow and overflow of different elements. */
static void test_vector_fp_architecture(void **state)
{
	(void)state;
	uint32_t w[] = {
		xx2(216, 3, 1),	  /* xvcvdpsxws vs3,vs1 */
		xx3(96, 4, 1, 1), /* xvadddp vs4,vs1,vs1: NaN + NaN, an SNaN: invalid */
		xx3(88, 5, 6, 7), /* xvdivsp vs5,vs6,vs7 */
	};
	struct bare_machine *m = setup(MSR64, w, 3);
	m->c.fpr[1] = 0x7ff4000000000000ull;	/* SNaN */
	m->c.vsr_lo[1] = 0x4014000000000000ull; /* 5.0 */
	m->c.fpscr = 1u << 17;			/* FI */
	m->c.fpr[6] = 0x7f0000000000a001ull;	/* 1.7e38, and a denormal single */
	m->c.vsr_lo[6] = 0;
	m->c.fpr[7] = 0x0080000040000000ull;	/* 2^-126 and 2 */
	m->c.vsr_lo[7] = 0x3f8000003f800000ull;
	bare_run(m, BASE);
	assert_int_equal(m->last.kind, CPU_TRAP_ITLB_MISS);
	assert_int_equal(m->c.fpr[3], 0x8000000080000000ull);
	assert_int_equal(m->c.vsr_lo[3], 0x0000000500000005ull);
	assert_true(m->c.fpscr & (1u << 24)); /* VXSNAN */
	assert_true(m->c.fpscr & (1u << 17)); /* FI as it was */
	assert_true(m->c.fpscr & (1u << 28)); /* OX: 1.7e38 / 2^-126 */
	assert_true(m->c.fpscr & (1u << 27)); /* UX: a denormal / 2, inexact */
	bare_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overlay),
		cmocka_unit_test(test_vector_load_store_order),
		cmocka_unit_test(test_vsx_unavailable),
		cmocka_unit_test(test_vector_fp_architecture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
