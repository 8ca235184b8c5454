// SPDX-License-Identifier: MIT
/* Unit tests of the 64-bit core's FP additions of Power ISA 2.07 (src/cpu/fpu_convert.c,
 * fre and frsqrtes): results, FPSCR and CR fields, checked against the architecture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bare_machine.h"
#include "cpu/fpu.h"

#define BASE 0x10000000ull
#define DATA 0x1000
#define END 0x48000002u /* ba 0: the fetch there stops the core */
#define MSR64 (BARE_MSR_USER | BARE_MSR_SF)

#define X63(frt, fra, frb, xo) (63u << 26 | (frt) << 21 | (fra) << 16 | (frb) << 11 | (xo) << 1)
#define X59(frt, frb, xo) (59u << 26 | (frt) << 21 | (frb) << 11 | (xo) << 1)

static uint64_t bits(double d)
{
	uint64_t x;
	memcpy(&x, &d, 8);
	return x;
}

/* One FP instruction with FRB = fb (FRA = fa), FPSCR = fpscr; the machine after it. */
static struct bare_machine *run1(uint32_t insn, uint64_t fa, uint64_t fb, uint32_t fpscr)
{
	struct bare_machine *m = bare_create(BASE, 0x4000, MSR64);
	assert_non_null(m);
	uint32_t w[2] = {insn, END};
	bare_put_code(m, BASE, w, 2);
	m->c.fpr[1] = fa;
	m->c.fpr[2] = fb;
	m->c.fpscr = fpscr;
	bare_run(m, BASE);
	assert_int_equal(m->last.kind, CPU_TRAP_ITLB_MISS);
	return m;
}

/* FRT (f3) after insn, with the FPSCR bits of mask it set */
static uint64_t conv(uint32_t insn, uint64_t fb, uint32_t rn, uint32_t mask, uint32_t *fpscr)
{
	struct bare_machine *m = run1(insn, 0, fb, rn);
	uint64_t v = m->c.fpr[3];
	*fpscr = m->c.fpscr & mask;
	bare_destroy(m);
	return v;
}

#define FLAGS (FPSCR_VXCVI | FPSCR_XX | FPSCR_FR | FPSCR_FI | FPSCR_FPRF)

static void test_from_integer(void **state)
{
	(void)state;
	uint32_t f;
	/* fcfid: 2^53 + 1 is halfway: to even (2^53) in nearest, up to 2^53 + 2 toward +inf */
	assert_int_equal(conv(X63(3u, 0u, 2u, 846u), (1ull << 53) + 1, FPU_RN_NEAR, FLAGS, &f),
			 bits(9007199254740992.0));
	assert_int_equal(f, FPSCR_XX | FPSCR_FI | FPRF_PNORM << FPSCR_FPRF_SHIFT);
	assert_int_equal(conv(X63(3u, 0u, 2u, 846u), (1ull << 53) + 1, FPU_RN_UP, FLAGS, &f),
			 bits(9007199254740994.0));
	assert_int_equal(f, FPSCR_XX | FPSCR_FI | FPSCR_FR | FPRF_PNORM << FPSCR_FPRF_SHIFT);
	/* fcfid of a negative integer; of 0: +0 */
	assert_int_equal(conv(X63(3u, 0u, 2u, 846u), (uint64_t)-5, FPU_RN_NEAR, FLAGS, &f),
			 bits(-5.0));
	assert_int_equal(f, FPRF_NNORM << FPSCR_FPRF_SHIFT);
	assert_int_equal(conv(X63(3u, 0u, 2u, 846u), 0, FPU_RN_NEAR, FLAGS, &f), 0);
	assert_int_equal(f, FPRF_PZERO << FPSCR_FPRF_SHIFT);
	/* fcfidu: all ones is 2^64 - 1, 2^64 in nearest, the largest double below toward 0 */
	assert_int_equal(conv(X63(3u, 0u, 2u, 974u), UINT64_MAX, FPU_RN_NEAR, FLAGS, &f),
			 0x43f0000000000000ull);
	assert_int_equal(conv(X63(3u, 0u, 2u, 974u), UINT64_MAX, FPU_RN_ZERO, FLAGS, &f),
			 0x43efffffffffffffull);
	/* fcfids, fcfidus: rounded to single precision once */
	assert_int_equal(conv(X59(3u, 2u, 846u), (1ull << 24) + 1, FPU_RN_NEAR, FLAGS, &f),
			 bits(16777216.0));
	assert_int_equal(f & FPSCR_FI, FPSCR_FI);
	assert_int_equal(conv(X59(3u, 2u, 974u), (1ull << 24) + 3, FPU_RN_NEAR, FLAGS, &f),
			 bits(16777220.0));
}

static void test_to_integer(void **state)
{
	(void)state;
	uint32_t f;
	/* fctid: saturates with VXCVI; rounds in RN; fctidz truncates */
	assert_int_equal(conv(X63(3u, 0u, 2u, 814u), bits(1e300), FPU_RN_NEAR, FLAGS, &f),
			 INT64_MAX);
	assert_int_equal(f & FPSCR_VXCVI, FPSCR_VXCVI);
	assert_int_equal(conv(X63(3u, 0u, 2u, 814u), bits(-2.5), FPU_RN_NEAR, FLAGS, &f),
			 (uint64_t)-2);
	assert_int_equal(f, FPSCR_XX | FPSCR_FI);
	assert_int_equal(conv(X63(3u, 0u, 2u, 814u), bits(-2.5), FPU_RN_DOWN, FLAGS, &f),
			 (uint64_t)-3);
	assert_int_equal(f, FPSCR_XX | FPSCR_FI | FPSCR_FR);
	assert_int_equal(conv(X63(3u, 0u, 2u, 815u), bits(-2.9), FPU_RN_NEAR, FLAGS, &f),
			 (uint64_t)-2);
	/* fctid of a NaN: 0x8000000000000000 */
	assert_int_equal(conv(X63(3u, 0u, 2u, 814u), 0x7ff8000000000000ull, 0, FLAGS, &f),
			 1ull << 63);
	/* fctidu: a negative value that rounds to 0 is valid; -1 is not */
	assert_int_equal(conv(X63(3u, 0u, 2u, 942u), bits(-0.3), FPU_RN_NEAR, FLAGS, &f), 0);
	assert_int_equal(f & FPSCR_VXCVI, 0);
	assert_int_equal(conv(X63(3u, 0u, 2u, 942u), bits(-1.0), FPU_RN_NEAR, FLAGS, &f), 0);
	assert_int_equal(f & FPSCR_VXCVI, FPSCR_VXCVI);
	assert_int_equal(conv(X63(3u, 0u, 2u, 943u), bits(1.8e19), FPU_RN_NEAR, FLAGS, &f),
			 18000000000000000000ull);
	/* fctiwu, fctiwuz: 32-bit unsigned, saturating at 0xffffffff */
	assert_int_equal(conv(X63(3u, 0u, 2u, 142u), bits(4294967296.0), 0, FLAGS, &f),
			 0xffffffffull);
	assert_int_equal(f & FPSCR_VXCVI, FPSCR_VXCVI);
	assert_int_equal(conv(X63(3u, 0u, 2u, 143u), bits(3.9), 0, FLAGS, &f), 3);
	assert_int_equal(conv(X63(3u, 0u, 2u, 142u), bits(3.5), FPU_RN_NEAR, FLAGS, &f), 4);
}

static void test_sign_tests_estimates(void **state)
{
	(void)state;
	/* fcpsgn f3,f1,f2: f1's sign, f2's magnitude */
	struct bare_machine *m = run1(X63(3u, 1u, 2u, 8u), bits(-1.0), bits(2.5), 0);
	assert_int_equal(m->c.fpr[3], bits(-2.5));
	bare_destroy(m);
	/* fmrgew, fmrgow f3,f1,f2: the even (upper) words of f1 and f2, the odd ones */
	m = run1(X63(3u, 1u, 2u, 966u), 0x1111111122222222ull, 0x3333333344444444ull, 0);
	assert_int_equal(m->c.fpr[3], 0x1111111133333333ull);
	bare_destroy(m);
	m = run1(X63(3u, 1u, 2u, 838u), 0x1111111122222222ull, 0x3333333344444444ull, 0);
	assert_int_equal(m->c.fpr[3], 0x2222222244444444ull);
	bare_destroy(m);
	/* ftdiv cr1,f1,f2: a zero divisor sets fe and fg; ordinary operands neither */
	m = run1(X63(1u << 2, 1u, 2u, 128u), bits(1.0), 0, 0);
	assert_int_equal((m->c.cr >> 24) & 0xf, 0xe);
	bare_destroy(m);
	m = run1(X63(1u << 2, 1u, 2u, 128u), bits(1.0), bits(3.0), 0);
	assert_int_equal((m->c.cr >> 24) & 0xf, 0x8);
	bare_destroy(m);
	/* ftsqrt cr2,f2: a negative operand sets fe, not fg */
	m = run1(X63(2u << 2, 0u, 2u, 160u), 0, bits(-4.0), 0);
	assert_int_equal((m->c.cr >> 20) & 0xf, 0xa);
	bare_destroy(m);
	/* fre: 1/2.0; of +0, +inf and ZX (Book I 4.6.6.1; QEMU gives 1/2) */
	m = run1(63u << 26 | 3u << 21 | 2u << 11 | 24u << 1, 0, bits(2.0), 0);
	assert_int_equal(m->c.fpr[3], bits(0.5));
	bare_destroy(m);
	m = run1(63u << 26 | 3u << 21 | 2u << 11 | 24u << 1, 0, 0, 0);
	assert_int_equal(m->c.fpr[3], 0x7ff0000000000000ull);
	assert_int_equal(m->c.fpscr & FPSCR_ZX, FPSCR_ZX);
	bare_destroy(m);
	/* frsqrtes of 4: 1/2 in single precision */
	m = run1(59u << 26 | 3u << 21 | 2u << 11 | 26u << 1, 0, bits(4.0), 0);
	assert_int_equal(m->c.fpr[3], bits(0.5));
	bare_destroy(m);
}

static void test_lfiw(void **state)
{
	(void)state;
	for (int le = 0; le < 2; le++) {
		struct bare_machine *m = bare_create(BASE, 0x4000, MSR64 | (le ? BARE_MSR_LE : 0));
		assert_non_null(m);
		uint32_t w[] = {31u << 26 | 3u << 21 | 1u << 16 | 0u << 11 | 855u << 1,  /* lfiwax f3 */
				31u << 26 | 4u << 21 | 1u << 16 | 0u << 11 | 887u << 1,  /* lfiwzx f4 */
				END};
		bare_put_code(m, BASE, w, 3);
		uint8_t word[4] = {0x80, 0, 0, 1}; /* big-endian 0x80000001 */
		if (le) {
			word[0] = 1;
			word[3] = 0x80;
		}
		memcpy(m->ram + DATA, word, 4);
		m->c.gpr[1] = BASE + DATA;
		m->c.gpr[0] = 0;
		bare_run(m, BASE);
		assert_int_equal(m->c.fpr[3], 0xffffffff80000001ull);
		assert_int_equal(m->c.fpr[4], 0x80000001ull);
		bare_destroy(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_integer),
		cmocka_unit_test(test_to_integer),
		cmocka_unit_test(test_sign_tests_estimates),
		cmocka_unit_test(test_lfiw),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
