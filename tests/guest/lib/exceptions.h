/* SPDX-License-Identifier: MIT */
/* Per-vector exception handlers.  A handler gets the saved state of the interrupted context
 * and may change it: e.g. regs->srr0 += 4 skips the instruction that faulted; the critical class
 * (IVOR 0, 12, 15) returns through csrr0/csrr1, machine check (IVOR 1) through mcsrr0/mcsrr1.
 * A vector without a handler prints "FAIL: unexpected exception ivor=N ..." and ends the run. */
#ifndef GUEST_EXCEPTIONS_H
#define GUEST_EXCEPTIONS_H

#include "ex_regs.h"

typedef void (*handler_fn)(struct ex_regs *regs);

/* Returns the previous handler (NULL: none).  ivor is 0..15. */
handler_fn install_exception_handler(int ivor, handler_fn fn);

/* Class of a vector: EXCLASS_BASE, EXCLASS_CRIT or EXCLASS_MCHK. */
int exception_class(int ivor);

/* Called by lib/start.S. */
void exception_dispatch(struct ex_regs *regs, int cls);

#endif
