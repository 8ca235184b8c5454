// SPDX-License-Identifier: MIT
/* Hardware breakpoints and watchpoints (src/kvm/booke/debug.c) with small guest programs
 * (run_fixture.h): the VMM's (KVM_SET_GUEST_DEBUG with USE_HW_BP: SKVM_EXIT_DEBUG before
 * the instruction, with its address and status) and the guest's own IAC1-4 and DAC1-2
 * (DBCR0[IDM]: the debug interrupt before the instruction with MSR[DE], an event recorded
 * in DBSR with IDE without it), on a page the core runs one instruction at a time. */
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

#define DATA 0x8000u /* a RAM page of data */
#define DBCR0_IDM 0x40000000u
#define DBCR0_IAC1 0x00800000u
#define DBCR0_DAC1R 0x00080000u
#define DBCR0_DAC1W 0x00040000u
#define DBSR_IDE 0x80000000u
#define SPRN_IAC1 312
#define SPRN_DBCR0 308

static uint32_t mtspr(unsigned spr, unsigned rs)
{
	return 0x7c0003a6u | R(rs) << 21 | (spr & 0x1f) << 16 | ((spr >> 5) & 0x1f) << 11;
}

static uint32_t ram32(struct fix *f, uint32_t gpa)
{
	return get_be32(f->ram + gpa);
}

static void vmm_debug(struct fix *f, uint32_t control, uint64_t addr, uint32_t type)
{
	struct skvm_guest_debug dbg = {.control = control};

	dbg.arch.bp[3].addr = addr; /* any slot: entries without a type are ignored */
	dbg.arch.bp[3].type = type;
	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), 0);
}

#define HW (SKVM_GUESTDBG_ENABLE | SKVM_GUESTDBG_USE_HW_BP)

static void test_vmm_breakpoint(void **state)
{
	struct fix *f = *state;
	/* CODE: li r3,1; b +0x1000 (to the next page) ... CODE+0x1004: li r3,2; li r3,3; b . */
	const uint32_t a[] = {li(3, 1), branch(0x1000 - 4)};
	const uint32_t b[] = {li(3, 2), li(3, 3), B_SELF};

	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_GUEST_DEBUG_HW_BPS), 4);
	put(f, CODE, a, 2);
	put(f, CODE + 0x1000, b, 3);
	start(f, 0);
	vmm_debug(f, HW, CODE + 0x1004, SKVM_DEBUG_BREAKPOINT);
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_DEBUG);
	assert_int_equal(f->run->debug.arch.address, CODE + 0x1004);
	assert_int_equal(f->run->debug.arch.status, SKVM_DEBUG_BREAKPOINT);
	assert_int_equal(gpr(f, 3), 2); /* li r3,2 ran, li r3,3 did not */
	assert_int_equal(f->vcpu->cpu.pc, CODE + 0x1004);
	/* resumed with it still there, it hits again; removed, the guest goes on */
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_DEBUG);
	vmm_debug(f, SKVM_GUESTDBG_ENABLE, 0, 0);
	expect_halt(f, CODE + 0x1008);
	assert_int_equal(gpr(f, 3), 3);
}

static void test_vmm_watchpoints(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {
		lis(4, 0), ori(4, 4, DATA), li(5, 0x55),
		stw(5, 0, 4),	/* CODE+12: same page, another word: goes through */
		lwz(6, 0, 4),	/* CODE+16 */
		stw(5, 8, 4),	/* CODE+20: the watched word */
		lwz(7, 8, 4),	/* CODE+24 */
		B_SELF,
	};

	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_GUEST_DEBUG_HW_WPS), 2);
	put(f, CODE, code, 8);
	start(f, 0);
	vmm_debug(f, HW, DATA + 8, SKVM_DEBUG_WATCH_WRITE);
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_DEBUG);
	assert_int_equal(f->run->debug.arch.address, DATA + 8);
	assert_int_equal(f->run->debug.arch.status, SKVM_DEBUG_WATCH_WRITE);
	assert_int_equal(f->vcpu->cpu.pc, CODE + 20); /* before the store */
	assert_int_equal(ram32(f, DATA), 0x55);
	assert_int_equal(gpr(f, 6), 0x55);
	assert_int_equal(ram32(f, DATA + 8), 0);
	/* a read watchpoint instead: the store goes through, the load stops */
	vmm_debug(f, HW, DATA + 10, SKVM_DEBUG_WATCH_READ); /* inside the word */
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_DEBUG);
	assert_int_equal(f->run->debug.arch.address, DATA + 10);
	assert_int_equal(f->run->debug.arch.status, SKVM_DEBUG_WATCH_READ);
	assert_int_equal(f->vcpu->cpu.pc, CODE + 24);
	assert_int_equal(ram32(f, DATA + 8), 0x55);
	vmm_debug(f, SKVM_GUESTDBG_ENABLE, 0, 0);
	expect_halt(f, CODE + 28);
	assert_int_equal(gpr(f, 7), 0x55);
}

static void test_vmm_limits(void **state)
{
	struct fix *f = *state;
	struct skvm_guest_debug dbg = {.control = HW};

	for (unsigned i = 0; i < 5; i++)
		dbg.arch.bp[i] = (typeof(dbg.arch.bp[i])){.addr = 0x100 * i, .type = SKVM_DEBUG_BREAKPOINT};
	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), -EINVAL);
	dbg.arch.bp[4].type = 0;
	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), 0);
	for (unsigned i = 4; i < 7; i++)
		dbg.arch.bp[i] = (typeof(dbg.arch.bp[i])){.addr = 0x100 * i, .type = SKVM_DEBUG_WATCH_READ};
	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), -EINVAL);
	dbg.arch.bp[6].type = 0x100;
	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), -EINVAL);
}

/* Code on a marked page runs one instruction at a time; a kick still ends the run. */
static void test_kick_on_marked_page(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {addi(5, 5, 1), branch(-4)};
	struct later k;

	put(f, CODE, code, 2);
	start(f, 0);
	vmm_debug(f, HW, CODE + 0x100, SKVM_DEBUG_BREAKPOINT); /* never reached */
	later_start(&k, f->vcpu, 20, ACT_KICK);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	later_join(&k);
	assert_true(gpr(f, 5) > 100);
}

static void set_guest_debug_regs(struct fix *f, uint32_t dbcr0, uint32_t iac1, uint32_t dac1)
{
	struct skvm_sregs s;

	assert_int_equal(skvm_vcpu_get_sregs(f->vcpu, &s), 0);
	s.u.e.dbcr[0] = dbcr0;
	s.u.e.iac[0] = iac1;
	s.u.e.dac[0] = dac1;
	s.u.e.dbsr = 0;
	s.u.e.update_special = SKVM_SREGS_E_UPDATE_DBSR;
	assert_int_equal(skvm_vcpu_set_sregs(f->vcpu, &s), 0);
}

static uint32_t dbsr(struct fix *f)
{
	uint32_t v;

	assert_int_equal(skvm_vcpu_get_one_reg(f->vcpu, SKVM_REG_PPC_DBSR, &v), 0);
	return v;
}

/* The guest's IAC1 with MSR[DE]: the debug interrupt (IVOR15, critical class) at the
 * instruction, before it runs. */
static void test_guest_iac(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {li(3, 1), li(3, 2), B_SELF};

	put(f, CODE, code, 3);
	start(f, PPC_MSR_DE);
	set_guest_debug_regs(f, DBCR0_IDM | DBCR0_IAC1, CODE + 4, 0);
	expect_vector(f, BOOKE_IVOR_DEBUG);
	assert_int_equal(f->vcpu->csrr0, CODE + 4);
	assert_int_equal(f->vcpu->csrr1 & PPC_MSR_DE, PPC_MSR_DE);
	assert_int_equal(dbsr(f), 0x00800000u); /* DBSR[IAC1] */
	assert_int_equal(gpr(f, 3), 1);
}

/* Armed by the guest itself with mtspr, for the very page it runs in. */
static void test_guest_arms_iac_itself(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {
		li(3, CODE + 24), mtspr(SPRN_IAC1, 3), lis(4, (DBCR0_IDM | DBCR0_IAC1) >> 16),
		mtspr(SPRN_DBCR0, 4), li(3, 5), li(3, 6),
		li(3, 7), /* CODE+24 */
		B_SELF,
	};

	put(f, CODE, code, 8);
	start(f, PPC_MSR_DE);
	expect_vector(f, BOOKE_IVOR_DEBUG);
	assert_int_equal(f->vcpu->csrr0, CODE + 24);
	assert_int_equal(gpr(f, 3), 6);
}

/* DAC1W with MSR[DE]: the store does not happen; the interrupt is at it. */
static void test_guest_dac_precise(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {lis(4, 0), ori(4, 4, DATA), li(5, 0x77), stw(5, 4, 4),
				 stw(5, 0, 4), B_SELF};

	put(f, CODE, code, 6);
	start(f, PPC_MSR_DE);
	set_guest_debug_regs(f, DBCR0_IDM | DBCR0_DAC1W, 0, DATA);
	expect_vector(f, BOOKE_IVOR_DEBUG);
	assert_int_equal(f->vcpu->csrr0, CODE + 16);
	assert_int_equal(dbsr(f), 0x00040000u); /* DBSR[DAC1W] */
	assert_int_equal(ram32(f, DATA + 4), 0x77);
	assert_int_equal(ram32(f, DATA), 0);
}

/* DAC1R with MSR[DE] = 0: recorded (with IDE), the load completes, no interrupt yet; the
 * vcpu then waits for good (MSR[DE] stays 0). */
static void test_guest_dac_recorded(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {lis(4, 0), ori(4, 4, DATA), lwz(6, 0, 4), li(7, 1), B_SELF};

	memcpy(f->ram + DATA, (const uint8_t[]){0x12, 0x34, 0x56, 0x78}, 4);
	put(f, CODE, code, 5);
	start(f, 0);
	set_guest_debug_regs(f, DBCR0_IDM | DBCR0_DAC1R, 0, DATA);
	f->vcpu->dbcr0 &= ~DBCR0_IDM; /* first without IDM: nothing at all */
	kvmppc_debug_update(f->vcpu);
	expect_halt(f, CODE + 16);
	assert_int_equal(dbsr(f), 0);
	start(f, 0);
	set_guest_debug_regs(f, DBCR0_IDM | DBCR0_DAC1R, 0, DATA);
	expect_halt(f, CODE + 16);
	assert_int_equal(gpr(f, 6), 0x12345678);
	assert_int_equal(gpr(f, 7), 1);
	assert_int_equal(dbsr(f), DBSR_IDE | 0x00080000u); /* IDE | DAC1R */
	assert_true(f->vcpu->pending & (1u << BOOKE_IRQPRIO_DEBUG));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_vmm_breakpoint),	     T(test_vmm_watchpoints),	 T(test_vmm_limits),
		T(test_kick_on_marked_page), T(test_guest_iac),		 T(test_guest_arms_iac_itself),
		T(test_guest_dac_precise),   T(test_guest_dac_recorded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
