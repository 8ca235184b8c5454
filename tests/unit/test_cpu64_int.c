// SPDX-License-Identifier: MIT
/* Unit tests of the 64-bit core's integer instructions (src/cpu built with CPU_WIDTH=64):
 * short programs run on a bare core (tests/diff64/bare_machine.h), and their registers, CR,
 * XER and memory checked against the Power ISA 2.07. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bare_machine.h"
#include "cpu/decode.h"

#define BASE 0x10000000ull /* RAM: code at BASE, data at BASE + DATA */
#define DATA 0x1000
#define END 0x48000002u /* ba 0: outside the RAM, the fetch there stops the core */
#define MSR64 (BARE_MSR_USER | BARE_MSR_SF)

/* encoders (bit 0 is the MSB) */
#define D_(op, rt, ra, imm) ((uint32_t)(op) << 26 | (rt) << 21 | (ra) << 16 | ((imm) & 0xffff))
#define DS_(op, rt, ra, ds, xo) ((uint32_t)(op) << 26 | (rt) << 21 | (ra) << 16 | ((ds) & 0xfffc) | (xo))
#define X_(rt, ra, rb, xo, rc) (31u << 26 | (rt) << 21 | (ra) << 16 | (rb) << 11 | (xo) << 1 | (rc))
#define XO_(rt, ra, rb, xo, oe, rc)                                                             \
	(31u << 26 | (rt) << 21 | (ra) << 16 | (rb) << 11 | (oe) << 10 | (xo) << 1 | (rc))
#define MD_(rs, ra, sh, mb, xo, rc)                                                             \
	(30u << 26 | (rs) << 21 | (ra) << 16 | ((sh) & 31) << 11 | ((mb) & 31) << 6 |           \
	 ((mb) >> 5) << 5 | (xo) << 2 | ((sh) >> 5) << 1 | (rc))

/* Runs the words at BASE (then END) from the given registers; returns the machine. */
static struct bare_machine *run(uint64_t msr, const uint32_t *w, unsigned n, const uint64_t *gpr)
{
	struct bare_machine *m = bare_create(BASE, 0x4000, msr);
	assert_non_null(m);
	bare_put_code(m, BASE, w, n);
	uint32_t end = END;
	bare_put_code(m, BASE + 4 * n, &end, 1);
	for (unsigned i = 0; i < 32; i++)
		m->c.gpr[i] = gpr ? gpr[i] : 0;
	bare_run(m, BASE);
	return m;
}

static void assert_ended(struct bare_machine *m)
{
	assert_int_equal(m->last.kind, CPU_TRAP_ITLB_MISS);
	assert_int_equal(m->c.pc, 0);
}

static unsigned cr0(const struct bare_machine *m)
{
	return m->c.cr >> 28;
}

static void test_decode_columns(void **state)
{
	(void)state;
	struct cpu_decoder *dec = cpu_decoder_create();
	struct cpu_dinsn d;
	assert_non_null(dec);
	/* every 64-bit entry decodes from its canonical encoding */
	for (unsigned i = 0; i < cpu_insn_count; i++) {
		const struct cpu_insn_info *in = &cpu_insn_table[i];
		uint32_t w = (uint32_t)in->primary << 26;
		if (!(in->arch & CPU_A_S64))
			continue;
		if (in->form == FORM_DS)
			w |= in->xo;
		else if (in->form == FORM_MD)
			w |= (uint32_t)in->xo << 2;
		else if (in->form == FORM_MDS)
			w |= (uint32_t)in->xo << 1;
		else if (in->form == FORM_XS)
			w |= (uint32_t)in->xo << 2;
		else if (in->form == FORM_VX || in->form == FORM_VA || in->form == FORM_VC ||
			 in->form == FORM_VXPS)
			w |= in->xo;
		else if (in->form == FORM_XX2)
			w |= (uint32_t)in->xo << 2;
		else if (in->form == FORM_XX3 || in->form == FORM_XX3R || in->form == FORM_XX3D)
			w |= (uint32_t)in->xo << 3;
		else if (in->form == FORM_XX4)
			w |= (uint32_t)in->xo << 4;
		else if (in->form != FORM_D && in->form != FORM_DL && in->form != FORM_CMPI &&
			 in->form != FORM_I && in->form != FORM_B && in->form != FORM_SC)
			w |= (uint32_t)in->xo << 1;
		if (cpu_decode(dec, w, &d) != (int)i)
			fail_msg("%s (0x%08x) does not decode to itself", in->mnemonic, w);
	}
	/* the 440's own instructions are illegal here */
	assert_int_equal(cpu_decode(dec, 0x7c6325d8, &d), -1); /* macchw r3,r3,r4 */
	assert_int_equal(cpu_decode(dec, 0x7c6320d8, &d), -1); /* ... and its other forms */
	assert_int_equal(cpu_decode(dec, 0x7c640286, &d), -1); /* mfdcr */
	assert_int_equal(cpu_decode(dec, 0x7c63209c, &d), -1); /* dlmzb */
	char buf[64];
	cpu_disassemble(dec, MD_(4u, 3u, 8u, 56u, 0u, 1u), 0, buf, sizeof(buf));
	assert_string_equal(buf, "rldicl. r3,r4,8,56");
	cpu_disassemble(dec, DS_(58u, 3u, 1u, -8, 1u), 0, buf, sizeof(buf));
	assert_string_equal(buf, "ldu r3,-8(r1)");
	cpu_decoder_destroy(dec);
}

/* a 440-only instruction gets the illegal-instruction program interrupt */
static void test_illegal_440_only(void **state)
{
	(void)state;
	uint32_t w[] = {0x7c6325d8}; /* macchw */
	struct bare_machine *m = run(MSR64, w, 1, NULL);
	assert_int_equal(m->last.kind, CPU_TRAP_PROGRAM);
	assert_int_equal(m->last.esr, CPU_ESR_PIL);
	assert_int_equal(m->last.pc, BASE);
	bare_destroy(m);
}

/* Decimal floating point and transactional memory are categories this POWER8 leaves out
 * (the pseries device tree advertises neither: no "ibm,dfp", ibm,pa-features byte 22 zero):
 * their instructions are illegal, with MSR[FP] on or off, rather than the FP unavailable or
 * TM facility unavailable interrupt of a core that has them. Linux gives SIGILL either way. */
static void test_illegal_dfp_tm(void **state)
{
	(void)state;
	static const uint32_t words[] = {
		0xec443004, /* dadd f2,f4,f6 */
		0xfc443004, /* daddq f2,f4,f6 */
		0xec443444, /* ddiv f2,f4,f6 */
		0xec843504, /* dcmpu cr1,f4,f6 */
		0xec840d84, /* dtstdc cr1,f4,3 */
		0xec443206, /* dqua f2,f4,f6,1 */
		0xec4021c6, /* drintn 0,f2,f4,0 */
		0xec402644, /* dcffix f2,f4 */
		0xec482284, /* ddedpd 1,f2,f4 */
		0x7c00051d, /* tbegin. */
		0x7c00055d, /* tend. */
		0x7c03071d, /* tabort. r3 */
		0x7c23261d, /* tabortwc. 1,r3,r4 */
		0x7c232edd, /* tabortdci. 1,r3,5 */
		0x7c80059c, /* tcheck cr1 */
		0x7c2005dd, /* tsr. 1 (tresume.) */
		0x7c03075d, /* treclaim. r3 */
		0x7c0007dd, /* trechkpt. */
	};
	for (unsigned i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		for (int fp = 0; fp < 2; fp++) {
			uint64_t msr = fp ? MSR64 : MSR64 & ~BARE_MSR_FP;
			struct bare_machine *m = run(msr, &words[i], 1, NULL);
			if (m->last.kind != CPU_TRAP_PROGRAM || m->last.esr != CPU_ESR_PIL ||
			    m->last.pc != BASE)
				fail_msg("0x%08x (MSR[FP]=%d): trap %d esr 0x%x pc 0x%llx, not illegal",
					 words[i], fp, (int)m->last.kind, (unsigned)m->last.esr,
					 (unsigned long long)m->last.pc);
			bare_destroy(m);
		}
}

/* ld/std/lwa/ldu/ldbrx, big- and little-endian */
static void test_doubleword_ldst(void **state)
{
	(void)state;
	for (int le = 0; le < 2; le++) {
		uint64_t g[32] = {0};
		g[1] = BASE + DATA;
		g[5] = 0x0102030405060708ull;
		g[8] = 8;
		uint32_t w[] = {
			DS_(62u, 5u, 1u, 0, 0u),     /* std r5,0(r1) */
			DS_(58u, 6u, 1u, 0, 0u),     /* ld r6,0(r1) */
			X_(7u, 1u, 0u, 532u, 0u),    /* ldbrx r7,r1,r0 (r0 = 0) */
			DS_(58u, 9u, 1u, 4, 2u),     /* lwa r9,4(r1) */
			DS_(62u, 5u, 1u, 8, 1u),     /* stdu r5,8(r1): r1 += 8 */
			X_(5u, 1u, 8u, 660u, 0u),    /* stdbrx r5,r1,r8 */
			DS_(58u, 10u, 1u, 8, 0u),    /* ld r10,8(r1) */
		};
		struct bare_machine *m = run(MSR64 | (le ? BARE_MSR_LE : 0), w, 7, g);
		assert_ended(m);
		const uint8_t *p = m->ram + DATA;
		/* the doubleword's first byte is its MSB (big-endian) or LSB (little-endian) */
		assert_int_equal(p[0], le ? 0x08 : 0x01);
		assert_int_equal(p[7], le ? 0x01 : 0x08);
		assert_int_equal(m->c.gpr[6], 0x0102030405060708ull);
		assert_int_equal(m->c.gpr[7], 0x0807060504030201ull);
		/* lwa at +4: bytes 05 06 07 08 (BE) or 04 03 02 01 (LE), sign-extended */
		assert_int_equal(m->c.gpr[9], le ? 0x01020304ull : 0x05060708ull);
		assert_int_equal(m->c.gpr[1], BASE + DATA + 8);
		assert_int_equal(m->c.gpr[10], 0x0807060504030201ull);
		bare_destroy(m);
	}
	uint64_t g[32] = {0};
	g[1] = BASE + DATA;
	g[5] = 0x80000000ull;
	uint32_t w[] = {D_(36u, 5u, 1u, 0), DS_(58u, 6u, 1u, 0, 2u)}; /* stw; lwa */
	struct bare_machine *m = run(MSR64, w, 2, g);
	assert_int_equal(m->c.gpr[6], 0xffffffff80000000ull);
	bare_destroy(m);
}

/* lq/stq: the even/odd pair, RTp the doubleword at EA in big-endian mode and at EA + 8 in
 * little-endian mode (as lqarx); an EA not quadword-aligned is the alignment interrupt, an
 * odd RTp the illegal-instruction one */
static void test_quadword(void **state)
{
	(void)state;
	for (int le = 0; le < 2; le++) {
		uint64_t g[32] = {0};
		g[1] = BASE + DATA;
		g[4] = 0x1111111122222222ull;
		g[5] = 0x3333333344444444ull;
		uint32_t w[] = {
			DS_(62u, 4u, 1u, 16, 2u), /* stq r4,16(r1) */
			D_(56u, 6u, 1u, 16),	  /* lq r6,16(r1) */
			DS_(58u, 8u, 1u, 16, 0u), /* ld r8,16(r1) */
			DS_(58u, 9u, 1u, 24, 0u), /* ld r9,24(r1) */
		};
		struct bare_machine *m = run(MSR64 | (le ? BARE_MSR_LE : 0), w, 4, g);
		assert_ended(m);
		assert_int_equal(m->c.gpr[6], g[4]);
		assert_int_equal(m->c.gpr[7], g[5]);
		assert_int_equal(m->c.gpr[8], le ? g[5] : g[4]);
		assert_int_equal(m->c.gpr[9], le ? g[4] : g[5]);
		bare_destroy(m);
	}
	uint64_t g[32] = {0};
	g[1] = BASE + DATA + 8;
	uint32_t w[] = {D_(56u, 6u, 1u, 0)}; /* lq r6,0(r1): EA 8 bytes off */
	struct bare_machine *m = run(MSR64, w, 1, g);
	assert_int_equal(m->last.kind, CPU_TRAP_ALIGNMENT);
	bare_destroy(m);
	uint32_t odd[] = {DS_(62u, 5u, 1u, 8, 2u)}; /* stq r5,8(r1): RSp odd */
	m = run(MSR64, odd, 1, g);
	assert_int_equal(m->last.kind, CPU_TRAP_PROGRAM);
	assert_int_equal(m->last.esr, CPU_ESR_PIL);
	bare_destroy(m);
}

static void test_rotates_shifts(void **state)
{
	(void)state;
	uint64_t g[32] = {0};
	g[3] = 0x8000000000000001ull;
	g[4] = 0xffffffff00000000ull;
	g[10] = 4;
	g[11] = 64;
	g[20] = 0x1111111111111111ull;
	uint32_t w[] = {
		MD_(3u, 5u, 1u, 0u, 0u, 0u),  /* rldicl r5,r3,1,0: rotate left 1 */
		MD_(3u, 6u, 4u, 0u, 1u, 0u),  /* rldicr r6,r3,4,0: keep bit 0 */
		MD_(3u, 7u, 8u, 48u, 2u, 0u), /* rldic r7,r3,8,48 */
		MD_(4u, 20u, 16u, 8u, 3u, 0u), /* rldimi r20,r4,16,8 */
		X_(3u, 12u, 10u, 27u, 0u),    /* sld r12,r3,r10 */
		X_(3u, 13u, 11u, 539u, 0u),   /* srd r13,r3,r11: 64 shifts all out */
		X_(3u, 14u, 10u, 794u, 0u),   /* srad r14,r3,r10 */
		31u << 26 | 4u << 21 | 15u << 16 | 0u << 11 | 413u << 2 | 1u << 1 | 1u, /* sradi. r15,r4,32 */
	};
	struct bare_machine *m = run(MSR64, w, 8, g);
	assert_ended(m);
	assert_int_equal(m->c.gpr[5], 0x0000000000000003ull);
	assert_int_equal(m->c.gpr[6], 0x0000000000000000ull);
	assert_int_equal(m->c.gpr[7], 0x0000000000000100ull);
	assert_int_equal(m->c.gpr[20], 0x11ff000000001111ull);
	assert_int_equal(m->c.gpr[12], 0x0000000000000010ull);
	assert_int_equal(m->c.gpr[13], 0);
	assert_int_equal(m->c.gpr[14], 0xf800000000000000ull);
	assert_int_equal(m->c.gpr[15], 0xffffffffffffffffull);
	/* sradi of a negative value with no 1 bits shifted out: CA = 0; CR0 = LT */
	assert_int_equal(m->c.xer_ca, 0);
	assert_int_equal(cr0(m), CR_LT);
	bare_destroy(m);
}

static void test_multiply_divide(void **state)
{
	(void)state;
	uint64_t g[32] = {0};
	g[3] = 0x100000000ull;
	g[4] = 0x100000000ull;
	g[5] = (uint64_t)-7;
	g[6] = 2;
	g[7] = 1;
	uint32_t w[] = {
		XO_(8u, 3u, 4u, 233u, 1u, 0u),  /* mulldo r8,r3,r4: 2^64 overflows */
		XO_(9u, 3u, 4u, 73u, 0u, 0u),   /* mulhd r9,r3,r4 */
		XO_(10u, 5u, 6u, 489u, 0u, 0u), /* divd r10,r5,r6 */
		XO_(11u, 5u, 6u, 457u, 0u, 0u), /* divdu r11,r5,r6 */
		XO_(12u, 7u, 6u, 393u, 0u, 0u), /* divdeu r12,r7,r6: 2^64 / 2 */
		XO_(13u, 5u, 5u, 9u, 0u, 0u),   /* mulhdu r13,r5,r5 */
	};
	struct bare_machine *m = run(MSR64, w, 6, g);
	assert_ended(m);
	assert_int_equal(m->c.gpr[8], 0);
	assert_int_equal(m->c.xer_ov, 1);
	assert_int_equal(m->c.xer_so, 1);
	assert_int_equal(m->c.gpr[9], 1);
	assert_int_equal(m->c.gpr[10], (uint64_t)-3);
	assert_int_equal(m->c.gpr[11], 0x7ffffffffffffffcull);
	assert_int_equal(m->c.gpr[12], 0x8000000000000000ull);
	assert_int_equal(m->c.gpr[13], 0xfffffffffffffff2ull);
	bare_destroy(m);

	/* divwe(u): (RA's low word || 32 zeros) / RB's low word; no fit in 32 bits: OV */
	uint64_t h[32] = {0};
	h[3] = 0xffffffff00000001ull; /* low word 1 */
	h[4] = 0x0000000700000004ull; /* low word 4 */
	h[5] = 0xfffffffc;	      /* -4 */
	h[6] = 1;
	uint32_t v[] = {
		XO_(8u, 3u, 4u, 395u, 1u, 0u),  /* divweuo r8,r3,r4: 2^32 / 4 = 2^30 */
		XO_(9u, 3u, 5u, 427u, 0u, 1u),  /* divwe. r9,r3,r5: 2^32 / -4 = -2^30 */
		XO_(10u, 3u, 6u, 427u, 1u, 0u), /* divweo r10,r3,r6: 2^32 does not fit */
	};
	m = run(MSR64, v, 3, h);
	assert_ended(m);
	assert_int_equal(m->c.gpr[8], 0x40000000);
	assert_int_equal(m->c.gpr[9], (uint64_t)-0x40000000);
	assert_int_equal(m->c.cr >> 28, 8 | 0); /* LT */
	assert_int_equal(m->c.gpr[10], 0);
	assert_int_equal(m->c.xer_ov, 1);
	bare_destroy(m);
}

/* L selects a doubleword compare; CR0, carries and addresses follow MSR[SF] */
static void test_modes(void **state)
{
	(void)state;
	uint64_t g[32] = {0};
	g[3] = 0x100000000ull; /* low word 0 */
	g[4] = 0xffffffffull;
	g[5] = 1;
	g[6] = 0xffffffff00000000ull | (BASE + DATA);
	uint32_t w[] = {
		X_(1u, 3u, 0u, 0u, 0u),	    /* cmpd cr0... here cr0,L=1: r3 vs r0 = 0 -> GT */
		X_(4u, 3u, 0u, 0u, 0u),	    /* cmpw cr1,r3,r0: low words equal -> EQ */
		XO_(7u, 4u, 5u, 10u, 0u, 1u), /* addc. r7,r4,r5: 0x1_0000_0000 */
		D_(32u, 8u, 6u, 0),	    /* lwz r8,0(r6) */
	};
	/* 64-bit mode: CR0 of addc. is GT, no carry; r6 is not in RAM: the load faults */
	struct bare_machine *m = run(MSR64, w, 3, g);
	assert_ended(m);
	assert_int_equal(m->c.cr >> 28, CR_GT);
	assert_int_equal((m->c.cr >> 24) & 0xf, CR_EQ);
	bare_destroy(m);
	m = run(MSR64, w + 2, 1, g);
	assert_int_equal(cr0(m), CR_GT);
	assert_int_equal(m->c.xer_ca, 0);
	bare_destroy(m);
	/* 32-bit mode: the low word is 0 (EQ) with a carry; the address wraps into the RAM */
	memset(g + 8, 0, 8);
	m = run(BARE_MSR_USER, w + 2, 2, g);
	assert_ended(m);
	assert_int_equal(m->c.gpr[7], 0x100000000ull);
	assert_int_equal(cr0(m), CR_EQ);
	assert_int_equal(m->c.xer_ca, 1);
	bare_destroy(m);
	m = run(MSR64, w + 3, 1, g);
	assert_int_equal(m->last.kind, CPU_TRAP_DTLB_MISS);
	assert_int_equal(m->last.ea, g[6]);
	bare_destroy(m);
}

static void test_bits_and_select(void **state)
{
	(void)state;
	uint64_t g[32] = {0};
	g[3] = 0x00ff00ff0f0f0f0full;
	g[4] = 0x00ff11ff0f0f0f00ull;
	g[5] = 0x0001020304050607ull; /* bpermd: bits 0..7 of r6 */
	g[6] = 0xa500000000000000ull;
	g[7] = 0x0000000100000000ull;
	g[8] = 0x80000000ull;
	uint32_t w[] = {
		X_(3u, 10u, 0u, 506u, 0u), /* popcntd r10,r3 */
		X_(3u, 11u, 0u, 122u, 0u), /* popcntb r11,r3 */
		X_(3u, 12u, 4u, 508u, 0u), /* cmpb r12,r3,r4 */
		X_(5u, 13u, 6u, 252u, 0u), /* bpermd r13,r5,r6 */
		X_(7u, 14u, 0u, 186u, 0u), /* prtyd r14,r7 */
		X_(7u, 15u, 0u, 154u, 0u), /* prtyw r15,r7 */
		X_(8u, 16u, 0u, 986u, 1u), /* extsw. r16,r8 */
		X_(7u, 17u, 0u, 58u, 0u),  /* cntlzd r17,r7 */
		31u << 26 | 18u << 21 | 3u << 16 | 4u << 11 | 0u << 6 | 15u << 1, /* isel r18,r3,r4,0 */
	};
	struct bare_machine *m = run(MSR64, w, 9, g);
	assert_ended(m);
	assert_int_equal(m->c.gpr[10], 32);
	assert_int_equal(m->c.gpr[11], 0x0008000804040404ull);
	assert_int_equal(m->c.gpr[12], 0xffff00ffffffff00ull);
	assert_int_equal(m->c.gpr[13], 0xa5);
	assert_int_equal(m->c.gpr[14], 1);
	assert_int_equal(m->c.gpr[15], 0x100000000ull);
	assert_int_equal(m->c.gpr[16], 0xffffffff80000000ull);
	assert_int_equal(m->c.gpr[17], 31);
	/* CR0[LT] was set by extsw.: isel takes RA */
	assert_int_equal(m->c.gpr[18], g[3]);
	bare_destroy(m);
}

/* The BCD assists of 2.06: addg6s as a BCD adder uses it (19 + 28 through the +6 bias),
 * cdtbcd of canonical and non-canonical declets (the upper 12 bits of each word ignored),
 * cbcdtd back to canonical declets (the upper 8 bits ignored), an invalid digit as the
 * large digit of its low bit. */
static void test_bcd_assists(void **state)
{
	(void)state;
	uint64_t g[32] = {0};
	g[3] = 0x19 + 0x6666666666666666ull;
	g[4] = 0x28;
	g[5] = ~0ull;
	g[6] = 1;
	g[7] = 0xfff07bff00028cffull; /* 890 and 999 (0x3ff), 123 and 999 (0x0ff) */
	g[8] = 0xab890999cd123999ull;
	g[9] = 0x00000a0900000008ull; /* digits a09 (a: invalid); 008 */
	uint32_t w[] = {
		XO_(10u, 3u, 4u, 74u, 0u, 0u), /* addg6s r10,r3,r4 */
		XO_(11u, 5u, 6u, 74u, 0u, 0u), /* addg6s r11,r5,r6: every nibble carries */
		XO_(12u, 0u, 0u, 74u, 0u, 0u), /* addg6s r12,r0,r0: none does */
		X_(7u, 13u, 0u, 282u, 0u),     /* cdtbcd r13,r7 */
		X_(8u, 14u, 0u, 314u, 0u),     /* cbcdtd r14,r8 */
		X_(9u, 15u, 0u, 314u, 0u),     /* cbcdtd r15,r9 */
	};
	struct bare_machine *m = run(MSR64, w, 6, g);
	assert_ended(m);
	assert_int_equal(m->c.gpr[10], 0x6666666666666660ull);
	assert_int_equal(g[3] + g[4] - m->c.gpr[10], 0x47);
	assert_int_equal(m->c.gpr[11], 0);
	assert_int_equal(m->c.gpr[12], 0x6666666666666666ull);
	assert_int_equal(m->c.gpr[13], 0x0089099900123999ull);
	assert_int_equal(m->c.gpr[14], 0x000078ff00028cffull);
	/* a09 codes as 809 does (0x02f) */
	assert_int_equal(m->c.gpr[15], 0x0000002f00000008ull);
	bare_destroy(m);
}

static void test_reservations(void **state)
{
	(void)state;
	uint64_t g[32] = {0};
	g[1] = BASE + DATA;
	g[2] = 8;
	g[5] = 0x1122334455667788ull;
	uint32_t w[] = {
		X_(6u, 1u, 2u, 84u, 0u),  /* ldarx r6,r1,r2 */
		X_(5u, 1u, 2u, 214u, 1u), /* stdcx. r5,r1,r2: succeeds */
		X_(5u, 1u, 0u, 214u, 1u), /* stdcx. r5,r1,r0: no reservation */
	};
	struct bare_machine *m = run(MSR64, w, 2, g);
	assert_ended(m);
	assert_int_equal(cr0(m), CR_EQ);
	assert_memory_equal(m->ram + DATA + 8, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	bare_destroy(m);
	m = run(MSR64, w + 2, 1, g);
	assert_ended(m);
	assert_int_equal(cr0(m), 0);
	assert_int_equal(m->ram[DATA], 0);
	bare_destroy(m);
	g[2] = 4; /* a misaligned ldarx takes the alignment interrupt */
	m = run(MSR64, w, 1, g);
	assert_int_equal(m->last.kind, CPU_TRAP_ALIGNMENT);
	assert_int_equal(m->last.ea, BASE + DATA + 4);
	bare_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_columns),	  cmocka_unit_test(test_illegal_440_only),
		cmocka_unit_test(test_illegal_dfp_tm),	  cmocka_unit_test(test_quadword),
		cmocka_unit_test(test_doubleword_ldst),	  cmocka_unit_test(test_rotates_shifts),
		cmocka_unit_test(test_multiply_divide),	  cmocka_unit_test(test_modes),
		cmocka_unit_test(test_bits_and_select),	  cmocka_unit_test(test_reservations),
		cmocka_unit_test(test_bcd_assists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
