/* SPDX-License-Identifier: MIT */
/* The hypervisor's emulation of an instruction, run in place of a trap.
 *
 * At decode time the core asks the hypervisor (struct cpu_trap_ops.emulation) for the handler
 * of each instruction it emulates. The hypervisor writes its emulation as an inline function
 * and turns it into that handler with CPU_EMULATION_HANDLER: the one place where the core's
 * way of dispatching meets the hypervisor's code. The hypervisor's code names only the macro,
 * so a core that translated instead of interpreting would give the macro another body (one
 * its translated code calls) and the hypervisor would not change.
 */
#ifndef SOFTKVM_EMULATION_H
#define SOFTKVM_EMULATION_H

#include "dispatch.h"

/* The ways on from an emulation handler (run.c): */
CPU_HANDLER(op_emulate);	   /* CPU_RESUME_TRAP: the trap, CPU_TRAP_EMULATE */
CPU_HANDLER(op_emulation_refetch); /* CPU_RESUME_REFETCH: fetch at c->pc */
CPU_HANDLER(op_emulation_end);	   /* CPU_RESUME_END: cpu_trap_ops.emulation_end */

/* A handler `name` that runs `enum cpu_resume emulate(struct cpu *c, const struct cpu_dinsn
 * *d)` for the instruction d, whose address is cpu_pc_of(c, d) (c->pc is not set: an
 * emulation that goes on with the next instruction never needs it). emulate returns
 *   CPU_RESUME_NEXT     done, and execution falls through in the same context
 *   CPU_RESUME_REFETCH  go on at c->pc, which emulate set (a branch, a new MSR or PID)
 *   CPU_RESUME_END      done, and the hypervisor ends the exit (cpu_trap_ops.emulation_end)
 *   CPU_RESUME_TRAP     not here, before doing anything: the core takes the trap instead
 * Every way on is a tail call, so that an emulation that calls nothing needs no frame. */
#define CPU_EMULATION_HANDLER(name, emulate)                                                       \
	const struct cpu_dinsn *name(struct cpu *c, const struct cpu_dinsn *d)                     \
	{                                                                                          \
		switch (emulate(c, d)) {                                                           \
		case CPU_RESUME_NEXT:                                                              \
			CPU_NEXT(c, d + 1);                                                        \
		case CPU_RESUME_REFETCH:                                                           \
			CPU_TAIL(op_emulation_refetch);                                            \
		case CPU_RESUME_END:                                                               \
			CPU_TAIL(op_emulation_end);                                                \
		default:                                                                           \
			CPU_TAIL(op_emulate);                                                      \
		}                                                                                  \
	}

#endif
