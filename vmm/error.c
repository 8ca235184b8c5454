// SPDX-License-Identifier: MIT
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int vmm_err_set(struct vmm_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return errnum;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return errnum;
}
