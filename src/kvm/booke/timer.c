// SPDX-License-Identifier: MIT
/* The BookE timer facilities: timebase, decrementer, fixed-interval timer and watchdog
 * (the seeds' booke.c timer code and QEMU's ppc_booke.c, for the 440's periods).
 *
 * Nothing here runs per instruction. Time is host CLOCK_MONOTONIC converted to 400 MHz
 * ticks; the registers are computed from it when read, and the run loop calls
 * kvmppc_timer_update at every budget exit and before it enters the guest. The budget ends
 * no later than kvmppc_timer_ns_to_next_event, so an interrupt is taken on time.
 *
 * The TB is the host tick count plus an offset (a TB write changes the offset). The DEC
 * counts host ticks, so TB writes do not disturb it: written with N it reaches 0 N ticks
 * later, sets TSR[DIS] and either stops at 0 or, with TCR[ARE], reloads from DECAR. The
 * FIT sets TSR[FIS] and the watchdog steps its state machine when a TB bit selected by
 * TCR[FP] / TCR[WP] goes from 0 to 1 (440: bits 12/16/20/24 and 20/24/28/32 counted from
 * the least significant, i.e. periods of 2^13..2^25 and 2^21..2^33 ticks).
 */
#include "booke.h"

static const uint8_t fit_bit[4] = {12, 16, 20, 24};
static const uint8_t wdt_bit[4] = {20, 24, 28, 32};

static uint64_t ticks_of_ns(uint64_t ns)
{
	return ns * 2 / 5; /* 400 MHz */
}

static uint64_t host_ticks(void)
{
	return ticks_of_ns(kvm_now_ns());
}

static uint64_t tb_at(const struct booke_timer *tm, uint64_t now)
{
	return tm->tb_at_base + now - ticks_of_ns(tm->tb_base_ns);
}

/* 0 -> 1 transitions of TB bit `bit` up to and including tb. */
static uint64_t rises(uint64_t tb, unsigned bit)
{
	return (tb + (1ull << bit)) >> (bit + 1);
}

/* The first TB value after tb at which bit `bit` goes from 0 to 1. */
static uint64_t next_rise(uint64_t tb, unsigned bit)
{
	return (rises(tb, bit) << (bit + 1)) + (1ull << bit);
}

/* One watchdog period elapsed: ENW, then WIS, then (with TCR[WRC]) the reset. */
static void watchdog_event(struct booke_timer *tm)
{
	if (!(tm->tsr & TSR_ENW)) {
		tm->tsr |= TSR_ENW;
	} else if (!(tm->tsr & TSR_WIS)) {
		tm->tsr |= TSR_WIS;
	} else if (tm->tcr & TCR_WRC_MASK) {
		/* TSR[WRS] records the kind of reset, from TCR[WRC] (same bit positions) */
		tm->tsr = (tm->tsr & ~TSR_WRS_MASK) | (tm->tcr & TCR_WRC_MASK);
		tm->wdt_reset = true;
	}
}

/* The timer interrupts are levels of TSR & TCR. */
static void update_irqs(struct skvm_vcpu *vcpu)
{
	const struct booke_timer *tm = &vcpu->timer;
	uint32_t set = 0;

	if ((tm->tsr & TSR_DIS) && (tm->tcr & TCR_DIE))
		set |= 1u << BOOKE_IRQPRIO_DECREMENTER;
	if ((tm->tsr & TSR_FIS) && (tm->tcr & TCR_FIE))
		set |= 1u << BOOKE_IRQPRIO_FIT;
	if ((tm->tsr & TSR_WIS) && (tm->tcr & TCR_WIE))
		set |= 1u << BOOKE_IRQPRIO_WATCHDOG;
	kvmppc_set_pending(vcpu,
			   (1u << BOOKE_IRQPRIO_DECREMENTER) | (1u << BOOKE_IRQPRIO_FIT) |
				   (1u << BOOKE_IRQPRIO_WATCHDOG),
			   set);
}

/* The earliest host tick at which an event can raise an interrupt or a reset. Events that
 * only change state nobody waits for (a DEC expiry with TCR[DIE]=0, ...) are left to the
 * next update, which computes them from the time. */
static void compute_next(struct skvm_vcpu *vcpu, uint64_t now)
{
	struct booke_timer *tm = &vcpu->timer;
	uint64_t next = UINT64_MAX, tb = tb_at(tm, now);

	if (tm->dec_running && (tm->tcr & TCR_DIE) && !(tm->tsr & TSR_DIS))
		next = tm->dec_load_tb + tm->dec_at_load;
	if ((tm->tcr & TCR_FIE) && !(tm->tsr & TSR_FIS)) {
		uint64_t t = now + (next_rise(tb, fit_bit[(tm->tcr >> TCR_FP_SHIFT) & 3]) - tb);
		if (t < next)
			next = t;
	}
	if ((tm->tcr & TCR_WRC_MASK) || ((tm->tcr & TCR_WIE) && !(tm->tsr & TSR_WIS))) {
		uint64_t t = now + (next_rise(tb, wdt_bit[(tm->tcr >> TCR_WP_SHIFT) & 3]) - tb);
		if (t < next)
			next = t;
	}
	if (next != tm->next_event_tb)
		kvm_exit_check(vcpu, KVM_CHECK_TIMER);
	tm->next_event_tb = next;
}

/* Bring TSR and DEC up to now. */
static void advance(struct booke_timer *tm, uint64_t now)
{
	if (tm->dec_running) {
		uint64_t elapsed = now - tm->dec_load_tb;

		if (elapsed >= tm->dec_at_load) {
			tm->tsr |= TSR_DIS;
			if ((tm->tcr & TCR_ARE) && tm->decar) {
				uint64_t since = elapsed - tm->dec_at_load;
				tm->dec_at_load = tm->decar - (uint32_t)(since % tm->decar);
			} else {
				tm->dec_at_load = 0;
				tm->dec_running = false;
			}
			tm->dec_load_tb = now;
		}
	}

	uint64_t tb = tb_at(tm, now);
	if (tb > tm->last_tb) {
		if (rises(tb, fit_bit[(tm->tcr >> TCR_FP_SHIFT) & 3]) !=
		    rises(tm->last_tb, fit_bit[(tm->tcr >> TCR_FP_SHIFT) & 3]))
			tm->tsr |= TSR_FIS;
		unsigned wb = wdt_bit[(tm->tcr >> TCR_WP_SHIFT) & 3];
		uint64_t n = rises(tb, wb) - rises(tm->last_tb, wb);
		/* three periods reach the end of the state machine */
		for (unsigned i = 0; i < n && i < 3; i++)
			watchdog_event(tm);
	}
	tm->last_tb = tb;
}

/* After a change of timer state: update, then recompute interrupts and the deadline. */
static void settle(struct skvm_vcpu *vcpu, uint64_t now)
{
	update_irqs(vcpu);
	compute_next(vcpu, now);
}

bool kvmppc_timer_update(struct skvm_vcpu *vcpu)
{
	struct booke_timer *tm = &vcpu->timer;
	uint64_t now = host_ticks();
	bool reset;

	advance(tm, now);
	settle(vcpu, now);
	reset = tm->wdt_reset;
	tm->wdt_reset = false;
	return reset;
}

uint64_t kvmppc_timer_ns_to_next_event(struct skvm_vcpu *vcpu)
{
	uint64_t next = vcpu->timer.next_event_tb, now;

	if (next == UINT64_MAX)
		return UINT64_MAX;
	now = host_ticks();
	if (next <= now)
		return 0;
	return ((next - now) * 5 + 1) / 2;
}

uint64_t kvmppc_get_tb(struct skvm_vcpu *vcpu)
{
	return tb_at(&vcpu->timer, host_ticks());
}

void kvmppc_set_tb(struct skvm_vcpu *vcpu, uint64_t tb)
{
	struct booke_timer *tm = &vcpu->timer;
	uint64_t ns = kvm_now_ns(), now = ticks_of_ns(ns);

	if (tm->tb_base_ns) /* count what happened under the old TB first */
		advance(tm, now);
	tm->tb_base_ns = ns;
	tm->tb_at_base = tb;
	tm->last_tb = tb;
	settle(vcpu, now);
}

uint32_t kvmppc_get_dec(struct skvm_vcpu *vcpu)
{
	const struct booke_timer *tm = &vcpu->timer;
	uint64_t elapsed;

	if (!tm->dec_running)
		return tm->dec_at_load;
	elapsed = host_ticks() - tm->dec_load_tb;
	if (elapsed < tm->dec_at_load)
		return tm->dec_at_load - (uint32_t)elapsed;
	if ((tm->tcr & TCR_ARE) && tm->decar)
		return tm->decar - (uint32_t)((elapsed - tm->dec_at_load) % tm->decar);
	return 0;
}

void kvmppc_set_dec(struct skvm_vcpu *vcpu, uint32_t dec)
{
	struct booke_timer *tm = &vcpu->timer;
	uint64_t now = host_ticks();

	advance(tm, now);
	/* Book E: only a decrement from 1 to 0 is an event; writing 0 stops the DEC */
	tm->dec_at_load = dec;
	tm->dec_load_tb = now;
	tm->dec_running = dec != 0;
	settle(vcpu, now);
}

void kvmppc_set_decar(struct skvm_vcpu *vcpu, uint32_t decar)
{
	struct booke_timer *tm = &vcpu->timer;
	uint64_t now = host_ticks();

	advance(tm, now);
	tm->decar = decar;
	settle(vcpu, now);
}

void kvmppc_set_tcr(struct skvm_vcpu *vcpu, uint32_t tcr)
{
	struct booke_timer *tm = &vcpu->timer;
	uint64_t now = host_ticks();

	advance(tm, now);
	tm->tcr = tcr;
	settle(vcpu, now);
}

void kvmppc_emulate_tcr(struct skvm_vcpu *vcpu, uint32_t tcr)
{
	uint32_t wrc = vcpu->timer.tcr & TCR_WRC_MASK;

	if (wrc)
		tcr = (tcr & ~TCR_WRC_MASK) | wrc;
	kvmppc_set_tcr(vcpu, tcr);
}

uint32_t kvmppc_get_tsr(struct skvm_vcpu *vcpu)
{
	struct booke_timer *tm = &vcpu->timer;
	uint64_t now = host_ticks();

	advance(tm, now);
	settle(vcpu, now);
	return tm->tsr;
}

void kvmppc_clear_tsr_bits(struct skvm_vcpu *vcpu, uint32_t bits)
{
	struct booke_timer *tm = &vcpu->timer;
	uint64_t now = host_ticks();

	advance(tm, now);
	tm->tsr &= ~bits;
	settle(vcpu, now);
}

void kvmppc_set_tsr_bits(struct skvm_vcpu *vcpu, uint32_t bits)
{
	struct booke_timer *tm = &vcpu->timer;
	uint64_t now = host_ticks();

	advance(tm, now);
	tm->tsr |= bits;
	settle(vcpu, now);
}
