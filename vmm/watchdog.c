// SPDX-License-Identifier: MIT
/* The watchdog thread (see watchdog.h). */
#define _GNU_SOURCE /* ppoll */
#include "watchdog.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static void watchdog_sigset(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
}

int vmm_signals_catch(void (*handler)(int signo))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	return 0;
}

int vmm_signals_block(void)
{
	sigset_t set;

	watchdog_sigset(&set);
	return -pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static struct timespec watchdog_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t;
}

static struct timespec watchdog_after(struct timespec t, double seconds)
{
	double whole = floor(seconds);

	t.tv_sec += (time_t)whole;
	t.tv_nsec += (long)((seconds - whole) * 1e9);
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* Time left until deadline, never negative. */
static struct timespec watchdog_left(struct timespec deadline)
{
	struct timespec now = watchdog_now(), left = {0, 0};

	if (now.tv_sec > deadline.tv_sec ||
	    (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec))
		return left;
	left.tv_sec = deadline.tv_sec - now.tv_sec;
	left.tv_nsec = deadline.tv_nsec - now.tv_nsec;
	if (left.tv_nsec < 0) {
		left.tv_sec--;
		left.tv_nsec += 1000000000L;
	}
	return left;
}

static void watchdog_fire(struct vmm_watchdog *wd, enum vmm_watchdog_reason reason, int signo)
{
	atomic_store(&wd->signo, signo);
	atomic_store(&wd->reason, (int)reason);
	wd->kick(wd->kick_opaque);
}

static void *watchdog_thread(void *arg)
{
	struct vmm_watchdog *wd = arg;
	bool have_deadline = wd->timeout_s > 0;
	struct timespec deadline = watchdog_after(watchdog_now(), wd->timeout_s);

	for (;;) {
		struct pollfd fds[2] = {
		    {.fd = wd->stop_fd, .events = POLLIN},
		    {.fd = wd->signal_fd, .events = POLLIN},
		};
		struct timespec left = watchdog_left(deadline);
		int n = ppoll(fds, 2, have_deadline ? &left : NULL, NULL);
		enum vmm_watchdog_reason fired = atomic_load(&wd->reason);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (fds[0].revents & POLLIN))
			return NULL; /* stopped */
		if (fds[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(wd->signal_fd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (fired != VMM_WATCHDOG_NONE) /* a second signal: stop waiting */
				wd->stuck(wd->stuck_opaque, VMM_WATCHDOG_SIGNAL, (int)si.ssi_signo);
			pr_debug("watchdog: signal %u, stopping the vcpu", si.ssi_signo);
			watchdog_fire(wd, VMM_WATCHDOG_SIGNAL, (int)si.ssi_signo);
		} else if (n == 0 && fired == VMM_WATCHDOG_NONE) {
			pr_debug("watchdog: timeout, stopping the vcpu");
			watchdog_fire(wd, VMM_WATCHDOG_TIMEOUT, 0);
		} else if (n == 0) {
			wd->stuck(wd->stuck_opaque, fired, atomic_load(&wd->signo));
		} else {
			continue;
		}
		/* Fired: give the vcpu thread a grace period to come back and stop us. */
		have_deadline = true;
		deadline = watchdog_after(watchdog_now(), VMM_WATCHDOG_GRACE_S);
	}
}

int vmm_watchdog_start(struct vmm_watchdog *wd, struct vmm_err *err)
{
	sigset_t set;
	int rc;

	atomic_init(&wd->reason, VMM_WATCHDOG_NONE);
	atomic_init(&wd->signo, 0);
	wd->running = false;
	watchdog_sigset(&set);
	wd->signal_fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (wd->signal_fd < 0)
		return vmm_err_set(err, -errno, "watchdog: signalfd: %s", strerror(errno));
	wd->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (wd->stop_fd < 0) {
		rc = vmm_err_set(err, -errno, "watchdog: eventfd: %s", strerror(errno));
		close(wd->signal_fd);
		return rc;
	}
	rc = pthread_create(&wd->thread, NULL, watchdog_thread, wd);
	if (rc) {
		close(wd->signal_fd);
		close(wd->stop_fd);
		return vmm_err_set(err, -rc, "watchdog: cannot start its thread: %s", strerror(rc));
	}
	wd->running = true;
	return 0;
}

void vmm_watchdog_stop(struct vmm_watchdog *wd)
{
	uint64_t one = 1;

	if (!wd->running)
		return;
	while (write(wd->stop_fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
	pthread_join(wd->thread, NULL);
	close(wd->signal_fd);
	close(wd->stop_fd);
	wd->running = false;
}

enum vmm_watchdog_reason vmm_watchdog_reason(struct vmm_watchdog *wd, int *signo)
{
	enum vmm_watchdog_reason reason = atomic_load(&wd->reason);

	*signo = atomic_load(&wd->signo);
	return reason;
}
