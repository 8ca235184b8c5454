/* SPDX-License-Identifier: MIT */
#ifndef SOFTKVM_FUZZ_P9_H
#define SOFTKVM_FUZZ_P9_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtio/p9_server.h"

/* A 9P server on a scratch directory top/share, beside a canary file top/canary.txt (see
 * fuzz_p9.c). */
struct fuzz_p9 {
	char top[64];
	struct p9_server s;
	uint8_t *msg, *rep;
};

int fuzz_p9_init(struct fuzz_p9 *fz);
/* Runs one input (a sequence of messages) against a fresh session; aborts if anything
 * outside the share changed. */
int fuzz_p9_run(struct fuzz_p9 *fz, const uint8_t *data, size_t size);
bool fuzz_p9_outside_intact(struct fuzz_p9 *fz);
void fuzz_p9_fini(struct fuzz_p9 *fz);
#endif
