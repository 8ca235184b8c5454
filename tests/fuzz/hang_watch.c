// SPDX-License-Identifier: MIT
/* The fuzz drivers' hang check (see hang_watch.h). */
#include "hang_watch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static void *hang_watch_main(void *arg)
{
	struct hang_watch *w = arg;

	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		unsigned gen = w->generation;
		struct timespec until;
		int rc = 0;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += w->seconds;
		while (w->generation == gen && !w->stop && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&w->cond, &w->lock, &until);
		if (w->generation == gen && !w->stop) {
			fprintf(stderr,
				"%s: input %u (seed 0x%" PRIx64 ") still runs %u s after it started"
				" (rerun it alone: %s 1 0x%" PRIx64 " %u)\n",
				w->prog, w->input, w->seed, w->seconds, w->prog, w->seed, w->input);
			_exit(2);
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int hang_watch_start(struct hang_watch *w, const char *prog, uint64_t seed, unsigned seconds)
{
	*w = (struct hang_watch){.prog = prog, .seed = seed, .seconds = seconds};
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	return pthread_create(&w->thread, NULL, hang_watch_main, w);
}

void hang_watch_input(struct hang_watch *w, unsigned input)
{
	pthread_mutex_lock(&w->lock);
	w->input = input;
	w->generation++;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

/* Joined, not left waiting: a driver keeps *w in main's frame, which exit handlers (the leak
 * checker) reuse, and a thread still waiting on the condvar there writes into their frames
 * (this once crashed LeakSanitizer at exit). */
void hang_watch_stop(struct hang_watch *w)
{
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
}
