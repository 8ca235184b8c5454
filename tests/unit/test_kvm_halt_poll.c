// SPDX-License-Identifier: MIT
/* Halt polling (src/kvm/halt_poll.c, SKVM_CAP_HALT_POLL): KVM's adaptation of the per-vcpu
 * window (grow x2 from 10 us after a short wait, drop to 0 after a long one, never above the
 * VM's maximum), a poll that ends as soon as the wake-up condition holds or when its window
 * is over, the statistics, the capability's API, and a halted vcpu woken late that did not
 * spin (its window starts at 0 and a long wait keeps it there). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "run_fixture.h"

static void test_window_adapts_as_kvm(void **state)
{
	(void)state;
	/* a short wait grows the window: from 0 to the start value, then doubling */
	assert_int_equal(halt_poll_next_window(0, 200000, 5000), HALT_POLL_NS_GROW_START);
	assert_int_equal(halt_poll_next_window(10000, 200000, 15000), 20000);
	assert_int_equal(halt_poll_next_window(160000, 200000, 170000), 200000); /* capped */
	/* a wait the window covered keeps it */
	assert_int_equal(halt_poll_next_window(40000, 200000, 30000), 40000);
	/* a wait longer than the maximum: polling was wasted, the window drops to 0 */
	assert_int_equal(halt_poll_next_window(40000, 200000, 300000), 0);
	assert_int_equal(halt_poll_next_window(0, 200000, 300000), 0);
	/* at the maximum already, a wait between window and max keeps it */
	assert_int_equal(halt_poll_next_window(200000, 200000, 200000), 200000);
	/* maximum 0: never poll */
	assert_int_equal(halt_poll_next_window(40000, 0, 10), 0);
}

struct flag {
	unsigned calls, true_after; /* woken() is true from its true_after-th call on */
};

static bool woken(void *arg)
{
	struct flag *f = arg;

	return ++f->calls > f->true_after;
}

static void test_poll_ends_when_woken(void **state)
{
	struct halt_poll hp = {.window_ns = 1000000000u}; /* 1 s: only the wake-up ends it */
	struct halt_poll_wait w;
	struct flag fl = {.true_after = 100};

	(void)state;
	assert_true(halt_poll_begin(&hp, &w, 1000000000u, UINT64_MAX, woken, &fl));
	assert_int_equal(fl.calls, 101);
	halt_poll_end(&hp, &w, false);
	assert_int_equal(hp.stats.attempted_poll, 1);
	assert_int_equal(hp.stats.successful_poll, 1);
	assert_int_equal(hp.stats.poll_fail_ns, 0);
	assert_int_equal(hp.stats.wait_ns, 0);
	assert_int_equal(hp.window_ns, 1000000000u); /* the wait fitted in it */
}

static void test_poll_gives_up_after_its_window(void **state)
{
	struct halt_poll hp = {.window_ns = 20000};
	struct halt_poll_wait w;
	struct flag fl = {.true_after = UINT32_MAX};

	(void)state;
	assert_false(halt_poll_begin(&hp, &w, 1000000, UINT64_MAX, woken, &fl));
	assert_true(w.poll_end_ns - w.start_ns >= 20000);
	assert_true(fl.calls >= 1);
	halt_poll_end(&hp, &w, true); /* then it slept */
	assert_int_equal(hp.stats.attempted_poll, 1);
	assert_int_equal(hp.stats.successful_poll, 0);
	assert_true(hp.stats.poll_fail_ns >= 20000);

	/* the next timer event bounds the poll: due at once, it ends at once. The window
	 * again: halt_poll_end adapted it to the real halt time, which a loaded host can
	 * stretch past the maximum (then it would not poll at all) */
	hp.window_ns = 20000;
	fl.calls = 0;
	assert_false(halt_poll_begin(&hp, &w, 1000000, 0, woken, &fl));
	assert_int_equal(fl.calls, 1);
	halt_poll_end(&hp, &w, false);
}

static void test_window_clamped_and_zero_means_no_poll(void **state)
{
	struct halt_poll hp = {.window_ns = 500000};
	struct halt_poll_wait w;
	struct flag fl = {.true_after = UINT32_MAX};

	(void)state;
	/* the VM's maximum went down to 0: no poll at all, woken() never asked */
	assert_false(halt_poll_begin(&hp, &w, 0, UINT64_MAX, woken, &fl));
	assert_int_equal(hp.window_ns, 0);
	assert_int_equal(fl.calls, 0);
	halt_poll_end(&hp, &w, true);
	assert_int_equal(hp.stats.attempted_poll, 0);
	assert_int_equal(hp.window_ns, 0);
}

static void test_cap_api(void **state)
{
	struct fix *f = *state;
	struct skvm_enable_cap cap = {.cap = SKVM_CAP_HALT_POLL, .args = {1ull << 32}};

	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_HALT_POLL), 1);
	assert_int_equal(f->vm->max_halt_poll_ns, HALT_POLL_NS_DEFAULT);
	assert_int_equal(skvm_vm_enable_cap(f->vm, &cap), -EINVAL);
	assert_int_equal(f->vm->max_halt_poll_ns, HALT_POLL_NS_DEFAULT);
	cap.args[0] = UINT32_MAX;
	assert_int_equal(skvm_vm_enable_cap(f->vm, &cap), 0);
	assert_int_equal(f->vm->max_halt_poll_ns, UINT32_MAX);
	cap.flags = 1; /* KVM's: no flags */
	assert_int_equal(skvm_vm_enable_cap(f->vm, &cap), -EINVAL);
	cap.flags = 0;
	cap.args[0] = 0;
	assert_int_equal(skvm_vm_enable_cap(f->vm, &cap), 0);
	assert_int_equal(f->vm->max_halt_poll_ns, 0);
}

/* A vcpu that waits 50 ms for the external input: its window starts at 0 and a wait longer
 * than the maximum keeps it there, so it slept the whole time and never spun. */
static void test_long_wait_sleeps(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {lis(3, PPC_MSR_WE >> 16), ori(3, 3, PPC_MSR_EE), mtmsr(3), B_SELF};
	struct skvm_halt_stats h;
	struct later k;

	put(f, CODE, code, 4);
	start(f, 0);
	later_start(&k, f->vcpu, 50, ACT_IRQ_LEVEL);
	expect_vector(f, BOOKE_IVOR_EXTERNAL);
	later_join(&k);
	skvm_vcpu_get_halt_stats(f->vcpu, &h);
	assert_int_equal(h.attempted_poll, 0);
	assert_true(h.wait_ns >= 40000000u);
	assert_int_equal(f->vcpu->halt_poll.window_ns, 0);
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_UNSET, false), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_window_adapts_as_kvm),
	    cmocka_unit_test(test_poll_ends_when_woken),
	    cmocka_unit_test(test_poll_gives_up_after_its_window),
	    cmocka_unit_test(test_window_clamped_and_zero_means_no_poll),
	    cmocka_unit_test_setup_teardown(test_cap_api, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_long_wait_sleeps, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
