// SPDX-License-Identifier: MIT
/* The 440 timer facilities (Book E): the timebase (read, written through SPRs 284/285, carry
 * from TBL into TBU), the decrementer (counts down, stops at 0, sets TSR[DIS]; the interrupt
 * with TCR[DIE] and MSR[EE]; auto-reload from DECAR with TCR[ARE]), TSR's write-one-to-clear,
 * the fixed-interval timer (TSR[FIS] when the selected timebase bit goes 0 -> 1; interrupt with
 * TCR[FIE]) and the watchdog's status bits (TSR[ENW] then TSR[WIS] on successive periods; with
 * TCR[WRC] = 0 it never resets the machine, and TCR[WIE] = 0 keeps it from interrupting).
 *
 * The timebase runs at 400 MHz on both QEMU's bamboo and softkvm's board; the tests never rely
 * on the frequency beyond generous time-outs.  440 periods: FIT 2^13/2^17/2^21/2^25 ticks
 * (TCR[FP] 0-3), watchdog 2^21/2^25/2^29/2^33 ticks (TCR[WP] 0-3).
 *
 * QEMU-BUG: dec: writing 0 does not set dis: QEMU 7.2.22 arms its decrementer timer for "now +
 * value" (__cpu_ppc_store_decr), so writing 0 fires it at once and sets DIS; Book E: the event
 * is DEC going from 1 to 0 while it counts, so writing 0 gives none
 * QEMU-BUG: dec: counts down: QEMU 7.2.22 reads DEC wrongly on BookE (_cpu_ppc_load_decr: the
 * "stop at 0" clamp is applied while DEC is still counting, so it reads 0, and not after it
 * expired, so it then reads next - now: a small negative number)
 * QEMU-BUG: dec: stops at 0 without are: same as "dec: counts down"
 * QEMU-BUG: dec interrupt: dec stays 0: same as "dec: counts down"
 * QEMU-BUG: dec interrupt: are: dec reloaded from decar: same as "dec: counts down"
 * QEMU-BUG: fit: *: QEMU 7.2.22 never arms its FIT timer (booke_update_fixed_timer returns unless
 * TSR[FIS] is already set), so FIS never rises and no FIT interrupt comes
 * QEMU-BUG: watchdog: *: QEMU 7.2.22 does not model the watchdog state machine (booke_wdt_cb has
 * a TODO and sets no TSR bits), so ENW and WIS never rise
 */
#include "sys.h"

#define SECOND		400000000ull	/* timebase ticks, a bound for waits only */

static bool tsr_bit(uint32_t bit)
{
	return mfspr(SPRN_TSR) & bit;
}

static bool dis_set(void)
{
	return tsr_bit(TSR_DIS);
}

static bool fis_set(void)
{
	return tsr_bit(TSR_FIS);
}

static bool enw_set(void)
{
	return tsr_bit(TSR_ENW);
}

static bool wis_set(void)
{
	return tsr_bit(TSR_WIS);
}

static uint32_t user_read_tbu(uint32_t arg)
{
	(void)arg;
	return mfspr(SPRN_TBU_R);
}

static uint32_t user_write_tbl(uint32_t arg)
{
	mtspr(SPRN_TBL_W, arg);
	return 0;
}

static void test_timebase(void)
{
	uint64_t a, b;
	uint32_t tbu, tbl;

	report_prefix_push("timebase");
	a = read_tb();
	for (volatile int i = 0; i < 1000; i++)
		;
	b = read_tb();
	report(b > a, "advances");
	report(b - a < SECOND, "advances by less than a second in 1000 loops");

	mtspr(SPRN_TBL_W, 0);
	mtspr(SPRN_TBU_W, 0x12345678);
	tbu = mfspr(SPRN_TBU_R);
	tbl = mfspr(SPRN_TBL_R);
	report_eq(tbu, 0x12345678, "tbu written");
	report(tbl < SECOND, "tbl written (0, then counting)");

	/* TBL wraps into TBU */
	mtspr(SPRN_TBL_W, 0);
	mtspr(SPRN_TBU_W, 0x00000abc);
	mtspr(SPRN_TBL_W, 0xfffff000);
	a = read_tb();
	while (read_tb() <= 0x00000abd00000000ull && read_tb() - a < SECOND)
		;
	report_eq(mfspr(SPRN_TBU_R), 0x00000abd, "tbl carries into tbu");

	mtspr(SPRN_TBL_W, 0);
	mtspr(SPRN_TBU_W, 0);
	report(read_tb() < SECOND, "reset to 0 and counting");

	/* SPRs 268/269 are readable in problem state, 284/285 are privileged */
	catch_install(catch_skip);
	caught.n = 0;
	tbu = run_user(user_read_tbu, 0, USER_MSR);
	report(caught.n == 0 && tbu == 0, "tbu readable in problem state");
	run_user(user_write_tbl, 0, USER_MSR);
	report(caught.n == 1 && caught.ivor == IVOR_PROGRAM && caught.esr == ESR_PPR,
	       "tbl write privileged in problem state");
	catch_install(NULL);
	report_prefix_pop();
}

static void test_dec_polled(void)
{
	uint32_t d1, d2;

	report_prefix_push("dec");
	mtspr(SPRN_TCR, 0);
	mtspr(SPRN_TSR, TSR_DIS | TSR_FIS);
	mtspr(SPRN_DEC, 400000000);
	d1 = mfspr(SPRN_DEC);
	for (volatile int i = 0; i < 1000; i++)
		;
	d2 = mfspr(SPRN_DEC);
	report(d1 <= 400000000 && d2 < d1, "counts down");
	report_eq(mfspr(SPRN_TSR) & TSR_DIS, 0, "no dis while counting");

	mtspr(SPRN_DEC, 4000);
	report(spin_until(dis_set, SECOND), "dis set when it reaches 0");
	report_eq(mfspr(SPRN_DEC), 0, "stops at 0 without are");

	/* TSR is write-one-to-clear: 0 bits leave their status alone */
	mtspr(SPRN_TSR, 0);
	report_eq(mfspr(SPRN_TSR) & TSR_DIS, TSR_DIS, "writing 0 keeps dis");
	mtspr(SPRN_TSR, TSR_FIS | TSR_WIS);
	report_eq(mfspr(SPRN_TSR) & TSR_DIS, TSR_DIS, "writing other bits keeps dis");
	mtspr(SPRN_TSR, TSR_DIS);
	report_eq(mfspr(SPRN_TSR) & TSR_DIS, 0, "writing dis clears it");

	mtspr(SPRN_DEC, 0);
	report(!spin_until(dis_set, SECOND / 100), "writing 0 does not set dis");
	mtspr(SPRN_TSR, TSR_DIS);
	report_prefix_pop();
}

static volatile uint32_t dec_hits, fit_hits, dec_srr1, dec_msr;

static void on_dec(struct ex_regs *r)
{
	dec_hits++;
	dec_srr1 = r->srr1;
	dec_msr = mfmsr();
	mtspr(SPRN_TSR, TSR_DIS);
}

static void on_fit(struct ex_regs *r)
{
	(void)r;
	fit_hits++;
	mtspr(SPRN_TSR, TSR_FIS);
}

static bool three_decs(void)
{
	return dec_hits >= 3;
}

static bool one_dec(void)
{
	return dec_hits >= 1;
}

static bool three_fits(void)
{
	return fit_hits >= 3;
}

static void test_dec_interrupt(void)
{
	uint32_t d;

	report_prefix_push("dec interrupt");
	install_exception_handler(IVOR_DEC, on_dec);
	mtspr(SPRN_TSR, TSR_DIS);
	dec_hits = 0;
	mtspr(SPRN_TCR, TCR_DIE);
	mtspr(SPRN_DEC, 4000);
	msr_set(MSR_EE);
	report(spin_until(one_dec, SECOND), "taken");
	/* one shot: wait as long again and more, nothing else comes */
	for (uint64_t end = read_tb() + 40000; read_tb() < end;)
		;
	msr_set(0);
	report_eq(dec_hits, 1, "once without are");
	report_eq(dec_srr1, MSR_EE, "srr1 = msr");
	report_eq(dec_msr, 0, "handler runs with ee = 0");
	report_eq(mfspr(SPRN_DEC), 0, "dec stays 0");

	/* auto-reload: DEC reloads from DECAR each time it reaches 0 */
	dec_hits = 0;
	mtspr(SPRN_DECAR, 40000);
	mtspr(SPRN_TCR, TCR_DIE | TCR_ARE);
	mtspr(SPRN_DEC, 40000);
	msr_set(MSR_EE);
	report(spin_until(three_decs, SECOND), "are: three interrupts");
	msr_set(0);
	d = mfspr(SPRN_DEC);
	report(d > 0 && d <= 40000, "are: dec reloaded from decar");
	mtspr(SPRN_TCR, 0);
	mtspr(SPRN_DEC, 0);
	mtspr(SPRN_TSR, TSR_DIS);
	install_exception_handler(IVOR_DEC, NULL);
	report_prefix_pop();
}

static void test_fit(void)
{
	report_prefix_push("fit");
	mtspr(SPRN_TSR, TSR_FIS);
	mtspr(SPRN_TCR, TCR_FP(0));
	report(spin_until(fis_set, SECOND), "fis set after a period");
	mtspr(SPRN_TSR, TSR_FIS);

	install_exception_handler(IVOR_FIT, on_fit);
	fit_hits = 0;
	mtspr(SPRN_TCR, TCR_FP(0) | TCR_FIE);
	msr_set(MSR_EE);
	report(spin_until(three_fits, SECOND), "three interrupts");
	msr_set(0);
	mtspr(SPRN_TCR, 0);
	mtspr(SPRN_TSR, TSR_FIS);
	install_exception_handler(IVOR_FIT, NULL);
	report_prefix_pop();
}

/* Watchdog with WP = 0 (2^21 ticks), WRC = 0 (no reset), WIE = 0 (no interrupt). */
static void test_watchdog(void)
{
	report_prefix_push("watchdog");
	mtspr(SPRN_TCR, TCR_WP(0));
	mtspr(SPRN_TSR, TSR_ENW | TSR_WIS);
	report(spin_until(enw_set, SECOND), "first period sets enw");
	report(spin_until(wis_set, SECOND), "second period sets wis");
	report_eq(mfspr(SPRN_TSR) & TSR_WRS, 0, "no reset status");
	mtspr(SPRN_TCR, TCR_WP(3));
	mtspr(SPRN_TSR, TSR_ENW | TSR_WIS);
	report_eq(mfspr(SPRN_TSR) & (TSR_ENW | TSR_WIS), 0, "enw and wis clear by writing 1");
	report_prefix_pop();
}

static void test_tcr(void)
{
	const uint32_t v = TCR_WP(3) | TCR_FP(2) | TCR_ARE;

	report_prefix_push("tcr");
	mtspr(SPRN_TCR, v);
	report_eq(mfspr(SPRN_TCR), v, "reads back");
	mtspr(SPRN_TCR, 0);
	report_prefix_pop();
}

int main(void)
{
	sys_mmu_setup();
	test_timebase();
	test_tcr();
	test_dec_polled();
	test_dec_interrupt();
	test_fit();
	test_watchdog();
	return 0;
}
