// SPDX-License-Identifier: MIT
/* The FPU handlers (src/cpu/fpu_*.c, exec_fp_ldst.c), run on a core whose instructions are
 * real instruction words decoded by the core's decoder, so field extraction is tested too.
 * FP loads and stores use one read/write page mapped at VA_BASE; VA_UNMAPPED is not
 * mapped. The trap handler records every trap and answers CPU_RESUME_STOP.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/exec.h"
#include "cpu/fpu.h"
#include "code_page_fixture.h"

#define PG SHADOW_PAGE_SIZE
#define VA_BASE 0x10000000u
#define VA_UNMAPPED (VA_BASE + 4 * PG)
#define CODE_VA 0x00002000u
#define SLOT 10

static int setup(void **state)
{
	struct cpu_fix *f = cpu_fix_create(CODE_VA, 1);
	struct cpu *c = f->c;
	cpu_fix_map_page(c, VA_BASE, f->host, 0x400, SHADOW_PERM_R | SHADOW_PERM_W);
	c->fp_enabled = true;
	c->fp_exc_mode = 1;
	c->fpscr = 0;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	cpu_fix_destroy(*state);
	return 0;
}

/* ---- instruction words ---- */

static uint32_t a_form(unsigned pri, unsigned xo, unsigned t, unsigned a, unsigned b, unsigned c)
{
	return pri << 26 | t << 21 | a << 16 | b << 11 | c << 6 | xo << 1;
}
#define FADD(t, a, b) a_form(63, 21, t, a, b, 0)
#define FADDS(t, a, b) a_form(59, 21, t, a, b, 0)
#define FSUB(t, a, b) a_form(63, 20, t, a, b, 0)
#define FMUL(t, a, c) a_form(63, 25, t, a, 0, c)
#define FMULS(t, a, c) a_form(59, 25, t, a, 0, c)
#define FDIV(t, a, b) a_form(63, 18, t, a, b, 0)
#define FDIVS(t, a, b) a_form(59, 18, t, a, b, 0)
#define FSQRT(t, b) a_form(63, 22, t, 0, b, 0)
#define FSQRTS(t, b) a_form(59, 22, t, 0, b, 0)
#define FMADD(t, a, c, b) a_form(63, 29, t, a, b, c)
#define FMADDS(t, a, c, b) a_form(59, 29, t, a, b, c)
#define FMSUB(t, a, c, b) a_form(63, 28, t, a, b, c)
#define FNMADD(t, a, c, b) a_form(63, 31, t, a, b, c)
#define FNMSUBS(t, a, c, b) a_form(59, 30, t, a, b, c)
#define FRES(t, b) a_form(59, 24, t, 0, b, 0)
#define FRSQRTE(t, b) a_form(63, 26, t, 0, b, 0)
#define FSEL(t, a, c, b) a_form(63, 23, t, a, b, c)

static uint32_t x_form(unsigned xo, unsigned t, unsigned a, unsigned b)
{
	return 63u << 26 | t << 21 | a << 16 | b << 11 | xo << 1;
}
#define FRSP(t, b) x_form(12, t, 0, b)
#define FCTIW(t, b) x_form(14, t, 0, b)
#define FCTIWZ(t, b) x_form(15, t, 0, b)
#define FCMPU(bf, a, b) x_form(0, (bf) << 2, a, b)
#define FCMPO(bf, a, b) x_form(32, (bf) << 2, a, b)
#define FNEG(t, b) x_form(40, t, 0, b)
#define FMR(t, b) x_form(72, t, 0, b)
#define FABS(t, b) x_form(264, t, 0, b)
#define FNABS(t, b) x_form(136, t, 0, b)
#define MFFS(t) x_form(583, t, 0, 0)
#define MTFSB0(bt) x_form(70, bt, 0, 0)
#define MTFSB1(bt) x_form(38, bt, 0, 0)
#define MCRFS(bf, bfa) x_form(64, (bf) << 2, (bfa) << 2, 0)
#define MTFSF(flm, b) (63u << 26 | (uint32_t)(flm) << 17 | (uint32_t)(b) << 11 | 711u << 1)
#define MTFSFI(bf, u) (63u << 26 | (uint32_t)(bf) << 23 | (uint32_t)(u) << 12 | 134u << 1)
#define RC 1u

static uint32_t d_form(unsigned op, unsigned t, unsigned a, int16_t disp)
{
	return op << 26 | t << 21 | a << 16 | (uint16_t)disp;
}
static uint32_t xm_form(unsigned xo, unsigned t, unsigned a, unsigned b)
{
	return 31u << 26 | t << 21 | a << 16 | b << 11 | xo << 1;
}

/* Decode w into the code page's slot SLOT and run it once. */
static const struct cpu_dinsn *exec(struct cpu_fix *f, uint32_t w)
{
	struct cpu_dinsn *d = &f->page->insns[SLOT];
	assert_true(cpu_decode(cpu_code_cache_decoder(f->cc), w, d) >= 0);
	return d->fn(f->c, d);
}

#define NEXT(f) (&(f)->page->insns[SLOT + 1])
#define EXEC(f, w) assert_ptr_equal(exec(f, w), NEXT(f))
#define TRAPS(f, w) assert_null(exec(f, w))

/* ---- values ---- */

static uint64_t bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof(u));
	return u;
}

#define ONE 0x3ff0000000000000ull
#define TWO 0x4000000000000000ull
#define PINF 0x7ff0000000000000ull
#define NINF 0xfff0000000000000ull
#define QNAN_A 0x7ff800000000aaaaull
#define QNAN_B 0xfff800000000bbbbull
#define SNAN_C 0x7ff000000000ccccull
#define DMIN 0x0010000000000000ull	 /* smallest normal double */
#define DTRUE_MIN 0x0000000000000001ull /* smallest denormal */
#define DMAX 0x7fefffffffffffffull

static unsigned fprf(const struct cpu *c)
{
	return (c->fpscr & FPSCR_FPRF) >> FPSCR_FPRF_SHIFT;
}

static unsigned crf(const struct cpu *c, unsigned field)
{
	return (c->cr >> (28 - 4 * field)) & 0xf;
}

/* ---- tests ---- */

static void test_fp_unavailable(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->fp_enabled = false;
	c->fpr[1] = ONE;
	c->fpr[2] = ONE;
	c->fpr[3] = 0;
	TRAPS(f, FADD(3, 1, 2));
	assert_int_equal(f->last.kind, CPU_TRAP_FP_UNAVAIL);
	assert_int_equal(f->last.pc, CODE_VA + 4 * SLOT);
	assert_int_equal(c->fpr[3], 0);
	TRAPS(f, d_form(48, 3, CPU_GPR_ZERO, 0));
	assert_int_equal(f->last.kind, CPU_TRAP_FP_UNAVAIL);
	TRAPS(f, MFFS(3));
	assert_int_equal(f->ntraps, 3);
	assert_int_equal(c->fpr[3], 0);
}

static void test_add_rounding_modes(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	/* 1 + 2^-53: a tie between 1 and 1 + 2^-52 */
	c->fpr[1] = ONE;
	c->fpr[2] = bits(0x1p-53);
	static const struct {
		unsigned rn;
		uint64_t pos, neg;
		bool fr_pos, fr_neg;
	} m[] = {
		{FPU_RN_NEAR, ONE, ONE | F64_SIGN, false, false},
		{FPU_RN_ZERO, ONE, ONE | F64_SIGN, false, false},
		{FPU_RN_UP, ONE + 1, ONE | F64_SIGN, true, false},
		{FPU_RN_DOWN, ONE, (ONE + 1) | F64_SIGN, false, true},
	};
	for (unsigned i = 0; i < 4; i++) {
		c->fpscr = m[i].rn;
		c->fpr[1] = ONE;
		c->fpr[2] = bits(0x1p-53);
		EXEC(f, FADD(3, 1, 2));
		assert_int_equal(c->fpr[3], m[i].pos);
		assert_true(c->fpscr & FPSCR_FI);
		assert_true(c->fpscr & FPSCR_XX);
		assert_true(c->fpscr & FPSCR_FX);
		assert_int_equal(!!(c->fpscr & FPSCR_FR), m[i].fr_pos);
		assert_int_equal(fprf(c), FPRF_PNORM);

		c->fpscr = m[i].rn;
		c->fpr[1] = ONE | F64_SIGN;
		c->fpr[2] = bits(-0x1p-53);
		EXEC(f, FADD(3, 1, 2));
		assert_int_equal(c->fpr[3], m[i].neg);
		assert_int_equal(!!(c->fpscr & FPSCR_FR), m[i].fr_neg);
		assert_int_equal(fprf(c), FPRF_NNORM);
	}

	/* x - x is +0, except -0 rounding toward minus infinity */
	c->fpr[1] = bits(1.5);
	c->fpscr = FPU_RN_NEAR;
	EXEC(f, FSUB(3, 1, 1));
	assert_int_equal(c->fpr[3], 0);
	assert_int_equal(fprf(c), FPRF_PZERO);
	assert_int_equal(c->fpscr & (FPSCR_FI | FPSCR_XX | FPSCR_FX), 0);
	c->fpscr = FPU_RN_DOWN;
	EXEC(f, FSUB(3, 1, 1));
	assert_int_equal(c->fpr[3], F64_SIGN);
	assert_int_equal(fprf(c), FPRF_NZERO);

	/* exact: FI and FR cleared, XX sticky */
	c->fpscr = FPSCR_XX | FPSCR_FI | FPSCR_FR;
	c->fpr[1] = ONE;
	c->fpr[2] = ONE;
	EXEC(f, FADD(3, 1, 2));
	assert_int_equal(c->fpr[3], TWO);
	assert_int_equal(c->fpscr, FPSCR_XX | FPRF_PNORM << FPSCR_FPRF_SHIFT);
}

static void test_host_mxcsr_untouched(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->fpscr = FPU_RN_ZERO;
	c->fpr[1] = ONE;
	c->fpr[2] = bits(3.0);
	EXEC(f, FDIV(3, 1, 2));
	assert_int_equal(c->fpr[3], 0x3fd5555555555555ull);
	EXEC(f, FDIVS(3, 1, 2));
	uint32_t mx;
	__asm__ volatile("stmxcsr %0" : "=m"(mx));
	assert_int_equal(mx & ~0x3fu, 0x1f80u); /* nearest, all masked, no FTZ/DAZ */
	/* host arithmetic still rounds to nearest */
	volatile double one = 1.0, three = 3.0;
	assert_int_equal(bits(one / three), 0x3fd5555555555555ull);
	volatile double big = 1.0, tiny = 0x1p-53;
	assert_true(big + tiny == 1.0);
	volatile double t = 0x1p-1074;
	assert_true(t * 1.0 != 0); /* no FTZ/DAZ */
}

static void test_invalid_operations(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	const struct {
		uint32_t w;
		uint64_t a, b, cc;
		uint32_t vx;
	} t[] = {
		{FADD(4, 1, 2), PINF, NINF, 0, FPSCR_VXISI},
		{FSUB(4, 1, 2), PINF, PINF, 0, FPSCR_VXISI},
		{FMUL(4, 1, 3), PINF, 0, F64_SIGN, FPSCR_VXIMZ},
		{FDIV(4, 1, 2), 0, F64_SIGN, 0, FPSCR_VXZDZ},
		{FDIV(4, 1, 2), NINF, PINF, 0, FPSCR_VXIDI},
		{FSQRT(4, 2), 0, ONE | F64_SIGN, 0, FPSCR_VXSQRT},
		{FSQRTS(4, 2), 0, NINF, 0, FPSCR_VXSQRT},
		{FRSQRTE(4, 2), 0, TWO | F64_SIGN, 0, FPSCR_VXSQRT},
		{FMADD(4, 1, 3, 2), 0, ONE, PINF, FPSCR_VXIMZ},
		{FMADD(4, 1, 3, 2), ONE, NINF, PINF, FPSCR_VXISI},
		{FMADDS(4, 1, 3, 2), ONE, NINF, PINF, FPSCR_VXISI},
		{FADD(4, 1, 2), ONE, SNAN_C, 0, FPSCR_VXSNAN},
		{FCTIW(4, 2), 0, QNAN_A, 0, FPSCR_VXCVI},
		{FCTIW(4, 2), 0, SNAN_C, 0, FPSCR_VXCVI | FPSCR_VXSNAN},
		{FCTIWZ(4, 2), 0, bits(3e9), 0, FPSCR_VXCVI},
	};
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c->fpscr = 0;
		c->fpr[1] = t[i].a;
		c->fpr[2] = t[i].b;
		c->fpr[3] = t[i].cc;
		EXEC(f, t[i].w | RC);
		assert_int_equal(c->fpscr & (FPSCR_VX_ALL | FPSCR_VX | FPSCR_FX | FPSCR_FEX),
				 t[i].vx | FPSCR_VX | FPSCR_FX);
		assert_int_equal(c->fpscr & (FPSCR_FR | FPSCR_FI), 0);
		assert_int_equal(fprf(c), FPRF_QNAN);
		assert_int_equal(crf(c, 1), 0xa); /* FX, VX */
	}
	/* the default NaN is positive (x86's has the sign set) */
	c->fpr[1] = PINF;
	c->fpr[2] = PINF;
	EXEC(f, FSUB(4, 1, 2));
	assert_int_equal(c->fpr[4], F64_DEFAULT_NAN);
	c->fpr[1] = 0;
	EXEC(f, FDIVS(4, 1, 1));
	assert_int_equal(c->fpr[4], F64_DEFAULT_NAN);
	/* fctiw: NaN gives 0x80000000 with a zero high word; out of range saturates */
	c->fpr[2] = QNAN_A;
	EXEC(f, FCTIW(4, 2));
	assert_int_equal(c->fpr[4], 0x0000000080000000ull);
	c->fpr[2] = bits(3e9);
	EXEC(f, FCTIW(4, 2));
	assert_int_equal(c->fpr[4], 0x000000007fffffffull);
	c->fpr[2] = bits(-3e9);
	EXEC(f, FCTIWZ(4, 2));
	assert_int_equal(c->fpr[4], 0xffffffff80000000ull);
	c->fpr[2] = NINF;
	EXEC(f, FCTIW(4, 2));
	assert_int_equal(c->fpr[4], 0xffffffff80000000ull);
	/* rounding 2147483647.5 to nearest leaves the range */
	c->fpscr = 0;
	c->fpr[2] = bits(2147483647.5);
	EXEC(f, FCTIW(4, 2));
	assert_int_equal(c->fpr[4], 0x7fffffffull);
	assert_true(c->fpscr & FPSCR_VXCVI);
	c->fpscr = 0;
	EXEC(f, FCTIWZ(4, 2));
	assert_int_equal(c->fpr[4], 0x7fffffffull);
	assert_int_equal(c->fpscr & FPSCR_VXCVI, 0);
	assert_true(c->fpscr & FPSCR_FI);
}

static void test_fctiw(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->fpscr = FPU_RN_NEAR | FPRF_PNORM << FPSCR_FPRF_SHIFT;
	c->fpr[2] = bits(2.5);
	EXEC(f, FCTIW(4, 2));
	assert_int_equal(c->fpr[4], 2); /* ties to even */
	assert_int_equal(c->fpscr & (FPSCR_FI | FPSCR_FR | FPSCR_XX),
			 FPSCR_FI | FPSCR_XX); /* 2 < 2.5: not rounded up */
	assert_int_equal(fprf(c), FPRF_PNORM); /* left alone */
	c->fpr[2] = bits(-2.7);
	EXEC(f, FCTIW(4, 2));
	assert_int_equal(c->fpr[4], 0xfffffffffffffffdull); /* -3, sign-extended as QEMU */
	assert_true(c->fpscr & FPSCR_FR);
	EXEC(f, FCTIWZ(4, 2));
	assert_int_equal(c->fpr[4], 0xfffffffffffffffeull);
	assert_int_equal(c->fpscr & FPSCR_FR, 0);
	c->fpscr = FPU_RN_UP;
	c->fpr[2] = bits(0.25);
	EXEC(f, FCTIW(4, 2));
	assert_int_equal(c->fpr[4], 1);
	c->fpscr = FPU_RN_DOWN;
	EXEC(f, FCTIW(4, 2));
	assert_int_equal(c->fpr[4], 0);
	c->fpscr = 0;
	c->fpr[2] = bits(-2147483648.0);
	EXEC(f, FCTIW(4, 2));
	assert_int_equal(c->fpr[4], 0xffffffff80000000ull);
	assert_int_equal(c->fpscr, 0);
}

static void test_nan_propagation(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->fpr[1] = QNAN_A;
	c->fpr[2] = SNAN_C;
	c->fpr[3] = QNAN_B;
	c->fpr[5] = ONE;

	/* FRA first, even when FRB is signaling; VXSNAN all the same */
	EXEC(f, FADD(4, 1, 2));
	assert_int_equal(c->fpr[4], QNAN_A);
	assert_true(c->fpscr & FPSCR_VXSNAN);
	/* FRB's SNaN, quieted */
	c->fpscr = 0;
	EXEC(f, FADD(4, 5, 2));
	assert_int_equal(c->fpr[4], SNAN_C | F64_QUIET);
	assert_int_equal(fprf(c), FPRF_QNAN);
	/* fmadd FRT = FRA * FRC + FRB: order A, B, C */
	c->fpscr = 0;
	EXEC(f, FMADD(4, 5, 3, 1));
	assert_int_equal(c->fpr[4], QNAN_A);
	EXEC(f, FMADD(4, 5, 3, 5));
	assert_int_equal(c->fpr[4], QNAN_B);
	assert_int_equal(c->fpscr & FPSCR_VXSNAN, 0);
	/* fmul reads FRA and FRC only: FRB's SNaN is not an operand */
	c->fpscr = 0;
	EXEC(f, a_form(63, 25, 4, 5, 2, 3));
	assert_int_equal(c->fpr[4], QNAN_B);
	assert_int_equal(c->fpscr & FPSCR_VXSNAN, 0);
	/* fnmadd does not change a propagated NaN's sign */
	EXEC(f, FNMADD(4, 1, 5, 5));
	assert_int_equal(c->fpr[4], QNAN_A);
	EXEC(f, FNMADD(4, 5, 3, 5));
	assert_int_equal(c->fpr[4], QNAN_B);
	/* single precision: the NaN is truncated to single */
	c->fpr[6] = 0x7ff8000123456789ull;
	EXEC(f, FADDS(4, 6, 5));
	assert_int_equal(c->fpr[4], 0x7ff8000120000000ull);
	EXEC(f, FRSP(4, 2));
	assert_int_equal(c->fpr[4], 0x7ff8000000000000ull);
	/* sign moves and fsel touch NaNs as bits, FPSCR unchanged */
	c->fpscr = 0;
	EXEC(f, FNEG(4, 2) | RC);
	assert_int_equal(c->fpr[4], SNAN_C | F64_SIGN);
	EXEC(f, FABS(4, 3));
	assert_int_equal(c->fpr[4], QNAN_B & ~F64_SIGN);
	EXEC(f, FNABS(4, 1));
	assert_int_equal(c->fpr[4], QNAN_A | F64_SIGN);
	EXEC(f, FMR(4, 2));
	assert_int_equal(c->fpr[4], SNAN_C);
	assert_int_equal(c->fpscr, 0);
	assert_int_equal(crf(c, 1), 0);
}

static void test_denormals(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->fpr[1] = DTRUE_MIN;
	c->fpr[2] = bits(3.0);
	EXEC(f, FMUL(4, 1, 2));
	assert_int_equal(c->fpr[4], 3); /* exact, not flushed */
	assert_int_equal(fprf(c), FPRF_PDENORM);
	assert_int_equal(c->fpscr & (FPSCR_UX | FPSCR_XX | FPSCR_FI), 0);
	c->fpr[1] = DMIN;
	c->fpr[2] = DMIN | F64_SIGN;
	c->fpr[3] = bits(0.5);
	EXEC(f, FMUL(4, 1, 3));
	assert_int_equal(c->fpr[4], DMIN >> 1);
	/* tiny and exact: no underflow while UE = 0 */
	assert_int_equal(c->fpscr & FPSCR_UX, 0);
	/* DMIN - 2^-1074: exact, denormal */
	c->fpr[5] = DTRUE_MIN;
	EXEC(f, FSUB(4, 1, 5));
	assert_int_equal(c->fpr[4], DMIN - 1);
	/* tiny and inexact: underflow */
	c->fpr[3] = bits(0x1.8p-1);
	c->fpr[1] = DTRUE_MIN;
	EXEC(f, FMUL(4, 1, 3));
	assert_int_equal(c->fpr[4], DTRUE_MIN); /* 0.75 * 2^-1074 rounds up */
	assert_int_equal(c->fpscr & (FPSCR_UX | FPSCR_XX | FPSCR_FI | FPSCR_FR),
			 FPSCR_UX | FPSCR_XX | FPSCR_FI | FPSCR_FR);
	/* (1 - 2^-53) * 2^-1022 rounds up to 2^-1022: tiny before rounding, so PowerPC
	 * reports underflow where x86 (tininess after rounding) would not */
	c->fpscr = 0;
	c->fpr[1] = DMIN;
	c->fpr[3] = 0x3fefffffffffffffull;
	EXEC(f, FMUL(4, 1, 3));
	assert_int_equal(c->fpr[4], DMIN);
	assert_int_equal(fprf(c), FPRF_PNORM);
	assert_int_equal(c->fpscr & (FPSCR_UX | FPSCR_FR), FPSCR_UX | FPSCR_FR);
	/* single precision: results below 2^-126 are single denormals */
	c->fpscr = 0;
	c->fpr[1] = bits(0x1p-130);
	c->fpr[3] = bits(1.0);
	EXEC(f, FMULS(4, 1, 3));
	assert_int_equal(c->fpr[4], bits(0x1p-130));
	assert_int_equal(fprf(c), FPRF_PDENORM);
	c->fpr[1] = bits(0x1.000001p-130); /* needs more bits than a single denormal has */
	EXEC(f, FMULS(4, 1, 3));
	assert_int_equal(c->fpr[4], bits(0x1p-130));
	assert_true(c->fpscr & FPSCR_UX);
	c->fpscr = FPU_RN_UP;
	EXEC(f, FMULS(4, 1, 3));
	assert_int_equal(c->fpr[4], bits(0x1p-130 + 0x1p-149));
	/* the smallest single denormal, and below it */
	c->fpscr = 0;
	c->fpr[1] = bits(0x1p-150);
	EXEC(f, FRSP(4, 1));
	assert_int_equal(c->fpr[4], 0); /* tie to even: 0 */
	c->fpr[1] = bits(0x1.0000000001p-150);
	EXEC(f, FRSP(4, 1));
	assert_int_equal(c->fpr[4], bits(0x1p-149));
}

static void test_single_rounding(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	/* 1 + 2^-24 + 2^-70: rounding to double first would drop 2^-70 and leave a tie that
	 * rounds to 1; rounded once it is above the tie. */
	c->fpr[1] = ONE;
	c->fpr[2] = bits(0x1p-24 + 0x1p-70);
	EXEC(f, FADDS(4, 1, 2));
	assert_int_equal(c->fpr[4], bits(1.0 + 0x1p-23));
	assert_int_equal(c->fpscr & (FPSCR_FR | FPSCR_FI), FPSCR_FR | FPSCR_FI);
	c->fpr[2] = bits(0x1p-24);
	EXEC(f, FADDS(4, 1, 2));
	assert_int_equal(c->fpr[4], ONE);
	assert_int_equal(c->fpscr & (FPSCR_FR | FPSCR_FI), FPSCR_FI);
	/* fmadds: one rounding of a * c + b */
	c->fpr[1] = bits(1.0 + 0x1p-30);
	c->fpr[3] = bits(1.0 + 0x1p-30);
	c->fpr[2] = bits(-1.0);
	EXEC(f, FMADDS(4, 1, 3, 2));
	assert_int_equal(c->fpr[4], bits((double)(float)(0x1p-29 + 0x1p-60)));
	/* single overflow */
	c->fpscr = 0;
	c->fpr[1] = bits(0x1p127);
	c->fpr[2] = bits(0x1p127);
	EXEC(f, FADDS(4, 1, 2));
	assert_int_equal(c->fpr[4], PINF);
	assert_int_equal(c->fpscr & (FPSCR_OX | FPSCR_XX | FPSCR_FI),
			 FPSCR_OX | FPSCR_XX | FPSCR_FI);
	assert_int_equal(fprf(c), FPRF_PINF);
	c->fpscr = FPU_RN_ZERO;
	EXEC(f, FADDS(4, 1, 2));
	assert_int_equal(c->fpr[4], bits(0x1.fffffep127));
	/* frsp */
	c->fpscr = 0;
	c->fpr[2] = bits(1e300);
	EXEC(f, FRSP(4, 2) | RC);
	assert_int_equal(c->fpr[4], PINF);
	assert_int_equal(crf(c, 1), 0x9); /* FX, OX */
	c->fpr[2] = bits(0.1);
	EXEC(f, FRSP(4, 2));
	assert_int_equal(c->fpr[4], bits((double)0.1f));
	/* fsqrts, fdivs */
	c->fpr[2] = TWO;
	EXEC(f, FSQRTS(4, 2));
	assert_int_equal(c->fpr[4], bits((double)0x1.6a09e6p0f));
	EXEC(f, FSQRT(4, 2));
	assert_int_equal(c->fpr[4], 0x3ff6a09e667f3bcdull);
	c->fpr[1] = ONE;
	c->fpr[2] = bits(3.0);
	EXEC(f, FDIVS(4, 1, 2));
	assert_int_equal(c->fpr[4], bits((double)(1.0f / 3.0f)));
	/* fnmsubs negates after rounding: rounding up, then negated */
	c->fpscr = FPU_RN_UP;
	c->fpr[1] = bits(1.0 + 0x1p-30);
	c->fpr[3] = ONE;
	c->fpr[2] = 0;
	EXEC(f, FNMSUBS(4, 1, 3, 2));
	assert_int_equal(c->fpr[4], bits(-(1.0 + 0x1p-23)));
}

static void test_estimates(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->fpr[2] = bits(4.0);
	EXEC(f, FRES(4, 2));
	assert_int_equal(c->fpr[4], bits(0.25));
	EXEC(f, FRSQRTE(4, 2));
	assert_int_equal(c->fpr[4], bits(0.5));
	c->fpr[2] = bits(3.0);
	EXEC(f, FRES(4, 2));
	assert_int_equal(c->fpr[4], bits((double)(1.0f / 3.0f)));
	/* estimates of zero: signed infinity, zero divide */
	c->fpscr = 0;
	c->fpr[2] = F64_SIGN;
	EXEC(f, FRES(4, 2));
	assert_int_equal(c->fpr[4], NINF);
	assert_int_equal(c->fpscr & (FPSCR_ZX | FPSCR_FX), FPSCR_ZX | FPSCR_FX);
	assert_int_equal(fprf(c), FPRF_NINF);
	c->fpscr = 0;
	c->fpr[2] = 0;
	EXEC(f, FRSQRTE(4, 2));
	assert_int_equal(c->fpr[4], PINF);
	assert_true(c->fpscr & FPSCR_ZX);
	c->fpr[2] = PINF;
	EXEC(f, FRSQRTE(4, 2));
	assert_int_equal(c->fpr[4], 0);
	/* a divide by zero */
	c->fpscr = 0;
	c->fpr[1] = ONE | F64_SIGN;
	c->fpr[2] = 0;
	EXEC(f, FDIV(4, 1, 2));
	assert_int_equal(c->fpr[4], NINF);
	assert_int_equal(c->fpscr & (FPSCR_ZX | FPSCR_FI | FPSCR_FR), FPSCR_ZX);
	/* infinity / 0 is exact */
	c->fpscr = 0;
	c->fpr[1] = PINF;
	EXEC(f, FDIV(4, 1, 2));
	assert_int_equal(c->fpr[4], PINF);
	assert_int_equal(c->fpscr & FPSCR_ZX, 0);
}

static void test_compare(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->fpr[1] = ONE;
	c->fpr[2] = TWO;
	c->fpr[3] = QNAN_A;
	c->fpr[4] = SNAN_C;
	c->fpr[5] = F64_SIGN;
	c->fpr[6] = 0;
	c->fpr[7] = NINF;
	c->cr = 0;

	EXEC(f, FCMPU(3, 1, 2));
	assert_int_equal(crf(c, 3), CR_LT);
	assert_int_equal(fprf(c), CR_LT);
	EXEC(f, FCMPU(7, 2, 1));
	assert_int_equal(crf(c, 7), CR_GT);
	EXEC(f, FCMPU(0, 5, 6)); /* -0 == +0 */
	assert_int_equal(crf(c, 0), CR_EQ);
	EXEC(f, FCMPU(1, 7, 5));
	assert_int_equal(crf(c, 1), CR_LT);
	assert_int_equal(crf(c, 3), CR_LT);
	assert_int_equal(c->fpscr & ~FPSCR_FPCC, 0);
	/* unordered: FU; a QNaN is only an exception for fcmpo */
	EXEC(f, FCMPU(2, 3, 1));
	assert_int_equal(crf(c, 2), CR_SO);
	assert_int_equal(c->fpscr, CR_SO << FPSCR_FPRF_SHIFT);
	EXEC(f, FCMPO(2, 3, 1));
	assert_int_equal(c->fpscr & (FPSCR_VXVC | FPSCR_VX | FPSCR_FX),
			 FPSCR_VXVC | FPSCR_VX | FPSCR_FX);
	c->fpscr = 0;
	EXEC(f, FCMPU(2, 1, 4));
	assert_int_equal(crf(c, 2), CR_SO);
	assert_int_equal(c->fpscr & (FPSCR_VXSNAN | FPSCR_VXVC), FPSCR_VXSNAN);
	c->fpscr = 0;
	EXEC(f, FCMPO(2, 1, 4));
	assert_int_equal(c->fpscr & (FPSCR_VXSNAN | FPSCR_VXVC), FPSCR_VXSNAN | FPSCR_VXVC);
	/* FX is set only when an exception bit goes from 0 to 1 */
	c->fpscr = FPSCR_VXSNAN;
	EXEC(f, FCMPU(2, 1, 4));
	assert_int_equal(c->fpscr & FPSCR_FX, 0);
	/* enabled (VE), with MSR[FE]: the compare completes, then the program interrupt */
	c->fpscr = FPSCR_VE;
	c->cr = 0;
	TRAPS(f, FCMPU(4, 4, 1));
	assert_int_equal(crf(c, 4), CR_SO);
	assert_int_equal(f->last.kind, CPU_TRAP_PROGRAM);
	assert_int_equal(f->last.esr, CPU_ESR_FP);
	assert_int_equal(c->fpscr & (FPSCR_FEX | FPSCR_VXSNAN | FPSCR_VXVC),
			 FPSCR_FEX | FPSCR_VXSNAN);
}

static void test_fsel(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->fpr[2] = bits(10.0);
	c->fpr[3] = bits(20.0);
	static const struct {
		uint64_t a;
		bool ge;
	} t[] = {{ONE, true}, {0, true}, {F64_SIGN, true}, {ONE | F64_SIGN, false},
		 {QNAN_A, false}, {PINF, true}, {NINF, false}};
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c->fpr[1] = t[i].a;
		EXEC(f, FSEL(4, 1, 3, 2));
		assert_int_equal(c->fpr[4], t[i].ge ? bits(20.0) : bits(10.0));
	}
	assert_int_equal(c->fpscr, 0);
}

static void test_fpscr_moves(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	/* mffs: the high word is 0 (QEMU 7.2 for its 32-bit 440) */
	c->fpscr = 0x82024001u;
	EXEC(f, MFFS(4) | RC);
	assert_int_equal(c->fpr[4], 0x0000000082024001ull);
	assert_int_equal(crf(c, 1), 0x8);

	/* mtfsf: fields by mask; FEX and VX are computed, not written */
	c->fpscr = 0;
	c->fpr[5] = 0xfffffffff0000003ull;
	EXEC(f, MTFSF(0x81, 5));
	assert_int_equal(c->fpscr, 0x90000003u); /* FX, OX set; FEX, VX not; RN = 3 */
	c->fpr[5] = 0x01000000u; /* VXSNAN */
	EXEC(f, MTFSF(0x40, 5) | RC);
	assert_int_equal(c->fpscr, 0xb1000003u); /* VX follows VXSNAN */
	assert_int_equal(crf(c, 1), 0xb);

	/* mtfsfi */
	c->fpscr = 0;
	EXEC(f, MTFSFI(7, 2));
	assert_int_equal(c->fpscr, FPU_RN_UP);
	EXEC(f, MTFSFI(0, 0xf)); /* FEX and VX bits of the immediate are ignored */
	assert_int_equal(c->fpscr, FPSCR_FX | FPSCR_OX | FPU_RN_UP);

	/* mtfsb1 of an exception bit sets FX; FEX and VX cannot be set */
	c->fpscr = 0;
	EXEC(f, MTFSB1(7)); /* VXSNAN */
	assert_int_equal(c->fpscr, FPSCR_FX | FPSCR_VX | FPSCR_VXSNAN);
	EXEC(f, MTFSB0(0));
	assert_int_equal(c->fpscr, FPSCR_VX | FPSCR_VXSNAN);
	EXEC(f, MTFSB0(7));
	assert_int_equal(c->fpscr, 0);
	EXEC(f, MTFSB1(1));
	EXEC(f, MTFSB1(2));
	assert_int_equal(c->fpscr, 0);
	EXEC(f, MTFSB1(30));
	assert_int_equal(c->fpscr, FPU_RN_UP);

	/* mcrfs copies a field and clears the exception bits in it */
	c->fpscr = FPSCR_FX | FPSCR_OX | FPSCR_UX | FPSCR_ZX | FPSCR_XE | FPSCR_NI;
	c->fpscr = fpscr_summarize(c->fpscr);
	EXEC(f, MCRFS(5, 0));
	assert_int_equal(crf(c, 5), 0x9);
	EXEC(f, MCRFS(6, 1));
	assert_int_equal(crf(c, 6), 0xc);
	assert_int_equal(c->fpscr, FPSCR_XE | FPSCR_NI);
	EXEC(f, MCRFS(6, 7));
	assert_int_equal(crf(c, 6), 0xc);
	assert_int_equal(c->fpscr, FPSCR_XE | FPSCR_NI);

	/* mtfsf with W=1 is not a 440 instruction form (QEMU: illegal) */
	TRAPS(f, MTFSF(0x01, 5) | 1u << 16);
	assert_int_equal(f->last.kind, CPU_TRAP_PROGRAM);
	assert_int_equal(f->last.esr, CPU_ESR_PIL);
	assert_int_equal(c->fpscr, FPSCR_XE | FPSCR_NI);

	/* a move that pairs an exception with its enable traps (QEMU does the same) */
	c->fpscr = FPSCR_ZX | FPSCR_FX;
	TRAPS(f, MTFSB1(27)); /* ZE */
	assert_int_equal(f->last.kind, CPU_TRAP_PROGRAM);
	assert_int_equal(f->last.esr, CPU_ESR_FP);
	assert_true(c->fpscr & FPSCR_FEX);
	/* without MSR[FE0|FE1] it only sets FEX */
	c->fp_exc_mode = 0;
	c->fpscr = 0;
	c->fpr[5] = FPSCR_VE | FPSCR_VXCVI;
	EXEC(f, MTFSF(0xff, 5));
	assert_int_equal(c->fpscr, FPSCR_FEX | FPSCR_VX | FPSCR_VE | FPSCR_VXCVI);
}

static void test_enabled_exceptions(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	/* VE: no result, FPRF kept, FR/FI cleared, FEX, program interrupt */
	c->fpscr = FPSCR_VE | FPSCR_FR | FPSCR_FI | FPRF_PNORM << FPSCR_FPRF_SHIFT;
	c->fpr[1] = PINF;
	c->fpr[2] = NINF;
	c->fpr[4] = 0x1234;
	TRAPS(f, FADD(4, 1, 2) | RC);
	assert_int_equal(c->fpr[4], 0x1234);
	assert_int_equal(f->last.kind, CPU_TRAP_PROGRAM);
	assert_int_equal(f->last.esr, CPU_ESR_FP);
	assert_int_equal(f->last.pc, CODE_VA + 4 * SLOT);
	assert_int_equal(c->fpscr, FPSCR_FX | FPSCR_FEX | FPSCR_VX | FPSCR_VXISI | FPSCR_VE |
					   FPRF_PNORM << FPSCR_FPRF_SHIFT);
	assert_int_equal(crf(c, 1), 0xe);
	/* ZE */
	c->fpscr = FPSCR_ZE;
	c->fpr[1] = ONE;
	c->fpr[2] = 0;
	TRAPS(f, FDIV(4, 1, 2));
	assert_int_equal(c->fpr[4], 0x1234);
	assert_int_equal(c->fpscr & (FPSCR_ZX | FPSCR_FEX), FPSCR_ZX | FPSCR_FEX);
	/* XE: the result is delivered, then the interrupt */
	c->fpscr = FPSCR_XE;
	c->fpr[2] = bits(3.0);
	TRAPS(f, FDIV(4, 1, 2));
	assert_int_equal(c->fpr[4], 0x3fd5555555555555ull);
	assert_int_equal(c->fpscr & (FPSCR_XX | FPSCR_FI | FPSCR_FEX),
			 FPSCR_XX | FPSCR_FI | FPSCR_FEX);
	/* OE: the exponent-adjusted result (2^1024 * 2^-1536) */
	c->fpscr = FPSCR_OE;
	c->fpr[1] = bits(0x1p1000);
	c->fpr[3] = bits(0x1p24);
	TRAPS(f, FMUL(4, 1, 3));
	assert_int_equal(c->fpr[4], bits(0x1p-512));
	assert_int_equal(c->fpscr & (FPSCR_OX | FPSCR_XX | FPSCR_FEX), FPSCR_OX | FPSCR_FEX);
	assert_int_equal(fprf(c), FPRF_PNORM);
	c->fpscr = FPSCR_OE;
	c->fpr[1] = bits(0x1p100);
	c->fpr[3] = bits(0x1p100);
	TRAPS(f, FMULS(4, 1, 3)); /* single: adjusted by 192 */
	assert_int_equal(c->fpr[4], bits(0x1p8));
	/* UE: tiny results, exact or not, are adjusted by 1536 */
	c->fpscr = FPSCR_UE;
	c->fpr[1] = DMIN;
	c->fpr[3] = bits(0.5);
	TRAPS(f, FMUL(4, 1, 3));
	assert_int_equal(c->fpr[4], bits(0x1p513));
	assert_int_equal(c->fpscr & (FPSCR_UX | FPSCR_XX), FPSCR_UX);
	c->fpscr = FPSCR_UE;
	c->fpr[1] = bits(0x1p-1000);
	c->fpr[2] = bits(0x1p100);
	TRAPS(f, FDIV(4, 1, 2));
	assert_int_equal(c->fpr[4], bits(0x1p436));
	/* an exception that is not enabled does not trap, even with an enable set */
	c->fpscr = FPSCR_ZE | FPSCR_OE | FPSCR_UE | FPSCR_VE;
	c->fpr[1] = ONE;
	c->fpr[2] = bits(3.0);
	EXEC(f, FDIV(4, 1, 2));
	assert_int_equal(c->fpscr & FPSCR_FEX, 0);
	/* MSR[FE0,FE1] = 0: FEX is set and the result still suppressed, no interrupt */
	c->fp_exc_mode = 0;
	c->fpscr = FPSCR_VE;
	c->fpr[1] = 0;
	c->fpr[4] = 0x1234;
	EXEC(f, FDIV(4, 1, 1));
	assert_int_equal(c->fpr[4], 0x1234);
	assert_true(c->fpscr & FPSCR_FEX);
	assert_int_equal(f->ntraps, 7);
}

static void test_loads_stores(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	uint8_t *m = f->host;
	static const uint8_t words[] = {
		0x3f, 0x80, 0x00, 0x00, /* 1.0f */
		0x00, 0x00, 0x00, 0x01, /* smallest denormal single */
		0x7f, 0x80, 0x00, 0x01, /* signaling NaN */
		0x80, 0x40, 0x00, 0x00, /* -2^-127 (denormal) */
		0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18, /* pi */
	};
	memcpy(m + 0x100, words, sizeof(words));
	c->gpr[3] = VA_BASE + 0x100;
	c->gpr[4] = 4;

	EXEC(f, d_form(48, 1, 3, 0)); /* lfs */
	assert_int_equal(c->fpr[1], ONE);
	EXEC(f, d_form(48, 1, 3, 4));
	assert_int_equal(c->fpr[1], bits(0x1p-149));
	EXEC(f, xm_form(535, 1, 3, 4)); /* lfsx */
	assert_int_equal(c->fpr[1], bits(0x1p-149));
	EXEC(f, d_form(48, 1, 3, 8));
	assert_int_equal(c->fpr[1], 0x7ff0000020000000ull); /* still signaling */
	EXEC(f, d_form(48, 1, 3, 12));
	assert_int_equal(c->fpr[1], bits(-0x1p-127));
	EXEC(f, d_form(50, 2, 3, 16)); /* lfd */
	assert_int_equal(c->fpr[2], bits(3.141592653589793));
	assert_int_equal(c->fpscr, 0);

	/* stores */
	c->gpr[5] = VA_BASE + 0x200;
	c->fpr[6] = bits(-0x1p-127);
	EXEC(f, d_form(52, 6, 5, 0)); /* stfs */
	assert_memory_equal(m + 0x200, "\x80\x40\x00\x00", 4);
	c->fpr[6] = bits(0x1p-149);
	EXEC(f, d_form(52, 6, 5, 4));
	assert_memory_equal(m + 0x204, "\x00\x00\x00\x01", 4);
	c->fpr[6] = 0x7ff0000020000000ull;
	EXEC(f, xm_form(663, 6, 5, 4)); /* stfsx */
	assert_memory_equal(m + 0x204, "\x7f\x80\x00\x01", 4);
	c->fpr[6] = bits(0x1p-200); /* below the single range: zero */
	EXEC(f, d_form(52, 6, 5, 8));
	assert_memory_equal(m + 0x208, "\x00\x00\x00\x00", 4);
	c->fpr[6] = bits(0.1); /* SINGLE truncates, it does not round */
	EXEC(f, d_form(52, 6, 5, 8));
	assert_memory_equal(m + 0x208, "\x3d\xcc\xcc\xcc", 4);
	c->fpr[6] = 0x0123456789abcdefull;
	EXEC(f, d_form(54, 6, 5, 16)); /* stfd */
	assert_memory_equal(m + 0x210, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
	c->gpr[4] = 0x18;
	EXEC(f, xm_form(983, 6, 5, 4)); /* stfiwx: the low word */
	assert_memory_equal(m + 0x218, "\x89\xab\xcd\xef", 4);

	/* update forms: RA gets the address */
	c->gpr[7] = VA_BASE + 0x0f0;
	EXEC(f, d_form(49, 1, 7, 0x10)); /* lfsu */
	assert_int_equal(c->gpr[7], VA_BASE + 0x100);
	assert_int_equal(c->fpr[1], ONE);
	c->gpr[8] = 0x10;
	EXEC(f, xm_form(631, 2, 7, 8)); /* lfdux */
	assert_int_equal(c->gpr[7], VA_BASE + 0x110);
	assert_int_equal(c->fpr[2], bits(3.141592653589793));
	EXEC(f, d_form(55, 2, 7, 0x120)); /* stfdu */
	assert_int_equal(c->gpr[7], VA_BASE + 0x230);
	assert_memory_equal(m + 0x230, words + 16, 8);
	EXEC(f, xm_form(695, 1, 7, 8)); /* stfsux */
	assert_int_equal(c->gpr[7], VA_BASE + 0x240);
	assert_memory_equal(m + 0x240, "\x3f\x80\x00\x00", 4);

	/* a faulting access changes no register and tells MMIO it is an FP update load */
	c->gpr[7] = VA_UNMAPPED;
	c->fpr[1] = 0x55;
	TRAPS(f, d_form(49, 1, 7, 8));
	assert_int_equal(c->gpr[7], VA_UNMAPPED);
	assert_int_equal(c->fpr[1], 0x55);
	assert_int_equal(f->last.kind, CPU_TRAP_DTLB_MISS);
	assert_int_equal(f->last.ea, VA_UNMAPPED + 8);
	assert_int_equal(f->last.mem.size, 4);
	assert_true(f->last.mem.fp);
	assert_int_equal(f->last.mem.ra_update, 7);
	assert_int_equal(f->last.mem.rt, 1);
	c->fpr[6] = bits(1.0);
	TRAPS(f, d_form(53, 6, 7, 0)); /* stfsu: the converted word goes to MMIO */
	assert_int_equal(c->gpr[7], VA_UNMAPPED);
	assert_int_equal(f->last.access, CPU_ACCESS_WRITE);
	assert_int_equal(f->last.mem.store_val, 0x3f800000u);
	TRAPS(f, d_form(50, 1, 7, 0)); /* lfd */
	assert_int_equal(f->last.mem.size, 8);

	/* the conversions the MMIO completion uses */
	assert_int_equal(cpu_fp_double_of_single(0x00400000u), bits(0x1p-127));
	assert_int_equal(cpu_fp_double_of_single(0xff800000u), NINF);
	assert_int_equal(cpu_fp_double_of_single(0x80000000u), F64_SIGN);
	assert_int_equal(cpu_fp_single_of_double(bits(0x1p-127)), 0x00400000u);
	assert_int_equal(cpu_fp_single_of_double(QNAN_B), 0xffc00000u);
}

static void test_record_forms(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->cr = 0xffffffffu;
	c->fpscr = 0;
	c->fpr[1] = ONE;
	c->fpr[2] = ONE;
	EXEC(f, FADD(3, 1, 2) | RC);
	assert_int_equal(c->cr, 0xf0ffffffu);
	c->fpr[2] = bits(1e-30);
	EXEC(f, FADD(3, 1, 2) | RC);
	assert_int_equal(crf(c, 1), 0x8); /* FX from XX */
	c->fpr[1] = bits(0x1p1023);
	c->fpr[2] = bits(0x1p1023);
	EXEC(f, FADD(3, 1, 2) | RC);
	assert_int_equal(crf(c, 1), 0x9); /* FX, OX */
	c->cr = 0;
	EXEC(f, FADD(3, 1, 2)); /* no Rc: CR untouched */
	assert_int_equal(c->cr, 0);
	EXEC(f, FMR(3, 1) | RC);
	assert_int_equal(crf(c, 1), 0x9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fp_unavailable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_rounding_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_mxcsr_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_operations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fctiw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nan_propagation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_denormals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_rounding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_estimates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fsel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fpscr_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enabled_exceptions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loads_stores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_forms, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
