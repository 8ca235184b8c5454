// SPDX-License-Identifier: MIT
/* The BookE timers (src/kvm/booke/timer.c): timebase reads and writes, the decrementer
 * with and without auto-reload, TSR write-one-to-clear, the decrementer interrupt as a
 * level, FIT, the watchdog's three stages, TCR[WRC] stickiness and the deadline the run
 * loop sleeps to.
 *
 * Time is host time. Rather than wait, a test ages the timer state: it moves the instants
 * the state was taken at into the past, which is what the passing of that time does. The
 * tolerances cover the real time a test takes (a few ms at most). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/decode.h"
#include "kvm/booke/booke.h"
#include "kvm/kvm.h"

#define PC 0x1000u
#define TICKS_PER_MS 400000ull
#define SLACK (40 * TICKS_PER_MS) /* 40 ms of real time, for slow (sanitizer) runs */

static uint32_t spr_field(unsigned spr)
{
	return (spr & 31) << 16 | (spr >> 5) << 11;
}
static uint32_t spr_move(enum cpu_op op, unsigned r, unsigned spr)
{
	return (uint32_t)cpu_insn_table[op].primary << 26 | r << 21 | spr_field(spr) |
	       (uint32_t)cpu_insn_table[op].xo << 1;
}

/* Emulate insn as if the core had trapped on it at PC. */
static enum emulation_result emulate(struct skvm_vcpu *v, uint32_t insn)
{
	struct cpu_dinsn d;
	cpu_decode(cpu_code_cache_decoder(v->vm->code), insn, &d);
	v->cpu.pc = PC;
	return kvmppc_emulate_instruction(v, &d);
}

struct fix {
	struct skvm_vm *vm;
	struct skvm_vcpu *vcpu;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(skvm_vm_create(SKVM_VM_PPC_440, &f->vm), 0);
	assert_int_equal(skvm_vcpu_create(f->vm, 0, &f->vcpu), 0);
	for (unsigned i = 0; i < 16; i++)
		f->vcpu->ivor[i] = 0x100u + 0x10u * i;
	kvmppc_set_msr(f->vcpu, PPC_MSR_ME);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	skvm_vm_destroy(f->vm);
	free(f);
	return 0;
}

static uint32_t mf(struct skvm_vcpu *v, unsigned spr)
{
	v->cpu.gpr[5] = 0xdeadbeef;
	assert_int_equal(emulate(v, spr_move(CPU_OP_mfspr, 5, spr)), EMULATE_DONE);
	return v->cpu.gpr[5];
}

static enum emulation_result mt(struct skvm_vcpu *v, unsigned spr, uint32_t val)
{
	v->cpu.gpr[6] = val;
	return emulate(v, spr_move(CPU_OP_mtspr, 6, spr));
}

/* Let `ticks` of timer time pass at once. */
static void age(struct skvm_vcpu *v, uint64_t ticks)
{
	struct booke_timer *tm = &v->timer;
	tm->tb_base_ns -= ticks * 5 / 2;
	tm->dec_load_tb -= ticks;
	if (tm->next_event_tb != UINT64_MAX)
		tm->next_event_tb -= ticks;
}

static void assert_near(uint64_t got, uint64_t want, uint64_t slack)
{
	if (got + slack < want || got > want + slack)
		fail_msg("got %llu, want %llu +- %llu", (unsigned long long)got,
			 (unsigned long long)want, (unsigned long long)slack);
}

static bool dec_pending(struct skvm_vcpu *v)
{
	return v->pending & (1u << BOOKE_IRQPRIO_DECREMENTER);
}

static void test_dec_counts_down_and_stops(void **state)
{
	struct skvm_vcpu *v = ((struct fix *)*state)->vcpu;

	assert_int_equal(mt(v, SPRN_DEC, 1000 * TICKS_PER_MS), EMULATE_DONE);
	assert_near(mf(v, SPRN_DEC), 1000 * TICKS_PER_MS, SLACK);
	age(v, 600 * TICKS_PER_MS);
	assert_near(mf(v, SPRN_DEC), 400 * TICKS_PER_MS, SLACK);
	assert_false(mf(v, SPRN_TSR) & TSR_DIS);
	age(v, 500 * TICKS_PER_MS);
	assert_false(kvmppc_timer_update(v));
	assert_int_equal(mf(v, SPRN_DEC), 0); /* no auto-reload: stops at 0 */
	assert_true(mf(v, SPRN_TSR) & TSR_DIS);
	assert_false(dec_pending(v)); /* TCR[DIE] = 0 */

	/* writing 0 does not raise an event */
	assert_int_equal(mt(v, SPRN_TSR, TSR_DIS), EMULATE_DONE);
	assert_int_equal(mt(v, SPRN_DEC, 0), EMULATE_DONE);
	age(v, 10 * TICKS_PER_MS);
	assert_false(mf(v, SPRN_TSR) & TSR_DIS);
	assert_int_equal(mf(v, SPRN_DEC), 0);
}

static void test_dec_auto_reload(void **state)
{
	struct skvm_vcpu *v = ((struct fix *)*state)->vcpu;

	assert_int_equal(mt(v, SPRN_DECAR, 1000 * TICKS_PER_MS), EMULATE_DONE);
	assert_int_equal(mt(v, SPRN_TCR, TCR_ARE | TCR_DIE), EMULATE_DONE);
	assert_int_equal(mt(v, SPRN_DEC, 200 * TICKS_PER_MS), EMULATE_DONE);
	assert_false(dec_pending(v));

	age(v, 500 * TICKS_PER_MS); /* 0 at 200 ms, reloaded: 1000 - 300 left */
	assert_false(kvmppc_timer_update(v));
	assert_true(dec_pending(v));
	assert_true(v->timer.tsr & TSR_DIS);
	assert_near(mf(v, SPRN_DEC), 700 * TICKS_PER_MS, SLACK);

	/* the interrupt is a level: taken, it stays pending until TSR[DIS] is cleared */
	kvmppc_set_msr(v, PPC_MSR_EE | PPC_MSR_ME);
	v->cpu.pc = 0x2000;
	assert_true(kvmppc_deliver_pending(v));
	assert_int_equal(v->cpu.pc, 0x100u + 0x10u * BOOKE_IVOR_DECREMENTER);
	assert_int_equal(kvmppc_get_srr0(v), 0x2000);
	assert_int_equal(kvmppc_get_srr1(v), PPC_MSR_EE | PPC_MSR_ME);
	assert_int_equal(kvmppc_get_msr(v), PPC_MSR_ME);
	assert_true(dec_pending(v));
	assert_false(kvmppc_deliverable(v)); /* EE is off now */
	assert_int_equal(mt(v, SPRN_TSR, TSR_DIS), EMULATE_DONE);
	assert_false(dec_pending(v));

	/* and it keeps going: the next expiry 700 ms later */
	age(v, 750 * TICKS_PER_MS);
	assert_false(kvmppc_timer_update(v));
	assert_true(dec_pending(v));
	assert_near(mf(v, SPRN_DEC), 950 * TICKS_PER_MS, SLACK);

	/* DECAR is write-only: reading it is a privileged-operation program interrupt */
	assert_int_equal(emulate(v, spr_move(CPU_OP_mfspr, 5, SPRN_DECAR)), EMULATE_AGAIN);
	assert_int_equal(kvmppc_get_esr(v), CPU_ESR_PPR);
}

static void test_tsr_write_one_to_clear(void **state)
{
	struct skvm_vcpu *v = ((struct fix *)*state)->vcpu;

	/* The longest FIT and watchdog periods (2^24 and 2^32 ticks): with TCR = 0 the FIT
	 * sets FIS again every 10 us of host time, which a slow (sanitizer) run can see
	 * between the clearing write and the read. */
	assert_int_equal(mt(v, SPRN_TCR, 3u << TCR_WP_SHIFT | 3u << TCR_FP_SHIFT), EMULATE_DONE);
	kvmppc_set_tsr_bits(v, TSR_ENW | TSR_WIS | TSR_DIS | TSR_FIS);
	assert_int_equal(mt(v, SPRN_TSR, TSR_DIS | TSR_ENW), EMULATE_DONE);
	assert_int_equal(mf(v, SPRN_TSR), TSR_WIS | TSR_FIS);
	assert_int_equal(mt(v, SPRN_TSR, 0), EMULATE_DONE);
	assert_int_equal(mf(v, SPRN_TSR), TSR_WIS | TSR_FIS);
	assert_int_equal(mt(v, SPRN_TSR, 0xffffffffu), EMULATE_DONE);
	assert_int_equal(mf(v, SPRN_TSR), 0);
}

static void test_tb_write(void **state)
{
	struct skvm_vcpu *v = ((struct fix *)*state)->vcpu;

	assert_int_equal(mt(v, SPRN_DEC, 500 * TICKS_PER_MS), EMULATE_DONE);
	/* Book E's sequence: TBL = 0, TBU, then TBL */
	assert_int_equal(mt(v, SPRN_TBWL, 0), EMULATE_DONE);
	assert_int_equal(mt(v, SPRN_TBWU, 0x12345678u), EMULATE_DONE);
	assert_int_equal(mt(v, SPRN_TBWL, 0x10000000u), EMULATE_DONE);
	uint64_t tb = (uint64_t)mf(v, SPRN_TBRU) << 32 | mf(v, SPRN_TBRL);
	assert_near(tb, 0x1234567810000000ull + SLACK / 2, SLACK / 2);
	assert_near(kvmppc_get_tb(v), 0x1234567810000000ull + SLACK / 2, SLACK / 2);
	age(v, 100 * TICKS_PER_MS);
	assert_near(kvmppc_get_tb(v), 0x1234567810000000ull + 100 * TICKS_PER_MS + SLACK / 2,
		    SLACK / 2);
	/* the decrementer does not care about TB writes */
	assert_near(mf(v, SPRN_DEC), 400 * TICKS_PER_MS, SLACK);

	/* TBL/TBU reads are user-mode SPRs; the write numbers are not */
	kvmppc_set_msr(v, PPC_MSR_PR | PPC_MSR_ME);
	assert_int_equal(mf(v, SPRN_TBRU), 0x12345678u);
	kvmppc_set_msr(v, PPC_MSR_PR | PPC_MSR_ME);
	assert_int_equal(mt(v, SPRN_TBWU, 0), EMULATE_AGAIN);
	assert_int_equal(kvmppc_get_esr(v), CPU_ESR_PPR);
}

static void test_fit(void **state)
{
	struct skvm_vcpu *v = ((struct fix *)*state)->vcpu;

	/* FP = 3: TB bit 24 rises every 2^25 ticks (84 ms) */
	kvmppc_set_tb(v, 0);
	assert_int_equal(mt(v, SPRN_TCR, TCR_FIE | 3u << TCR_FP_SHIFT), EMULATE_DONE);
	/* with TCR = 0 the FIT ran at FP = 0 (every 2^13 ticks): FIS may be set already */
	assert_int_equal(mt(v, SPRN_TSR, TSR_FIS), EMULATE_DONE);
	uint64_t ns = kvmppc_timer_ns_to_next_event(v);
	assert_near(ns, (1ull << 24) * 5 / 2, 40000000ull);
	assert_false(v->pending & (1u << BOOKE_IRQPRIO_FIT));
	age(v, 1ull << 25);
	assert_false(kvmppc_timer_update(v));
	assert_true(v->timer.tsr & TSR_FIS);
	assert_true(v->pending & (1u << BOOKE_IRQPRIO_FIT));
	assert_int_equal(kvmppc_timer_ns_to_next_event(v), UINT64_MAX); /* FIS is set */
	assert_int_equal(mt(v, SPRN_TSR, TSR_FIS), EMULATE_DONE);
	assert_false(v->pending & (1u << BOOKE_IRQPRIO_FIT));
}

static void test_watchdog(void **state)
{
	struct skvm_vcpu *v = ((struct fix *)*state)->vcpu;
	const uint64_t period = 1ull << 25; /* WP = 1: TB bit 24 */

	kvmppc_set_tb(v, 0);
	assert_int_equal(mt(v, SPRN_TCR, TCR_WIE | 3u << TCR_WRC_SHIFT | 1u << TCR_WP_SHIFT),
			 EMULATE_DONE);
	assert_int_equal(mt(v, SPRN_TSR, TSR_ENW | TSR_WIS | TSR_FIS), EMULATE_DONE);
	assert_int_not_equal(kvmppc_timer_ns_to_next_event(v), UINT64_MAX);
	age(v, period);
	assert_false(kvmppc_timer_update(v));
	assert_int_equal(v->timer.tsr & (TSR_ENW | TSR_WIS), TSR_ENW);
	age(v, period);
	assert_false(kvmppc_timer_update(v));
	assert_int_equal(v->timer.tsr & (TSR_ENW | TSR_WIS), TSR_ENW | TSR_WIS);
	assert_true(v->pending & (1u << BOOKE_IRQPRIO_WATCHDOG));

	/* the watchdog interrupt is critical class: CE lets it in, CSRR0/1 keep the state */
	kvmppc_set_msr(v, PPC_MSR_EE | PPC_MSR_ME);
	assert_false(kvmppc_deliverable(v));
	kvmppc_set_msr(v, PPC_MSR_CE | PPC_MSR_EE | PPC_MSR_ME | PPC_MSR_DE);
	v->cpu.pc = 0x3000;
	assert_true(kvmppc_deliver_pending(v));
	assert_int_equal(v->cpu.pc, 0x100u + 0x10u * BOOKE_IVOR_WATCHDOG);
	assert_int_equal(v->csrr0, 0x3000);
	assert_int_equal(v->csrr1, PPC_MSR_CE | PPC_MSR_EE | PPC_MSR_ME | PPC_MSR_DE);
	assert_int_equal(kvmppc_get_msr(v), PPC_MSR_ME);

	/* the third expiry resets (TCR[WRC] = system) and records it in TSR[WRS] */
	age(v, period);
	assert_true(kvmppc_timer_update(v));
	assert_int_equal(v->timer.tsr & TSR_WRS_MASK, 3u << TSR_WRS_SHIFT);

	/* TCR[WRC], once set, stays */
	assert_int_equal(mt(v, SPRN_TCR, 0), EMULATE_DONE);
	assert_int_equal(mf(v, SPRN_TCR), 3u << TCR_WRC_SHIFT);
	assert_int_equal(mt(v, SPRN_TCR, 1u << TCR_WRC_SHIFT), EMULATE_DONE);
	assert_int_equal(mf(v, SPRN_TCR), 3u << TCR_WRC_SHIFT);
}

static void test_deadline(void **state)
{
	struct skvm_vcpu *v = ((struct fix *)*state)->vcpu;

	assert_int_equal(kvmppc_timer_ns_to_next_event(v), UINT64_MAX);
	assert_int_equal(mt(v, SPRN_DEC, 4 * TICKS_PER_MS), EMULATE_DONE);
	assert_int_equal(kvmppc_timer_ns_to_next_event(v), UINT64_MAX); /* DIE = 0 */
	assert_int_equal(mt(v, SPRN_TCR, TCR_DIE), EMULATE_DONE);
	assert_near(kvmppc_timer_ns_to_next_event(v), 4000000ull, 4000000ull);
	age(v, 5 * TICKS_PER_MS);
	assert_int_equal(kvmppc_timer_ns_to_next_event(v), 0);
	assert_false(kvmppc_timer_update(v));
	assert_true(dec_pending(v));
	assert_int_equal(kvmppc_timer_ns_to_next_event(v), UINT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dec_counts_down_and_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dec_auto_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tsr_write_one_to_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tb_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watchdog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
