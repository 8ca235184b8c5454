// SPDX-License-Identifier: MIT
/* KVM_RUN with small guest programs (src/kvm/vcpu.c, exits.c, mmio.c with booke/): MMIO
 * and DCR exits and their completion, kicks, halting without burning CPU, interrupts from
 * another thread, the decrementer, system calls, program checks, software breakpoints,
 * read-only slots and the dirty log of a running guest.
 * The fixture is run_fixture.h. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <linux/kvm.h>

#include "kvm/kvm.h"

#include "run_fixture.h"

_Static_assert(SKVM_EXIT_SHUTDOWN == KVM_EXIT_SHUTDOWN, "Linux's number");

/* ---- tests ---- */

static void test_mmio_roundtrip(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {
		lis(3, MMIO_BASE >> 16), li(4, 0x55), stw(4, 0, 3), lwz(5, 4, 3),
		lhau(6, 8, 3), B_SELF,
	};
	struct skvm_exit_stat st[SKVM_EXITS_NR];
	struct later k;

	put(f, CODE, code, 6);
	start(f, 0);
	assert_int_equal(expect_store(f, MMIO_BASE), 0x55);

	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_MMIO);
	assert_int_equal(f->run->mmio.phys_addr, MMIO_BASE + 4);
	assert_int_equal(f->run->mmio.is_write, 0);
	assert_int_equal(f->run->mmio.len, 4);
	memcpy(f->run->mmio.data, (const uint8_t[]){0xde, 0xad, 0xbe, 0xef}, 4);

	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_MMIO);
	assert_int_equal(f->run->mmio.phys_addr, MMIO_BASE + 8);
	assert_int_equal(f->run->mmio.len, 2);
	memcpy(f->run->mmio.data, (const uint8_t[]){0x80, 0x00}, 2);
	assert_int_equal(gpr(f, 5), 0xdeadbeef); /* completed at the run that followed */
	assert_int_equal(gpr(f, 3), MMIO_BASE + 8); /* lhau's update, at the exit */

	/* the guest now spins on `b .` with every interrupt off: halted for good */
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_SHUTDOWN);
	assert_int_equal(gpr(f, 6), 0xffff8000);
	assert_int_equal(f->vcpu->cpu.pc, CODE + 20);
	/* reported once: run again, it spins until kicked */
	later_start(&k, f->vcpu, 10, ACT_KICK);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	later_join(&k);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_INTR);
	assert_int_equal(f->vcpu->cpu.pc, CODE + 20);

	skvm_vcpu_get_exit_stats(f->vcpu, st);
	assert_int_equal(st[SKVM_EXITS_MMIO].count, 3);
	assert_int_equal(st[SKVM_EXITS_SIGNAL].count, 1);
}

static void test_kick_spinning_guest(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {addi(5, 5, 1), branch(-4)};
	struct later k;
	uint64_t t0;

	put(f, CODE, code, 2);
	start(f, 0);
	t0 = now_ns();
	later_start(&k, f->vcpu, 30, ACT_KICK);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	later_join(&k);
	assert_true(now_ns() - t0 >= 25000000u);
	assert_true(gpr(f, 5) > 1000); /* it did run */
	/* and runs on afterwards from where it was */
	later_start(&k, f->vcpu, 5, ACT_KICK);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	later_join(&k);
}

static void test_halt_wakes_on_interrupt(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {lis(3, PPC_MSR_WE >> 16), ori(3, 3, PPC_MSR_EE), mtmsr(3), B_SELF};
	struct skvm_exit_stat st[SKVM_EXITS_NR];
	struct later k;
	uint64_t t0, cpu0;

	put(f, CODE, code, 4);
	start(f, 0);
	t0 = now_ns();
	cpu0 = thread_cpu_ns();
	later_start(&k, f->vcpu, 50, ACT_IRQ_LEVEL);
	expect_vector(f, BOOKE_IVOR_EXTERNAL); /* an interrupt, not -EINTR */
	later_join(&k);
	assert_true(now_ns() - t0 >= 45000000u);
	/* halted means asleep: far less CPU than wall time */
	assert_true(thread_cpu_ns() - cpu0 < 20000000u);
	assert_int_equal(kvmppc_get_srr0(f->vcpu), CODE + 12); /* after the mtmsr */
	assert_int_equal(kvmppc_get_srr1(f->vcpu) & (PPC_MSR_WE | PPC_MSR_EE), PPC_MSR_WE | PPC_MSR_EE);

	skvm_vcpu_get_exit_stats(f->vcpu, st);
	assert_true(st[SKVM_EXITS_EMULATED_MTMSRWE].count >= 1);
	assert_true(st[SKVM_EXITS_HALT_WAKEUP].count >= 1);
	assert_true(st[SKVM_EXITS_EXTINT].count >= 1);
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_UNSET, false), 0);
}

static void test_halt_kick(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {lis(3, PPC_MSR_WE >> 16), mtmsr(3), B_SELF};
	struct later k;
	uint64_t t0, cpu0;

	put(f, CODE, code, 3);
	start(f, 0); /* WE with every interrupt off: halted for good, said once */
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_SHUTDOWN);
	assert_int_equal(f->vcpu->cpu.pc, CODE + 8);
	/* a VMM that runs it again (it could still raise the critical input): only a kick
	 * ends the run, and the vcpu sleeps meanwhile */
	t0 = now_ns();
	cpu0 = thread_cpu_ns();
	later_start(&k, f->vcpu, 40, ACT_KICK);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	later_join(&k);
	assert_true(now_ns() - t0 >= 35000000u);
	assert_true(thread_cpu_ns() - cpu0 < 20000000u);
	assert_true(f->vcpu->halted); /* still waiting: the next run sleeps again */
	skvm_vcpu_kick(f->vcpu);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
}

/* Every unconditional branch to itself is a halt for good when nothing can interrupt it,
 * with MSR[CE] and MSR[ME] too (Linux's machine_hang); a conditional one is not. */
static void test_branch_to_self_halts(void **state)
{
	struct fix *f = *state;
	const uint32_t forms[] = {B_SELF, B_SELF | 1 /* bl . */, bc(20, 0, 0), bc(20, 7, 0)};
	const uint32_t cond = bc(4, 0, 0); /* branch if CR0[LT] = 0: it is, but only so far */
	struct later k;

	for (unsigned i = 0; i < 4; i++) {
		uint32_t pc = CODE + 0x40 * i; /* fresh code each time (no stale decode) */

		put(f, pc, &forms[i], 1);
		start_at(f, pc, i & 1 ? PPC_MSR_CE | PPC_MSR_ME : 0);
		expect_halt(f, pc);
	}
	put(f, CODE + 0x200, &cond, 1);
	start_at(f, CODE + 0x200, 0);
	later_start(&k, f->vcpu, 20, ACT_KICK);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	later_join(&k);
	assert_int_equal(f->vcpu->cpu.pc, CODE + 0x200);
}

/* A wait that something can end is no halt: the external input (MSR[EE]), a watchdog
 * interrupt (MSR[CE] and TCR[WIE]), a watchdog reset (TCR[WRC], whatever MSR says), a
 * debug event (MSR[DE] and DBCR0[IDM]). */
static void test_wait_that_can_end(void **state)
{
	struct fix *f = *state;
	const uint32_t we_ce = PPC_MSR_WE | PPC_MSR_CE;
	uint32_t tcr_wie = 0x08000000u, tcr_wrc = 0x10000000u, idm = 0x40000000u, zero = 0;
	struct later k;

	put(f, CODE, (const uint32_t[]){B_SELF}, 1);
	start(f, PPC_MSR_EE); /* `b .` with the external input open: spins until kicked */
	later_start(&k, f->vcpu, 20, ACT_KICK);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	later_join(&k);

	/* the watchdog interrupt (WP = 0: 2^17 ticks, ENW then WIS) ends a WE wait */
	start(f, we_ce);
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_TCR, &tcr_wie), 0);
	expect_vector(f, BOOKE_IVOR_WATCHDOG);
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_TCR, &zero), 0);

	/* the watchdog reset: armed, the wait is not reported (it ends in a reset later) */
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_TCR, &tcr_wrc), 0);
	kvm_shared_set(&f->vcpu->magic.shared.msr, 0);
	assert_false(kvmppc_halted_for_good(f->vcpu));
	f->vcpu->timer.tcr = 0; /* (the guest cannot clear WRC; the test can) */
	assert_true(kvmppc_halted_for_good(f->vcpu));

	kvm_shared_set(&f->vcpu->magic.shared.msr, PPC_MSR_DE);
	f->vcpu->dbcr0 = idm;
	assert_false(kvmppc_halted_for_good(f->vcpu));
	f->vcpu->dbcr0 = 0;
	assert_true(kvmppc_halted_for_good(f->vcpu));
	kvm_shared_set(&f->vcpu->magic.shared.msr, PPC_MSR_CE);
	f->vcpu->crit_level = true;
	assert_false(kvmppc_halted_for_good(f->vcpu));
	kvm_shared_set(&f->vcpu->magic.shared.msr, 0); /* held, but masked */
	assert_true(kvmppc_halted_for_good(f->vcpu));
	f->vcpu->crit_level = false;
	/* DEC and FIT need EE: armed and expired, still no way in */
	f->vcpu->timer.tcr = 0x04800000u; /* DIE | FIE */
	f->vcpu->timer.tsr = 0x0c000000u; /* DIS | FIS */
	f->vcpu->pending = (1u << BOOKE_IRQPRIO_DECREMENTER) | (1u << BOOKE_IRQPRIO_FIT);
	assert_true(kvmppc_halted_for_good(f->vcpu));
	kvm_shared_set(&f->vcpu->magic.shared.msr, PPC_MSR_EE);
	assert_false(kvmppc_halted_for_good(f->vcpu));
}

/* The VMM is told once per wait; if it can still raise the critical input, it runs the vcpu
 * again, which sleeps until that input wakes it. */
static void test_halt_then_critical_input(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {lis(3, (PPC_MSR_WE | PPC_MSR_CE) >> 16), mtmsr(3), B_SELF};
	struct later k;
	uint64_t cpu0;

	put(f, CODE, code, 3);
	start(f, 0);
	expect_halt(f, CODE + 8);
	cpu0 = thread_cpu_ns();
	later_start(&k, f->vcpu, 40, ACT_CRIT_LEVEL);
	expect_vector(f, BOOKE_IVOR_CRITICAL);
	later_join(&k);
	assert_true(thread_cpu_ns() - cpu0 < 20000000u); /* asleep meanwhile */
	assert_int_equal(f->vcpu->csrr0, CODE + 8);
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_UNSET, true), 0);
	/* the vector's `b .` (MSR 0 now) is a new wait: reported again */
	expect_halt(f, VEC(BOOKE_IVOR_CRITICAL) + 12);
}

static void test_interrupt_running_guest(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {addi(5, 5, 1), branch(-4)};
	struct later k;

	put(f, CODE, code, 2);
	start(f, PPC_MSR_EE);
	later_start(&k, f->vcpu, 10, ACT_IRQ_LEVEL);
	/* the interrupt kicks the core, but that is no -EINTR for userspace */
	expect_vector(f, BOOKE_IVOR_EXTERNAL);
	later_join(&k);
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_UNSET, false), 0);
}

static void test_interrupt_masked_then_unset(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {lis(3, MMIO_BASE >> 16), stw(4, 0, 3), B_SELF};
	struct skvm_regs regs;
	struct later k;

	put(f, CODE, code, 3);
	start(f, 0); /* EE = 0 */
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_SET_LEVEL, false), 0);
	assert_int_equal(expect_store(f, MMIO_BASE), 0);
	assert_true(f->vcpu->pending & (1u << BOOKE_IRQPRIO_EXTERNAL));
	/* lowered before the guest enables EE: it never sees it */
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_UNSET, false), 0);
	assert_int_equal(skvm_vcpu_get_regs(f->vcpu, &regs), 0);
	regs.msr = PPC_MSR_EE;
	assert_int_equal(skvm_vcpu_set_regs(f->vcpu, &regs), 0);
	later_start(&k, f->vcpu, 10, ACT_KICK);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	later_join(&k);
	assert_false(f->vcpu->pending & (1u << BOOKE_IRQPRIO_EXTERNAL));
	assert_int_equal(f->vcpu->cpu.pc, CODE + 8);
}

static void test_decrementer(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {addi(5, 5, 1), branch(-4)};
	uint32_t tcr = 0x04000000, dec = 400000 * 20; /* TCR[DIE]; 20 ms */
	uint64_t t0, dt;

	put(f, CODE, code, 2);
	start(f, PPC_MSR_EE);
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_TCR, &tcr), 0);
	t0 = now_ns();
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_DEC, &dec), 0);
	expect_vector(f, BOOKE_IVOR_DECREMENTER);
	dt = now_ns() - t0;
	assert_true(dt >= 19000000u);
	assert_true(dt < 200000000u); /* on time, give or take a loaded machine */
}

static void test_decrementer_wakes_halt(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {lis(3, PPC_MSR_WE >> 16), ori(3, 3, PPC_MSR_EE), mtmsr(3), B_SELF};
	uint32_t tcr = 0x04000000, dec = 400000 * 30;
	uint64_t t0, cpu0, dt;

	put(f, CODE, code, 4);
	start(f, 0);
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_TCR, &tcr), 0);
	t0 = now_ns();
	cpu0 = thread_cpu_ns();
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_DEC, &dec), 0);
	expect_vector(f, BOOKE_IVOR_DECREMENTER);
	dt = now_ns() - t0;
	assert_true(dt >= 29000000u && dt < 200000000u);
	assert_true(thread_cpu_ns() - cpu0 < 20000000u);
}

static void test_syscall(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {li(0, 1), SC, B_SELF};

	put(f, CODE, code, 3);
	start(f, 0);
	expect_vector(f, BOOKE_IVOR_SYSCALL);
	assert_int_equal(kvmppc_get_srr0(f->vcpu), CODE + 8); /* after the sc */
}

static void test_program_illegal(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {li(3, 1), 0 /* illegal */, B_SELF};

	put(f, CODE, code, 3);
	start(f, 0);
	expect_vector(f, BOOKE_IVOR_PROGRAM);
	assert_int_equal(kvmppc_get_srr0(f->vcpu), CODE + 4); /* at the instruction */
	assert_true(kvmppc_get_esr(f->vcpu) & CPU_ESR_PIL);
}

static void test_user_mode_privileged(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {mtmsr(3), B_SELF};

	put(f, CODE, code, 2);
	start(f, PPC_MSR_PR);
	expect_vector(f, BOOKE_IVOR_PROGRAM);
	assert_int_equal(kvmppc_get_srr0(f->vcpu), CODE);
	assert_true(kvmppc_get_esr(f->vcpu) & CPU_ESR_PPR);
}

static void test_dcr_exits(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {
		mfdcr(5, 0x3ff), lis(3, MMIO_BASE >> 16), stw(5, 0, 3), li(6, 0x77),
		mtdcr(0x3fe, 6), stw(6, 4, 3), B_SELF,
	};

	put(f, CODE, code, 7);
	start(f, 0);
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_DCR);
	assert_int_equal(f->run->dcr.dcrn, 0x3ff);
	assert_int_equal(f->run->dcr.is_write, 0);
	f->run->dcr.data = 0x12345678;
	assert_int_equal(expect_store(f, MMIO_BASE), 0x12345678);

	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_DCR);
	assert_int_equal(f->run->dcr.dcrn, 0x3fe);
	assert_int_equal(f->run->dcr.is_write, 1);
	assert_int_equal(f->run->dcr.data, 0x77);
	assert_int_equal(expect_store(f, MMIO_BASE + 4), 0x77);
}

static void test_sw_breakpoint(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {li(3, 1), KVMPPC_INST_SW_BREAKPOINT, B_SELF};
	struct skvm_guest_debug dbg = {.control = SKVM_GUESTDBG_ENABLE};
	struct skvm_regs regs;

	put(f, CODE, code, 3);
	start(f, 0);
	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), 0);
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_DEBUG);
	assert_int_equal(f->run->debug.arch.address, CODE + 4);
	assert_int_equal(skvm_vcpu_get_regs(f->vcpu, &regs), 0);
	assert_int_equal(regs.pc, CODE + 4);
	assert_int_equal(regs.gpr[3], 1);
	/* without guest debug it is the guest's own illegal instruction */
	dbg.control = 0;
	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), 0);
	expect_vector(f, BOOKE_IVOR_PROGRAM);
}

/* Single step: one instruction per run, branches and MMIO included; then free running. */
static void test_single_step(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {
		li(3, 1), addi(3, 3, 1), branch(8), li(3, 99), lis(4, MMIO_BASE >> 16),
		stw(3, 0, 4), addi(3, 3, 1), B_SELF,
	};
	struct skvm_guest_debug dbg = {.control = SKVM_GUESTDBG_ENABLE | SKVM_GUESTDBG_SINGLESTEP};
	const uint32_t pcs[] = {CODE + 4, CODE + 8, CODE + 16, CODE + 20};
	const uint32_t r3[] = {1, 2, 2, 2};

	put(f, CODE, code, 8);
	start(f, 0);
	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), 0);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
		assert_int_equal(f->run->exit_reason, SKVM_EXIT_DEBUG);
		assert_int_equal(f->run->debug.arch.address, pcs[i]); /* the branch skipped li r3,99 */
		assert_int_equal(gpr(f, 3), r3[i]);
	}
	/* the store is MMIO: its exit comes first, the step ends when it completes */
	assert_int_equal(expect_store(f, MMIO_BASE), 2);
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_DEBUG);
	assert_int_equal(f->run->debug.arch.address, CODE + 24);
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->debug.arch.address, CODE + 28);
	assert_int_equal(gpr(f, 3), 3);
	/* b . : a step that lands where it started */
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->debug.arch.address, CODE + 28);

	/* single step, and hardware breakpoints, need ENABLE */
	dbg.control = SKVM_GUESTDBG_USE_HW_BP;
	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), -EINVAL);
	dbg.control = SKVM_GUESTDBG_SINGLESTEP;
	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), -EINVAL);
}

static void test_readonly_slot(void **state)
{
	struct fix *f = *state;
	uint8_t *rom = aligned_alloc(PG, 4 * PG);
	struct skvm_userspace_memory_region r = {
		.slot = 1, .flags = SKVM_MEM_READONLY, .guest_phys_addr = 0x100000,
		.memory_size = 4 * PG, .userspace_addr = rom};
	const uint32_t code[] = {lis(3, 0x10), lwz(4, 0x10, 3), li(5, 9), stw(5, 0x10, 3),
				 lwz(6, 0x10, 3), B_SELF};

	assert_non_null(rom);
	memset(rom, 0, 4 * PG);
	rom[0x10] = 0xab;
	rom[0x13] = 0xcd;
	assert_int_equal(skvm_vm_set_memory_region(f->vm, &r), 0);
	put(f, CODE, code, 6);
	start(f, 0);
	/* the store becomes MMIO; the ROM is unchanged and still readable */
	assert_int_equal(expect_store(f, 0x100010), 9);
	assert_int_equal(rom[0x10], 0xab);
	expect_halt(f, CODE + 20);
	assert_int_equal(gpr(f, 4), 0xab0000cd);
	assert_int_equal(gpr(f, 6), 0xab0000cd);
	free(rom); /* the vcpu does not run again */
}

static void test_dirty_log_running(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {
		lis(3, 1), stw(4, 0, 3),		/* page 0x10 */
		lis(3, 2), stw(4, 0x40, 3),	/* page 0x20 */
		lis(7, MMIO_BASE >> 16), stw(4, 0, 7), /* exit */
		lis(3, 1), stw(4, 8, 3),		/* page 0x10 again */
		stw(4, 0, 7), B_SELF,
	};
	uint64_t bm[RAM_SIZE / PG / 64];

	put(f, CODE, code, 10);
	start(f, 0);
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 0, bm), 0); /* the test's own writes */
	expect_store(f, MMIO_BASE);
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 0, bm), 0);
	for (unsigned w = 0; w < RAM_SIZE / PG / 64; w++)
		assert_int_equal(bm[w], w == 0 ? (1ull << 0x10) | (1ull << 0x20) : 0);
	expect_store(f, MMIO_BASE);
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 0, bm), 0);
	for (unsigned w = 0; w < RAM_SIZE / PG / 64; w++)
		assert_int_equal(bm[w], w == 0 ? 1ull << 0x10 : 0);
}

static void test_dirty_log_code_page(void **state)
{
	struct fix *f = *state;
	/* stores into the page the code runs from (it holds decoded instructions) */
	const uint32_t code[] = {
		lis(3, 0), ori(3, 3, 0x1800), lis(7, MMIO_BASE >> 16),
		stw(4, 0, 3), stw(4, 0, 7),
		stw(4, 4, 3), stw(4, 0, 7), B_SELF,
	};
	uint64_t bm[RAM_SIZE / PG / 64];

	put(f, CODE, code, 8);
	start(f, 0);
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 0, bm), 0);
	expect_store(f, MMIO_BASE);
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 0, bm), 0);
	assert_int_equal(bm[0], 1ull << 1);
	expect_store(f, MMIO_BASE);
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 0, bm), 0);
	assert_int_equal(bm[0], 1ull << 1);
}

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

static void test_dirty_log_concurrent(void **state)
{
	struct fix *f = *state;
	/* r3 -> page 5; store forever */
	const uint32_t code[] = {lis(3, 0), ori(3, 3, 0x5000), addi(4, 4, 1), stw(4, 0, 3),
				 branch(-8)};
	struct skvm_userspace_memory_region r = {
		.slot = 2, .guest_phys_addr = 0x200000, .memory_size = PG, .userspace_addr = f->ram};
	uint64_t bm[RAM_SIZE / PG / 64];
	struct runner run = {.vcpu = f->vcpu};

	put(f, CODE, code, 5);
	start(f, 0);
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 0, bm), 0);
	assert_int_equal(pthread_create(&run.thread, NULL, runner_main, &run), 0);
	for (unsigned round = 0; round < 5; round++) {
		uint32_t seen = __atomic_load_n((uint32_t *)(f->ram + 0x5000), __ATOMIC_RELAXED);
		unsigned waited = 0;

		/* wait for the guest's next store, then harvest while it runs: every round
		 * must find the page dirty again */
		while (__atomic_load_n((uint32_t *)(f->ram + 0x5000), __ATOMIC_RELAXED) == seen &&
		       waited++ < 2000)
			sleep_ms(1);
		assert_int_equal(skvm_vm_get_dirty_log(f->vm, 0, bm), 0);
		assert_int_equal(bm[0], 1ull << 5);
	}
	/* the memory map cannot change under a running vcpu */
	assert_int_equal(skvm_vm_set_memory_region(f->vm, &r), -EBUSY);
	skvm_vcpu_kick(f->vcpu);
	pthread_join(run.thread, NULL);
	assert_int_equal(run.rc, -EINTR);
}

static void test_exit_timing(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {lis(3, MMIO_BASE >> 16), stw(4, 0, 3), stw(4, 4, 3), B_SELF};
	struct skvm_exit_stat st[SKVM_EXITS_NR];

	put(f, CODE, code, 4);
	start(f, 0);
	assert_int_equal(skvm_vcpu_enable_cap(f->vcpu, SKVM_CAP_EXIT_TIMING, 1), 0);
	expect_store(f, MMIO_BASE);
	expect_store(f, MMIO_BASE + 4);
	skvm_vcpu_get_exit_stats(f->vcpu, st);
	assert_int_equal(st[SKVM_EXITS_MMIO].count, 2);
	assert_true(st[SKVM_EXITS_MMIO].total_ns > 0);
	assert_true(st[SKVM_EXITS_MMIO].min_ns <= st[SKVM_EXITS_MMIO].max_ns);
	assert_true(st[SKVM_EXITS_TIMEINGUEST].count >= 2);
}

static void test_slot_change_between_runs(void **state)
{
	struct fix *f = *state;
	uint8_t *other = aligned_alloc(PG, RAM_SIZE);
	const uint32_t code[] = {lis(3, 1), lwz(4, 0, 3), lis(7, MMIO_BASE >> 16), stw(4, 0, 7),
				 lwz(4, 0, 3), stw(4, 0, 7), B_SELF};
	struct skvm_userspace_memory_region r = {.slot = 0, .memory_size = 0};

	assert_non_null(other);
	put(f, CODE, code, 7);
	memcpy(other, f->ram, RAM_SIZE);
	f->ram[0x10000 + 3] = 1;
	other[0x10000 + 3] = 2;
	start(f, 0);
	assert_int_equal(expect_store(f, MMIO_BASE), 1);
	/* replace the RAM behind the guest: the shadow TLB must not keep the old pages */
	assert_int_equal(skvm_vm_set_memory_region(f->vm, &r), 0);
	r.memory_size = RAM_SIZE;
	r.userspace_addr = other;
	assert_int_equal(skvm_vm_set_memory_region(f->vm, &r), 0);
	assert_int_equal(expect_store(f, MMIO_BASE), 2);
	free(other); /* the vcpu does not run again */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_mmio_roundtrip),
		T(test_kick_spinning_guest),
		T(test_halt_wakes_on_interrupt),
		T(test_halt_kick),
		T(test_branch_to_self_halts),
		T(test_wait_that_can_end),
		T(test_halt_then_critical_input),
		T(test_interrupt_running_guest),
		T(test_interrupt_masked_then_unset),
		T(test_decrementer),
		T(test_decrementer_wakes_halt),
		T(test_syscall),
		T(test_program_illegal),
		T(test_user_mode_privileged),
		T(test_dcr_exits),
		T(test_sw_breakpoint),
		T(test_single_step),
		T(test_readonly_slot),
		cmocka_unit_test_setup_teardown(test_dirty_log_running, setup_logged, teardown),
		cmocka_unit_test_setup_teardown(test_dirty_log_code_page, setup_logged, teardown),
		cmocka_unit_test_setup_teardown(test_dirty_log_concurrent, setup_logged, teardown),
		T(test_exit_timing),
		T(test_slot_change_between_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
