/* SPDX-License-Identifier: MIT */
/* How the core dispatches decoded instructions: a handler ends by running the next one
 * (threaded dispatch). The core's handlers use this through exec.h; the hypervisor's
 * emulation handlers only through the one macro of emulation.h. */
#ifndef SOFTKVM_DISPATCH_H
#define SOFTKVM_DISPATCH_H

#include "cpu.h"

#define CPU_HANDLER(name) const struct cpu_dinsn *name(struct cpu *c, const struct cpu_dinsn *d)

/* ---- control flow ----
 * A handler ends with CPU_NEXT(c, d + 1) (or CPU_GOTO for a next instruction that may be
 * NULL). Built with clang, that is a guaranteed tail call into the next handler: threaded
 * dispatch, no return to cpu_run's loop between instructions. Otherwise the handler
 * returns the next instruction to cpu_run's loop. Both give the same results. */
#if defined(__clang__) && !defined(SOFTKVM_NO_TAIL_CALLS)
#define CPU_MUSTTAIL __attribute__((musttail))
#define CPU_NEXT(c, n)                                                                          \
	do {                                                                                    \
		const struct cpu_dinsn *n_ = (n);                                               \
		CPU_MUSTTAIL return n_->fn((c), n_);                                            \
	} while (0)
#define CPU_GOTO(c, n)                                                                          \
	do {                                                                                    \
		const struct cpu_dinsn *n_ = (n);                                               \
		if (unlikely(!n_))                                                              \
			return 0;                                                               \
		CPU_MUSTTAIL return n_->fn((c), n_);                                            \
	} while (0)
/* Hand the instruction to another handler h (it continues the dispatch itself). */
#define CPU_TAIL(h) CPU_MUSTTAIL return h(c, d)
#else
#define CPU_NEXT(c, n) return (n)
#define CPU_GOTO(c, n) return (n)
#define CPU_TAIL(h) return h(c, d)
#endif

#endif
