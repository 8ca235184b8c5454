/* SPDX-License-Identifier: MIT */
/* Logging for the softkvm command: pr_err / pr_warn / pr_info / pr_debug, one line each on
 * stderr, prefixed "softkvm: ".
 *
 * The verbosity is the one piece of process-wide mutable state in vmm/, on purpose: it
 * describes the process's stderr (shared by every VM a process may hold), is set once by
 * main() from -v before any thread starts, and is only read afterwards (atomically, so the
 * watchdog thread may log too). Nothing about a VM depends on it.
 */
#ifndef VMM_LOG_H
#define VMM_LOG_H

#include <stdbool.h>

enum vmm_log_level {
	VMM_LOG_ERR = 0,
	VMM_LOG_WARN = 1,  /* the default */
	VMM_LOG_INFO = 2,  /* -v */
	VMM_LOG_DEBUG = 3, /* -vv */
};

void vmm_log_set_level(enum vmm_log_level level);
bool vmm_log_enabled(enum vmm_log_level level);
/* One message, without a trailing newline (one is added). Keeps errno. */
void vmm_log(enum vmm_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define pr_err(...)  vmm_log(VMM_LOG_ERR, __VA_ARGS__)
/* Not an error, but shown whatever the verbosity: what the user needs to go on (where
 * gdb connects). */
#define pr_notice(...) vmm_log(VMM_LOG_ERR, __VA_ARGS__)
#define pr_warn(...) vmm_log(VMM_LOG_WARN, __VA_ARGS__)
#define pr_info(...) vmm_log(VMM_LOG_INFO, __VA_ARGS__)
/* The arguments are not even evaluated unless -vv: safe on hot paths. */
#define pr_debug(...)                                                                              \
	do {                                                                                       \
		if (vmm_log_enabled(VMM_LOG_DEBUG))                                                \
			vmm_log(VMM_LOG_DEBUG, __VA_ARGS__);                                       \
	} while (0)

#endif
