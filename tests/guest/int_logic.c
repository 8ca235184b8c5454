// SPDX-License-Identifier: MIT
/* Integer logic, sign extension, count leading zeros, rotates and shifts, plain and record
 * forms.  Table rows give inputs and the architected result (and XER[CA] for sraw/srawi, which
 * are the only ones here that write it).  Record forms set CR0 from the 32-bit result and copy
 * XER[SO]; plain forms leave CR0 alone (see lib/alu.h for the canary).
 * Shift amounts: slw/srw/sraw use the low 6 bits of rB (32..63 shift everything out; bits
 * above are ignored), rlwnm the low 5 bits.  Rotate masks with mb > me wrap around.
 */
#include "alu.h"

#define KEEP	(-1)
#define SO	XER_SO
#define CA	XER_CA

struct op {
	const char *name;
	bool unary;
	alu_fn f[2];	/* plain, "." */
};

#define RRR	" %[d], %[a], %[b]"
#define RR	" %[d], %[a]"
#define OP(n, ops, un)								\
	ALU_FN(n##_0, #n ops) ALU_FN(n##_1, #n "." ops)				\
	static const struct op op_##n = { #n, un, { n##_0, n##_1 } };

OP(and, RRR, false)
OP(or, RRR, false)
OP(xor, RRR, false)
OP(nand, RRR, false)
OP(nor, RRR, false)
OP(eqv, RRR, false)
OP(andc, RRR, false)
OP(orc, RRR, false)
OP(extsb, RR, true)
OP(extsh, RR, true)
OP(cntlzw, RR, true)
OP(slw, RRR, false)
OP(srw, RRR, false)
OP(sraw, RRR, false)

struct row {
	const struct op *op;
	uint32_t a, b, xin, d;
	int ca;
};

#define R(n, a, b, x, d, ca)	{ &op_##n, a, b, x, d, ca }

/* "op d, a, b": a is rS, b is rB. */
static const struct row rows[] = {
	R(and, 0x12345678, 0xf0f0ff00, 0, 0x10305600, KEEP),
	R(and, 0x12345678, 0x00000000, SO, 0x00000000, KEEP),
	R(and, 0x80000000, 0xffffffff, 0, 0x80000000, KEEP),

	R(or, 0x12345678, 0xf0f0ff00, 0, 0xf2f4ff78, KEEP),
	R(or, 0x00000000, 0x00000000, SO, 0x00000000, KEEP),
	R(or, 0x00ff0000, 0x0000ff00, 0, 0x00ffff00, KEEP),

	R(xor, 0x12345678, 0xf0f0ff00, 0, 0xe2c4a978, KEEP),
	R(xor, 0x12345678, 0x12345678, 0, 0x00000000, KEEP),
	R(xor, 0x80000000, 0x00000000, SO, 0x80000000, KEEP),

	R(nand, 0x12345678, 0xf0f0ff00, 0, 0xefcfa9ff, KEEP),
	R(nand, 0xffffffff, 0xffffffff, 0, 0x00000000, KEEP),
	R(nand, 0x00000000, 0x00000000, SO, 0xffffffff, KEEP),

	R(nor, 0x12345678, 0xf0f0ff00, 0, 0x0d0b0087, KEEP),
	R(nor, 0x00000000, 0x00000000, 0, 0xffffffff, KEEP),
	R(nor, 0xffffffff, 0x00000000, SO, 0x00000000, KEEP),

	R(eqv, 0x12345678, 0xf0f0ff00, 0, 0x1d3b5687, KEEP),
	R(eqv, 0x12345678, 0x12345678, SO, 0xffffffff, KEEP),
	R(eqv, 0x00000000, 0xffffffff, 0, 0x00000000, KEEP),

	R(andc, 0x12345678, 0xf0f0ff00, 0, 0x02040078, KEEP),
	R(andc, 0xffffffff, 0xffffffff, 0, 0x00000000, KEEP),
	R(andc, 0x80000001, 0x00000001, SO, 0x80000000, KEEP),

	R(orc, 0x12345678, 0xf0f0ff00, 0, 0x1f3f56ff, KEEP),
	R(orc, 0x00000000, 0xffffffff, 0, 0x00000000, KEEP),
	R(orc, 0x00000000, 0x00000000, SO, 0xffffffff, KEEP),

	R(extsb, 0x12345680, 0x00000000, 0, 0xffffff80, KEEP),
	R(extsb, 0xffffff7f, 0x00000000, 0, 0x0000007f, KEEP),
	R(extsb, 0x00000100, 0x00000000, SO, 0x00000000, KEEP),
	R(extsb, 0x000000ff, 0x00000000, 0, 0xffffffff, KEEP),

	R(extsh, 0x12348000, 0x00000000, 0, 0xffff8000, KEEP),
	R(extsh, 0xffff7fff, 0x00000000, 0, 0x00007fff, KEEP),
	R(extsh, 0xffff0000, 0x00000000, SO, 0x00000000, KEEP),
	R(extsh, 0x0000ffff, 0x00000000, 0, 0xffffffff, KEEP),

	R(cntlzw, 0x00000000, 0x00000000, 0, 0x00000020, KEEP),
	R(cntlzw, 0x00000001, 0x00000000, 0, 0x0000001f, KEEP),
	R(cntlzw, 0x80000000, 0x00000000, 0, 0x00000000, KEEP),
	R(cntlzw, 0x0000ffff, 0x00000000, SO, 0x00000010, KEEP),
	R(cntlzw, 0x00010000, 0x00000000, 0, 0x0000000f, KEEP),

	R(slw, 0x12345678, 0x00000004, 0, 0x23456780, KEEP),
	R(slw, 0x12345679, 0x0000001f, 0, 0x80000000, KEEP),
	R(slw, 0x12345678, 0x00000020, 0, 0x00000000, KEEP),
	R(slw, 0x12345678, 0x0000003f, 0, 0x00000000, KEEP),
	R(slw, 0x12345678, 0x00000040, 0, 0x12345678, KEEP),
	R(slw, 0x12345678, 0xffffffe4, 0, 0x00000000, KEEP),
	R(slw, 0x00000001, 0x00000000, SO, 0x00000001, KEEP),

	R(srw, 0x87654321, 0x00000004, 0, 0x08765432, KEEP),
	R(srw, 0x87654321, 0x0000001f, 0, 0x00000001, KEEP),
	R(srw, 0x87654321, 0x00000020, 0, 0x00000000, KEEP),
	R(srw, 0x87654321, 0x0000003f, SO, 0x00000000, KEEP),
	R(srw, 0x87654321, 0x00000041, 0, 0x43b2a190, KEEP),
	R(srw, 0x87654321, 0x00000000, 0, 0x87654321, KEEP),

	R(sraw, 0x87654321, 0x00000004, 0, 0xf8765432, 1),
	R(sraw, 0x87654320, 0x00000004, CA, 0xf8765432, 0),
	R(sraw, 0x87654300, 0x00000008, CA, 0xff876543, 0),
	R(sraw, 0x87654321, 0x0000001f, 0, 0xffffffff, 1),
	R(sraw, 0x87654321, 0x00000020, 0, 0xffffffff, 1),
	R(sraw, 0x87654321, 0x0000003f, 0, 0xffffffff, 1),
	R(sraw, 0x80000000, 0x00000020, 0, 0xffffffff, 1),
	R(sraw, 0x7fffffff, 0x00000020, CA, 0x00000000, 0),
	R(sraw, 0x7fffffff, 0x00000004, CA, 0x07ffffff, 0),
	R(sraw, 0x87654321, 0x00000000, CA, 0x87654321, 0),
	R(sraw, 0xffffffff, 0x00000040, SO, 0xffffffff, 0),
	R(sraw, 0xfffffff0, 0xffffffe4, 0, 0xffffffff, 1),
	R(sraw, 0xfffffff0, 0xffffffe3, CA, 0xffffffff, 1),
};

static void check_row(const struct row *w, int rc)
{
	uint32_t xer = w->xin;
	char name[48];
	struct alu_res r;

	if (w->ca != KEEP)
		xer = (xer & ~XER_CA) | (w->ca ? XER_CA : 0);
	w->op->f[rc](w->a, w->b, w->xin, &r);
	if (w->op->unary)
		snprintf(name, sizeof(name), "%s%s %08x", w->op->name, rc ? "." : "", w->a);
	else
		snprintf(name, sizeof(name), "%s%s %08x,%08x%s%s", w->op->name, rc ? "." : "",
			 w->a, w->b, w->xin & SO ? " so" : "", w->xin & CA ? " ca" : "");
	alu_check(name, r, w->d, xer, rc ? alu_cr0(w->d, xer) : ALU_CANARY);
}

/* One instruction with immediates: "text" runs with %[d] = in_d, %[a] = a, %[b] = b. */
#define CHK(name, text, in_d, a, b, xin, exp_d, exp_xer, rc)			\
	do {									\
		struct alu_res r_;						\
		ALU_ASM(text, in_d, a, b, xin, r_);				\
		alu_check(name, r_, exp_d, exp_xer,				\
			  (rc) ? alu_cr0(exp_d, exp_xer) : ALU_CANARY);		\
	} while (0)

static void test_logic_immediates(void)
{
	CHK("andi. 12345678,f0f0", "andi. %[d], %[a], 0xf0f0", 0, 0x12345678, 0, SO, 0x5070, SO, 1);
	CHK("andi. 12345678,8000", "andi. %[d], %[a], 0x8000", 0, 0x12345678, 0, 0, 0, 0, 1);
	CHK("andis. 92345678,ff00", "andis. %[d], %[a], 0xff00", 0, 0x92345678, 0, 0, 0x92000000, 0, 1);
	CHK("andis. 12345678,0", "andis. %[d], %[a], 0", 0, 0x12345678, 0, CA, 0, CA, 1);
	CHK("ori 12345678,ffff", "ori %[d], %[a], 0xffff", 0, 0x12345678, 0, 0, 0x1234ffff, 0, 0);
	CHK("oris 12345678,ffff", "oris %[d], %[a], 0xffff", 0, 0x12345678, 0, SO, 0xffff5678, SO, 0);
	CHK("xori 12345678,ffff", "xori %[d], %[a], 0xffff", 0, 0x12345678, 0, 0, 0x1234a987, 0, 0);
	CHK("xoris 12345678,8001", "xoris %[d], %[a], 0x8001", 0, 0x12345678, 0, 0, 0x92355678, 0, 0);
}

static void test_rotates(void)
{
	const uint32_t p = 0x12345678;

	CHK("rlwinm 4,0,27 (slwi)", "rlwinm %[d], %[a], 4, 0, 27", 0, p, 0, 0, 0x23456780, 0, 0);
	CHK("rlwinm 28,4,31 (srwi)", "rlwinm %[d], %[a], 28, 4, 31", 0, p, 0, 0, 0x01234567, 0, 0);
	CHK("rlwinm 8,24,23 (full wrapped mask)", "rlwinm %[d], %[a], 8, 24, 23", 0, p, 0, 0,
	    0x34567812, 0, 0);
	CHK("rlwinm 0,28,3 (wrapped mask)", "rlwinm %[d], %[a], 0, 28, 3", 0, p, 0, 0,
	    0x10000008, 0, 0);
	CHK("rlwinm 16,16,15", "rlwinm %[d], %[a], 16, 16, 15", 0, p, 0, 0, 0x56781234, 0, 0);
	CHK("rlwinm 1,31,31", "rlwinm %[d], %[a], 1, 31, 31", 0, 0x80000001, 0, 0, 1, 0, 0);
	CHK("rlwinm 0,31,0 (two-bit wrap)", "rlwinm %[d], %[a], 0, 31, 0", 0, 0xffffffff, 0, 0,
	    0x80000001, 0, 0);
	CHK("rlwinm 4,20,27", "rlwinm %[d], %[a], 4, 20, 27", 0, p, 0, 0, 0x780, 0, 0);
	CHK("rlwinm. 0,4,27 zero so", "rlwinm. %[d], %[a], 0, 4, 27", 0, 0xf000000f, 0, SO, 0, SO, 1);
	CHK("rlwinm. 31,0,0 neg", "rlwinm. %[d], %[a], 31, 0, 0", 0, 0x00000001, 0, 0,
	    0x80000000, 0, 1);

	CHK("rlwnm 0x24 (low 5 bits)", "rlwnm %[d], %[a], %[b], 0, 31", 0, p, 0x24, 0, 0x23456781, 0, 0);
	CHK("rlwnm ffffffe0", "rlwnm %[d], %[a], %[b], 0, 31", 0, p, 0xffffffe0, 0, p, 0, 0);
	CHK("rlwnm 1f", "rlwnm %[d], %[a], %[b], 0, 31", 0, p, 0x1f, 0, 0x091a2b3c, 0, 0);
	CHK("rlwnm 8,24,31", "rlwnm %[d], %[a], %[b], 24, 31", 0, p, 8, 0, 0x12, 0, 0);
	CHK("rlwnm 28,16,7 (wrapped)", "rlwnm %[d], %[a], %[b], 16, 7", 0, p, 0x28, 0, 0x34007812, 0, 0);
	CHK("rlwnm. 3c,0,3 so", "rlwnm. %[d], %[a], %[b], 0, 3", 0, p, 0x3c, SO, 0x80000000, SO, 1);

	CHK("rlwimi 8,8,15", "rlwimi %[d], %[a], 8, 8, 15", 0xffffffff, p, 0, 0, 0xff56ffff, 0, 0);
	CHK("rlwimi 0,30,1 (wrapped)", "rlwimi %[d], %[a], 0, 30, 1", 0, 0xffffffff, 0, 0,
	    0xc0000003, 0, 0);
	CHK("rlwimi 0,0,31 (all)", "rlwimi %[d], %[a], 0, 0, 31", 0xaaaaaaaa, 0x55555555, 0, 0,
	    0x55555555, 0, 0);
	CHK("rlwimi 16,0,15", "rlwimi %[d], %[a], 16, 0, 15", 0, p, 0, 0, 0x56780000, 0, 0);
	CHK("rlwimi 0,16,31", "rlwimi %[d], %[a], 0, 16, 31", 0x12340000, 0x5678, 0, 0, p, 0, 0);
	CHK("rlwimi. 4,16,15 zero", "rlwimi. %[d], %[a], 4, 16, 15", 0xffffffff, 0, 0, 0, 0, 0, 1);
	CHK("rlwimi. 0,0,0 neg so", "rlwimi. %[d], %[a], 0, 0, 0", 0, 0x80000000, 0, SO,
	    0x80000000, SO, 1);
}

static void test_srawi(void)
{
	CHK("srawi 87654321,4", "srawi %[d], %[a], 4", 0, 0x87654321, 0, 0, 0xf8765432, CA, 0);
	CHK("srawi 80000000,31", "srawi %[d], %[a], 31", 0, 0x80000000, 0, CA, 0xffffffff, 0, 0);
	CHK("srawi fffffff0,4", "srawi %[d], %[a], 4", 0, 0xfffffff0, 0, CA, 0xffffffff, 0, 0);
	CHK("srawi fffffff1,4", "srawi %[d], %[a], 4", 0, 0xfffffff1, 0, 0, 0xffffffff, CA, 0);
	CHK("srawi 7fffffff,31", "srawi %[d], %[a], 31", 0, 0x7fffffff, 0, CA, 0, 0, 0);
	CHK("srawi ffffffff,0", "srawi %[d], %[a], 0", 0, 0xffffffff, 0, CA, 0xffffffff, 0, 0);
	CHK("srawi. 80000001,1", "srawi. %[d], %[a], 1", 0, 0x80000001, 0, 0, 0xc0000000, CA, 1);
	CHK("srawi. 7fffffff,31 so", "srawi. %[d], %[a], 31", 0, 0x7fffffff, 0, SO, 0, SO, 1);
}

int main(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(rows); i++) {
		check_row(&rows[i], 0);
		check_row(&rows[i], 1);
	}
	test_logic_immediates();
	test_rotates();
	test_srawi();
	return 0;
}
