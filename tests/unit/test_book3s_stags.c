// SPDX-License-Identifier: MIT
/* The PR vcpu's shadow-slot tags and their index by segment (src/kvm/book3s/pr_stags.c):
 * dropping a segment drops every used slot of that segment, once, and no other; a slot
 * refilled from another segment moves with it. Checked against a plain model (each slot's
 * effective page, or none) after many fills, refills and drops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "kvm/book3s/pr_stags.h"

#define NONE UINT64_MAX
#define SEG_256M 28
#define SEG_1T 40

struct model {
	struct pr_stags s;
	uint64_t ea[SHADOW_TLB_SIZE]; /* the slot's effective page, or NONE */
	bool dropped[SHADOW_TLB_SIZE];
	unsigned n_dropped;
};

static unsigned slot_of(uint64_t ea)
{
	return (unsigned)(ea >> SHADOW_PAGE_SHIFT) & (SHADOW_TLB_SIZE - 1);
}

static void record_drop(void *opaque, uint64_t ea)
{
	struct model *m = opaque;
	unsigned slot = slot_of(ea);

	assert_false(m->dropped[slot]); /* each slot once */
	assert_int_equal(m->ea[slot], ea);
	m->dropped[slot] = true;
	m->n_dropped++;
}

static struct model *model_new(void)
{
	struct model *m = malloc(sizeof(*m));

	assert_non_null(m);
	pr_stags_clear(&m->s);
	for (unsigned i = 0; i < SHADOW_TLB_SIZE; i++)
		m->ea[i] = NONE;
	return m;
}

static void fill(struct model *m, uint64_t ea)
{
	ea &= ~(uint64_t)(SHADOW_PAGE_SIZE - 1);
	pr_stags_set(&m->s, slot_of(ea), ea >> 12 ^ 0x5a5a, ea);
	m->ea[slot_of(ea)] = ea;
}

static bool in_segment(uint64_t a, uint64_t b, unsigned seg_shift)
{
	return seg_shift >= 64 || a >> seg_shift == b >> seg_shift;
}

/* Drops the segment of ea; asserts exactly the model's slots of it went. */
static void drop_and_check(struct model *m, uint64_t ea, unsigned seg_shift)
{
	unsigned want = 0;

	for (unsigned i = 0; i < SHADOW_TLB_SIZE; i++) {
		m->dropped[i] = false;
		if (m->ea[i] != NONE && in_segment(m->ea[i], ea, seg_shift))
			want++;
	}
	m->n_dropped = 0;
	pr_stags_drop_segment(&m->s, ea, seg_shift, record_drop, m);
	assert_int_equal(m->n_dropped, want);
	for (unsigned i = 0; i < SHADOW_TLB_SIZE; i++) {
		if (m->dropped[i])
			m->ea[i] = NONE;
		assert_int_equal(pr_stags_used(&m->s, i), m->ea[i] != NONE);
		if (m->ea[i] != NONE)
			assert_int_equal(m->s.tag[i].ea, m->ea[i]);
	}
}

static void test_drop_keeps_other_segments(void **state)
{
	struct model *m = model_new();

	fill(m, 0x10000000);	      /* user text: 256 MiB segment 1, 1 TiB region 0 */
	fill(m, 0x20001000);	      /* another 256 MiB segment of region 0 */
	fill(m, 0x7fffe0002000);      /* the user stack's region */
	fill(m, 0xc000000000003000);  /* the kernel's linear map */
	fill(m, 0xc008000000004000);  /* vmalloc */
	drop_and_check(m, 0x10000000, SEG_256M);
	assert_int_equal(m->n_dropped, 1);
	assert_true(pr_stags_used(&m->s, slot_of(0x20001000)));
	drop_and_check(m, 0x7fff00000000, SEG_1T);
	assert_int_equal(m->n_dropped, 1);
	drop_and_check(m, 0, SEG_1T); /* the rest of region 0 */
	assert_int_equal(m->n_dropped, 1);
	drop_and_check(m, 0xc000000000000000, SEG_1T);
	assert_int_equal(m->n_dropped, 1);
	assert_true(pr_stags_used(&m->s, slot_of(0xc008000000004000)));
	drop_and_check(m, 0, 64);
	assert_int_equal(m->n_dropped, 1);
	free(m);
}

/* A slot refilled from another segment (or by a real-mode entry, forgotten) belongs to
 * that one only. */
static void test_refill_moves_slot(void **state)
{
	struct model *m = model_new();

	fill(m, 0x10005000);
	fill(m, 0xc000000000005000); /* the same slot */
	drop_and_check(m, 0x10000000, SEG_1T);
	assert_int_equal(m->n_dropped, 0);
	drop_and_check(m, 0xc000000000000000, SEG_1T);
	assert_int_equal(m->n_dropped, 1);

	fill(m, 0x10006000);
	pr_stags_forget(&m->s, slot_of(0x10006000));
	m->ea[slot_of(0x10006000)] = NONE;
	drop_and_check(m, 0x10000000, SEG_256M);
	assert_int_equal(m->n_dropped, 0);
	free(m);
}

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Many fills over few segments (so slots are evicted and refilled across segments), in more
 * 1 TiB regions than there are buckets (so some regions share one), with drops of 256 MiB
 * and 1 TiB segments and of everything. */
static void test_many_fills_and_drops(void **state)
{
	enum { NR = 5 + PR_STAG_BUCKETS };
	uint64_t regions[NR] = {0, 0x7f, 0xc00000, 0xc00800, 0xc00c00}; /* Linux's */
	const unsigned nr = NR;
	struct model *m = model_new();
	uint64_t x = 0x9e3779b97f4a7c15ull;

	for (unsigned i = 5; i < NR; i++)
		regions[i] = i - 4;

	for (unsigned round = 0; round < 300; round++) {
		unsigned fills = (unsigned)(rnd(&x) % 3000);

		for (unsigned i = 0; i < fills; i++) {
			uint64_t ea = regions[rnd(&x) % nr] << SEG_1T | (rnd(&x) % 4) << SEG_256M |
				      (rnd(&x) & 0xfffffff);
			fill(m, ea);
		}
		switch (rnd(&x) % 8) {
		case 0:
			drop_and_check(m, 0, 64);
			break;
		case 1: case 2: case 3:
			drop_and_check(m, regions[rnd(&x) % nr] << SEG_1T, SEG_1T);
			break;
		default:
			drop_and_check(m, regions[rnd(&x) % nr] << SEG_1T | (rnd(&x) % 4) << SEG_256M,
				       SEG_256M);
			break;
		}
	}
	drop_and_check(m, 0, 64);
	for (unsigned i = 0; i < SHADOW_TLB_SIZE; i++)
		assert_false(pr_stags_used(&m->s, i));
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop_keeps_other_segments),
		cmocka_unit_test(test_refill_moves_slot),
		cmocka_unit_test(test_many_fills_and_drops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
