// SPDX-License-Identifier: MIT
/* The vcpu calls as a /dev/kvm user expects them, with a running guest (run_fixture.h):
 * the vcpu is taken while it runs (-EBUSY, KVM's vcpu mutex), KVM_INTERRUPT's SET is an edge
 * and SET_LEVEL a level, ready_for_interrupt_injection follows MSR[EE], the watchdog's final
 * expiry is a reset or, with KVM_CAP_PPC_BOOKE_WATCHDOG, KVM_EXIT_WATCHDOG, and a software
 * breakpoint's debug exit carries its address and status. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvm/kvm.h"

#include "run_fixture.h"

#define TCR_WRC_CORE 0x10000000u /* TCR[WRC] = 01: core reset at the final expiry */
#define TSR_WRS_MASK 0x30000000u
#define PROGRESS 0x3000u /* a RAM word a running guest writes */

struct runner {
	pthread_t thread;
	struct skvm_vcpu *vcpu;
	int rc;
};

static void *runner_main(void *arg)
{
	struct runner *r = arg;

	r->rc = skvm_vcpu_run(r->vcpu);
	return NULL;
}

static bool vcpu_in_run(struct skvm_vcpu *vcpu)
{
	bool in;

	pthread_mutex_lock(&vcpu->lock);
	in = vcpu->in_run;
	pthread_mutex_unlock(&vcpu->lock);
	return in;
}

/* While one thread runs the vcpu, every call on its state from another is refused; the
 * calls meant for other threads (interrupt, kick) work. */
static void test_busy_while_running(void **state)
{
	struct fix *f = *state;
	/* counts in r5 and stores the count, so the host sees the guest has run before it kicks */
	const uint32_t code[] = {addi(5, 5, 1), stw(5, PROGRESS, 0), branch(-8)};
	struct runner r = {.vcpu = f->vcpu};
	struct skvm_regs regs;
	struct skvm_sregs sregs;
	struct skvm_translation tr = {.linear_address = CODE};
	struct skvm_guest_debug dbg = {.control = SKVM_GUESTDBG_ENABLE};
	struct skvm_440_tlb_entry e;
	uint64_t v;

	put(f, CODE, code, 3);
	start(f, 0);
	assert_int_equal(pthread_create(&r.thread, NULL, runner_main, &r), 0);
	while (!vcpu_in_run(f->vcpu))
		sleep_ms(1);
	while (!__atomic_load_n((uint32_t *)(f->ram + PROGRESS), __ATOMIC_ACQUIRE))
		sleep_ms(1);
	assert_int_equal(skvm_vcpu_get_regs(f->vcpu, &regs), -EBUSY);
	assert_int_equal(skvm_vcpu_set_regs(f->vcpu, &regs), -EBUSY);
	assert_int_equal(skvm_vcpu_get_sregs(f->vcpu, &sregs), -EBUSY);
	assert_int_equal(skvm_vcpu_set_sregs(f->vcpu, &sregs), -EBUSY);
	assert_int_equal(skvm_vcpu_get_one_reg(f->vcpu, SKVM_REG_PPC_TCR, &v), -EBUSY);
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_TCR, &v), -EBUSY);
	assert_int_equal(skvm_vcpu_get_tlb_entry(f->vcpu, 0, &e), -EBUSY);
	assert_int_equal(skvm_vcpu_set_tlb_entry(f->vcpu, 5, &e), -EBUSY);
	assert_int_equal(skvm_vcpu_translate(f->vcpu, &tr), -EBUSY);
	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), -EBUSY);
	assert_int_equal(skvm_vcpu_enable_cap(f->vcpu, SKVM_CAP_EXIT_TIMING, 1), -EBUSY);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EBUSY); /* a second KVM_RUN */
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_UNSET, false), 0);
	skvm_vcpu_kick(f->vcpu);
	pthread_join(r.thread, NULL);
	assert_int_equal(r.rc, -EINTR);
	/* the run is over: the vcpu is the caller's again */
	assert_int_equal(skvm_vcpu_get_regs(f->vcpu, &regs), 0);
	assert_true(regs.gpr[5] > 0);
	assert_int_equal(skvm_vcpu_translate(f->vcpu, &tr), 0);
	assert_int_equal(tr.valid, 1);
	assert_int_equal(tr.physical_address, CODE);
}

/* SET (-1U) is delivered once and withdrawn; SET_LEVEL (-3U) stays pending until UNSET. */
static void test_interrupt_set_is_an_edge(void **state)
{
	struct fix *f = *state;
	const uint32_t ext = 1u << BOOKE_IRQPRIO_EXTERNAL;

	put(f, CODE, (const uint32_t[]){B_SELF}, 1);
	start(f, PPC_MSR_EE);
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_SET, false), 0);
	expect_vector(f, BOOKE_IVOR_EXTERNAL);
	assert_false(f->vcpu->pending & ext);
	assert_false(f->vcpu->ext_level);

	start(f, PPC_MSR_EE);
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_SET_LEVEL, false), 0);
	expect_vector(f, BOOKE_IVOR_EXTERNAL);
	assert_true(f->vcpu->pending & ext);
	assert_true(f->vcpu->ext_level);
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_UNSET, false), 0);
	start(f, 0);
	expect_halt(f, CODE); /* applied at entry: nothing pending, nothing to wake it */
	assert_false(f->vcpu->pending & ext);
	assert_false(f->vcpu->ext_level);

	/* a run that returns at once (immediate_exit) applies them all the same, as KVM's
	 * KVM_INTERRUPT acts before any run */
	f->run->immediate_exit = 1;
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_SET_LEVEL, false), 0);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	assert_true(f->vcpu->pending & ext);
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_UNSET, false), 0);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	assert_false(f->vcpu->pending & ext);
	f->run->immediate_exit = 0;
}

static void test_ready_for_interrupt_injection(void **state)
{
	struct fix *f = *state;

	put(f, CODE, (const uint32_t[]){B_SELF}, 1);
	start(f, 0);
	expect_halt(f, CODE);
	assert_int_equal(f->run->ready_for_interrupt_injection, 0);
	start(f, PPC_MSR_EE);
	skvm_vcpu_kick(f->vcpu);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	assert_int_equal(f->run->ready_for_interrupt_injection, 1);
}

/* The watchdog with TCR[WP] = 0 (2^17 timebase ticks a period): ENW, WIS, then the final
 * expiry. */
static void arm_watchdog(struct fix *f)
{
	uint32_t tcr = TCR_WRC_CORE, tsr_all = UINT32_MAX;

	put(f, CODE, (const uint32_t[]){B_SELF}, 1);
	start(f, 0);
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_CLEAR_TSR, &tsr_all), 0);
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_TCR, &tcr), 0);
}

static void test_watchdog_resets(void **state)
{
	struct fix *f = *state;
	uint32_t tsr;

	arm_watchdog(f);
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_SYSTEM_EVENT);
	assert_int_equal(f->run->system_event.type, SKVM_SYSTEM_EVENT_RESET);
	assert_int_equal(skvm_vcpu_get_one_reg(f->vcpu, SKVM_REG_PPC_TSR, &tsr), 0);
	assert_int_equal(tsr & TSR_WRS_MASK, TCR_WRC_CORE); /* WRS says which reset */
}

static void test_watchdog_exit(void **state)
{
	struct fix *f = *state;
	uint32_t tsr, clear = UINT32_MAX;

	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_PPC_BOOKE_WATCHDOG), 1);
	assert_int_equal(skvm_vcpu_enable_cap(f->vcpu, SKVM_CAP_PPC_BOOKE_WATCHDOG, 0), 0);
	arm_watchdog(f);
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_WATCHDOG);
	assert_int_equal(skvm_vcpu_get_one_reg(f->vcpu, SKVM_REG_PPC_TSR, &tsr), 0);
	assert_int_equal(tsr & 0xc0000000u, 0xc0000000u); /* ENW | WIS */
	/* the VMM acts (QEMU: its watchdog action), clears TSR and the guest runs on */
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_CLEAR_TSR, &clear), 0);
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_TCR, &(uint32_t){0}), 0);
	skvm_vcpu_kick(f->vcpu);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	assert_int_equal(f->vcpu->cpu.pc, CODE);
}

static void test_debug_exit_address_and_status(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {li(3, 1), KVMPPC_INST_SW_BREAKPOINT, li(3, 2), B_SELF};
	struct skvm_guest_debug dbg = {.control = SKVM_GUESTDBG_ENABLE | SKVM_GUESTDBG_USE_SW_BP};

	put(f, CODE, code, 4);
	start(f, 0);
	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), 0);
	f->run->debug.arch.status = 0xffff;
	f->run->debug.arch.reserved = 0xffff;
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_DEBUG);
	assert_int_equal(f->run->debug.arch.address, CODE + 4);
	assert_int_equal(f->run->debug.arch.status, SKVM_DEBUG_NONE);
	assert_int_equal(f->run->debug.arch.reserved, 0);
	assert_int_equal(gpr(f, 3), 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_busy_while_running),
		T(test_interrupt_set_is_an_edge),
		T(test_ready_for_interrupt_injection),
		T(test_watchdog_resets),
		T(test_watchdog_exit),
		T(test_debug_exit_address_and_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
