// SPDX-License-Identifier: MIT
/* The logging module (see log.h for why its verbosity is process-wide). */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_int vmm_log_level = VMM_LOG_WARN;

void vmm_log_set_level(enum vmm_log_level level)
{
	atomic_store_explicit(&vmm_log_level, (int)level, memory_order_relaxed);
}

bool vmm_log_enabled(enum vmm_log_level level)
{
	return (int)level <= atomic_load_explicit(&vmm_log_level, memory_order_relaxed);
}

void vmm_log(enum vmm_log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = {
	    [VMM_LOG_ERR] = "",
	    [VMM_LOG_WARN] = "warning: ",
	    [VMM_LOG_INFO] = "",
	    [VMM_LOG_DEBUG] = "debug: ",
	};
	char buf[1024];
	int saved_errno = errno;
	size_t n;
	int len;
	va_list ap;

	if (!vmm_log_enabled(level))
		return;
	len = snprintf(buf, sizeof(buf), "softkvm: %s", prefix[level]);
	n = len < 0 ? 0 : (size_t)len;
	va_start(ap, fmt);
	len = vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (len > 0)
		n += (size_t)len;
	if (n > sizeof(buf) - 2) /* truncated: keep the newline */
		n = sizeof(buf) - 2;
	buf[n++] = '\n';

	/* One write per message, so lines from two threads never interleave. */
	for (size_t done = 0; done < n;) {
		ssize_t w = write(STDERR_FILENO, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	errno = saved_errno;
}
