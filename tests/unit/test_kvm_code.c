// SPDX-License-Identifier: MIT
/* Decoded guest code through the public API: it must never outlive the instructions it was
 * decoded from (a host write with skvm_vm_flush_icache, a DMA followed by the guest's icbi,
 * another vcpu's store), a guest stuck in an exception loop must still answer a kick, and the
 * decode cache stays within its bound (SKVM_CAP_DECODE_CACHE_BYTES) while the guest goes on
 * computing the right results, and compiled runs can be turned off (SKVM_CAP_COMPILED_RUNS).
 * The fixture is run_fixture.h. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "run_fixture.h"

#define F 0x3000u /* a function in a page of its own: li r3,N; blr */

static uint32_t rel(uint32_t from, uint32_t to) { return (to - from) & 0x03fffffcu; }
static uint32_t bl(uint32_t from, uint32_t to) { return 0x48000001u | rel(from, to); }
static uint32_t b(uint32_t from, uint32_t to) { return 0x48000000u | rel(from, to); }
static uint32_t icbi(unsigned ra, unsigned rb) { return 0x7c0007acu | R(ra) << 16 | R(rb) << 11; }
static uint32_t mtctr(unsigned rs) { return 0x7c0903a6u | R(rs) << 21; }
static uint32_t add(unsigned rd, unsigned ra, unsigned rb)
{
	return 0x7c000214u | R(rd) << 21 | R(ra) << 16 | R(rb) << 11;
}
static uint32_t cmplw(unsigned ra, unsigned rb) { return 0x7c000040u | R(ra) << 16 | R(rb) << 11; }
static uint32_t cmpwi(unsigned ra, int16_t v) { return 0x2c000000u | R(ra) << 16 | (uint16_t)v; }
static uint32_t blt(uint32_t from, uint32_t to) { return 0x41800000u | (rel(from, to) & 0xfffc); }
static uint32_t beq(uint32_t from, uint32_t to) { return 0x41820000u | (rel(from, to) & 0xfffc); }
#define ISYNC 0x4c00012cu
#define BLR 0x4e800020u
#define BCTRL 0x4e800421u

/* F returns n: the host writes it, as a loader or a device's DMA would. */
static void put_f(struct fix *f, uint32_t at, int16_t n)
{
	const uint32_t fn[] = {li(3, n), BLR};
	put(f, at, fn, 2);
}

/* A device DMAs new code over a function the guest has run; the guest does what Linux does
 * after a DMA into a page it will execute (icbi over it, isync) and runs the new code. Its
 * icbi goes through another mapping of the same RAM (as Linux's through its linear map),
 * which the shadow TLB has never seen. An icbi before the function first ran found no code
 * there, which icbi remembers until some page becomes code: the second one still drops it. */
static void test_dma_then_icbi(void **state)
{
	struct fix *f = *state;
	const uint32_t alias = 0x40000000u;
	const struct skvm_440_tlb_entry e = {.word0 = alias | 0x200 | 0x90, .word1 = 0, .word2 = 0x3f};
	const uint32_t code[] = {
		lis(7, MMIO_BASE >> 16),
		lis(8, alias >> 16), ori(8, 8, F),
		icbi(0, 8), /* no code in F yet */
		bl(CODE + 16, F),
		stw(3, 0, 7),
		icbi(0, 8), ISYNC,
		bl(CODE + 32, F),
		stw(3, 0, 7),
		B_SELF,
	};

	assert_int_equal(skvm_vcpu_set_tlb_entry(f->vcpu, 2, &e), 0);
	put_f(f, F, 1);
	put(f, CODE, code, 11);
	start(f, 0);
	assert_int_equal(expect_store(f, MMIO_BASE), 1);
	put_f(f, F, 2); /* the "DMA" */
	assert_int_equal(expect_store(f, MMIO_BASE), 2);
}

/* icbi on an address no TLB entry maps is a load's DTLB miss (440), not ignored. */
static void test_icbi_unmapped_is_dtlb_miss(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {lis(8, 0x6000), icbi(0, 8), B_SELF};

	put(f, CODE, code, 3);
	start(f, 0);
	expect_vector(f, BOOKE_IVOR_DTLB_MISS);
}

/* The host rewrites guest code between runs (a reset reloading the kernel) and says so. */
static void test_flush_icache_between_runs(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {lis(7, MMIO_BASE >> 16), bl(CODE + 4, F), stw(3, 0, 7),
				 b(CODE + 12, CODE + 4)};

	put_f(f, F, 1);
	put(f, CODE, code, 4);
	start(f, 0);
	assert_int_equal(expect_store(f, MMIO_BASE), 1);
	put_f(f, F, 2);
	assert_int_equal(skvm_vm_flush_icache(f->vm, F, 8), 0);
	assert_int_equal(expect_store(f, MMIO_BASE), 2);
	/* bad ranges */
	assert_int_equal(skvm_vm_flush_icache(f->vm, F, 0), -EINVAL);
	assert_int_equal(skvm_vm_flush_icache(f->vm, UINT64_MAX - 4, 8), -EINVAL);
	assert_int_equal(skvm_vm_flush_icache(NULL, F, 8), -EINVAL);
}

struct rewriter {
	pthread_t thread;
	struct fix *f;
	int rc;
};

static void *rewriter_main(void *arg)
{
	struct rewriter *w = arg;

	sleep_ms(20);
	put_f(w->f, F, 2);
	w->rc = skvm_vm_flush_icache(w->f->vm, F, 8);
	return NULL;
}

/* The same from another thread while the vcpu runs: the guest calls F until it returns
 * something else than 1, which it does once the flush has reached the running vcpu. */
static void test_flush_icache_while_running(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {lis(7, MMIO_BASE >> 16), bl(CODE + 4, F), cmpwi(3, 1),
				 beq(CODE + 12, CODE + 4), stw(3, 0, 7), B_SELF};
	struct rewriter w = {.f = f};

	put_f(f, F, 1);
	put(f, CODE, code, 6);
	start(f, 0);
	assert_int_equal(pthread_create(&w.thread, NULL, rewriter_main, &w), 0);
	assert_int_equal(expect_store(f, MMIO_BASE), 2);
	pthread_join(w.thread, NULL);
	assert_int_equal(w.rc, 0);
}

/* A second vcpu of the VM patches F with a guest store; the first one runs the new F. */
static void test_other_vcpu_modifies_code(void **state)
{
	struct fix *f = *state;
	const uint32_t code0[] = {lis(7, MMIO_BASE >> 16), bl(CODE + 4, F), stw(3, 0, 7),
				  b(CODE + 12, CODE + 4)};
	const uint32_t code1[] = {lis(8, 0), ori(8, 8, F), lis(9, 0x3860), ori(9, 9, 2),
				  stw(9, 0, 8), lis(7, MMIO_BASE >> 16), stw(9, 4, 7), B_SELF};
	const uint32_t at1 = 0x5000;
	struct skvm_vcpu *v1;
	struct skvm_440_tlb_entry e = tlb_256m(0, 0);
	struct skvm_regs regs;

	put_f(f, F, 1);
	put(f, CODE, code0, 4);
	put(f, at1, code1, 8);
	start(f, 0);
	assert_int_equal(expect_store(f, MMIO_BASE), 1);

	assert_int_equal(skvm_vcpu_create(f->vm, 1, &v1), 0);
	assert_int_equal(skvm_vcpu_set_tlb_entry(v1, 0, &e), 0);
	e = tlb_256m(MMIO_BASE, 0x500);
	assert_int_equal(skvm_vcpu_set_tlb_entry(v1, 1, &e), 0);
	assert_int_equal(skvm_vcpu_get_regs(v1, &regs), 0);
	regs.pc = at1;
	regs.msr = 0;
	assert_int_equal(skvm_vcpu_set_regs(v1, &regs), 0);
	assert_int_equal(skvm_vcpu_run(v1), 0);
	assert_int_equal(skvm_vcpu_run_data(v1)->exit_reason, SKVM_EXIT_MMIO);
	assert_int_equal(get_be32(f->ram + F), li(3, 2));

	assert_int_equal(expect_store(f, MMIO_BASE), 2);
}

/* IVPR points at nothing: every interrupt's vector misses in the ITLB, and so does the
 * ITLB miss's own vector, forever, without a single taken branch. A kick still ends it. */
static void test_kick_exception_storm(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {0 /* illegal */};
	struct skvm_sregs s;
	struct skvm_exit_stat st[SKVM_EXITS_NR];
	struct later k;

	assert_int_equal(skvm_vcpu_get_sregs(f->vcpu, &s), 0);
	s.u.e.ivpr = 0x60000000;
	assert_int_equal(skvm_vcpu_set_sregs(f->vcpu, &s), 0);
	put(f, CODE, code, 1);
	start(f, 0);
	later_start(&k, f->vcpu, 20, ACT_KICK);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	later_join(&k);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_INTR);
	skvm_vcpu_get_exit_stats(f->vcpu, st);
	assert_true(st[SKVM_EXITS_ISI].count + st[SKVM_EXITS_ITLB_REAL_MISS].count > 100);
}

/* Pages lo to hi - 1 (multiples of 16) each hold a function returning its page number; the
 * guest at CODE calls them all, stores the sum of their results to MMIO_BASE and starts
 * again. Returns that sum. */
static uint32_t put_sum_of_calls(struct fix *f, uint32_t lo, uint32_t hi)
{
	const uint32_t loop = CODE + 16;
	const uint32_t code[] = {
		li(5, 0), lis(20, (uint16_t)(lo >> 4)), lis(21, (uint16_t)(hi >> 4)),
		lis(7, MMIO_BASE >> 16),
		mtctr(20), BCTRL, add(5, 5, 3), addi(20, 20, 4096), cmplw(20, 21),
		blt(loop + 20, loop),
		stw(5, 0, 7),
		b(CODE + 44, CODE),
	};

	for (uint32_t p = lo; p < hi; p++)
		put_f(f, p << 12, (int16_t)p);
	put(f, CODE, code, 12);
	return (lo + hi - 1) * (hi - lo) / 2;
}

/* 224 pages of RAM each hold a function returning its page number; the guest calls them
 * all and adds up the results, twice, with room for far fewer decoded pages. */
static void test_decode_cache_bound(void **state)
{
	struct fix *f = *state;
	const uint32_t lo = 0x10, hi = 0xf0;
	uint32_t sum;
	struct skvm_vm_stats st;
	struct skvm_enable_cap cap = {.cap = SKVM_CAP_DECODE_CACHE_BYTES, .args = {(1 << 20) - 1}};

	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_DECODE_CACHE_BYTES), 32 << 20);
	assert_int_equal(skvm_vm_enable_cap(f->vm, &cap), -EINVAL);
	cap.args[0] = 1 << 20;
	assert_int_equal(skvm_vm_enable_cap(f->vm, &cap), 0);
	sum = put_sum_of_calls(f, lo, hi);
	start(f, 0);
	assert_int_equal(expect_store(f, MMIO_BASE), sum);
	assert_int_equal(expect_store(f, MMIO_BASE), sum);

	skvm_vm_get_stats(f->vm, &st);
	assert_int_equal(st.decode_max_pages, (1 << 20) / st.decode_page_bytes);
	assert_true(st.decode_pages <= st.decode_max_pages);
	assert_true(st.decode_created >= 2 * (hi - lo));
	assert_int_equal(st.decode_evicted, st.decode_created - st.decode_pages);
}

/* SKVM_CAP_COMPILED_RUNS on a 440 VM: on by default on this host, the guest's calls and
 * loop are compiled and counted; turned off, the region goes and the guest computes the
 * same sum interpreted; 2 is no answer. */
static void test_compiled_runs_cap(void **state)
{
	struct fix *f = *state;
	struct skvm_enable_cap cap = {.cap = SKVM_CAP_COMPILED_RUNS, .args = {2}};
	struct skvm_vm_stats st;
	uint32_t sum;

	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_COMPILED_RUNS), 1);
	assert_int_equal(skvm_vm_enable_cap(f->vm, &cap), -EINVAL);
	sum = put_sum_of_calls(f, 0x10, 0x30);
	start(f, 0);
	assert_int_equal(expect_store(f, MMIO_BASE), sum);
	skvm_vm_get_stats(f->vm, &st);
	assert_true(st.compiled_runs >= 2 && st.compiled_insns >= 8 && st.compiled_bytes > 0);

	cap.args[0] = 0;
	assert_int_equal(skvm_vm_enable_cap(f->vm, &cap), 0);
	assert_int_equal(expect_store(f, MMIO_BASE), sum);
	skvm_vm_get_stats(f->vm, &st);
	assert_int_equal(st.compiled_runs, 0);
	assert_int_equal(st.compiled_bytes, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_dma_then_icbi),
		T(test_icbi_unmapped_is_dtlb_miss),
		T(test_flush_icache_between_runs),
		T(test_flush_icache_while_running),
		T(test_other_vcpu_modifies_code),
		T(test_kick_exception_storm),
		T(test_decode_cache_bound),
		T(test_compiled_runs_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
