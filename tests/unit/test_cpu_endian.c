// SPDX-License-Identifier: MIT
/* Little-endian (E=1) pages in the core: shadow entries filled with SHADOW_ATTR_LE never
 * hit on the fast path, and the slow path reverses every scalar access within its size
 * (src/cpu/mem_slow.c); fetches through such an entry decode little-endian, in decoded
 * pages of their own (code_key.h).
 *
 * Data layout (context tag 0): the same two host pages mapped at VA_BE (big-endian) and
 * VA_LE (little-endian), as guest-physical pages PPN and PPN + 1.
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
#define VA_BE 0x10000000u
#define VA_LE 0x20008000u /* a shadow TLB index of its own */
#define PPN 0x400u
#define CODE_VA 0x00002000u
#define SLOT 10
#define RW (SHADOW_PERM_R | SHADOW_PERM_W)

static int setup(void **state)
{
	struct cpu_fix *f = cpu_fix_create(CODE_VA, 2);
	struct cpu *c = f->c;

	for (unsigned i = 0; i < 2; i++) {
		cpu_shadow_fill(c, CPU_ACCESS_WRITE, VA_BE + i * PG, f->host + i * PG, PPN + i, RW,
				SHADOW_NO_GTLB);
		cpu_shadow_fill(c, CPU_ACCESS_WRITE, VA_LE + i * PG, f->host + i * PG, PPN + i,
				RW | SHADOW_ATTR_LE, SHADOW_NO_GTLB);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	cpu_fix_destroy(*state);
	return 0;
}

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
	return fn(f->c, d);
}

#define EXEC(f, fn, rt, ra, rb, imm)                                                            \
	assert_ptr_equal(run(f, fn, rt, ra, rb, imm), &(f)->page->insns[SLOT + 1])

static void put(struct cpu_fix *f, uint32_t off, const uint8_t *b, unsigned n)
{
	memcpy(f->host + off, b, n);
}

static void test_fast_path_misses(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;

	assert_non_null(shadow_tlb_read_ptr(&c->stlb, c->dtag, VA_BE, 4));
	assert_null(shadow_tlb_read_ptr(&c->stlb, c->dtag, VA_LE, 4));
	assert_null(shadow_tlb_write_ptr(&c->stlb, c->dtag, VA_LE, 1));
	assert_true(shadow_entry_le(shadow_tlb_entry_of(&c->stlb, VA_LE)));
	assert_false(shadow_entry_le(shadow_tlb_entry_of(&c->stlb, VA_BE)));
}

static void test_loads(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	static const uint8_t b[] = {0x01, 0x80, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};

	put(f, 0x100, b, sizeof(b));
	c->gpr[4] = VA_LE + 0x100;
	c->gpr[5] = 4;
	EXEC(f, op_lwz, 3, 4, 0, 0);
	assert_int_equal(c->gpr[3], 0x44338001u);
	EXEC(f, op_lhz, 3, 4, 0, 0);
	assert_int_equal(c->gpr[3], 0x8001u);
	EXEC(f, op_lha, 3, 4, 0, 0);
	assert_int_equal(c->gpr[3], 0xffff8001u); /* reversed, then sign-extended */
	EXEC(f, op_lbz, 3, 4, 0, 1);
	assert_int_equal(c->gpr[3], 0x80u);
	EXEC(f, op_lwz, 3, 4, 0, 1); /* unaligned */
	assert_int_equal(c->gpr[3], 0x55443380u);
	EXEC(f, op_lwzx, 3, 4, 5, 0);
	assert_int_equal(c->gpr[3], 0x88776655u);
	EXEC(f, op_lwbrx, 3, 4, CPU_GPR_ZERO, 0); /* reversed twice */
	assert_int_equal(c->gpr[3], 0x01803344u);
	EXEC(f, op_lhbrx, 3, 4, CPU_GPR_ZERO, 0);
	assert_int_equal(c->gpr[3], 0x0180u);
	EXEC(f, op_lhau, 3, 4, 0, 4);
	assert_int_equal(c->gpr[3], 0x6655u);
	assert_int_equal(c->gpr[4], VA_LE + 0x104); /* update form */
}

static void test_stores(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;

	c->gpr[4] = VA_LE + 0x200;
	c->gpr[3] = 0x11223344;
	EXEC(f, op_stw, 3, 4, 0, 0);
	assert_memory_equal(f->host + 0x200, ((const uint8_t[]){0x44, 0x33, 0x22, 0x11}), 4);
	EXEC(f, op_sth, 3, 4, 0, 5);
	assert_memory_equal(f->host + 0x205, ((const uint8_t[]){0x44, 0x33}), 2);
	EXEC(f, op_stb, 3, 4, 0, 8);
	assert_int_equal(f->host[0x208], 0x44);
	EXEC(f, op_stwbrx, 3, 4, CPU_GPR_ZERO, 0);
	assert_memory_equal(f->host + 0x200, ((const uint8_t[]){0x11, 0x22, 0x33, 0x44}), 4);
	EXEC(f, op_stwu, 3, 4, 0, 0x10);
	assert_int_equal(c->gpr[4], VA_LE + 0x210);
	assert_memory_equal(f->host + 0x210, ((const uint8_t[]){0x44, 0x33, 0x22, 0x11}), 4);
}

/* A word across the two pages: the whole value is reversed, each page gives its bytes. */
static void test_page_cross(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;

	put(f, PG - 1, (const uint8_t[]){0xa0, 0xb1, 0xc2, 0xd3}, 4);
	c->gpr[4] = VA_LE + PG - 1;
	EXEC(f, op_lwz, 3, 4, 0, 0);
	assert_int_equal(c->gpr[3], 0xd3c2b1a0u);
	c->gpr[3] = 0x10203040;
	EXEC(f, op_stw, 3, 4, 0, 0);
	assert_memory_equal(f->host + PG - 1, ((const uint8_t[]){0x40, 0x30, 0x20, 0x10}), 4);
}

/* lmw/stmw reverse each word; strings move bytes in address order. */
static void test_multiple_string(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;

	put(f, 0x300, (const uint8_t[]){1, 2, 3, 4, 5, 6, 7, 8}, 8);
	c->gpr[4] = VA_LE + 0x300;
	EXEC(f, op_lmw, 30, 4, 0, 0);
	assert_int_equal(c->gpr[30], 0x04030201u);
	assert_int_equal(c->gpr[31], 0x08070605u);
	EXEC(f, op_lswi, 5, 4, 6, 0);
	assert_int_equal(c->gpr[5], 0x01020304u);
	assert_int_equal(c->gpr[6], 0x05060000u);
	c->gpr[30] = 0xa1a2a3a4;
	c->gpr[31] = 0xb1b2b3b4;
	EXEC(f, op_stmw, 30, 4, 0, 0x10);
	assert_memory_equal(f->host + 0x310,
			    ((const uint8_t[]){0xa4, 0xa3, 0xa2, 0xa1, 0xb4, 0xb3, 0xb2, 0xb1}), 8);
	EXEC(f, op_stswi, 30, 4, 5, 0);
	assert_memory_equal(f->host + 0x300, ((const uint8_t[]){0xa1, 0xa2, 0xa3, 0xa4, 0xb1}), 5);
}

static void test_reserve(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;

	put(f, 0x400, (const uint8_t[]){1, 2, 3, 4}, 4);
	c->gpr[4] = VA_LE + 0x400;
	EXEC(f, op_lwarx, 3, CPU_GPR_ZERO, 4, 0);
	assert_int_equal(c->gpr[3], 0x04030201u);
	c->gpr[3] = 0xaabbccdd;
	EXEC(f, op_stwcx_rc, 3, CPU_GPR_ZERO, 4, 0);
	assert_int_equal(c->cr >> 28, CR_EQ);
	assert_memory_equal(f->host + 0x400, ((const uint8_t[]){0xdd, 0xcc, 0xbb, 0xaa}), 4);
}

static void test_fp(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;

	c->fp_enabled = true;
	put(f, 0x500, (const uint8_t[]){0, 0, 0x80, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40}, 16);
	c->gpr[4] = VA_LE + 0x500;
	EXEC(f, op_lfs, 1, 4, 0, 0);
	assert_true(c->fpr[1] == 0x3ff0000000000000ull); /* 1.0f as a double */
	EXEC(f, op_lfd, 2, 4, 0, 8);
	assert_true(c->fpr[2] == 0x4000000000000000ull); /* 2.0 */
	c->fpr[3] = 0x3fe0000000000000ull;		      /* 0.5 */
	EXEC(f, op_stfdu, 3, 4, 0, 0x10);
	assert_int_equal(c->gpr[4], VA_LE + 0x510);
	assert_memory_equal(f->host + 0x510, ((const uint8_t[]){0, 0, 0, 0, 0, 0, 0xe0, 0x3f}), 8);
	EXEC(f, op_stfs, 3, 4, 0, 8);
	assert_memory_equal(f->host + 0x518, ((const uint8_t[]){0, 0, 0, 0x3f}), 4);
}

/* A refill of the same physical page with the other byte order drops the entry's decoded
 * page: its code must be decoded again the other way. */
static void test_refill_drops_code(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	struct shadow_tlb_fetch *e = shadow_tlb_fetch_of(&c->stlb, VA_BE);

	e->code = f->page;
	cpu_shadow_fill(c, CPU_ACCESS_READ, VA_BE, f->host, PPN, RW, SHADOW_NO_GTLB);
	assert_ptr_equal(e->code, f->page);
	cpu_shadow_fill(c, CPU_ACCESS_READ, VA_BE, f->host, PPN, RW | SHADOW_ATTR_LE,
			SHADOW_NO_GTLB);
	assert_null(e->code);
}

/* Fetch: one page holds a word that is an instruction both ways (big-endian li r3,0x6338,
 * little-endian addi r3,r3,0x6038), then sc big-endian (little-endian an illegal word).
 * Mapped both ways at once, each mapping runs its own decoding. */
static uint32_t run_at(struct cpu_fix *f, uint32_t va)
{
	struct cpu *c = f->c;

	c->gpr[3] = 0;
	c->pc = va;
	f->ntraps = 0;
	cpu_run(c);
	assert_int_equal(f->ntraps, 1);
	return c->gpr[3];
}

static void test_fetch(void **state)
{
	struct cpu_fix *f = *state;
	struct cpu *c = f->c;
	const uint32_t xbe = 0x30010000u, xle = 0x40020000u;
	const unsigned rx = SHADOW_PERM_R | SHADOW_PERM_X;

	store_be32(f->host + PG, 0x38606338);
	store_be32(f->host + PG + 4, 0x44000002);
	cpu_shadow_fill(c, CPU_ACCESS_EXEC, xbe, f->host + PG, PPN + 1, rx, SHADOW_NO_GTLB);
	cpu_shadow_fill(c, CPU_ACCESS_EXEC, xle, f->host + PG, PPN + 1, rx | SHADOW_ATTR_LE,
			SHADOW_NO_GTLB);
	assert_int_equal(run_at(f, xbe), 0x6338);
	assert_int_equal(f->last.kind, CPU_TRAP_EMULATE);
	assert_int_equal(f->last.d->op, CPU_OP_sc);
	assert_int_equal(run_at(f, xle), 0x6038);
	assert_int_equal(f->last.kind, CPU_TRAP_PROGRAM); /* 0x02000044 */
	assert_int_equal(f->last.insn, 0x02000044u);
	assert_int_equal(run_at(f, xbe), 0x6338);
	assert_int_equal(f->last.kind, CPU_TRAP_EMULATE);
	assert_int_equal(f->last.d->op, CPU_OP_sc);

	/* a store through the little-endian data alias drops both decodings of the page */
	assert_true(cpu_code_cache_has_page(c->code, PPN + 1));
	c->gpr[4] = VA_LE + PG;
	c->gpr[5] = 0x38604c45; /* li r3,0x4c45, stored little-endian */
	EXEC(f, op_stw, 5, 4, 0, 0);
	assert_int_equal(load_be32(f->host + PG), 0x454c6038u);
	assert_int_equal(run_at(f, xle), 0x4c45);
	/* big-endian the word is now primary opcode 17 (sc): it traps before li ran */
	assert_int_equal(run_at(f, xbe), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fast_path_misses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_cross, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiple_string, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refill_drops_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fetch, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
