/* SPDX-License-Identifier: MIT */
/* The watchdog thread: ends a run on --timeout or on SIGINT/SIGTERM by kicking the vcpu, so
 * the vcpu thread leaves skvm_vcpu_run and main() exits with the right status.
 *
 * While the run is set up (files read, device tree written) SIGINT and SIGTERM go to a
 * handler of main's, which exits at once. Then, before any thread is created, they are
 * blocked in every thread (vmm_signals_block: the watchdog and console threads inherit the
 * mask) and read from a signalfd here, so no code runs in signal context. If the vcpu does
 * not come back within VMM_WATCHDOG_GRACE_S of the kick, or a second signal arrives, the stuck
 * callback (main's) ends the process.
 */
#ifndef VMM_WATCHDOG_H
#define VMM_WATCHDOG_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "error.h"

#define VMM_WATCHDOG_GRACE_S 5

enum vmm_watchdog_reason {
	VMM_WATCHDOG_NONE = 0,
	VMM_WATCHDOG_TIMEOUT,
	VMM_WATCHDOG_SIGNAL,
};

struct vmm_watchdog {
	/* Stops the vcpu loop (main's: skvm_vcpu_kick, and the gdb stub's wake), from the
	 * watchdog thread. */
	void (*kick)(void *opaque);
	void *kick_opaque;
	double timeout_s; /* 0: none */
	/* Called from the watchdog thread when the vcpu ignores the kick; must not return. */
	void (*stuck)(void *opaque, enum vmm_watchdog_reason reason, int signo);
	void *stuck_opaque;

	int signal_fd, stop_fd;
	pthread_t thread;
	bool running;
	atomic_int reason; /* enum vmm_watchdog_reason */
	atomic_int signo;
};

/* Before the run: SIGINT and SIGTERM call handler (loading a file or writing --dump-dtb may
 * wait on the host; nothing needs the watchdog's orderly stop yet). */
VMM_MUST_CHECK int vmm_signals_catch(void (*handler)(int signo));
/* Blocks SIGINT and SIGTERM in the calling thread (and so in the threads it creates): from
 * then on only the watchdog's signalfd sees them. Call it before the first thread. */
VMM_MUST_CHECK int vmm_signals_block(void);

/* wd's kick, timeout_s and stuck fields must be set. */
VMM_MUST_CHECK int vmm_watchdog_start(struct vmm_watchdog *wd, struct vmm_err *err);
void vmm_watchdog_stop(struct vmm_watchdog *wd);
/* Why the vcpu was kicked (NONE if it was not); *signo for VMM_WATCHDOG_SIGNAL. */
enum vmm_watchdog_reason vmm_watchdog_reason(struct vmm_watchdog *wd, int *signo);

#endif
