// SPDX-License-Identifier: MIT
/* Dispatch of the vectors set up in start.S to per-IVOR handlers. */
#include "libc.h"
#include "exceptions.h"
#include "report.h"

static handler_fn handlers[16];

handler_fn install_exception_handler(int ivor, handler_fn fn)
{
	handler_fn old;

	if (ivor < 0 || ivor > 15)
		return NULL;
	old = handlers[ivor];
	handlers[ivor] = fn;
	return old;
}

int exception_class(int ivor)
{
	if (ivor == 0 || ivor == 12 || ivor == 15)
		return EXCLASS_CRIT;
	if (ivor == 1)
		return EXCLASS_MCHK;
	return EXCLASS_BASE;
}

void exception_dispatch(struct ex_regs *regs, int cls)
{
	handler_fn fn = regs->ivor < 16 ? handlers[regs->ivor] : NULL;

	if (fn) {
		fn(regs);
		return;
	}
	printf("FAIL: unexpected exception ivor=%u", regs->ivor);
	if (cls == EXCLASS_CRIT)
		printf(" csrr0=%08x csrr1=%08x", regs->csrr0, regs->csrr1);
	else if (cls == EXCLASS_MCHK)
		printf(" mcsrr0=%08x mcsrr1=%08x", regs->mcsrr0, regs->mcsrr1);
	printf(" srr0=%08x srr1=%08x esr=%08x dear=%08x lr=%08x\n",
	       regs->srr0, regs->srr1, regs->esr, regs->dear, regs->lr);
	report_fail_raw();
	report_summary();
}
