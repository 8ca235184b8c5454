// SPDX-License-Identifier: MIT
/* Integer, branch, CR and core-SPR handlers, executed one at a time on a struct cpu with
 * decoded instructions filled by hand the way decode.c fills them (decode.h). Each
 * instruction sits in slot SLOT of a hand-made code page mapped at PAGE_VA, so handlers
 * that need their own PC (branches, traps) see a real one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "cpu/cpu.h"
#include "cpu/exec.h"
#include "cpu/handlers.h"
#include "code_page_fixture.h"

#define PAGE_VA 0x00010000u
#define SLOT	100
#define SLOT_PC (PAGE_VA + 4 * SLOT)

static int setup(void **state)
{
	struct cpu_fix *f = cpu_fix_create(PAGE_VA, 0);
	f->c->budget = 1000;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	cpu_fix_destroy(*state);
	return 0;
}

/* Run one decoded instruction from SLOT; returns what the handler returned. */
static const struct cpu_dinsn *run(struct cpu_fix *f, cpu_handler fn, struct cpu_dinsn d)
{
	d.fn = fn;
	f->page->insns[SLOT] = d;
	return fn(f->c, &f->page->insns[SLOT]);
}

static const struct cpu_dinsn *slot(struct cpu_fix *f, int i)
{
	return &f->page->insns[i];
}
#define NEXT(f) slot(f, SLOT + 1)

/* ---- decoded forms, as decode.c fills them ---- */

static struct cpu_dinsn f_xo(unsigned rt, unsigned ra, unsigned rb, unsigned oe, unsigned rc)
{
	return (struct cpu_dinsn){
	    .rt = rt, .ra = ra, .rb = rb, .flags = (rc ? CPU_D_RC : 0) | (oe ? CPU_D_OE : 0)};
}
static struct cpu_dinsn f_x(unsigned rt, unsigned ra, unsigned rb, unsigned rc)
{
	return (struct cpu_dinsn){.rt = rt, .ra = ra, .rb = rb, .flags = rc ? CPU_D_RC : 0};
}
static struct cpu_dinsn f_d(unsigned rt, unsigned ra, int32_t imm)
{
	return (struct cpu_dinsn){.rt = rt, .ra = ra, .imm = imm};
}
static struct cpu_dinsn f_cmp(unsigned crf, unsigned ra, unsigned rb)
{
	return (struct cpu_dinsn){.rt = crf, .ra = ra, .rb = rb};
}
static struct cpu_dinsn f_cmpi(unsigned crf, unsigned ra, int32_t imm)
{
	return (struct cpu_dinsn){.rt = crf, .ra = ra, .imm = imm};
}
static uint32_t mask(unsigned mb, unsigned me)
{
	uint32_t m = 0;
	for (unsigned i = mb;; i = (i + 1) & 31) {
		m |= 0x80000000u >> i;
		if (i == me)
			break;
	}
	return m;
}
static struct cpu_dinsn f_m(unsigned rs, unsigned ra, unsigned sh, unsigned mb, unsigned me,
			    unsigned rc)
{
	return (struct cpu_dinsn){.rt = rs,
				  .ra = ra,
				  .rb = sh,
				  .mb = mb,
				  .me = me,
				  .imm = (int32_t)mask(mb, me),
				  .flags = rc ? CPU_D_RC : 0};
}
static struct cpu_dinsn f_b(unsigned bo, unsigned bi, int32_t disp, unsigned aa, unsigned lk)
{
	return (struct cpu_dinsn){
	    .rt = bo, .ra = bi, .imm = disp, .flags = (aa ? CPU_D_AA : 0) | (lk ? CPU_D_LK : 0)};
}
static struct cpu_dinsn f_i(int32_t disp, unsigned aa, unsigned lk)
{
	return (struct cpu_dinsn){.imm = disp, .flags = (aa ? CPU_D_AA : 0) | (lk ? CPU_D_LK : 0)};
}
static struct cpu_dinsn f_xl(unsigned bo, unsigned bi, unsigned b, unsigned lk)
{
	return (struct cpu_dinsn){.rt = bo, .ra = bi, .rb = b, .flags = lk ? CPU_D_LK : 0};
}
static struct cpu_dinsn f_xfx(unsigned rt, unsigned spr)
{
	return (struct cpu_dinsn){.rt = rt, .imm = (int32_t)spr};
}

static uint32_t cr0(struct cpu_fix *f)
{
	return f->c->cr >> 28;
}

/* ---- add / subtract ---- */

static void test_addi(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = 100;
	assert_ptr_equal(run(f, op_addi, f_d(3, 4, -1)), NEXT(f));
	assert_int_equal(c->gpr[3], 99);
	run(f, op_addi, f_d(3, CPU_GPR_ZERO, -5)); /* li */
	assert_int_equal(c->gpr[3], 0xfffffffbu);
	run(f, op_addi, f_d(3, CPU_GPR_ZERO, (int32_t)0x80000000u)); /* lis r3,0x8000 */
	assert_int_equal(c->gpr[3], 0x80000000u);
	run(f, op_addi, f_d(3, 3, 0x12340000)); /* addis r3,r3,0x1234 */
	assert_int_equal(c->gpr[3], 0x92340000u);
	assert_int_equal(c->gpr[CPU_GPR_ZERO], 0);
}

static void test_add_overflow_and_so(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = 0x7fffffff;
	c->gpr[5] = 1;
	run(f, op_add, f_xo(3, 4, 5, 0, 0)); /* add: no flags */
	assert_int_equal(c->gpr[3], 0x80000000u);
	assert_int_equal(c->xer_ov | c->xer_so | c->cr, 0);

	run(f, op_add, f_xo(3, 4, 5, 1, 1)); /* addo. */
	assert_int_equal(c->xer_ov, 1);
	assert_int_equal(c->xer_so, 1);
	assert_int_equal(cr0(f), CR_LT | CR_SO);

	c->gpr[4] = 1;
	run(f, op_add, f_xo(3, 4, 5, 1, 1)); /* addo. without overflow: OV clears, SO sticks */
	assert_int_equal(c->gpr[3], 2);
	assert_int_equal(c->xer_ov, 0);
	assert_int_equal(c->xer_so, 1);
	assert_int_equal(cr0(f), CR_GT | CR_SO);

	c->xer_so = 0;
	c->gpr[4] = 0x80000000u;
	c->gpr[5] = 0x80000000u;
	run(f, op_add, f_xo(3, 4, 5, 0, 1)); /* add. : Rc only, OV untouched */
	assert_int_equal(c->gpr[3], 0);
	assert_int_equal(c->xer_ov, 0);
	assert_int_equal(cr0(f), CR_EQ);
}

static void test_carry_forms(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = 0xffffffffu;
	c->gpr[5] = 1;
	run(f, op_addc, f_xo(3, 4, 5, 0, 0));
	assert_int_equal(c->gpr[3], 0);
	assert_int_equal(c->xer_ca, 1);
	run(f, op_adde, f_xo(6, 5, 5, 0, 0)); /* 1 + 1 + CA */
	assert_int_equal(c->gpr[6], 3);
	assert_int_equal(c->xer_ca, 0);

	/* 64-bit add: (1:0xffffffff) + (0:1) */
	c->gpr[10] = 0xffffffffu; /* lo a */
	c->gpr[11] = 1;		  /* hi a */
	c->gpr[12] = 1;		  /* lo b */
	c->gpr[13] = 0;		  /* hi b */
	run(f, op_addc, f_xo(14, 10, 12, 0, 0));
	run(f, op_adde, f_xo(15, 11, 13, 0, 0));
	assert_int_equal(c->gpr[14], 0);
	assert_int_equal(c->gpr[15], 2);

	c->xer_ca = 1;
	c->gpr[4] = 0;
	run(f, op_addme, f_xo(3, 4, 0, 0, 0)); /* 0 - 1 + 1 */
	assert_int_equal(c->gpr[3], 0);
	assert_int_equal(c->xer_ca, 1);
	c->xer_ca = 0;
	run(f, op_addme, f_xo(3, 4, 0, 0, 0)); /* 0 - 1 */
	assert_int_equal(c->gpr[3], 0xffffffffu);
	assert_int_equal(c->xer_ca, 0);

	c->xer_ca = 1;
	c->gpr[4] = 0xffffffffu;
	run(f, op_addze, f_xo(3, 4, 0, 1, 0));
	assert_int_equal(c->gpr[3], 0);
	assert_int_equal(c->xer_ca, 1);
	assert_int_equal(c->xer_ov, 0);
	c->xer_ca = 1;
	c->gpr[4] = 0x7fffffffu;
	run(f, op_addze, f_xo(3, 4, 0, 1, 0));
	assert_int_equal(c->gpr[3], 0x80000000u);
	assert_int_equal(c->xer_ov, 1);
	assert_int_equal(c->xer_so, 1);
}

static void test_subtract(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = 5;
	c->gpr[5] = 3;
	run(f, op_subf, f_xo(3, 4, 5, 0, 1)); /* 3 - 5 */
	assert_int_equal(c->gpr[3], (uint32_t)-2);
	assert_int_equal(cr0(f), CR_LT);

	run(f, op_subfc, f_xo(3, 4, 5, 0, 0)); /* 3 - 5: borrow, CA = 0 */
	assert_int_equal(c->xer_ca, 0);
	run(f, op_subfc, f_xo(3, 5, 4, 0, 0)); /* 5 - 3: CA = 1 */
	assert_int_equal(c->gpr[3], 2);
	assert_int_equal(c->xer_ca, 1);
	run(f, op_subfc, f_xo(3, 4, 4, 0, 0)); /* equal: CA = 1 */
	assert_int_equal(c->xer_ca, 1);

	/* 64-bit subtract (2:0) - (0:1) = (1:0xffffffff) */
	c->gpr[10] = 0; /* lo a */
	c->gpr[11] = 2; /* hi a */
	c->gpr[12] = 1; /* lo b */
	c->gpr[13] = 0; /* hi b */
	run(f, op_subfc, f_xo(14, 12, 10, 0, 0));
	run(f, op_subfe, f_xo(15, 13, 11, 0, 0));
	assert_int_equal(c->gpr[14], 0xffffffffu);
	assert_int_equal(c->gpr[15], 1);

	c->xer_ca = 1;
	c->gpr[4] = 0;
	run(f, op_subfze, f_xo(3, 4, 0, 0, 0)); /* ~0 + 1 = 0, carry */
	assert_int_equal(c->gpr[3], 0);
	assert_int_equal(c->xer_ca, 1);
	c->xer_ca = 0;
	run(f, op_subfme, f_xo(3, 4, 0, 0, 0)); /* ~0 - 1 */
	assert_int_equal(c->gpr[3], 0xfffffffeu);
	assert_int_equal(c->xer_ca, 1);

	/* subfo: 0x80000000 - 1 overflows */
	c->gpr[4] = 1;
	c->gpr[5] = 0x80000000u;
	run(f, op_subf, f_xo(3, 4, 5, 1, 0));
	assert_int_equal(c->gpr[3], 0x7fffffffu);
	assert_int_equal(c->xer_ov, 1);

	c->gpr[4] = 7;
	run(f, op_subfic, f_d(3, 4, 10));
	assert_int_equal(c->gpr[3], 3);
	assert_int_equal(c->xer_ca, 1);
	run(f, op_subfic, f_d(3, 4, 5));
	assert_int_equal(c->gpr[3], (uint32_t)-2);
	assert_int_equal(c->xer_ca, 0);
	c->gpr[4] = 0;
	run(f, op_subfic, f_d(3, 4, 0));
	assert_int_equal(c->gpr[3], 0);
	assert_int_equal(c->xer_ca, 1);
	c->gpr[4] = 1;
	run(f, op_subfic, f_d(3, 4, -1)); /* 0xffffffff - 1 */
	assert_int_equal(c->gpr[3], 0xfffffffeu);
	assert_int_equal(c->xer_ca, 1);
}

static void test_neg(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->xer_ca = 1;
	c->gpr[4] = 5;
	run(f, op_neg, f_xo(3, 4, 0, 1, 1));
	assert_int_equal(c->gpr[3], (uint32_t)-5);
	assert_int_equal(c->xer_ov, 0);
	assert_int_equal(c->xer_ca, 1); /* untouched */
	assert_int_equal(cr0(f), CR_LT);
	c->gpr[4] = 0x80000000u;
	run(f, op_neg, f_xo(3, 4, 0, 1, 1));
	assert_int_equal(c->gpr[3], 0x80000000u);
	assert_int_equal(c->xer_ov, 1);
	assert_int_equal(cr0(f), CR_LT | CR_SO);
}

static void test_addic(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = 1;
	run(f, op_addic, f_d(3, 4, -1));
	assert_int_equal(c->gpr[3], 0);
	assert_int_equal(c->xer_ca, 1);
	assert_int_equal(c->cr, 0);
	run(f, op_addic_rc, f_d(3, 4, -2));
	assert_int_equal(c->gpr[3], 0xffffffffu);
	assert_int_equal(c->xer_ca, 0);
	assert_int_equal(cr0(f), CR_LT);
	run(f, op_addic_rc, f_d(3, 4, -1));
	assert_int_equal(cr0(f), CR_EQ);
	assert_int_equal(c->xer_ca, 1);
}

/* ---- multiply / divide ---- */

static void test_multiply(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = 0x10000;
	c->gpr[5] = 0x10000;
	run(f, op_mullw, f_xo(3, 4, 5, 1, 1));
	assert_int_equal(c->gpr[3], 0);
	assert_int_equal(c->xer_ov, 1);
	assert_int_equal(cr0(f), CR_EQ | CR_SO);
	c->gpr[4] = (uint32_t)-3;
	c->gpr[5] = 7;
	run(f, op_mullw, f_xo(3, 4, 5, 1, 0));
	assert_int_equal(c->gpr[3], (uint32_t)-21);
	assert_int_equal(c->xer_ov, 0);
	c->gpr[4] = 0x80000000u;
	c->gpr[5] = (uint32_t)-1; /* 2^31 does not fit */
	run(f, op_mullw, f_xo(3, 4, 5, 1, 0));
	assert_int_equal(c->gpr[3], 0x80000000u);
	assert_int_equal(c->xer_ov, 1);

	c->gpr[4] = 0xffffffffu;
	c->gpr[5] = 0xffffffffu;
	run(f, op_mulhwu, f_xo(3, 4, 5, 0, 0));
	assert_int_equal(c->gpr[3], 0xfffffffeu);
	run(f, op_mulhw, f_xo(3, 4, 5, 0, 1)); /* -1 * -1 = 1: high word 0 */
	assert_int_equal(c->gpr[3], 0);
	assert_int_equal(cr0(f) & ~CR_SO, CR_EQ);
	c->gpr[4] = 0x80000000u;
	c->gpr[5] = 2;
	run(f, op_mulhw, f_xo(3, 4, 5, 0, 0));
	assert_int_equal(c->gpr[3], 0xffffffffu);

	c->gpr[4] = 1000;
	run(f, op_mulli, f_d(3, 4, -3));
	assert_int_equal(c->gpr[3], (uint32_t)-3000);
}

static void test_divide(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = (uint32_t)-7;
	c->gpr[5] = 2;
	run(f, op_divw, f_xo(3, 4, 5, 1, 1));
	assert_int_equal(c->gpr[3], (uint32_t)-3); /* rounds toward zero */
	assert_int_equal(c->xer_ov, 0);
	assert_int_equal(cr0(f), CR_LT);
	run(f, op_divwu, f_xo(3, 4, 5, 0, 0));
	assert_int_equal(c->gpr[3], 0x7ffffffcu);

	/* invalid divisions: RT = RA (QEMU 7.2's choice), OV set with OE */
	c->gpr[5] = 0;
	run(f, op_divw, f_xo(3, 4, 5, 1, 1));
	assert_int_equal(c->gpr[3], (uint32_t)-7);
	assert_int_equal(c->xer_ov, 1);
	assert_int_equal(c->xer_so, 1);
	assert_int_equal(cr0(f), CR_LT | CR_SO);
	c->xer_ov = c->xer_so = 0;
	run(f, op_divwu, f_xo(3, 4, 5, 1, 0));
	assert_int_equal(c->gpr[3], (uint32_t)-7);
	assert_int_equal(c->xer_ov, 1);
	c->xer_ov = c->xer_so = 0;
	run(f, op_divwu, f_xo(3, 4, 5, 0, 0)); /* without OE: OV untouched */
	assert_int_equal(c->xer_ov, 0);

	c->gpr[4] = 0x80000000u;
	c->gpr[5] = (uint32_t)-1;
	run(f, op_divw, f_xo(3, 4, 5, 1, 0));
	assert_int_equal(c->gpr[3], 0x80000000u);
	assert_int_equal(c->xer_ov, 1);
	run(f, op_divwu, f_xo(3, 4, 5, 1, 0)); /* unsigned: valid */
	assert_int_equal(c->gpr[3], 0);
	assert_int_equal(c->xer_ov, 0);
	assert_int_equal(c->xer_so, 1);
}

/* ---- logical ---- */

static void test_logical(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = 0xff00ff00u;
	c->gpr[5] = 0x0ff00ff0u;
	/* X form: rt = RS, ra = destination */
	run(f, op_and, f_x(4, 3, 5, 1));
	assert_int_equal(c->gpr[3], 0x0f000f00u);
	assert_int_equal(cr0(f), CR_GT);
	run(f, op_andc, f_x(4, 3, 5, 0));
	assert_int_equal(c->gpr[3], 0xf000f000u);
	run(f, op_or, f_x(4, 3, 5, 1));
	assert_int_equal(c->gpr[3], 0xfff0fff0u);
	assert_int_equal(cr0(f), CR_LT);
	run(f, op_orc, f_x(4, 3, 5, 0));
	assert_int_equal(c->gpr[3], 0xff0fff0fu);
	run(f, op_xor, f_x(4, 3, 5, 0));
	assert_int_equal(c->gpr[3], 0xf0f0f0f0u);
	run(f, op_nand, f_x(4, 3, 5, 0));
	assert_int_equal(c->gpr[3], 0xf0fff0ffu);
	run(f, op_nor, f_x(4, 3, 5, 0));
	assert_int_equal(c->gpr[3], 0x000f000fu);
	run(f, op_eqv, f_x(4, 3, 5, 0));
	assert_int_equal(c->gpr[3], 0x0f0f0f0fu);
	run(f, op_xor, f_x(4, 3, 4, 1));
	assert_int_equal(cr0(f), CR_EQ);

	/* D-form logicals (FORM_DL: rt = RS, ra = destination) */
	run(f, op_ori, f_d(4, 6, 0x00ff));
	assert_int_equal(c->gpr[6], 0xff00ffffu);
	run(f, op_ori, f_d(4, 6, 0x00ff0000)); /* oris */
	assert_int_equal(c->gpr[6], 0xffffff00u);
	run(f, op_xori, f_d(4, 6, 0xffff));
	assert_int_equal(c->gpr[6], 0xff0000ffu);
	run(f, op_andi_rc, f_d(4, 6, 0x00ff));
	assert_int_equal(c->gpr[6], 0);
	assert_int_equal(cr0(f), CR_EQ);
	run(f, op_andi_rc, f_d(4, 6, (int32_t)0x80000000u)); /* andis. */
	assert_int_equal(c->gpr[6], 0x80000000u);
	assert_int_equal(cr0(f), CR_LT);

	c->gpr[4] = 0x1234ff80u;
	run(f, op_extsb, f_x(4, 3, 0, 1));
	assert_int_equal(c->gpr[3], 0xffffff80u);
	assert_int_equal(cr0(f), CR_LT);
	run(f, op_extsh, f_x(4, 3, 0, 0));
	assert_int_equal(c->gpr[3], 0xffffff80u);
	c->gpr[4] = 0x00007f00u;
	run(f, op_extsh, f_x(4, 3, 0, 0));
	assert_int_equal(c->gpr[3], 0x7f00);

	run(f, op_cntlzw, f_x(4, 3, 0, 0));
	assert_int_equal(c->gpr[3], 17);
	c->gpr[4] = 0;
	run(f, op_cntlzw, f_x(4, 3, 0, 1));
	assert_int_equal(c->gpr[3], 32);
	assert_int_equal(cr0(f), CR_GT);
	c->gpr[4] = 0x80000000u;
	run(f, op_cntlzw, f_x(4, 3, 0, 0));
	assert_int_equal(c->gpr[3], 0);
}

/* ---- shifts and rotates ---- */

static void test_shifts(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = 0x80000001u;
	static const struct {
		uint32_t n, slw, srw;
	} t[] = {
	    {0, 0x80000001u, 0x80000001u},
	    {1, 0x00000002u, 0x40000000u},
	    {31, 0x80000000u, 0x00000001u},
	    {32, 0, 0},
	    {63, 0, 0},
	    {64, 0x80000001u, 0x80000001u}, /* only RB[26-31] count */
	    {0xffffffc1u, 0x00000002u, 0x40000000u},
	    {0xffffffe1u, 0, 0},
	};
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c->gpr[5] = t[i].n;
		run(f, op_slw, f_x(4, 3, 5, 0));
		assert_int_equal(c->gpr[3], t[i].slw);
		run(f, op_srw, f_x(4, 3, 5, 0));
		assert_int_equal(c->gpr[3], t[i].srw);
	}
	c->gpr[5] = 32;
	run(f, op_slw, f_x(4, 3, 5, 1));
	assert_int_equal(cr0(f), CR_EQ);
}

static void test_shift_algebraic(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	static const struct {
		uint32_t s, n, r;
		uint8_t ca;
	} t[] = {
	    {0xfffffff1u, 4, 0xffffffffu, 1}, /* -15 >> 4: ones shifted out */
	    {0xfffffff0u, 4, 0xffffffffu, 0}, /* -16 >> 4: exact */
	    {0x7ffffff1u, 4, 0x07ffffffu, 0}, /* positive: never CA */
	    {0x80000000u, 31, 0xffffffffu, 0},
	    {0x80000000u, 32, 0xffffffffu, 1}, /* >= 32: sign fill, CA if negative */
	    {0x80000000u, 63, 0xffffffffu, 1},
	    {0x7fffffffu, 32, 0, 0},
	    {0xffffffffu, 0, 0xffffffffu, 0},
	    {0xffffffffu, 64, 0xffffffffu, 0}, /* amount is RB & 63 */
	};
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c->gpr[4] = t[i].s;
		c->gpr[5] = t[i].n;
		c->xer_ca = !t[i].ca;
		run(f, op_sraw, f_x(4, 3, 5, 1));
		assert_int_equal(c->gpr[3], t[i].r);
		assert_int_equal(c->xer_ca, t[i].ca);
		assert_int_equal(cr0(f), t[i].r ? (t[i].r >> 31 ? CR_LT : CR_GT) : CR_EQ);
		if (t[i].n < 32) {
			c->xer_ca = !t[i].ca;
			run(f, op_srawi, f_x(4, 3, t[i].n, 0));
			assert_int_equal(c->gpr[3], t[i].r);
			assert_int_equal(c->xer_ca, t[i].ca);
		}
	}
}

static void test_rotates(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = 0x12345678u;
	run(f, op_rlwinm, f_m(4, 3, 8, 0, 31, 0)); /* rotlwi 8 */
	assert_int_equal(c->gpr[3], 0x34567812u);
	run(f, op_rlwinm, f_m(4, 3, 0, 24, 31, 0)); /* clrlwi 24 */
	assert_int_equal(c->gpr[3], 0x78);
	run(f, op_rlwinm, f_m(4, 3, 4, 0, 27, 0)); /* slwi 4 */
	assert_int_equal(c->gpr[3], 0x23456780u);
	run(f, op_rlwinm, f_m(4, 3, 28, 4, 31, 0)); /* srwi 4 */
	assert_int_equal(c->gpr[3], 0x01234567u);
	run(f, op_rlwinm, f_m(4, 3, 0, 28, 3, 1)); /* wrapping mask 0xf000000f */
	assert_int_equal(c->gpr[3], 0x10000008u);
	assert_int_equal(cr0(f), CR_GT);
	run(f, op_rlwinm, f_m(4, 3, 16, 0, 0, 1)); /* one bit: 0x5678 << 16 top bit = 0 */
	assert_int_equal(c->gpr[3], 0);
	assert_int_equal(cr0(f), CR_EQ);

	c->gpr[5] = 0xffffffe8u; /* rotate by 8: only RB[27-31] count */
	run(f, op_rlwnm,
	    (struct cpu_dinsn){.rt = 4, .ra = 3, .rb = 5, .imm = (int32_t)mask(0, 31)});
	assert_int_equal(c->gpr[3], 0x34567812u);
	c->gpr[5] = 32;
	run(f, op_rlwnm,
	    (struct cpu_dinsn){.rt = 4, .ra = 3, .rb = 5, .imm = (int32_t)mask(16, 31)});
	assert_int_equal(c->gpr[3], 0x5678);

	c->gpr[3] = 0xaaaaaaaau;
	run(f, op_rlwimi, f_m(4, 3, 16, 8, 15, 0)); /* insert byte 0x78 at bits 8-15 */
	assert_int_equal(c->gpr[3], 0xaa78aaaau);
	c->gpr[3] = 0xffffffffu;
	run(f, op_rlwimi, f_m(4, 3, 0, 30, 1, 1)); /* wrapping mask 0xc0000003 */
	assert_int_equal(c->gpr[3], 0x3ffffffcu | (0x12345678u & 0xc0000003u));
	assert_int_equal(cr0(f), CR_GT);
}

/* ---- compares ---- */

static void test_compares(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = (uint32_t)-1;
	c->gpr[5] = 1;
	c->cr = 0xffffffffu;
	run(f, op_cmp, f_cmp(7, 4, 5));
	assert_int_equal(c->cr, 0xfffffff8u);
	run(f, op_cmpl, f_cmp(0, 4, 5));
	assert_int_equal(c->cr, 0x4ffffff8u);
	run(f, op_cmp, f_cmp(3, 5, 5));
	assert_int_equal(c->cr, 0x4ff2fff8u);

	c->xer_so = 1;
	run(f, op_cmpi, f_cmpi(1, 4, -1));
	assert_int_equal((c->cr >> 24) & 0xf, CR_EQ | CR_SO);
	run(f, op_cmpi, f_cmpi(1, 4, 0));
	assert_int_equal((c->cr >> 24) & 0xf, CR_LT | CR_SO);
	c->xer_so = 0;
	run(f, op_cmpli, f_cmpi(2, 4, 0xffff)); /* cmplwi: UIMM */
	assert_int_equal((c->cr >> 20) & 0xf, CR_GT);
	c->gpr[4] = 0xffff;
	run(f, op_cmpli, f_cmpi(2, 4, 0xffff));
	assert_int_equal((c->cr >> 20) & 0xf, CR_EQ);
	c->gpr[4] = 0x8000;
	run(f, op_cmpi, f_cmpi(6, 4, -32768));
	assert_int_equal((c->cr >> 4) & 0xf, CR_GT);
}

/* ---- CR / XER / SPR moves ---- */

static void test_cr_moves(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->cr = 0x12345678u;
	run(f, op_mfcr, f_x(3, 0, 0, 0));
	assert_int_equal(c->gpr[3], 0x12345678u);

	c->gpr[4] = 0xabcdef01u;
	static const struct {
		uint32_t fxm, cr;
	} t[] = {
	    {0xff, 0xabcdef01u}, {0x80, 0xa2345678u}, {0x01, 0x12345671u},
	    {0x81, 0xa2345671u}, {0x00, 0x12345678u}, {0x5a, 0x1b3de608u},
	};
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c->cr = 0x12345678u;
		run(f, op_mtcrf, (struct cpu_dinsn){.rt = 4, .imm = (int32_t)t[i].fxm});
		assert_int_equal(c->cr, t[i].cr);
	}

	/* mcrf cr7, cr1: XL form, field numbers in the top of the 5-bit fields */
	c->cr = 0x12345678u;
	run(f, op_mcrf, f_xl(7 << 2, 1 << 2, 0, 0));
	assert_int_equal(c->cr, 0x12345672u);
	run(f, op_mcrf, f_xl(0, 6 << 2, 0, 0));
	assert_int_equal(c->cr, 0x72345672u);

	c->cr = 0xf0000000u;
	c->xer_so = 1;
	c->xer_ov = 0;
	c->xer_ca = 1;
	run(f, op_mcrxr, f_cmp(2, 0, 0));
	assert_int_equal(c->cr, 0xf0a00000u);
	assert_int_equal(c->xer_so | c->xer_ov | c->xer_ca, 0);
}

static void test_cr_logic(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	/* bit 0 = CR0[LT] (MSB), bit 6 = CR1[EQ], bit 31 = CR7[SO] */
	c->cr = 0x80000000u;
	run(f, op_crxor, f_xl(6, 6, 6, 0)); /* crclr 6 */
	assert_int_equal(c->cr, 0x80000000u);
	run(f, op_creqv, f_xl(6, 6, 6, 0)); /* crset 6 */
	assert_int_equal(c->cr, 0x82000000u);
	run(f, op_cror, f_xl(31, 0, 1, 0));
	assert_int_equal(c->cr, 0x82000001u);
	run(f, op_crand, f_xl(31, 0, 1, 0));
	assert_int_equal(c->cr, 0x82000000u);
	run(f, op_crandc, f_xl(1, 0, 2, 0));
	assert_int_equal(c->cr, 0xc2000000u);
	run(f, op_crnand, f_xl(0, 0, 1, 0));
	assert_int_equal(c->cr, 0x42000000u);
	run(f, op_crnor, f_xl(2, 0, 3, 0));
	assert_int_equal(c->cr, 0x62000000u);
	run(f, op_crorc, f_xl(3, 0, 1, 0)); /* 0 | ~1 = 0 */
	assert_int_equal(c->cr, 0x62000000u);
	run(f, op_crorc, f_xl(3, 0, 0, 0)); /* 0 | ~0 = 1 */
	assert_int_equal(c->cr, 0x72000000u);
}

static void test_spr_moves(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[3] = 0x1000;
	run(f, op_mtspr, f_xfx(3, 8));
	assert_int_equal(c->lr, 0x1000);
	c->gpr[3] = 77;
	run(f, op_mtspr, f_xfx(3, 9));
	assert_int_equal(c->ctr, 77);
	run(f, op_mfspr, f_xfx(4, 8));
	run(f, op_mfspr, f_xfx(5, 9));
	assert_int_equal(c->gpr[4], 0x1000);
	assert_int_equal(c->gpr[5], 77);

	c->gpr[3] = 0xa000ff45u; /* SO, CA, reserved bits, byte count 0x45 */
	run(f, op_mtspr, f_xfx(3, 1));
	assert_int_equal(c->xer_so, 1);
	assert_int_equal(c->xer_ov, 0);
	assert_int_equal(c->xer_ca, 1);
	assert_int_equal(c->xer_bc, 0x45);
	run(f, op_mfspr, f_xfx(6, 1));
	assert_int_equal(c->gpr[6], 0xa000ff45u);
	assert_int_equal(cpu_get_xer(c), 0xa000ff45u);
	cpu_set_xer(c, 0x40000003u);
	assert_int_equal(c->xer_ov, 1);
	assert_int_equal(c->xer_so | c->xer_ca, 0);
	assert_int_equal(c->xer_bc, 3);
	assert_int_equal(cpu_get_xer(c), 0x40000003u);

	/* an SPR the core does not own goes to the hypervisor */
	assert_null(run(f, op_mfspr, f_xfx(3, 272)));
	assert_int_equal(f->ntraps, 1);
	assert_int_equal(f->last.kind, CPU_TRAP_EMULATE);
	assert_int_equal(f->last.pc, SLOT_PC);
}

/* ---- traps ---- */

static void test_traps(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = (uint32_t)-1;
	c->gpr[5] = 1;
	/* TO: 16 <, 8 >, 4 =, 2 <u, 1 >u */
	assert_ptr_equal(run(f, op_tw, f_x(8, 4, 5, 0)), NEXT(f)); /* -1 > 1 ? no */
	assert_ptr_equal(run(f, op_tw, f_x(2, 4, 5, 0)), NEXT(f)); /* <u ? no */
	assert_ptr_equal(run(f, op_tw, f_x(4, 4, 5, 0)), NEXT(f));
	assert_ptr_equal(run(f, op_tw, f_x(0, 4, 4, 0)), NEXT(f)); /* TO = 0: never */
	assert_int_equal(f->ntraps, 0);

	assert_null(run(f, op_tw, f_x(16, 4, 5, 0))); /* -1 < 1 */
	assert_int_equal(f->ntraps, 1);
	assert_int_equal(f->last.kind, CPU_TRAP_PROGRAM);
	assert_int_equal(f->last.esr, CPU_ESR_PTR);
	assert_int_equal(f->last.pc, SLOT_PC);
	assert_null(run(f, op_tw, f_x(1, 4, 5, 0)));  /* 0xffffffff >u 1 */
	assert_null(run(f, op_tw, f_x(31, 0, 0, 0))); /* trap */
	assert_int_equal(f->ntraps, 3);

	assert_null(run(f, op_twi, f_d(4, 4, -1)));		   /* tweqi r4,-1 */
	assert_ptr_equal(run(f, op_twi, f_d(24, 4, -1)), NEXT(f)); /* twnei */
	assert_null(run(f, op_twi, f_d(2, 5, 2)));		   /* twllti r5,2 */
	assert_int_equal(f->ntraps, 5);
}

/* ---- dlmzb ---- */

static void test_dlmzb(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	static const struct {
		uint32_t rs, rb, n, crf;
	} t[] = {
	    {0x00414243u, 0x44454647u, 1, CR_GT}, {0x41004243u, 0x44454647u, 2, CR_GT},
	    {0x41424300u, 0x00454647u, 4, CR_GT}, {0x41424344u, 0x00454647u, 5, CR_LT},
	    {0x41424344u, 0x45460047u, 7, CR_LT}, {0x41424344u, 0x45464700u, 8, CR_LT},
	    {0x41424344u, 0x45464748u, 8, CR_EQ}, {0x01010101u, 0x01800001u, 7, CR_LT},
	    {0x80808080u, 0x80808080u, 8, CR_EQ}, {0x01000000u, 0x00000000u, 2, CR_GT},
	};
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c->gpr[4] = t[i].rs;
		c->gpr[5] = t[i].rb;
		c->cr = 0;
		c->xer_so = i & 1;
		c->xer_bc = 0x7f;
		run(f, op_dlmzb, f_x(4, 3, 5, 1)); /* dlmzb. r3,r4,r5 */
		assert_int_equal(c->gpr[3], t[i].n);
		assert_int_equal(c->xer_bc, t[i].n);
		assert_int_equal(cr0(f), t[i].crf | (i & 1));
	}
	c->cr = 0;
	run(f, op_dlmzb, f_x(4, 3, 5, 0));
	assert_int_equal(c->cr, 0);
}

/* ---- 440 multiply-accumulate ---- */

static void test_mul_halfword(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = 0xfffe0003u;	    /* hi -2 / 0xfffe, lo 3 */
	c->gpr[5] = 0x8000fff0u;	    /* hi -32768 / 0x8000, lo -16 / 0xfff0 */
	run(f, op_mulchw, f_x(3, 4, 5, 1)); /* 3 * -32768 */
	assert_int_equal(c->gpr[3], (uint32_t)-98304);
	assert_int_equal(cr0(f), CR_LT);
	run(f, op_mulchwu, f_x(3, 4, 5, 0)); /* 3 * 0x8000 */
	assert_int_equal(c->gpr[3], 0x18000);
	run(f, op_mulhhw, f_x(3, 4, 5, 0)); /* -2 * -32768 */
	assert_int_equal(c->gpr[3], 65536);
	run(f, op_mulhhwu, f_x(3, 4, 5, 1)); /* 0xfffe * 0x8000 */
	assert_int_equal(c->gpr[3], 0x7fff0000u);
	assert_int_equal(cr0(f), CR_GT);
	run(f, op_mullhw, f_x(3, 4, 5, 0)); /* 3 * -16 */
	assert_int_equal(c->gpr[3], (uint32_t)-48);
	run(f, op_mullhwu, f_x(3, 4, 5, 0)); /* 3 * 0xfff0 */
	assert_int_equal(c->gpr[3], 0x2ffd0);
	c->gpr[4] = 0x80008000u;
	run(f, op_mulhhw, f_x(3, 4, 4, 0)); /* -32768^2 = 2^30 */
	assert_int_equal(c->gpr[3], 0x40000000u);
	c->gpr[4] = 0xffffffffu;
	run(f, op_mullhwu, f_x(3, 4, 4, 0));
	assert_int_equal(c->gpr[3], 0xfffe0001u);
}

static void test_mac_signed(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = 0x00027fffu; /* hi 2, lo 32767 */
	c->gpr[5] = 0x7fff0003u; /* hi 32767, lo 3 */
	c->gpr[3] = 10;
	run(f, op_machhw, f_xo(3, 4, 5, 1, 1)); /* 10 + 2 * 32767 */
	assert_int_equal(c->gpr[3], 10 + 65534);
	assert_int_equal(c->xer_ov, 0);
	assert_int_equal(cr0(f), CR_GT);

	/* macchw: 32767 * 32767 = 0x3fff0001 added to 0x7fff0000 overflows */
	c->gpr[3] = 0x7fff0000u;
	run(f, op_macchw, f_xo(3, 4, 5, 1, 1));
	assert_int_equal(c->gpr[3], 0x7fff0000u + 0x3fff0001u);
	assert_int_equal(c->xer_ov, 1);
	assert_int_equal(c->xer_so, 1);
	assert_int_equal(cr0(f), CR_LT | CR_SO);
	c->xer_ov = c->xer_so = 0;
	c->gpr[3] = 0x7fff0000u;
	run(f, op_macchws, f_xo(3, 4, 5, 0, 0)); /* saturates; OV untouched without OE */
	assert_int_equal(c->gpr[3], 0x7fffffffu);
	assert_int_equal(c->xer_ov, 0);
	c->gpr[3] = 0x7fff0000u;
	run(f, op_macchws, f_xo(3, 4, 5, 1, 1));
	assert_int_equal(c->gpr[3], 0x7fffffffu);
	assert_int_equal(c->xer_ov, 1);
	assert_int_equal(cr0(f), CR_GT | CR_SO);

	/* nmac: RT - product; saturate negative */
	c->xer_ov = c->xer_so = 0;
	c->gpr[3] = 0x80001000u;
	run(f, op_nmacchw, f_xo(3, 4, 5, 1, 0));
	assert_int_equal(c->gpr[3], 0x80001000u - 0x3fff0001u);
	assert_int_equal(c->xer_ov, 1);
	c->gpr[3] = 0x80001000u;
	run(f, op_nmacchws, f_xo(3, 4, 5, 1, 0));
	assert_int_equal(c->gpr[3], 0x80000000u);
	c->gpr[3] = 5;
	run(f, op_nmaclhw, f_xo(3, 4, 5, 1, 1)); /* 5 - 32767 * 3 */
	assert_int_equal(c->gpr[3], (uint32_t)(5 - 98301));
	assert_int_equal(c->xer_ov, 0);
	assert_int_equal(c->xer_so, 1);
	assert_int_equal(cr0(f), CR_LT | CR_SO);

	/* negative product crossing to positive saturation: nmac of a negative product */
	c->xer_ov = c->xer_so = 0;
	c->gpr[6] = 0x8000u; /* lo -32768 */
	c->gpr[7] = 0x7fffu; /* lo 32767: product -0x3fff8000 */
	c->gpr[8] = 0x7fffffffu;
	run(f, op_nmaclhws, f_xo(8, 6, 7, 1, 0));
	assert_int_equal(c->gpr[8], 0x7fffffffu);
	assert_int_equal(c->xer_ov, 1);
	c->gpr[8] = 0x10;
	run(f, op_maclhws, f_xo(8, 6, 7, 1, 0)); /* no overflow: exact */
	assert_int_equal(c->gpr[8], 0x10 - 0x3fff8000u);
	assert_int_equal(c->xer_ov, 0);
	assert_int_equal(c->xer_so, 1);
	c->gpr[8] = 0x80000000u;
	run(f, op_maclhws, f_xo(8, 6, 7, 0, 0)); /* saturates to the minimum */
	assert_int_equal(c->gpr[8], 0x80000000u);
	c->gpr[8] = 0x80000000u;
	run(f, op_maclhw, f_xo(8, 6, 7, 0, 0)); /* modulo */
	assert_int_equal(c->gpr[8], 0x80000000u - 0x3fff8000u);
	c->gpr[8] = 1;
	run(f, op_machhws, f_xo(8, 6, 7, 0, 0)); /* high halves 0 */
	assert_int_equal(c->gpr[8], 1);
	c->gpr[8] = 1;
	run(f, op_nmachhws, f_xo(8, 6, 7, 0, 0));
	assert_int_equal(c->gpr[8], 1);
	c->gpr[8] = 1;
	run(f, op_nmachhw, f_xo(8, 6, 7, 0, 0));
	assert_int_equal(c->gpr[8], 1);
}

static void test_mac_unsigned(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[4] = 0xffff0002u; /* hi 0xffff, lo 2 */
	c->gpr[5] = 0xffff0003u; /* hi 0xffff, lo 3 */
	c->gpr[3] = 0x10;
	run(f, op_machhwu, f_xo(3, 4, 5, 1, 1)); /* 0x10 + 0xfffe0001 */
	assert_int_equal(c->gpr[3], 0xfffe0011u);
	assert_int_equal(c->xer_ov, 0);
	assert_int_equal(cr0(f), CR_LT); /* CR0 reads the result as signed */
	c->gpr[3] = 0x20000;
	run(f, op_machhwu, f_xo(3, 4, 5, 1, 0)); /* carries out: modulo */
	assert_int_equal(c->gpr[3], 0x00000001u);
	assert_int_equal(c->xer_ov, 1);
	assert_int_equal(c->xer_so, 1);
	c->xer_ov = c->xer_so = 0;
	c->gpr[3] = 0x20000;
	run(f, op_machhwsu, f_xo(3, 4, 5, 1, 0));
	assert_int_equal(c->gpr[3], 0xffffffffu);
	assert_int_equal(c->xer_ov, 1);
	c->gpr[3] = 0x20000;
	run(f, op_machhwsu, f_xo(3, 4, 5, 0, 0)); /* OE=0: OV keeps its value */
	assert_int_equal(c->gpr[3], 0xffffffffu);
	assert_int_equal(c->xer_ov, 1);
	c->gpr[3] = 7;
	run(f, op_macchwu, f_xo(3, 4, 5, 1, 0)); /* 7 + 2 * 0xffff */
	assert_int_equal(c->gpr[3], 7 + 0x1fffe);
	assert_int_equal(c->xer_ov, 0);
	run(f, op_macchwsu, f_xo(3, 4, 5, 0, 0));
	assert_int_equal(c->gpr[3], 7 + 2 * 0x1fffe);
	c->gpr[3] = 0xfffffffau;
	run(f, op_maclhwu, f_xo(3, 4, 5, 0, 0)); /* 0xfffffffa + 6 wraps to 0 */
	assert_int_equal(c->gpr[3], 0);
	c->gpr[3] = 0xfffffffau;
	run(f, op_maclhwsu, f_xo(3, 4, 5, 1, 1));
	assert_int_equal(c->gpr[3], 0xffffffffu);
	assert_int_equal(c->xer_ov, 1);
	assert_int_equal(cr0(f), CR_LT | CR_SO);
	c->gpr[3] = 0xfffffff9u;
	run(f, op_maclhwsu, f_xo(3, 4, 5, 1, 0)); /* exactly 0xffffffff: no overflow */
	assert_int_equal(c->gpr[3], 0xffffffffu);
	assert_int_equal(c->xer_ov, 0);
}

/* ---- branches ---- */

static void test_b(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	assert_ptr_equal(run(f, op_b, f_i(40, 0, 0)), slot(f, SLOT + 10));
	assert_ptr_equal(run(f, op_b, f_i(-400, 0, 0)), slot(f, 0));
	assert_int_equal(c->budget, 998);
	assert_int_equal(c->lr, 0);

	assert_ptr_equal(run(f, op_b, f_i(8, 0, 1)), slot(f, SLOT + 2)); /* bl */
	assert_int_equal(c->lr, SLOT_PC + 4);
	/* ba into the page */
	assert_ptr_equal(run(f, op_b, f_i(PAGE_VA + 12, 1, 0)), slot(f, 3));
	/* bla out of the page: fetch misses the shadow TLB */
	assert_null(run(f, op_b, f_i(0x200000, 1, 1)));
	assert_int_equal(c->lr, SLOT_PC + 4);
	assert_int_equal(f->last.kind, CPU_TRAP_ITLB_MISS);
	assert_int_equal(c->pc, 0x200000);
	/* relative out of the page, both directions */
	assert_null(run(f, op_b, f_i(4 * (1024 - SLOT), 0, 0)));
	assert_int_equal(c->pc, PAGE_VA + 0x1000);
	assert_null(run(f, op_b, f_i(-4 * (SLOT + 1), 0, 0)));
	assert_int_equal(c->pc, PAGE_VA - 4);
	assert_null(run(f, op_b, f_i(-0x2000000, 0, 0)));
	assert_int_equal(c->pc, SLOT_PC - 0x2000000);
}

static void test_budget(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->budget = 1;
	assert_ptr_equal(run(f, op_b, f_i(8, 0, 0)), slot(f, SLOT + 2));
	assert_int_equal(c->budget, 0);
	assert_null(run(f, op_b, f_i(8, 0, 0)));
	assert_int_equal(f->last.kind, CPU_TRAP_BUDGET);
	assert_int_equal(c->pc, SLOT_PC + 8);

	c->budget = 0;
	c->ctr = 5;
	assert_null(run(f, op_bc, f_b(16, 0, -8, 0, 0)));
	assert_int_equal(f->last.kind, CPU_TRAP_BUDGET);
	assert_int_equal(c->pc, SLOT_PC - 8);
	assert_int_equal(c->ctr, 4);
}

static void test_bc(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	/* bdnz: taken while CTR-1 != 0 */
	c->ctr = 2;
	assert_ptr_equal(run(f, op_bc, f_b(16, 0, -8, 0, 0)), slot(f, SLOT - 2));
	assert_int_equal(c->ctr, 1);
	assert_ptr_equal(run(f, op_bc, f_b(16, 0, -8, 0, 0)), NEXT(f));
	assert_int_equal(c->ctr, 0);
	assert_ptr_equal(run(f, op_bc, f_b(16, 0, -8, 0, 0)), slot(f, SLOT - 2)); /* wraps */
	assert_int_equal(c->ctr, 0xffffffffu);
	c->ctr = 2;
	assert_ptr_equal(run(f, op_bc, f_b(17, 0, -8, 0, 0)), slot(f, SLOT - 2)); /* hint bit */
	/* bdz */
	c->ctr = 2;
	assert_ptr_equal(run(f, op_bc, f_b(18, 0, 8, 0, 0)), NEXT(f));
	assert_ptr_equal(run(f, op_bc, f_b(18, 0, 8, 0, 0)), slot(f, SLOT + 2));

	/* bt / bf on CR bit 2 (CR0[EQ]) and bit 29 (CR7[GT]) */
	c->cr = 0x20000000u;
	assert_ptr_equal(run(f, op_bc, f_b(12, 2, 16, 0, 0)), slot(f, SLOT + 4)); /* beq */
	assert_ptr_equal(run(f, op_bc, f_b(4, 2, 16, 0, 0)), NEXT(f));		  /* bne */
	assert_ptr_equal(run(f, op_bc, f_b(13, 2, 16, 0, 0)), slot(f, SLOT + 4));
	assert_ptr_equal(run(f, op_bc, f_b(14, 2, 16, 0, 0)), slot(f, SLOT + 4)); /* z bit */
	assert_ptr_equal(run(f, op_bc, f_b(7, 2, 16, 0, 0)), NEXT(f));
	assert_ptr_equal(run(f, op_bc, f_b(12, 29, 16, 0, 0)), NEXT(f));
	assert_ptr_equal(run(f, op_bc, f_b(4, 29, 16, 0, 0)), slot(f, SLOT + 4));
	c->cr = 0x00000004u;
	assert_ptr_equal(run(f, op_bc, f_b(12, 29, 16, 0, 0)), slot(f, SLOT + 4));

	/* bc always (BO=20), bcl 20,31,$+4 to read the PC */
	c->lr = 0;
	assert_ptr_equal(run(f, op_bc, f_b(20, 31, 4, 0, 1)), NEXT(f));
	assert_int_equal(c->lr, SLOT_PC + 4);
	/* LK sets LR even when the branch is not taken */
	c->lr = 0;
	assert_ptr_equal(run(f, op_bc, f_b(12, 29, 16, 0, 1)), slot(f, SLOT + 4));
	c->lr = 0;
	assert_ptr_equal(run(f, op_bc, f_b(4, 29, 16, 0, 1)), NEXT(f));
	assert_int_equal(c->lr, SLOT_PC + 4);

	/* bdnzt / bdzf: CTR and condition both */
	c->cr = 0x80000000u; /* bit 0 set */
	c->ctr = 3;
	assert_ptr_equal(run(f, op_bc, f_b(8, 0, 16, 0, 0)), slot(f, SLOT + 4)); /* bdnzt */
	assert_ptr_equal(run(f, op_bc, f_b(8, 1, 16, 0, 0)), NEXT(f));		 /* cond false */
	assert_int_equal(c->ctr, 1);
	assert_ptr_equal(run(f, op_bc, f_b(8, 0, 16, 0, 0)), NEXT(f)); /* CTR -> 0 */
	c->ctr = 1;
	assert_ptr_equal(run(f, op_bc, f_b(2, 1, 16, 0, 0)), slot(f, SLOT + 4)); /* bdzf */
	c->ctr = 1;
	assert_ptr_equal(run(f, op_bc, f_b(0, 1, 16, 0, 0)), NEXT(f)); /* bdnzf */

	/* absolute */
	assert_ptr_equal(run(f, op_bc, f_b(20, 0, (int32_t)(PAGE_VA + 0x20), 1, 0)), slot(f, 8));
	/* out of page */
	c->ctr = 5;
	assert_null(run(f, op_bc, f_b(16, 0, -0x8000, 0, 0)));
	assert_int_equal(c->pc, SLOT_PC - 0x8000);
}

static void test_bclr_bcctr(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->lr = PAGE_VA + 0x40 + 3;					   /* low bits ignored */
	assert_ptr_equal(run(f, op_bclr, f_xl(20, 0, 0, 0)), slot(f, 16)); /* blr */
	assert_ptr_equal(run(f, op_bclr, f_xl(20, 0, 0, 1)), slot(f, 16)); /* blrl: old LR */
	assert_int_equal(c->lr, SLOT_PC + 4);
	c->cr = 0x02000000u;							 /* bit 6 */
	assert_ptr_equal(run(f, op_bclr, f_xl(4, 6, 0, 0)), NEXT(f));		 /* bnelr cr1 */
	assert_ptr_equal(run(f, op_bclr, f_xl(12, 6, 0, 0)), slot(f, SLOT + 1)); /* beqlr */
	c->lr = PAGE_VA;
	c->ctr = 2;
	assert_ptr_equal(run(f, op_bclr, f_xl(16, 0, 0, 0)), slot(f, 0)); /* bdnzlr */
	assert_ptr_equal(run(f, op_bclr, f_xl(16, 0, 0, 0)), NEXT(f));
	c->lr = 0x300000;
	assert_null(run(f, op_bclr, f_xl(20, 0, 0, 0)));
	assert_int_equal(c->pc, 0x300000);

	c->ctr = PAGE_VA + 0x80 + 2;
	assert_ptr_equal(run(f, op_bcctr, f_xl(20, 0, 0, 0)), slot(f, 32)); /* bctr */
	c->lr = 0;
	assert_ptr_equal(run(f, op_bcctr, f_xl(20, 0, 0, 1)), slot(f, 32)); /* bctrl */
	assert_int_equal(c->lr, SLOT_PC + 4);
	assert_int_equal(c->ctr, PAGE_VA + 0x82); /* not decremented */
	c->cr = 0;
	assert_ptr_equal(run(f, op_bcctr, f_xl(12, 6, 0, 0)), NEXT(f));
	assert_ptr_equal(run(f, op_bcctr, f_xl(4, 6, 0, 0)), slot(f, 32));

	/* bcctr with a CTR decrement is an invalid form: illegal instruction */
	f->ntraps = 0;
	assert_null(run(f, op_bcctr, f_xl(16, 0, 0, 0)));
	assert_int_equal(f->ntraps, 1);
	assert_int_equal(f->last.kind, CPU_TRAP_PROGRAM);
	assert_int_equal(f->last.esr, CPU_ESR_PIL);
	assert_int_equal(f->last.pc, SLOT_PC);
	assert_int_equal(c->ctr, PAGE_VA + 0x82);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_addi),
	    T(test_add_overflow_and_so),
	    T(test_carry_forms),
	    T(test_subtract),
	    T(test_neg),
	    T(test_addic),
	    T(test_multiply),
	    T(test_divide),
	    T(test_logical),
	    T(test_shifts),
	    T(test_shift_algebraic),
	    T(test_rotates),
	    T(test_compares),
	    T(test_cr_moves),
	    T(test_cr_logic),
	    T(test_spr_moves),
	    T(test_traps),
	    T(test_dlmzb),
	    T(test_mul_halfword),
	    T(test_mac_signed),
	    T(test_mac_unsigned),
	    T(test_b),
	    T(test_budget),
	    T(test_bc),
	    T(test_bclr_bcctr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
