/* SPDX-License-Identifier: MIT */
/* The fuzz drivers' hang check: a thread that ends the process, naming the input, when one
 * input has run for longer than a bound. The thread stuck in softkvm cannot say so itself. */
#ifndef SOFTKVM_HANG_WATCH_H
#define SOFTKVM_HANG_WATCH_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct hang_watch {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	const char *prog; /* the driver's name, for the message and the command to rerun */
	uint64_t seed;
	unsigned seconds;
	unsigned input;
	unsigned generation; /* bumped at every input start */
	bool stop;
};

/* Starts the watch; 0 or a positive errno. It must be stopped before *w goes out of scope. */
int hang_watch_start(struct hang_watch *w, const char *prog, uint64_t seed, unsigned seconds)
    __attribute__((warn_unused_result));
/* Input `input` starts now: it must be done within the bound (exit status 2 otherwise). */
void hang_watch_input(struct hang_watch *w, unsigned input);
/* Stops and joins the thread. */
void hang_watch_stop(struct hang_watch *w);
#endif
