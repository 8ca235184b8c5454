// SPDX-License-Identifier: MIT
/* The 440's multiply-accumulate group (opcode 4) and dlmzb.
 *   mac{c,h,l}hw[s][u]: RT += product of two halfwords of RA and RB
 *     c: RA low x RB high, h: RA high x RB high, l: RA low x RB low
 *     (none): signed, modulo  s: signed, saturating to 0x7fffffff/0x80000000
 *     su: unsigned, saturating to 0xffffffff  u: unsigned, modulo
 *   nmac{c,h,l}hw[s]: RT -= signed product (modulo or saturating)
 *   mul{c,h,l}hw[u]: RT = product (signed or unsigned), no OE form
 * OE forms set XER[OV] when the 33-bit sum does not fit in 32 bits (signed overflow for the
 * signed forms, carry out for the unsigned ones), and XER[SO] with it; the saturating forms
 * saturate whether or not OE is set.  Record forms set CR0 from the 32-bit result and XER[SO].
 * The halfwords that take no part hold junk (0x5a5a / 0xa5a5), so using a wrong half shows.
 * Semantics from the PPC440x5 CPU Core User's Manual (instruction set chapter). */

/* QEMU 7.2 gets two things wrong in its MAC translation (gen_405_mulladd_insn):
 * 1. Forms with neither OE nor saturation never write RT (the move into RT sits inside the
 *    overflow/saturation branch); the record form then sets CR0 from the old RT.
 * QEMU-BUG: *mac?hw *: RT not written (QEMU 7.2, forms without OE and saturation)
 * QEMU-BUG: *mac?hw. *: RT not written (QEMU 7.2, forms without OE and saturation)
 * QEMU-BUG: mac?hwu *: RT not written (QEMU 7.2, forms without OE and saturation)
 * QEMU-BUG: mac?hwu. *: RT not written (QEMU 7.2, forms without OE and saturation)
 * 2. Its signed overflow test is inverted: it reports overflow when RT and the product have
 *    different signs and the sum keeps RT's sign, so signed OE forms get OV wrong and signed
 *    saturating forms saturate wrongly or not at all (unsigned forms are right).
 * QEMU-BUG: *mac?hwo *: signed overflow test inverted (QEMU 7.2)
 * QEMU-BUG: *mac?hwo. *: signed overflow test inverted (QEMU 7.2)
 * QEMU-BUG: *mac?hws *: signed overflow test inverted (QEMU 7.2)
 * QEMU-BUG: *mac?hws. *: signed overflow test inverted (QEMU 7.2)
 * QEMU-BUG: *mac?hwso *: signed overflow test inverted (QEMU 7.2)
 * QEMU-BUG: *mac?hwso. *: signed overflow test inverted (QEMU 7.2)
 */
#include "alu.h"

#define SO	XER_SO
#define OV	XER_OV
#define CA	XER_CA
#define JUNK_A	0x5a5a
#define JUNK_B	0xa5a5

typedef void (*mac_fn)(uint32_t rt, uint32_t a, uint32_t b, uint32_t xin, struct alu_res *r);

struct op {
	const char *name;
	char sel;	/* 'c', 'h' or 'l': which halfwords */
	mac_fn f[4];	/* plain, ".", "o", "o." (NULL: no such form) */
};

#define MAC_FN(fname, text)							\
static void fname(uint32_t rt, uint32_t a, uint32_t b, uint32_t xin, struct alu_res *r) \
{										\
	ALU_ASM(text " %[d], %[a], %[b]", rt, a, b, xin, *r);			\
}
#define OP4(n, sel)								\
	MAC_FN(n##_0, #n) MAC_FN(n##_1, #n ".") MAC_FN(n##_2, #n "o") MAC_FN(n##_3, #n "o.") \
	static const struct op op_##n = { #n, sel, { n##_0, n##_1, n##_2, n##_3 } };
#define OP2(n, sel)								\
	MAC_FN(n##_0, #n) MAC_FN(n##_1, #n ".")					\
	static const struct op op_##n = { #n, sel, { n##_0, n##_1, NULL, NULL } };

OP4(macchw, 'c') OP4(macchws, 'c') OP4(macchwsu, 'c') OP4(macchwu, 'c')
OP4(machhw, 'h') OP4(machhws, 'h') OP4(machhwsu, 'h') OP4(machhwu, 'h')
OP4(maclhw, 'l') OP4(maclhws, 'l') OP4(maclhwsu, 'l') OP4(maclhwu, 'l')
OP4(nmacchw, 'c') OP4(nmacchws, 'c')
OP4(nmachhw, 'h') OP4(nmachhws, 'h')
OP4(nmaclhw, 'l') OP4(nmaclhws, 'l')
OP2(mulchw, 'c') OP2(mulchwu, 'c')
OP2(mulhhw, 'h') OP2(mulhhwu, 'h')
OP2(mullhw, 'l') OP2(mullhwu, 'l')

/* By result kind: [0] signed modulo, [1] signed saturating, [2] unsigned saturating,
 * [3] unsigned modulo. */
static const struct op *const mac_ops[3][4] = {
	{ &op_macchw, &op_macchws, &op_macchwsu, &op_macchwu },
	{ &op_machhw, &op_machhws, &op_machhwsu, &op_machhwu },
	{ &op_maclhw, &op_maclhws, &op_maclhwsu, &op_maclhwu },
};
static const struct op *const nmac_ops[3][2] = {
	{ &op_nmacchw, &op_nmacchws },
	{ &op_nmachhw, &op_nmachhws },
	{ &op_nmaclhw, &op_nmaclhws },
};
static const struct op *const mul_ops[3][2] = {
	{ &op_mulchw, &op_mulchwu },
	{ &op_mulhhw, &op_mulhhwu },
	{ &op_mullhw, &op_mullhwu },
};

struct result {
	uint32_t d;
	int ov;
};

/* x: the halfword of RA, y: the halfword of RB; results by kind as in mac_ops. */
struct mac_case {
	uint16_t x, y;
	uint32_t rt, xin;
	struct result r[4];
};

static const struct mac_case mac_cases[] = {
	{ 0x0003, 0x0004, 0x0000000a, 0, { { 0x00000016, 0 }, { 0x00000016, 0 }, { 0x00000016, 0 }, { 0x00000016, 0 } } },
	{ 0xffff, 0x0002, 0x00000000, SO | OV, { { 0xfffffffe, 0 }, { 0xfffffffe, 0 }, { 0x0001fffe, 0 }, { 0x0001fffe, 0 } } },
	{ 0x7fff, 0x7fff, 0x7fffffff, CA, { { 0xbfff0000, 1 }, { 0x7fffffff, 1 }, { 0xbfff0000, 0 }, { 0xbfff0000, 0 } } },
	{ 0x8000, 0x7fff, 0x80000000, 0, { { 0x40008000, 1 }, { 0x80000000, 1 }, { 0xbfff8000, 0 }, { 0xbfff8000, 0 } } },
	{ 0xffff, 0xffff, 0x0001ffff, 0, { { 0x00020000, 0 }, { 0x00020000, 0 }, { 0xffffffff, 1 }, { 0x00000000, 1 } } },
	{ 0x8000, 0x8000, 0xc0000000, SO, { { 0x00000000, 0 }, { 0x00000000, 0 }, { 0xffffffff, 1 }, { 0x00000000, 1 } } },
	{ 0xffff, 0xffff, 0xfffe0000, 0, { { 0xfffe0001, 0 }, { 0xfffe0001, 0 }, { 0xffffffff, 1 }, { 0xfffc0001, 1 } } },
};

static const struct mac_case nmac_cases[] = {
	{ 0x0003, 0x0004, 0x0000000a, 0, { { 0xfffffffe, 0 }, { 0xfffffffe, 0 } } },
	{ 0x7fff, 0x7fff, 0x80000000, SO | OV, { { 0x4000ffff, 1 }, { 0x80000000, 1 } } },
	{ 0x8000, 0x7fff, 0x7fffffff, CA, { { 0xbfff7fff, 1 }, { 0x7fffffff, 1 } } },
	{ 0x8000, 0x7fff, 0xffffffff, 0, { { 0x3fff7fff, 0 }, { 0x3fff7fff, 0 } } },
	{ 0x8000, 0x8000, 0x40000000, SO, { { 0x00000000, 0 }, { 0x00000000, 0 } } },
	{ 0xffff, 0x0001, 0x7fffffff, 0, { { 0x80000000, 1 }, { 0x7fffffff, 1 } } },
};

/* r[0] signed product, r[1] unsigned product */
static const struct mul_case {
	uint16_t x, y;
	uint32_t xin;
	uint32_t r[2];
} mul_cases[] = {
	{ 0x0003, 0x0004, 0, { 0x0000000c, 0x0000000c } },
	{ 0xffff, 0x7fff, 0, { 0xffff8001, 0x7ffe8001 } },
	{ 0x8000, 0x8000, SO, { 0x40000000, 0x40000000 } },
	{ 0xffff, 0xffff, 0, { 0x00000001, 0xfffe0001 } },
	{ 0x8000, 0x0001, 0, { 0xffff8000, 0x00008000 } },
};

static void operands(char sel, uint16_t x, uint16_t y, uint32_t *a, uint32_t *b)
{
	switch (sel) {
	case 'c':
		*a = JUNK_A << 16 | x;
		*b = (uint32_t)y << 16 | JUNK_B;
		break;
	case 'h':
		*a = (uint32_t)x << 16 | JUNK_A;
		*b = (uint32_t)y << 16 | JUNK_B;
		break;
	default:
		*a = JUNK_A << 16 | x;
		*b = JUNK_B << 16 | y;
		break;
	}
}

static void check(const struct op *op, int form, uint16_t x, uint16_t y, uint32_t rt,
		  uint32_t xin, uint32_t d, int ov)
{
	static const char *const suffix[4] = { "", ".", "o", "o." };
	uint32_t a, b, xer = xin;
	struct alu_res r;
	char name[64];

	operands(op->sel, x, y, &a, &b);
	if (form & 2)
		xer = (xer & ~OV) | (ov ? OV | SO : 0);
	op->f[form](rt, a, b, xin, &r);
	snprintf(name, sizeof(name), "%s%s %04x,%04x,%08x%s%s", op->name, suffix[form], x, y, rt,
		 xin & SO ? " so" : "", xin & OV ? " ov" : "");
	alu_check(name, r, d, xer, form & 1 ? alu_cr0(d, xer) : ALU_CANARY);
}

static void test_dlmzb(void)
{
	struct alu_res r;

	/* RA = byte number (1..8) of the leftmost zero byte of RS||RB, 8 if none; XER[TBC] too.
	 * dlmzb. sets CR0 to GT if that byte is in RS, LT if in RB, EQ if none (+ SO). */
#define DLMZB(text, rs, rb, xin) ALU_ASM(text " %[d], %[a], %[b]", 0, rs, rb, xin, r)
	DLMZB("dlmzb", 0x00112233, 0x44556677, 0);
	alu_check("dlmzb first byte", r, 1, 1, ALU_CANARY);
	DLMZB("dlmzb", 0x11223300, 0x00000000, XER_CA | 0x7f);
	alu_check("dlmzb fourth byte, keeps ca", r, 4, XER_CA | 4, ALU_CANARY);
	DLMZB("dlmzb.", 0x11002233, 0x44556677, 0);
	alu_check("dlmzb. in rs", r, 2, 2, CR_GT);
	DLMZB("dlmzb.", 0x11223344, 0x55006677, SO);
	alu_check("dlmzb. in rb so", r, 6, SO | 6, CR_LT | CR_SO);
	DLMZB("dlmzb.", 0x11223344, 0x55667700, 0);
	alu_check("dlmzb. last byte", r, 8, 8, CR_LT);
	DLMZB("dlmzb.", 0x11223344, 0x55667788, OV | 3);
	alu_check("dlmzb. none", r, 8, OV | 8, CR_EQ);
	DLMZB("dlmzb.", 0x01010101, 0x80000001, 0);
	alu_check("dlmzb. only whole zero bytes count", r, 6, 6, CR_LT);
#undef DLMZB
}

int main(void)
{
	for (int s = 0; s < 3; s++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(mac_cases); i++) {
			const struct mac_case *c = &mac_cases[i];

			for (int k = 0; k < 4; k++)
				for (int form = 0; form < 4; form++)
					check(mac_ops[s][k], form, c->x, c->y, c->rt, c->xin,
					      c->r[k].d, c->r[k].ov);
		}
		for (unsigned int i = 0; i < ARRAY_SIZE(nmac_cases); i++) {
			const struct mac_case *c = &nmac_cases[i];

			for (int k = 0; k < 2; k++)
				for (int form = 0; form < 4; form++)
					check(nmac_ops[s][k], form, c->x, c->y, c->rt, c->xin,
					      c->r[k].d, c->r[k].ov);
		}
		for (unsigned int i = 0; i < ARRAY_SIZE(mul_cases); i++) {
			const struct mul_case *c = &mul_cases[i];

			for (int k = 0; k < 2; k++)
				for (int form = 0; form < 2; form++)
					check(mul_ops[s][k], form, c->x, c->y, 0x12345678, c->xin,
					      c->r[k], 0);
		}
	}
	test_dlmzb();
	return 0;
}
