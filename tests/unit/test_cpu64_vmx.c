// SPDX-License-Identifier: MIT
/* Unit tests of the 64-bit core's vector facility (src/cpu/exec_vmx.c): element results,
 * VSCR[SAT], CR6 of the record compares, lvx/stvx byte order, the crypto instructions, the
 * decimal bcdadd./bcdsub., and MSR[VEC]. */
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
#define MSR64 (BARE_MSR_USER | BARE_MSR_SF | BARE_MSR_VEC)
#define VX(vd, va, vb, xo) (4u << 26 | (vd) << 21 | (va) << 16 | (vb) << 11 | (xo))

static struct bare_machine *setup(uint64_t msr, const uint32_t *w, unsigned n)
{
	struct bare_machine *m = bare_create(BASE, 0x4000, msr);
	assert_non_null(m);
	bare_put_code(m, BASE, w, n);
	uint32_t end = END;
	bare_put_code(m, BASE + 4 * n, &end, 1);
	for (unsigned i = 0; i < 16; i++) {
		m->c.vr[1].b[i] = (uint8_t)(0xf0 + i); /* f0 f1 ... ff */
		m->c.vr[2].b[i] = (uint8_t)(0x20 + i);
	}
	return m;
}

static void test_arith_and_sat(void **state)
{
	(void)state;
	uint32_t w[] = {
		VX(3u, 1u, 2u, 0u),   /* vaddubm v3,v1,v2: wraps */
		VX(4u, 1u, 2u, 512u), /* vaddubs v4,v1,v2: saturates to 0xff, SAT */
		VX(5u, 1u, 2u, 768u), /* vaddsbs v5,v1,v2: -16+32 = 16: no saturation */
		VX(6u, 1u, 1u, 194u), /* vmaxud v6,v1,v1 */
	};
	struct bare_machine *m = setup(MSR64, w, 4);
	bare_run(m, BASE);
	assert_int_equal(m->last.kind, CPU_TRAP_ITLB_MISS);
	assert_int_equal(m->c.vr[3].b[0], 0x10);
	assert_int_equal(m->c.vr[3].b[15], 0x2e);
	assert_int_equal(m->c.vr[4].b[0], 0xff);
	assert_int_equal(m->c.vscr & 1, 1);
	assert_int_equal(m->c.vr[5].b[0], 0x10);
	assert_memory_equal(m->c.vr[6].b, m->c.vr[1].b, 16);
	bare_destroy(m);
}

static void test_compare_permute(void **state)
{
	(void)state;
	uint32_t w[] = {
		VX(3u, 1u, 1u, 134u | 1024u), /* vcmpequw. v3,v1,v1: all true -> CR6 = 8 */
		VX(4u, 1u, 2u, 6u | 1024u),   /* vcmpequb. v4,v1,v2: none true -> CR6 = 2 */
		VX(5u, 1u, 2u, 43u) | 6u << 6, /* vperm v5,v1,v2,v6 */
		VX(7u, 1u, 2u, 44u) | 3u << 6, /* vsldoi v7,v1,v2,3 */
		VX(8u, 0x1fu, 0u, 908u),       /* vspltisw v8,-1 */
		VX(9u, 2u, 1u, 524u),	       /* vspltb v9,v1,2 */
	};
	struct bare_machine *m = setup(MSR64, w, 6);
	for (unsigned i = 0; i < 16; i++)
		m->c.vr[6].b[i] = (uint8_t)(31 - i); /* reverse of vA || vB's last 16 */
	bare_run(m, BASE);
	assert_int_equal(m->last.kind, CPU_TRAP_ITLB_MISS);
	assert_int_equal((m->c.cr >> 4) & 0xf, 2);
	for (unsigned i = 0; i < 16; i++) {
		assert_int_equal(m->c.vr[5].b[i], 0x2f - i);
		assert_int_equal(m->c.vr[7].b[i], i < 13 ? 0xf3 + i : 0x20 + i - 13);
		assert_int_equal(m->c.vr[8].b[i], 0xff);
		assert_int_equal(m->c.vr[9].b[i], 0xf2);
	}
	bare_destroy(m);
	uint32_t w1[] = {VX(3u, 1u, 1u, 134u | 1024u)};
	m = setup(MSR64, w1, 1);
	bare_run(m, BASE);
	assert_int_equal((m->c.cr >> 4) & 0xf, 8);
	bare_destroy(m);
}

/* lvx/stvx: element 0 at the lowest address in either byte order; EA rounded down to 16 */
static void test_lvx_stvx(void **state)
{
	(void)state;
	for (int le = 0; le < 2; le++) {
		uint32_t w[] = {
			31u << 26 | 1u << 21 | 4u << 16 | 5u << 11 | 231u << 1, /* stvx v1,r4,r5 */
			31u << 26 | 3u << 21 | 4u << 16 | 5u << 11 | 103u << 1, /* lvx v3,r4,r5 */
		};
		struct bare_machine *m = setup(MSR64 | (le ? BARE_MSR_LE : 0), w, 2);
		m->c.gpr[4] = BASE + DATA;
		m->c.gpr[5] = 7; /* not aligned: the quadword at DATA */
		bare_run(m, BASE);
		assert_int_equal(m->last.kind, CPU_TRAP_ITLB_MISS);
		/* big-endian: byte 0 (0xf0) first; little-endian: the quadword reversed */
		assert_int_equal(m->ram[DATA], le ? 0xff : 0xf0);
		assert_int_equal(m->ram[DATA + 15], le ? 0xf0 : 0xff);
		assert_memory_equal(m->c.vr[3].b, m->c.vr[1].b, 16);
		bare_destroy(m);
	}
}

/* The vector crypto: vsbox is FIPS-197's S-box (its first row), vncipherlast undoes
 * vcipherlast (with zero round keys), and the SHA-2 sigmas of 1 by their definitions. */
static void test_crypto(void **state)
{
	(void)state;
	static const uint8_t sbox_row0[16] = {0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5,
					      0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76};
	uint32_t w[] = {
		VX(3u, 10u, 0u, 1480u),		 /* vsbox v3,v10 */
		VX(4u, 1u, 11u, 1289u),		 /* vcipherlast v4,v1,v11 (v11 = 0) */
		VX(5u, 4u, 11u, 1353u),		 /* vncipherlast v5,v4,v11 */
		VX(6u, 12u, 0u, 1666u),		 /* vshasigmaw v6,v12,0,0: sigma0 */
		VX(7u, 12u, 16u | 15u, 1666u),	 /* vshasigmaw v7,v12,1,15: Sigma1 */
		VX(8u, 12u, 10u, 1730u),	 /* vshasigmad v8,v12,0,0b1010: sigma1 */
	};
	struct bare_machine *m = setup(MSR64, w, 6);
	for (unsigned i = 0; i < 16; i++) {
		m->c.vr[10].b[i] = (uint8_t)i;
		m->c.vr[11].b[i] = 0;
		m->c.vr[12].b[i] = (i % 4 == 3) ? 1 : 0; /* every word 1; doublewords 1 << 32 | 1 */
	}
	bare_run(m, BASE);
	assert_int_equal(m->last.kind, CPU_TRAP_ITLB_MISS);
	assert_memory_equal(m->c.vr[3].b, sbox_row0, 16);
	assert_memory_not_equal(m->c.vr[4].b, m->c.vr[1].b, 16);
	assert_memory_equal(m->c.vr[5].b, m->c.vr[1].b, 16);
	for (unsigned i = 0; i < 4; i++) {
		const uint8_t *p6 = m->c.vr[6].b + 4 * i, *p7 = m->c.vr[7].b + 4 * i;
		/* sigma0(1) = ror7 ^ ror18 ^ shr3; Sigma1(1) = ror6 ^ ror11 ^ ror25 */
		assert_int_equal((uint32_t)p6[0] << 24 | p6[1] << 16 | p6[2] << 8 | p6[3], 0x02004000u);
		assert_int_equal((uint32_t)p7[0] << 24 | p7[1] << 16 | p7[2] << 8 | p7[3], 0x04200080u);
	}
	/* doubleword x = 2^32 + 1: sigma1 = ror19 ^ ror61 ^ shr6 */
	uint64_t x = (1ull << 32) | 1, want = (x >> 19 | x << 45) ^ (x >> 61 | x << 3) ^ (x >> 6);
	for (unsigned i = 0; i < 2; i++) {
		uint64_t got = 0;
		for (unsigned b = 0; b < 8; b++)
			got = got << 8 | m->c.vr[8].b[8 * i + b];
		assert_int_equal(got, want);
	}
	bare_destroy(m);
}

/* a signed packed decimal from two doublewords (the register's first, then its second) */
static void bcd_set(union cpu_vr *v, uint64_t hi, uint64_t lo)
{
	for (unsigned i = 0; i < 8; i++) {
		v->b[i] = (uint8_t)(hi >> (56 - 8 * i));
		v->b[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
	}
}

static uint64_t vr_dw(const union cpu_vr *v, unsigned i)
{
	uint64_t x = 0;
	for (unsigned b = 0; b < 8; b++)
		x = x << 8 | v->b[8 * i + b];
	return x;
}

/* bcdadd. and bcdsub. against Power ISA 2.07B (Book I, Decimal Integer Arithmetic): the sign
 * codes (PS), a zero result always plus and CR6 EQ (QEMU 7.2 keeps the operands' sign and
 * sets GT or LT too: tests/diff64/README.md), overflow keeps the 31 low digits and sets SO,
 * an invalid digit or sign sets CR6 to 0b0001 and leaves the other CR fields alone. */
static void test_bcd(void **state)
{
	(void)state;
	static const struct {
		uint64_t ahi, alo, bhi, blo;
		unsigned sub, ps;
		uint64_t rhi, rlo;
		unsigned cr6;
	} cases[] = {
		{0, 0x12345c, 0, 0x678d, 0, 0, 0, 0x11667c, 4},	  /* 12345 + -678 */
		{0, 0x12345c, 0, 0x678d, 1, 1, 0, 0x13023f, 4},	  /* 12345 - -678, PS=1 */
		{0, 0x5c, 0, 0x8a, 1, 0, 0, 0x3d, 8},		  /* 5 - 8 = -3 */
		{0, 0x7e, 0, 0x2f, 0, 1, 0, 0x9f, 4},		  /* the other plus codes */
		{0, 0x3b, 0, 0x3c, 0, 0, 0, 0x0c, 2},		  /* -3 + 3: plus zero */
		{0, 0x0d, 0, 0x0d, 0, 1, 0, 0x0f, 2},		  /* -0 + -0: plus zero, EQ only */
		{0, 0x0c, 0, 0x0c, 0, 0, 0, 0x0c, 2},		  /* +0 + +0: EQ only */
		{0, 0x0c, 0, 0x0d, 1, 0, 0, 0x0c, 2},		  /* +0 - -0 */
		{~0ull / 15 * 9, ~0ull / 15 * 9 - 9 + 0xc, 0, 0x1c, 0, 0, 0, 0x0c, 5}, /* 10^31 */
		{~0ull / 15 * 9, ~0ull / 15 * 9 - 9 + 0xd, 0, 0x2c, 1, 0, 0, 0x1d, 9}, /* -10^31-1 */
		{0, 0xac, 0, 0x3c, 0, 0, ~0ull, ~0ull, 1},	  /* a digit above 9 */
		{0x0a00000000000000, 0x1c, 0, 0x3d, 1, 0, ~0ull, ~0ull, 1}, /* ... the first */
		{0, 0x3c, 0, 0x19, 1, 0, ~0ull, ~0ull, 1},	  /* a sign code below 0xA */
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t w = VX(3u, 1u, 2u, (cases[i].sub ? 1089u : 1025u) | cases[i].ps << 9);
		struct bare_machine *m = setup(MSR64, &w, 1);
		bcd_set(&m->c.vr[1], cases[i].ahi, cases[i].alo);
		bcd_set(&m->c.vr[2], cases[i].bhi, cases[i].blo);
		m->c.cr = 0x12345605;
		bare_run(m, BASE);
		assert_int_equal(m->last.kind, CPU_TRAP_ITLB_MISS);
		if (vr_dw(&m->c.vr[3], 0) != cases[i].rhi || vr_dw(&m->c.vr[3], 1) != cases[i].rlo ||
		    m->c.cr != (0x12345605u | cases[i].cr6 << 4))
			fail_msg("case %u: %016llx%016llx CR 0x%08x", i,
				 (unsigned long long)vr_dw(&m->c.vr[3], 0),
				 (unsigned long long)vr_dw(&m->c.vr[3], 1), (unsigned)m->c.cr);
		bare_destroy(m);
	}
}

static void test_vec_unavailable(void **state)
{
	(void)state;
	uint32_t w[] = {VX(3u, 1u, 2u, 0u)};
	struct bare_machine *m = setup(MSR64 & ~BARE_MSR_VEC, w, 1);
	bare_run(m, BASE);
	assert_int_equal(m->last.kind, CPU_TRAP_VEC_UNAVAIL);
	assert_int_equal(m->last.pc, BASE);
	assert_int_equal(m->c.vr[3].b[0], 0);
	bare_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arith_and_sat),
		cmocka_unit_test(test_compare_permute),
		cmocka_unit_test(test_lvx_stvx),
		cmocka_unit_test(test_crypto),
		cmocka_unit_test(test_bcd),
		cmocka_unit_test(test_vec_unavailable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
