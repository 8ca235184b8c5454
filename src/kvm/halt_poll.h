/* SPDX-License-Identifier: MIT */
/* Halt polling, as KVM does it (virt/kvm/kvm_main.c, kvm_vcpu_halt): a vcpu that waits spins
 * for a short while before it sleeps, because the wake-up that ends most waits -- an I/O
 * completion, an IPI -- comes within microseconds, and sleeping then being woken costs a
 * futex round trip and a reschedule on the way back (tens of microseconds on a virtualised
 * host). The window adapts per vcpu: it grows (x2, from 10 us) after a wait that ended within
 * the VM's maximum, and drops to 0 after one that outlasted it, so an idle guest does not burn
 * a host CPU. The maximum is per VM (SKVM_CAP_HALT_POLL), PowerPC's default 10 us.
 */
#ifndef SOFTKVM_HALT_POLL_H
#define SOFTKVM_HALT_POLL_H

#include <stdbool.h>
#include <stdint.h>

#include <softkvm/skvm.h>

#define HALT_POLL_NS_DEFAULT 10000u	/* PowerPC's KVM_HALT_POLL_NS_DEFAULT */
#define HALT_POLL_NS_GROW_START 10000u	/* KVM's halt_poll_ns_grow_start */
#define HALT_POLL_NS_GROW 2u		/* KVM's halt_poll_ns_grow */

struct halt_poll {
	uint32_t window_ns; /* this vcpu's poll window now (0: sleep at once) */
	struct skvm_halt_stats stats;
};

/* One wait: started, then polled, then (maybe) slept. */
struct halt_poll_wait {
	uint64_t start_ns, poll_end_ns;
	uint32_t max_ns;
	bool polled;
};

/* Poll before sleeping: spin while woken(arg) is false, for the vcpu's window (at most
 * max_ns, and no longer than until_ns from now, the next timer event). True: woken while
 * polling, no sleep needed. Call halt_poll_end after the wait either way. */
bool halt_poll_begin(struct halt_poll *hp, struct halt_poll_wait *w, uint32_t max_ns,
		     uint64_t until_ns, bool (*woken)(void *arg), void *arg);
/* KVM's adaptation: the window after a wait of halt_ns (polling and sleeping) under the VM's
 * maximum max: kept if the wait fitted in it, 0 after a wait longer than max, else grown
 * (x2, at least 10 us, at most max). */
uint32_t halt_poll_next_window(uint32_t window, uint32_t max, uint64_t halt_ns);
/* The wait is over (slept: it went to sleep after polling); adapt the window and count. */
void halt_poll_end(struct halt_poll *hp, const struct halt_poll_wait *w, bool slept);

#endif
