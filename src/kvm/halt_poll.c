// SPDX-License-Identifier: MIT
/* Halt polling (see halt_poll.h). */
#include "halt_poll.h"

#include <time.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

bool halt_poll_begin(struct halt_poll *hp, struct halt_poll_wait *w, uint32_t max_ns,
		     uint64_t until_ns, bool (*woken)(void *arg), void *arg)
{
	uint64_t window;

	if (hp->window_ns > max_ns)
		hp->window_ns = max_ns;
	*w = (struct halt_poll_wait){.max_ns = max_ns, .polled = hp->window_ns != 0};
	w->start_ns = w->poll_end_ns = now_ns();
	if (!w->polled)
		return false;
	window = hp->window_ns < until_ns ? hp->window_ns : until_ns;
	for (;;) {
		if (woken(arg))
			return true;
		cpu_relax();
		w->poll_end_ns = now_ns();
		if (w->poll_end_ns - w->start_ns >= window)
			return false;
	}
}

uint32_t halt_poll_next_window(uint32_t window, uint32_t max, uint64_t halt_ns)
{
	uint64_t grown;

	if (!max)
		return 0;
	if (halt_ns <= window)
		return window; /* the window was long enough */
	if (window && halt_ns > max)
		return 0; /* a long sleep: polling was wasted, and would be again (KVM's shrink) */
	if (window >= max || halt_ns >= max)
		return window;
	grown = (uint64_t)window * HALT_POLL_NS_GROW;
	if (grown < HALT_POLL_NS_GROW_START)
		grown = HALT_POLL_NS_GROW_START;
	return grown > max ? max : (uint32_t)grown;
}

void halt_poll_end(struct halt_poll *hp, const struct halt_poll_wait *w, bool slept)
{
	uint64_t end = now_ns(), halt_ns = end - w->start_ns;
	struct skvm_halt_stats *st = &hp->stats;

	if (w->polled) {
		uint64_t poll_ns = w->poll_end_ns - w->start_ns;

		st->attempted_poll++;
		if (!slept) {
			st->successful_poll++;
			st->poll_success_ns += poll_ns;
		} else {
			st->poll_fail_ns += poll_ns;
		}
	}
	if (slept)
		st->wait_ns += end - w->poll_end_ns;
	hp->window_ns = halt_poll_next_window(hp->window_ns, w->max_ns, halt_ns);
}
