/* SPDX-License-Identifier: MIT */
/* The GDB remote protocol's commands: a packet's payload in, the reply's payload and what
 * to do with the vcpu out. Two kinds:
 *   - those the stub's thread answers by itself at any time, from constants: qSupported,
 *     the target description, thread queries, no-ack mode, what is not supported;
 *   - those about the vcpu (registers, memory, breakpoints, resuming), answered on the vcpu
 *     thread while it is parked for gdb (gdb_target.h).
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

/* The vcpu-thread side of one gdb connection. */
struct gdb_session {
	struct gdb_target target;
	bool debugging; /* a gdb is attached: breakpoints exit to us */
	bool step;	/* the resume gdb asked for is a single step */
	int signo;	/* of the last stop, for '?' */
	enum gdb_hw_type stop_watch; /* the last stop was at this kind of watchpoint (or 0) */
	uint64_t stop_watch_addr;    /* ... on this address */
};

enum gdb_action {
	GDB_ACTION_NONE,     /* reply and stay stopped */
	GDB_ACTION_CONTINUE, /* resume (s->step: one instruction); the stop reply comes later */
	GDB_ACTION_DETACH,   /* reply, then run on without gdb */
	GDB_ACTION_KILL,     /* no reply: end the run */
};

/* Answers a packet that does not need the vcpu, into reply: true if it was one. *no_ack is
 * set once QStartNoAckMode has been answered. xml: the target description (the layout's). */
bool gdb_cmd_local(const uint8_t *pkt, size_t len, const char *xml, struct gdb_reply *reply,
		   bool *no_ack);

/* Carries out a vcpu packet on the parked vcpu. */
enum gdb_action gdb_cmd_vcpu(struct gdb_session *s, const uint8_t *pkt, size_t len,
			     struct gdb_reply *reply);

/* "T05thread:01;": the stop reply for signal signo. */
void gdb_cmd_stop_reply(struct gdb_reply *reply, const struct gdb_session *s);

#endif
