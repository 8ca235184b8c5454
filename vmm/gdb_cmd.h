/* SPDX-License-Identifier: MIT */
/* The GDB remote protocol's commands: a packet's payload in, the reply's payload and what
 * to do with the vcpu out. Two kinds:
 *   - those the stub's thread answers by itself at any time, from constants: qSupported,
 *     the target description, the thread list and names, no-ack mode, what is not supported;
 *   - those about the vcpus (registers, memory, breakpoints, the selected thread, resuming),
 *     answered while every vcpu is stopped for gdb (gdb_target.h).
 *
 * Threads: vcpu n is gdb's thread n + 1 (qfThreadInfo lists them all, started by the guest
 * or not; qThreadExtraInfo names it "vcpu n"). Hg selects the thread registers and memory go
 * through (0 or -1: the one selected stays), Hc the one 's' steps; a stop selects the thread
 * that stopped. Resuming is all-stop: 'c' and vCont's c run every vcpu, a step ('s', or a
 * vCont with an s action) runs only the vcpu it names (its thread, or the selected one) for
 * one instruction, the others staying stopped, whatever vCont says for them.
 * Malformed packets get an error reply ("Enn") or the empty reply of an unknown command;
 * no input makes either handler read out of bounds or fail otherwise.
 *
 * Hardware breakpoints and watchpoints (Z1-Z4) are the 440's IAC and DAC compares through
 * KVM_GUESTDBG_USE_HW_BP (a Book3S PR VM has none: an error reply, and gdb says it cannot
 * insert them); a watchpoint's stop reply names it (watch/rwatch/awatch:ADDR),
 * a hardware breakpoint's is a plain SIGTRAP ("hwbreak-": gdb finds it by the PC). The
 * watchpoint stops before the access, as on a 440 (gdb's PowerPC watchpoints are not
 * "steppable": it steps over the access itself). Not supported: extended mode ('!'),
 * non-stop mode and target-side conditions.
 */
#ifndef VMM_GDB_CMD_H
#define VMM_GDB_CMD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "gdb_packet.h"
#include "gdb_target.h"

/* The vcpu side of one gdb connection. */
struct gdb_session {
	struct gdb_target target;     /* target.vcpu: the selected thread's */
	struct skvm_vcpu *const *vcpus; /* thread n + 1 is vcpus[n] */
	unsigned nr_threads;
	unsigned sel;		      /* Hg: the selected thread's vcpu */
	int cont;		      /* Hc: the vcpu 's' steps, or -1 (the selected one) */
	bool debugging;		      /* a gdb is attached: breakpoints exit to us */
	int step;		      /* the resume steps this vcpu alone; -1: every vcpu runs */
	int signo;		      /* of the last stop, for '?' */
	unsigned stop_cpu;	      /* ... of this vcpu */
	enum gdb_hw_type stop_watch; /* the last stop was at this kind of watchpoint (or 0) */
	uint64_t stop_watch_addr;    /* ... on this address */
};

enum gdb_action {
	GDB_ACTION_NONE,     /* reply and stay stopped */
	GDB_ACTION_CONTINUE, /* resume (s->step: one instruction); the stop reply comes later */
	GDB_ACTION_DETACH,   /* reply, then run on without gdb */
	GDB_ACTION_KILL,     /* no reply: end the run */
};

/* s for machine m's vcpus (m->vcpus[0..m->nr_vcpus - 1]), thread 1 selected. */
VMM_MUST_CHECK int gdb_session_init(struct gdb_session *s, struct vmm_machine *m);
/* Selects vcpu cpu's thread (Hg, or the thread of a stop). */
void gdb_session_select(struct gdb_session *s, unsigned cpu);

/* Answers a packet that does not need the vcpus, into reply: true if it was one. *no_ack is
 * set once QStartNoAckMode has been answered. xml: the target description (the layout's);
 * threads: the machine's vcpus. */
bool gdb_cmd_local(const uint8_t *pkt, size_t len, const char *xml, unsigned threads,
		   struct gdb_reply *reply, bool *no_ack);

/* Carries out a vcpu packet while every vcpu is stopped. */
enum gdb_action gdb_cmd_vcpu(struct gdb_session *s, const uint8_t *pkt, size_t len,
			     struct gdb_reply *reply);

/* "T05thread:02;": the stop reply for signal s->signo of vcpu s->stop_cpu. */
void gdb_cmd_stop_reply(struct gdb_reply *reply, const struct gdb_session *s);

#endif
