// SPDX-License-Identifier: MIT
/* Integer load/store handlers (src/cpu/exec_ldst.c) run directly on a core whose shadow
 * TLB maps a few pages of a host buffer.
 *
 * Data layout (guest-virtual, context tag 0):
 *   page 0  VA_BASE           -> host page 0, read/write
 *   page 1  VA_BASE + 0x1000  -> host page 2, read/write (not host-contiguous with page 0,
 *                                so an access crossing pages 0/1 must really be split)
 *   page 2  VA_BASE + 0x2000  -> host page 1, read only
 *   page 3  VA_BASE + 0x3000  unmapped
 * The trap handler records every trap and answers CPU_RESUME_STOP, so a faulting access
 * leaves the handler with NULL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/exec.h"
#include "code_page_fixture.h"

#define PG SHADOW_PAGE_SIZE
#define VA_BASE 0x10000000u
#define VA_RO (VA_BASE + 2 * PG)
#define VA_UNMAPPED (VA_BASE + 3 * PG)
#define PPN_BASE 0x400u
#define CODE_VA 0x00002000u
#define SLOT 10

static int setup(void **state)
{
	struct cpu_fix *f = cpu_fix_create(CODE_VA, 3);
	struct cpu *c = f->c;
	cpu_fix_map_page(c, VA_BASE, f->host, PPN_BASE, SHADOW_PERM_R | SHADOW_PERM_W);
	cpu_fix_map_page(c, VA_BASE + PG, f->host + 2 * PG, PPN_BASE + 2,
			 SHADOW_PERM_R | SHADOW_PERM_W);
	cpu_fix_map_page(c, VA_RO, f->host + PG, PPN_BASE + 1, SHADOW_PERM_R);
	for (unsigned i = 0; i < 32; i++)
		c->gpr[i] = 0xdead0000u + i;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	cpu_fix_destroy(*state);
	return 0;
}

/* Host byte for guest-virtual va (mapped pages only). */
static uint8_t *mem(struct cpu_fix *f, uint32_t va)
{
	unsigned pg = (va - VA_BASE) / PG;
	static const unsigned host_page[3] = {0, 2, 1};
	assert_true(pg < 3);
	return f->host + host_page[pg] * PG + (va & (PG - 1));
}

static void put_bytes(struct cpu_fix *f, uint32_t va, const uint8_t *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		*mem(f, va + i) = b[i];
}

/* Execute one decoded instruction placed in slot SLOT of the code page; a handler that
 * asks for itself again (retry after a refill) is run again. */
static const struct cpu_dinsn *run(struct cpu_fix *f, cpu_handler fn, unsigned rt, unsigned ra,
				   unsigned rb, int32_t imm)
{
	struct cpu_dinsn *d = &f->page->insns[SLOT];
	memset(d, 0, sizeof(*d));
	d->fn = fn;
	d->rt = (uint8_t)rt;
	d->ra = (uint8_t)ra;
	d->rb = (uint8_t)rb;
	d->imm = imm;
	const struct cpu_dinsn *n;
	int guard = 0;
	do
		n = fn(f->c, d);
	while (n == d && ++guard < 8);
	return n;
}

#define NEXT(f) (&(f)->page->insns[SLOT + 1])
#define EXEC(f, fn, rt, ra, rb, imm) assert_ptr_equal(run(f, fn, rt, ra, rb, imm), NEXT(f))
#define FAULT(f, fn, rt, ra, rb, imm) assert_null(run(f, fn, rt, ra, rb, imm))

/* ---- single loads ---- */

static void test_loads(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	static const uint8_t b[] = {0x80, 0x01, 0xfe, 0xff, 0x12, 0x34, 0x56, 0x78};
	put_bytes(f, VA_BASE + 0x100, b, sizeof(b));
	c->gpr[4] = VA_BASE + 0x100;
	c->gpr[5] = 4;

	EXEC(f, op_lwz, 3, 4, 0, 0);
	assert_int_equal(c->gpr[3], 0x8001feffu);
	EXEC(f, op_lwz, 3, 4, 0, 4);
	assert_int_equal(c->gpr[3], 0x12345678u);
	EXEC(f, op_lhz, 3, 4, 0, 0);
	assert_int_equal(c->gpr[3], 0x8001u);
	EXEC(f, op_lha, 3, 4, 0, 0);
	assert_int_equal(c->gpr[3], 0xffff8001u);
	EXEC(f, op_lha, 3, 4, 0, 4);
	assert_int_equal(c->gpr[3], 0x1234u);
	EXEC(f, op_lha, 3, 4, 0, 2);
	assert_int_equal(c->gpr[3], 0xfffffeffu);
	EXEC(f, op_lbz, 3, 4, 0, 0);
	assert_int_equal(c->gpr[3], 0x80u);
	EXEC(f, op_lbz, 3, 4, 0, 7);
	assert_int_equal(c->gpr[3], 0x78u);

	EXEC(f, op_lwzx, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0x12345678u);
	EXEC(f, op_lhzx, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0x1234u);
	EXEC(f, op_lhax, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0x1234u);
	c->gpr[5] = 2;
	EXEC(f, op_lhax, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0xfffffeffu);
	EXEC(f, op_lbzx, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0xfeu);

	/* negative displacement */
	c->gpr[6] = VA_BASE + 0x108;
	EXEC(f, op_lwz, 3, 6, 0, -8);
	assert_int_equal(c->gpr[3], 0x8001feffu);

	/* (RA|0) with RA = 0: the decoder's CPU_GPR_ZERO */
	c->gpr[0] = 0x55555555u;
	EXEC(f, op_lwz, 3, CPU_GPR_ZERO, 0, (int32_t)(VA_BASE + 0x104));
	assert_int_equal(c->gpr[3], 0x12345678u);
	c->gpr[5] = VA_BASE + 0x100;
	EXEC(f, op_lwzx, 3, CPU_GPR_ZERO, 5, 0);
	assert_int_equal(c->gpr[3], 0x8001feffu);
	assert_int_equal(c->gpr[CPU_GPR_ZERO], 0);

	assert_int_equal(f->ntraps, 0);
}

static void test_byte_reverse(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	static const uint8_t b[] = {0x80, 0x01, 0xfe, 0xff};
	put_bytes(f, VA_BASE + 0x100, b, sizeof(b));
	c->gpr[4] = VA_BASE;
	c->gpr[5] = 0x100;

	EXEC(f, op_lhbrx, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0x0180u); /* zero-extended, not sign-extended */
	EXEC(f, op_lwbrx, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0xfffe0180u);

	c->gpr[3] = 0x11223344u;
	c->gpr[5] = 0x200;
	EXEC(f, op_stwbrx, 3, 4, 5, 0);
	static const uint8_t w[] = {0x44, 0x33, 0x22, 0x11};
	assert_memory_equal(mem(f, VA_BASE + 0x200), w, 4);
	c->gpr[5] = 0x210;
	EXEC(f, op_sthbrx, 3, 4, 5, 0);
	static const uint8_t h[] = {0x44, 0x33, 0x00};
	assert_memory_equal(mem(f, VA_BASE + 0x210), h, 3);
}

/* ---- single stores ---- */

static void test_stores(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[3] = 0xa1b2c3d4u;
	c->gpr[4] = VA_BASE + 0x200;
	c->gpr[5] = 0x10;
	memset(mem(f, VA_BASE + 0x200), 0xee, 0x40);

	EXEC(f, op_stw, 3, 4, 0, 0);
	EXEC(f, op_sth, 3, 4, 0, 4);
	EXEC(f, op_stb, 3, 4, 0, 6);
	static const uint8_t d1[] = {0xa1, 0xb2, 0xc3, 0xd4, 0xc3, 0xd4, 0xd4, 0xee};
	assert_memory_equal(mem(f, VA_BASE + 0x200), d1, sizeof(d1));

	EXEC(f, op_stwx, 3, 4, 5, 0);
	c->gpr[5] = 0x14;
	EXEC(f, op_sthx, 3, 4, 5, 0);
	c->gpr[5] = 0x16;
	EXEC(f, op_stbx, 3, 4, 5, 0);
	assert_memory_equal(mem(f, VA_BASE + 0x210), d1, sizeof(d1));

	/* (RA|0) */
	EXEC(f, op_stw, 3, CPU_GPR_ZERO, 0, (int32_t)(VA_BASE + 0x220));
	assert_memory_equal(mem(f, VA_BASE + 0x220), d1, 4);
	assert_int_equal(c->gpr[3], 0xa1b2c3d4u);
	assert_int_equal(f->ntraps, 0);
}

/* ---- update forms: RA receives the EA after the access ---- */

static void test_update_forms(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	static const uint8_t b[] = {0x01, 0x02, 0x83, 0x04, 0x05, 0x06, 0x07, 0x08};
	put_bytes(f, VA_BASE + 0x300, b, sizeof(b));

	c->gpr[4] = VA_BASE + 0x2fc;
	EXEC(f, op_lwzu, 3, 4, 0, 4);
	assert_int_equal(c->gpr[3], 0x01028304u);
	assert_int_equal(c->gpr[4], VA_BASE + 0x300);
	EXEC(f, op_lbzu, 3, 4, 0, 2);
	assert_int_equal(c->gpr[3], 0x83u);
	assert_int_equal(c->gpr[4], VA_BASE + 0x302);
	EXEC(f, op_lhau, 3, 4, 0, 0);
	assert_int_equal(c->gpr[3], 0xffff8304u);
	assert_int_equal(c->gpr[4], VA_BASE + 0x302);
	EXEC(f, op_lhzu, 3, 4, 0, -2);
	assert_int_equal(c->gpr[3], 0x0102u);
	assert_int_equal(c->gpr[4], VA_BASE + 0x300);

	c->gpr[5] = 4;
	EXEC(f, op_lwzux, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0x05060708u);
	assert_int_equal(c->gpr[4], VA_BASE + 0x304);
	c->gpr[5] = (uint32_t)-2;
	EXEC(f, op_lhzux, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0x8304u);
	assert_int_equal(c->gpr[4], VA_BASE + 0x302);
	EXEC(f, op_lhaux, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0x0102u);
	assert_int_equal(c->gpr[4], VA_BASE + 0x300);
	c->gpr[5] = 6;
	EXEC(f, op_lbzux, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0x07u);
	assert_int_equal(c->gpr[4], VA_BASE + 0x306);

	/* stores */
	c->gpr[3] = 0xcafef00du;
	c->gpr[4] = VA_BASE + 0x400;
	EXEC(f, op_stwu, 3, 4, 0, -4);
	assert_int_equal(c->gpr[4], VA_BASE + 0x3fc);
	assert_int_equal(load_be32(mem(f, VA_BASE + 0x3fc)), 0xcafef00du);
	EXEC(f, op_sthu, 3, 4, 0, 0x10);
	assert_int_equal(c->gpr[4], VA_BASE + 0x40c);
	assert_int_equal(load_be16(mem(f, VA_BASE + 0x40c)), 0xf00du);
	EXEC(f, op_stbu, 3, 4, 0, 3);
	assert_int_equal(c->gpr[4], VA_BASE + 0x40f);
	assert_int_equal(*mem(f, VA_BASE + 0x40f), 0x0du);
	c->gpr[5] = 1;
	EXEC(f, op_stwux, 3, 4, 5, 0);
	assert_int_equal(c->gpr[4], VA_BASE + 0x410);
	assert_int_equal(load_be32(mem(f, VA_BASE + 0x410)), 0xcafef00du);
	c->gpr[5] = 4;
	EXEC(f, op_sthux, 3, 4, 5, 0);
	assert_int_equal(c->gpr[4], VA_BASE + 0x414);
	assert_int_equal(load_be16(mem(f, VA_BASE + 0x414)), 0xf00du);
	EXEC(f, op_stbux, 3, 4, 5, 0);
	assert_int_equal(c->gpr[4], VA_BASE + 0x418);
	assert_int_equal(*mem(f, VA_BASE + 0x418), 0x0du);

	/* stwu r1,-16(r1): the stored value is RS before the update */
	c->gpr[1] = VA_BASE + 0x500;
	EXEC(f, op_stwu, 1, 1, 0, -16);
	assert_int_equal(c->gpr[1], VA_BASE + 0x4f0);
	assert_int_equal(load_be32(mem(f, VA_BASE + 0x4f0)), VA_BASE + 0x500);
	assert_int_equal(f->ntraps, 0);
}

/* ---- alignment and page crossing (the slow path splits) ---- */

static void test_unaligned(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	for (unsigned i = 0; i < 16; i++)
		*mem(f, VA_BASE + 0x600 + i) = (uint8_t)(0x10 + i);
	c->gpr[4] = VA_BASE + 0x600;

	EXEC(f, op_lwz, 3, 4, 0, 1);
	assert_int_equal(c->gpr[3], 0x11121314u);
	EXEC(f, op_lwz, 3, 4, 0, 3);
	assert_int_equal(c->gpr[3], 0x13141516u);
	EXEC(f, op_lhz, 3, 4, 0, 5);
	assert_int_equal(c->gpr[3], 0x1516u);
	EXEC(f, op_lhau, 3, 4, 0, 7);
	assert_int_equal(c->gpr[3], 0x1718u);
	assert_int_equal(c->gpr[4], VA_BASE + 0x607);

	c->gpr[3] = 0x89abcdefu;
	c->gpr[4] = VA_BASE + 0x700;
	EXEC(f, op_stw, 3, 4, 0, 1);
	EXEC(f, op_sth, 3, 4, 0, 7);
	static const uint8_t d1[] = {0x00, 0x89, 0xab, 0xcd, 0xef, 0x00, 0x00, 0xcd, 0xef, 0x00};
	assert_memory_equal(mem(f, VA_BASE + 0x700), d1, sizeof(d1));
	assert_int_equal(f->ntraps, 0);
}

static void test_page_cross(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	uint32_t edge = VA_BASE + PG; /* page 0 | page 1 */
	for (unsigned i = 0; i < 8; i++)
		*mem(f, edge - 4 + i) = (uint8_t)(0xa0 + i);

	c->gpr[4] = edge;
	EXEC(f, op_lwz, 3, 4, 0, -2);
	assert_int_equal(c->gpr[3], 0xa2a3a4a5u);
	EXEC(f, op_lwz, 3, 4, 0, -1);
	assert_int_equal(c->gpr[3], 0xa3a4a5a6u);
	EXEC(f, op_lwz, 3, 4, 0, -3);
	assert_int_equal(c->gpr[3], 0xa1a2a3a4u);
	EXEC(f, op_lha, 3, 4, 0, -1);
	assert_int_equal(c->gpr[3], 0xffffa3a4u);
	c->gpr[5] = (uint32_t)-1;
	EXEC(f, op_lhbrx, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0xa4a3u);
	c->gpr[5] = (uint32_t)-3;
	EXEC(f, op_lwbrx, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0xa4a3a2a1u);

	c->gpr[3] = 0x01020304u;
	EXEC(f, op_stw, 3, 4, 0, -1);
	assert_int_equal(*mem(f, edge - 2), 0xa2);
	assert_int_equal(*mem(f, edge - 1), 0x01);
	assert_int_equal(*mem(f, edge), 0x02);
	assert_int_equal(*mem(f, edge + 1), 0x03);
	assert_int_equal(*mem(f, edge + 2), 0x04);
	assert_int_equal(*mem(f, edge + 3), 0xa7);
	EXEC(f, op_sthu, 3, 4, 0, -1);
	assert_int_equal(*mem(f, edge - 1), 0x03);
	assert_int_equal(*mem(f, edge), 0x04);
	assert_int_equal(c->gpr[4], edge - 1);

	/* lmw/stmw across the boundary */
	c->gpr[28] = 0x11111111u;
	c->gpr[29] = 0x22222222u;
	c->gpr[30] = 0x33333333u;
	c->gpr[31] = 0x44444444u;
	c->gpr[4] = edge;
	EXEC(f, op_stmw, 28, 4, 0, -6);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(*mem(f, edge - 6 + i), 0x11 * (i / 4 + 1));
	c->gpr[28] = c->gpr[29] = c->gpr[30] = c->gpr[31] = 0;
	EXEC(f, op_lmw, 29, 4, 0, -4);
	assert_int_equal(c->gpr[28], 0);
	assert_int_equal(c->gpr[29], 0x11112222u);
	assert_int_equal(c->gpr[30], 0x22223333u);
	assert_int_equal(c->gpr[31], 0x33334444u);
	assert_int_equal(f->ntraps, 0);
}

/* ---- faults leave registers untouched ---- */

static void test_faults(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	const uint32_t r3 = 0x33333333u;

	c->gpr[3] = r3;
	c->gpr[4] = VA_UNMAPPED;
	FAULT(f, op_lwz, 3, 4, 0, 8);
	assert_int_equal(f->ntraps, 1);
	assert_int_equal(f->last.kind, CPU_TRAP_DTLB_MISS);
	assert_int_equal(f->last.access, CPU_ACCESS_READ);
	assert_int_equal(f->last.ea, VA_UNMAPPED + 8);
	assert_int_equal(f->last.pc, CODE_VA + 4 * SLOT);
	assert_int_equal(c->gpr[3], r3);

	FAULT(f, op_lwzu, 3, 4, 0, 8);
	assert_int_equal(c->gpr[3], r3);
	assert_int_equal(c->gpr[4], VA_UNMAPPED);
	FAULT(f, op_lhau, 3, 4, 0, 2);
	assert_int_equal(c->gpr[3], r3);
	assert_int_equal(c->gpr[4], VA_UNMAPPED);
	c->gpr[5] = 4;
	FAULT(f, op_lbzux, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], r3);
	assert_int_equal(c->gpr[4], VA_UNMAPPED);

	/* read-only page: loads work, stores fault and write nothing */
	*mem(f, VA_RO + 0x10) = 0x5a;
	c->gpr[4] = VA_RO;
	EXEC(f, op_lbz, 3, 4, 0, 0x10);
	assert_int_equal(c->gpr[3], 0x5au);
	int n = f->ntraps;
	FAULT(f, op_stw, 3, 4, 0, 0x20);
	assert_int_equal(f->ntraps, n + 1);
	assert_int_equal(f->last.kind, CPU_TRAP_DTLB_MISS);
	assert_int_equal(f->last.access, CPU_ACCESS_WRITE);
	assert_int_equal(f->last.ea, VA_RO + 0x20);
	assert_int_equal(load_be32(mem(f, VA_RO + 0x20)), 0);
	FAULT(f, op_stbu, 3, 4, 0, 0x20);
	assert_int_equal(c->gpr[4], VA_RO);
	assert_int_equal(*mem(f, VA_RO + 0x20), 0);

	/* a load crossing into the unmapped page */
	c->gpr[3] = r3;
	c->gpr[4] = VA_UNMAPPED;
	FAULT(f, op_lwz, 3, 4, 0, -2);
	assert_int_equal(c->gpr[3], r3);

	/* lmw faulting on its last words: no register changed */
	for (unsigned i = 26; i < 32; i++)
		c->gpr[i] = 0xbeef0000u + i;
	FAULT(f, op_lmw, 26, 4, 0, -12);
	for (unsigned i = 26; i < 32; i++)
		assert_int_equal(c->gpr[i], 0xbeef0000u + i);
	/* lswi likewise, with wrap past r31 */
	c->gpr[0] = 0x0000beefu;
	FAULT(f, op_lswi, 30, 4, 12, 0);
	assert_int_equal(c->gpr[0], 0x0000beefu);
	assert_int_equal(c->gpr[30], 0xbeef001eu);
	c->gpr[9] = VA_UNMAPPED - 3;
	c->xer_bc = 9;
	FAULT(f, op_lswx, 30, 9, CPU_GPR_ZERO, 0);
	assert_int_equal(c->gpr[30], 0xbeef001eu);
	assert_int_equal(c->gpr[31], 0xbeef001fu);
	assert_int_equal(c->gpr[0], 0x0000beefu);
}

/* ---- load/store multiple ---- */

static void test_multiple(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	for (unsigned i = 0; i < 32; i++)
		c->gpr[i] = 0x01010101u * i;
	c->gpr[4] = VA_BASE + 0x800;

	EXEC(f, op_stmw, 27, 4, 0, 0x10);
	for (unsigned r = 27; r < 32; r++)
		assert_int_equal(load_be32(mem(f, VA_BASE + 0x810 + 4 * (r - 27))),
				 0x01010101u * r);
	assert_int_equal(load_be32(mem(f, VA_BASE + 0x824)), 0);

	for (unsigned r = 25; r < 32; r++)
		c->gpr[r] = 0;
	EXEC(f, op_lmw, 25, 4, 0, 0x8);
	assert_int_equal(c->gpr[25], 0);
	assert_int_equal(c->gpr[26], 0);
	for (unsigned r = 27; r < 32; r++)
		assert_int_equal(c->gpr[r], 0x01010101u * r);

	/* all 32 registers; (RA|0) */
	for (unsigned i = 0; i < 32; i++)
		c->gpr[i] = 0xf0000000u + i;
	EXEC(f, op_stmw, 0, CPU_GPR_ZERO, 0, (int32_t)(VA_BASE + 0x900));
	for (unsigned i = 0; i < 32; i++)
		c->gpr[i] = 0;
	EXEC(f, op_lmw, 0, CPU_GPR_ZERO, 0, (int32_t)(VA_BASE + 0x900));
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(c->gpr[i], 0xf0000000u + i);
	assert_int_equal(c->gpr[CPU_GPR_ZERO], 0);

	/* RA in the range loaded (invalid form): must not crash; the EA was taken first */
	c->gpr[30] = VA_BASE + 0x900;
	EXEC(f, op_lmw, 29, 30, 0, 0);
	assert_int_equal(c->gpr[29], 0xf0000000u);
	assert_int_equal(c->gpr[30], 0xf0000001u);
	assert_int_equal(c->gpr[31], 0xf0000002u);
	assert_int_equal(f->ntraps, 0);
}

/* ---- strings ---- */

static void test_string_load(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	for (unsigned i = 0; i < 64; i++)
		*mem(f, VA_BASE + 0xa00 + i) = (uint8_t)(0x40 + i);
	c->gpr[4] = VA_BASE + 0xa00;

	/* odd length: the last register is padded with zeros */
	EXEC(f, op_lswi, 5, 4, 7, 0);
	assert_int_equal(c->gpr[5], 0x40414243u);
	assert_int_equal(c->gpr[6], 0x44454600u);
	assert_int_equal(c->gpr[7], 0xdead0007u);
	EXEC(f, op_lswi, 5, 4, 1, 0);
	assert_int_equal(c->gpr[5], 0x40000000u);
	assert_int_equal(c->gpr[6], 0x44454600u);

	/* NB = 0 means 32 bytes: r28..r31 then wrap to r0..r3 */
	EXEC(f, op_lswi, 28, 4, 0, 0);
	assert_int_equal(c->gpr[28], 0x40414243u);
	assert_int_equal(c->gpr[31], 0x4c4d4e4fu);
	assert_int_equal(c->gpr[0], 0x50515253u);
	assert_int_equal(c->gpr[3], 0x5c5d5e5fu);
	assert_int_equal(c->gpr[4], VA_BASE + 0xa00);
	assert_int_equal(c->gpr[CPU_GPR_ZERO], 0);
	assert_int_equal(f->ntraps, 0);

	/* (RA|0) for lswi: EA 0, unmapped here */
	c->gpr[10] = 0x1010u;
	FAULT(f, op_lswi, 10, CPU_GPR_ZERO, 2, 0);
	assert_int_equal(f->last.ea, 0);
	assert_int_equal(c->gpr[10], 0x1010u);
}

static void test_string_load_x(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	for (unsigned i = 0; i < 160; i++)
		*mem(f, VA_BASE + 0xa00 + i) = (uint8_t)(0x40 + i);
	c->gpr[4] = VA_BASE + 0x900;
	c->gpr[5] = 0x101; /* unaligned start */

	c->xer_bc = 6;
	EXEC(f, op_lswx, 30, 4, 5, 0);
	assert_int_equal(c->gpr[30], 0x41424344u);
	assert_int_equal(c->gpr[31], 0x45460000u);

	/* 13 bytes wrapping r31 -> r0 -> r1 -> r2 (only 1 byte in r2) */
	c->gpr[2] = 0xffffffffu;
	c->xer_bc = 13;
	EXEC(f, op_lswx, 31, 4, 5, 0);
	assert_int_equal(c->gpr[31], 0x41424344u);
	assert_int_equal(c->gpr[0], 0x45464748u);
	assert_int_equal(c->gpr[1], 0x494a4b4cu);
	assert_int_equal(c->gpr[2], 0x4d000000u);

	/* XER[BC] = 0: nothing happens, not even for an unmapped address */
	c->xer_bc = 0;
	c->gpr[6] = VA_UNMAPPED;
	c->gpr[7] = 0x77777777u;
	EXEC(f, op_lswx, 7, 6, CPU_GPR_ZERO, 0);
	assert_int_equal(c->gpr[7], 0x77777777u);

	/* the largest count: 127 bytes into 32 registers, starting at r0 */
	c->xer_bc = 127;
	c->gpr[5] = 0x100;
	EXEC(f, op_lswx, 0, 4, 5, 0);
	assert_int_equal(c->gpr[0], 0x40414243u);
	assert_int_equal(c->gpr[30], 0xb8b9babbu);
	assert_int_equal(c->gpr[31], 0xbcbdbe00u);

	/* RA and RB inside the range (invalid form): no crash */
	c->gpr[4] = VA_BASE + 0x900;
	c->gpr[5] = 0x100;
	c->xer_bc = 12;
	EXEC(f, op_lswx, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0x40414243u);
	assert_int_equal(c->gpr[4], 0x44454647u);
	assert_int_equal(c->gpr[5], 0x48494a4bu);
	assert_int_equal(f->ntraps, 0);
}

static void test_string_store(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	uint8_t *m = mem(f, VA_BASE + 0xc00);
	memset(m, 0xee, 0x100);
	c->gpr[4] = VA_BASE + 0xc00;
	c->gpr[5] = 0x11223344u;
	c->gpr[6] = 0x55667788u;
	c->gpr[7] = 0x99aabbccu;

	EXEC(f, op_stswi, 5, 4, 6, 0);
	static const uint8_t s1[] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xee, 0xee};
	assert_memory_equal(m, s1, sizeof(s1));

	/* NB = 0: 32 bytes from r30, wrapping to r0.. */
	for (unsigned i = 0; i < 32; i++)
		c->gpr[i] = 0x01010101u * (i + 1);
	c->gpr[4] = VA_BASE + 0xc10;
	EXEC(f, op_stswi, 30, 4, 0, 0);
	assert_int_equal(load_be32(m + 0x10), 0x1f1f1f1fu);
	assert_int_equal(load_be32(m + 0x14), 0x20202020u);
	assert_int_equal(load_be32(m + 0x18), 0x01010101u);
	assert_int_equal(load_be32(m + 0x2c), 0x06060606u);
	assert_int_equal(m[0x30], 0xee);

	/* stswx: 3 bytes, unaligned */
	c->gpr[4] = VA_BASE + 0xc00;
	c->gpr[5] = 0x41;
	c->gpr[9] = 0xabcdef01u;
	c->xer_bc = 3;
	EXEC(f, op_stswx, 9, 4, 5, 0);
	static const uint8_t s2[] = {0xee, 0xab, 0xcd, 0xef, 0xee};
	assert_memory_equal(m + 0x40, s2, sizeof(s2));

	/* stswx: 9 bytes from r31 wrapping to r0, r1 */
	c->gpr[31] = 0xa0a1a2a3u;
	c->gpr[0] = 0xb0b1b2b3u;
	c->gpr[1] = 0xc0c1c2c3u;
	c->gpr[5] = 0x50;
	c->xer_bc = 9;
	EXEC(f, op_stswx, 31, 4, 5, 0);
	static const uint8_t s3[] = {0xa0, 0xa1, 0xa2, 0xa3, 0xb0, 0xb1, 0xb2, 0xb3, 0xc0, 0xee};
	assert_memory_equal(m + 0x50, s3, sizeof(s3));

	/* count 0: no store */
	c->xer_bc = 0;
	c->gpr[5] = 0x60;
	EXEC(f, op_stswx, 31, 4, 5, 0);
	assert_int_equal(m[0x60], 0xee);

	/* across the page boundary */
	uint32_t edge = VA_BASE + PG;
	c->gpr[4] = edge - 3;
	c->gpr[5] = 0x01020304u;
	c->gpr[6] = 0x05060708u;
	EXEC(f, op_stswi, 5, 4, 7, 0);
	for (unsigned i = 0; i < 7; i++)
		assert_int_equal(*mem(f, edge - 3 + i), i + 1);
	c->gpr[5] = c->gpr[6] = 0;
	EXEC(f, op_lswi, 5, 4, 7, 0);
	assert_int_equal(c->gpr[5], 0x01020304u);
	assert_int_equal(c->gpr[6], 0x05060700u);
	assert_int_equal(f->ntraps, 0);

	/* a store string faulting midway may leave a prefix, and registers are intact */
	c->gpr[4] = VA_BASE + PG + 0xffe; /* last bytes of page 1, then read-only page 2 */
	c->gpr[5] = 0x11223344u;
	FAULT(f, op_stswi, 5, 4, 4, 0);
	assert_int_equal(c->gpr[4], VA_BASE + PG + 0xffe);
	assert_int_equal(c->gpr[5], 0x11223344u);
	assert_int_equal(f->last.access, CPU_ACCESS_WRITE);
	assert_int_equal(*mem(f, VA_RO), 0);
}

/* ---- lwarx / stwcx. ---- */

static void test_reservation(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	uint32_t x = VA_BASE + 0xd00;
	store_be32(mem(f, x), 41);
	store_be32(mem(f, x + 4), 7);
	c->gpr[4] = VA_BASE;
	c->gpr[5] = 0xd00;
	c->cr = 0x12345678u;
	c->xer_so = 0;

	EXEC(f, op_lwarx, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 41);
	assert_true(c->reserve);
	c->gpr[3]++;
	EXEC(f, op_stwcx_rc, 3, 4, 5, 0);
	assert_int_equal(load_be32(mem(f, x)), 42);
	assert_int_equal(c->cr, 0x22345678u); /* EQ, other fields kept */
	assert_false(c->reserve);

	/* no reservation: fails, no store; CR0 carries SO */
	c->xer_so = 1;
	c->gpr[3] = 99;
	EXEC(f, op_stwcx_rc, 3, 4, 5, 0);
	assert_int_equal(load_be32(mem(f, x)), 42);
	assert_int_equal(c->cr, 0x12345678u);

	/* reservation on another address: fails and is cleared */
	EXEC(f, op_lwarx, 3, 4, 5, 0);
	c->gpr[5] = 0xd04;
	EXEC(f, op_stwcx_rc, 3, 4, 5, 0);
	assert_int_equal(load_be32(mem(f, x + 4)), 7);
	assert_int_equal(c->cr >> 28, CR_SO);
	assert_false(c->reserve);
	c->gpr[5] = 0xd00;
	EXEC(f, op_stwcx_rc, 3, 4, 5, 0);
	assert_int_equal(c->cr >> 28, CR_SO);
	assert_int_equal(load_be32(mem(f, x)), 42);

	/* success with SO set */
	EXEC(f, op_lwarx, 3, CPU_GPR_ZERO, 4, 0); /* (RA|0): ea = VA_BASE */
	assert_int_equal(c->reserve_addr, VA_BASE);
	EXEC(f, op_lwarx, 3, 4, 5, 0); /* a second lwarx replaces the reservation */
	c->gpr[6] = 0x600d;
	EXEC(f, op_stwcx_rc, 6, 4, 5, 0);
	assert_int_equal(c->cr >> 28, CR_EQ | CR_SO);
	assert_int_equal(load_be32(mem(f, x)), 0x600d);
	assert_int_equal(f->ntraps, 0);

	/* a stwcx. whose store faults keeps CR0 and the reservation */
	c->gpr[7] = VA_RO + 0x40;
	EXEC(f, op_lwarx, 3, 7, CPU_GPR_ZERO, 0);
	c->cr = 0x12345678u;
	FAULT(f, op_stwcx_rc, 6, 7, CPU_GPR_ZERO, 0);
	assert_int_equal(c->cr, 0x12345678u);
	assert_true(c->reserve);
	assert_int_equal(f->last.kind, CPU_TRAP_DTLB_MISS);
	assert_int_equal(f->last.access, CPU_ACCESS_WRITE);

	/* lwarx faulting: no register, no reservation */
	c->reserve = false;
	c->gpr[3] = 0x3333u;
	c->gpr[8] = VA_UNMAPPED;
	FAULT(f, op_lwarx, 3, 8, CPU_GPR_ZERO, 0);
	assert_int_equal(c->gpr[3], 0x3333u);
	assert_false(c->reserve);
}

static void test_reservation_alignment(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	c->gpr[3] = 0x3333u;
	c->gpr[4] = VA_BASE + 0xd02;

	FAULT(f, op_lwarx, 3, 4, CPU_GPR_ZERO, 0);
	assert_int_equal(f->ntraps, 1);
	assert_int_equal(f->last.kind, CPU_TRAP_ALIGNMENT);
	assert_int_equal(f->last.ea, VA_BASE + 0xd02);
	assert_int_equal(f->last.pc, CODE_VA + 4 * SLOT);
	assert_int_equal(f->last.esr & CPU_ESR_ST, 0);
	assert_int_equal(c->gpr[3], 0x3333u);
	assert_false(c->reserve);

	c->reserve = true;
	c->reserve_addr = VA_BASE + 0xd00;
	c->cr = 0;
	c->gpr[5] = 1;
	FAULT(f, op_stwcx_rc, 3, 4, 5, 0);
	assert_int_equal(f->ntraps, 2);
	assert_int_equal(f->last.kind, CPU_TRAP_ALIGNMENT);
	assert_int_equal(f->last.ea, VA_BASE + 0xd03);
	assert_true(f->last.esr & CPU_ESR_ST);
	assert_int_equal(c->cr, 0);
	assert_int_equal(load_be32(mem(f, VA_BASE + 0xd00)), 0);
}

/* ---- cache blocks ---- */

static void test_dcbz(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	uint8_t *m = mem(f, VA_BASE + 0xe00);
	memset(m, 0xaa, 0x80);
	c->gpr[4] = VA_BASE + 0xe00;
	c->gpr[5] = 0x33; /* inside the second line */

	EXEC(f, op_dcbz, 0, 4, 5, 0);
	for (unsigned i = 0; i < 0x80; i++)
		assert_int_equal(m[i], (i >= 0x20 && i < 0x40) ? 0 : 0xaa);

	/* (RA|0), aligned address, last line of a page */
	memset(mem(f, VA_BASE + PG - 0x40), 0xbb, 0x40);
	EXEC(f, op_dcbz, 0, CPU_GPR_ZERO, 4, 0);
	c->gpr[6] = VA_BASE + PG - 1;
	EXEC(f, op_dcbz, 0, 6, CPU_GPR_ZERO, 0);
	assert_int_equal(*mem(f, VA_BASE + PG - 0x21), 0xbb);
	for (unsigned i = 0; i < 0x20; i++)
		assert_int_equal(*mem(f, VA_BASE + PG - 0x20 + i), 0);
	assert_int_equal(f->ntraps, 0);

	/* read-only page: faults, writes nothing */
	memset(mem(f, VA_RO + 0x100), 0xcc, 0x20);
	c->gpr[6] = VA_RO + 0x104;
	FAULT(f, op_dcbz, 0, 6, CPU_GPR_ZERO, 0);
	assert_int_equal(f->last.kind, CPU_TRAP_DTLB_MISS);
	assert_int_equal(f->last.access, CPU_ACCESS_WRITE);
	for (unsigned i = 0; i < 0x20; i++)
		assert_int_equal(*mem(f, VA_RO + 0x100 + i), 0xcc);
	c->gpr[6] = VA_UNMAPPED;
	FAULT(f, op_dcbz, 0, 6, CPU_GPR_ZERO, 0);
}

static void test_cache_hints(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	uint32_t before[33];
	memcpy(before, c->gpr, sizeof(before));
	c->gpr[4] = VA_BASE + 0x40;

	EXEC(f, op_dcache_hint, 0, 4, CPU_GPR_ZERO, 0);
	EXEC(f, op_icbi, 0, 4, CPU_GPR_ZERO, 0);
	assert_false(cpu_code_cache_has_page(f->cc, PPN_BASE));
	/* unmapped: dcbst/dcbf do nothing, */
	c->gpr[4] = VA_UNMAPPED;
	EXEC(f, op_dcache_hint, 0, 4, CPU_GPR_ZERO, 0);
	assert_int_equal(f->ntraps, 0);
	/* icbi is translated as a load is: a miss traps, as a probe (no access, no MMIO) */
	FAULT(f, op_icbi, 0, 4, CPU_GPR_ZERO, 0);
	assert_int_equal(f->ntraps, 1);
	assert_int_equal(f->last.kind, CPU_TRAP_DTLB_MISS);
	assert_int_equal(f->last.access, CPU_ACCESS_READ);
	assert_int_equal(f->last.ea, VA_UNMAPPED);
	assert_int_equal(f->last.mem.probe, 1);
	c->gpr[4] = before[4];
	assert_memory_equal(c->gpr, before, sizeof(before));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_loads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_byte_reverse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unaligned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_cross, setup, teardown),
		cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiple, setup, teardown),
		cmocka_unit_test_setup_teardown(test_string_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_string_load_x, setup, teardown),
		cmocka_unit_test_setup_teardown(test_string_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reservation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reservation_alignment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dcbz, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_hints, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
