// SPDX-License-Identifier: MIT
/* Integer arithmetic: add/subtract with carry and overflow, multiply, divide, in all their
 * OE and Rc forms.  Each table row gives the inputs and the architected result, carry (CA) and
 * overflow (OV); every form of the instruction is checked against it:
 *   - XER[CA] is written only by the carrying instructions (KEEP: must stay as it was),
 *   - XER[OV] only by the "o" forms, which also set the sticky XER[SO] on overflow,
 *   - CR0 only by the "." forms: LT/GT/EQ from the 32-bit result, SO copied from XER[SO];
 *     the other forms must leave CR0 alone.
 * Division overflow (x/0, 0x80000000/-1): Book I and the 440 manual leave RT and CR0[LT,GT,EQ]
 * undefined; only OV=1, SO and CR0[SO] are architected, so only those are checked (U rows).
 */
#include "alu.h"

#define KEEP		(-1)	/* the instruction does not touch XER[CA] */

struct op {
	const char *name;
	bool unary;
	alu_fn f[4];	/* plain, ".", "o", "o." (NULL: no such form) */
};

#define RRR	" %[d], %[a], %[b]"
#define RR	" %[d], %[a]"
#define OP4(n, ops, un)								\
	ALU_FN(n##_0, #n ops) ALU_FN(n##_1, #n "." ops)				\
	ALU_FN(n##_2, #n "o" ops) ALU_FN(n##_3, #n "o." ops)			\
	static const struct op op_##n = { #n, un, { n##_0, n##_1, n##_2, n##_3 } };
#define OP2(n, ops)								\
	ALU_FN(n##_0, #n ops) ALU_FN(n##_1, #n "." ops)				\
	static const struct op op_##n = { #n, false, { n##_0, n##_1, NULL, NULL } };

OP4(add, RRR, false)
OP4(addc, RRR, false)
OP4(adde, RRR, false)
OP4(addme, RR, true)
OP4(addze, RR, true)
OP4(subf, RRR, false)
OP4(subfc, RRR, false)
OP4(subfe, RRR, false)
OP4(subfme, RR, true)
OP4(subfze, RR, true)
OP4(neg, RR, true)
OP4(mullw, RRR, false)
OP2(mulhw, RRR)
OP2(mulhwu, RRR)
OP4(divw, RRR, false)
OP4(divwu, RRR, false)

struct row {
	const struct op *op;
	uint32_t a, b, xin, d;
	int ca, ov;
	bool undef;	/* division overflow: RT and CR0[LT,GT,EQ] undefined, OV = 1 */
};

#define R(n, a, b, x, d, ca, ov)	{ &op_##n, a, b, x, d, ca, ov, false }
#define U(n, a, b, x)			{ &op_##n, a, b, x, 0, KEEP, 1, true }
#define SO	XER_SO
#define CA	XER_CA

/* Operands of subf* are (a, b) as in "subf d, a, b": d = b - a. */
static const struct row rows[] = {
	R(add, 0x00000001, 0x00000002, 0, 0x00000003, KEEP, 0),
	R(add, 0x7fffffff, 0x00000001, 0, 0x80000000, KEEP, 1),
	R(add, 0xffffffff, 0x00000001, 0, 0x00000000, KEEP, 0),
	R(add, 0x80000000, 0x80000000, 0, 0x00000000, KEEP, 1),
	R(add, 0xfffffffe, 0xffffffff, 0, 0xfffffffd, KEEP, 0),
	R(add, 0x00000000, 0x00000000, SO, 0x00000000, KEEP, 0),
	R(add, 0x7fffffff, 0x7fffffff, CA, 0xfffffffe, KEEP, 1),

	R(addc, 0x00000001, 0x00000002, 0, 0x00000003, 0, 0),
	R(addc, 0x7fffffff, 0x00000001, 0, 0x80000000, 0, 1),
	R(addc, 0xffffffff, 0x00000001, 0, 0x00000000, 1, 0),
	R(addc, 0x80000000, 0x80000000, 0, 0x00000000, 1, 1),
	R(addc, 0xfffffffe, 0xffffffff, SO, 0xfffffffd, 1, 0),
	R(addc, 0x00000000, 0x00000000, CA, 0x00000000, 0, 0),

	R(adde, 0x00000001, 0x00000002, 0, 0x00000003, 0, 0),
	R(adde, 0x00000001, 0x00000002, CA, 0x00000004, 0, 0),
	R(adde, 0xffffffff, 0x00000000, CA, 0x00000000, 1, 0),
	R(adde, 0x7fffffff, 0x00000000, CA, 0x80000000, 0, 1),
	R(adde, 0xffffffff, 0xffffffff, CA, 0xffffffff, 1, 0),
	R(adde, 0x80000000, 0xffffffff, 0, 0x7fffffff, 1, 1),
	R(adde, 0x00000000, 0x00000000, SO, 0x00000000, 0, 0),

	R(addme, 0x00000000, 0x00000000, 0, 0xffffffff, 0, 0),
	R(addme, 0x00000000, 0x00000000, CA, 0x00000000, 1, 0),
	R(addme, 0x80000000, 0x00000000, 0, 0x7fffffff, 1, 1),
	R(addme, 0x00000001, 0x00000000, 0, 0x00000000, 1, 0),
	R(addme, 0x80000000, 0x00000000, SO | CA, 0x80000000, 1, 0),

	R(addze, 0xffffffff, 0x00000000, CA, 0x00000000, 1, 0),
	R(addze, 0x7fffffff, 0x00000000, CA, 0x80000000, 0, 1),
	R(addze, 0x00000005, 0x00000000, 0, 0x00000005, 0, 0),
	R(addze, 0x80000000, 0x00000000, 0, 0x80000000, 0, 0),
	R(addze, 0x00000000, 0x00000000, SO, 0x00000000, 0, 0),

	R(subf, 0x00000001, 0x00000003, 0, 0x00000002, KEEP, 0),
	R(subf, 0x00000003, 0x00000001, 0, 0xfffffffe, KEEP, 0),
	R(subf, 0x00000000, 0x00000000, 0, 0x00000000, KEEP, 0),
	R(subf, 0x00000001, 0x80000000, 0, 0x7fffffff, KEEP, 1),
	R(subf, 0x80000000, 0x00000000, 0, 0x80000000, KEEP, 1),
	R(subf, 0xffffffff, 0x7fffffff, SO, 0x80000000, KEEP, 1),

	R(subfc, 0x00000001, 0x00000003, 0, 0x00000002, 1, 0),
	R(subfc, 0x00000003, 0x00000001, 0, 0xfffffffe, 0, 0),
	R(subfc, 0x00000000, 0x00000000, 0, 0x00000000, 1, 0),
	R(subfc, 0x00000001, 0x80000000, 0, 0x7fffffff, 1, 1),
	R(subfc, 0x80000000, 0x00000000, CA, 0x80000000, 0, 1),
	R(subfc, 0x00000005, 0x00000005, SO, 0x00000000, 1, 0),

	R(subfe, 0x00000001, 0x00000003, CA, 0x00000002, 1, 0),
	R(subfe, 0x00000001, 0x00000003, 0, 0x00000001, 1, 0),
	R(subfe, 0x00000000, 0x00000000, 0, 0xffffffff, 0, 0),
	R(subfe, 0x00000000, 0x00000000, CA, 0x00000000, 1, 0),
	R(subfe, 0xffffffff, 0x7fffffff, CA, 0x80000000, 0, 1),
	R(subfe, 0x80000000, 0x00000000, CA, 0x80000000, 0, 1),
	R(subfe, 0x80000000, 0xffffffff, 0, 0x7ffffffe, 1, 0),

	R(subfme, 0x00000000, 0x00000000, 0, 0xfffffffe, 1, 0),
	R(subfme, 0x00000000, 0x00000000, CA, 0xffffffff, 1, 0),
	R(subfme, 0xffffffff, 0x00000000, 0, 0xffffffff, 0, 0),
	R(subfme, 0x7fffffff, 0x00000000, 0, 0x7fffffff, 1, 1),
	R(subfme, 0x7fffffff, 0x00000000, CA, 0x80000000, 1, 0),
	R(subfme, 0x80000000, 0x00000000, SO, 0x7ffffffe, 1, 0),

	R(subfze, 0x00000000, 0x00000000, 0, 0xffffffff, 0, 0),
	R(subfze, 0x00000000, 0x00000000, CA, 0x00000000, 1, 0),
	R(subfze, 0xffffffff, 0x00000000, CA, 0x00000001, 0, 0),
	R(subfze, 0x80000000, 0x00000000, CA, 0x80000000, 0, 1),
	R(subfze, 0x80000000, 0x00000000, 0, 0x7fffffff, 0, 0),
	R(subfze, 0x00000005, 0x00000000, SO, 0xfffffffa, 0, 0),

	R(neg, 0x00000000, 0x00000000, 0, 0x00000000, KEEP, 0),
	R(neg, 0x00000001, 0x00000000, 0, 0xffffffff, KEEP, 0),
	R(neg, 0x80000000, 0x00000000, 0, 0x80000000, KEEP, 1),
	R(neg, 0xffffffff, 0x00000000, CA, 0x00000001, KEEP, 0),
	R(neg, 0x7fffffff, 0x00000000, SO, 0x80000001, KEEP, 0),

	R(mullw, 0x00000003, 0x00000004, 0, 0x0000000c, KEEP, 0),
	R(mullw, 0x00010000, 0x00010000, 0, 0x00000000, KEEP, 1),
	R(mullw, 0xffffffff, 0xffffffff, 0, 0x00000001, KEEP, 0),
	R(mullw, 0x80000000, 0xffffffff, 0, 0x80000000, KEEP, 1),
	R(mullw, 0x7fffffff, 0x00000002, 0, 0xfffffffe, KEEP, 1),
	R(mullw, 0xfffffffd, 0x00000005, SO, 0xfffffff1, KEEP, 0),
	R(mullw, 0x00008000, 0x00010000, 0, 0x80000000, KEEP, 1),
	R(mullw, 0xffff8000, 0x00010000, 0, 0x80000000, KEEP, 0),

	R(mulhw, 0x00010000, 0x00010000, 0, 0x00000001, KEEP, 0),
	R(mulhw, 0xffffffff, 0xffffffff, 0, 0x00000000, KEEP, 0),
	R(mulhw, 0x80000000, 0x80000000, 0, 0x40000000, KEEP, 0),
	R(mulhw, 0x80000000, 0x7fffffff, 0, 0xc0000000, KEEP, 0),
	R(mulhw, 0xffffffff, 0x00000005, 0, 0xffffffff, KEEP, 0),
	R(mulhw, 0x00000003, 0x00000004, SO, 0x00000000, KEEP, 0),

	R(mulhwu, 0xffffffff, 0xffffffff, 0, 0xfffffffe, KEEP, 0),
	R(mulhwu, 0x80000000, 0x00000002, 0, 0x00000001, KEEP, 0),
	R(mulhwu, 0x00000003, 0x00000004, 0, 0x00000000, KEEP, 0),
	R(mulhwu, 0x12345678, 0x9abcdef0, SO, 0x0b00ea4e, KEEP, 0),

	R(divw, 0x00000007, 0x00000002, 0, 0x00000003, KEEP, 0),
	R(divw, 0xfffffff9, 0x00000002, 0, 0xfffffffd, KEEP, 0),
	R(divw, 0x00000007, 0xfffffffe, 0, 0xfffffffd, KEEP, 0),
	R(divw, 0xfffffff9, 0xfffffffe, 0, 0x00000003, KEEP, 0),
	R(divw, 0x80000000, 0x00000001, 0, 0x80000000, KEEP, 0),
	R(divw, 0x00000000, 0x00000005, 0, 0x00000000, KEEP, 0),
	U(divw, 0x80000000, 0xffffffff, 0),
	U(divw, 0x00000005, 0x00000000, 0),
	U(divw, 0x00000000, 0x00000000, SO),
	R(divw, 0x00000001, 0x00000002, SO, 0x00000000, KEEP, 0),

	R(divwu, 0x00000007, 0x00000002, 0, 0x00000003, KEEP, 0),
	R(divwu, 0xffffffff, 0x00000002, 0, 0x7fffffff, KEEP, 0),
	R(divwu, 0x80000000, 0xffffffff, 0, 0x00000000, KEEP, 0),
	R(divwu, 0x00000002, 0x00000003, 0, 0x00000000, KEEP, 0),
	U(divwu, 0x00000005, 0x00000000, 0),
	U(divwu, 0x00000000, 0x00000000, 0),
	R(divwu, 0xffffffff, 0x00000001, SO, 0xffffffff, KEEP, 0),
};

static void check(const struct row *w, int form)
{
	static const char *const suffix[4] = { "", ".", "o", "o." };
	bool rc = form & 1, oe = form & 2, ok;
	uint32_t xer = w->xin, cr0, cr0_mask = 0xf;
	char name[64];
	struct alu_res r;

	if (w->ca != KEEP)
		xer = (xer & ~XER_CA) | (w->ca ? XER_CA : 0);
	if (oe)
		xer = (xer & ~XER_OV) | (w->ov ? XER_OV | XER_SO : 0);
	cr0 = rc ? alu_cr0(w->d, xer) : ALU_CANARY;
	if (w->undef && rc)
		cr0_mask = CR_SO;

	w->op->f[form](w->a, w->b, w->xin, &r);

	ok = (w->undef || r.d == w->d) && r.xer == xer &&
	     (CR_FIELD(r.cr, 0) & cr0_mask) == (cr0 & cr0_mask);
	if (w->op->unary)
		snprintf(name, sizeof(name), "%s%s %08x", w->op->name, suffix[form], w->a);
	else
		snprintf(name, sizeof(name), "%s%s %08x,%08x", w->op->name, suffix[form], w->a, w->b);
	report(ok, "%s%s%s", name, w->xin & XER_SO ? " so" : "", w->xin & XER_CA ? " ca" : "");
	if (ok && w->undef)	/* what this core chose for the undefined parts */
		printf("INFO: %s: rt=%08x cr0=%x\n", name, r.d, CR_FIELD(r.cr, 0));
	if (!ok)
		printf("INFO: got d=%08x xer=%08x cr0=%x, expected d=%08x%s xer=%08x cr0=%x/%x\n",
		       r.d, r.xer, CR_FIELD(r.cr, 0), w->d, w->undef ? "(any)" : "", xer, cr0,
		       cr0_mask);
}

/* Immediate forms: the immediate is part of the instruction, so one asm per case. */
#define IMM(text, a, xin, r)	ALU_ASM(text, 0, a, 0, xin, r)

static void test_immediates(void)
{
	struct alu_res r;

	IMM("addi %[d], %[a], -5", 3, 0, r);
	alu_check("addi 3,-5", r, 0xfffffffe, 0, ALU_CANARY);
	IMM("addi %[d], 0, -5", 3, 0, r);			/* rA = 0: the value 0, not r0 */
	alu_check("addi 0,-5 (li)", r, 0xfffffffb, 0, ALU_CANARY);
	IMM("addis %[d], %[a], 0x7fff", 0x1234, CA, r);
	alu_check("addis 1234,7fff", r, 0x7fff1234, CA, ALU_CANARY);
	IMM("addis %[d], %[a], -1", 0x1234, 0, r);
	alu_check("addis 1234,-1", r, 0xffff1234, 0, ALU_CANARY);
	IMM("addis %[d], 0, 0x8000", 0x1234, 0, r);
	alu_check("addis 0,8000 (lis)", r, 0x80000000, 0, ALU_CANARY);

	IMM("addic %[d], %[a], -1", 0, CA, r);
	alu_check("addic 0,-1", r, 0xffffffff, 0, ALU_CANARY);
	IMM("addic %[d], %[a], -1", 1, 0, r);
	alu_check("addic 1,-1", r, 0, CA, ALU_CANARY);
	IMM("addic %[d], %[a], 1", 0x7fffffff, SO, r);
	alu_check("addic 7fffffff,1", r, 0x80000000, SO, ALU_CANARY);
	IMM("addic. %[d], %[a], -1", 1, SO, r);
	alu_check("addic. 1,-1 so", r, 0, SO | CA, CR_EQ | CR_SO);
	IMM("addic. %[d], %[a], 1", 0x7fffffff, 0, r);
	alu_check("addic. 7fffffff,1", r, 0x80000000, 0, CR_LT);
	IMM("addic. %[d], %[a], 0x10", 0xffffffff, 0, r);
	alu_check("addic. ffffffff,10", r, 0xf, CA, CR_GT);

	IMM("subfic %[d], %[a], 0", 0, 0, r);
	alu_check("subfic 0,0", r, 0, CA, ALU_CANARY);
	IMM("subfic %[d], %[a], 0", 1, CA, r);
	alu_check("subfic 1,0", r, 0xffffffff, 0, ALU_CANARY);
	IMM("subfic %[d], %[a], -1", 5, 0, r);
	alu_check("subfic 5,-1", r, 0xfffffffa, CA, ALU_CANARY);
	IMM("subfic %[d], %[a], 100", 0x80000000, 0, r);
	alu_check("subfic 80000000,100", r, 0x80000064, 0, ALU_CANARY);

	IMM("mulli %[d], %[a], 0x7fff", 0x10000, 0, r);
	alu_check("mulli 10000,7fff", r, 0x7fff0000, 0, ALU_CANARY);
	IMM("mulli %[d], %[a], -5", 3, SO | CA, r);
	alu_check("mulli 3,-5", r, 0xfffffff1, SO | CA, ALU_CANARY);
	IMM("mulli %[d], %[a], 4", 0x40000001, 0, r);
	alu_check("mulli 40000001,4 (low word)", r, 4, 0, ALU_CANARY);
	IMM("mulli %[d], %[a], -32768", 0xffffffff, 0, r);
	alu_check("mulli -1,-32768", r, 0x8000, 0, ALU_CANARY);
}

int main(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(rows); i++)
		for (int form = 0; form < 4; form++)
			if (rows[i].op->f[form])
				check(&rows[i], form);
	test_immediates();
	return 0;
}
