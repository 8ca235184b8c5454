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
 * Not supported (empty reply to Z1-Z4/z1-z4, "hwbreak-" in qSupported): hardware
 * breakpoints and watchpoints, as skvm_vcpu_set_guest_debug has no SKVM_GUESTDBG_USE_HW_BP
 * yet. Neither are extended mode ('!'), non-stop mode and target-side conditions.
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
};

enum gdb_action {
	GDB_ACTION_NONE,     /* reply and stay stopped */
	GDB_ACTION_CONTINUE, /* resume (s->step: one instruction); the stop reply comes later */
	GDB_ACTION_DETACH,   /* reply, then run on without gdb */
	GDB_ACTION_KILL,     /* no reply: end the run */
};

/* Answers a packet that does not need the vcpu, into reply: true if it was one. *no_ack is
 * set once QStartNoAckMode has been answered. */
bool gdb_cmd_local(const uint8_t *pkt, size_t len, struct gdb_reply *reply, bool *no_ack);

/* Carries out a vcpu packet on the parked vcpu. */
enum gdb_action gdb_cmd_vcpu(struct gdb_session *s, const uint8_t *pkt, size_t len,
			     struct gdb_reply *reply);

/* "T05thread:01;": the stop reply for signal signo. */
void gdb_cmd_stop_reply(struct gdb_reply *reply, int signo);

#endif
