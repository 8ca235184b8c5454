/* SPDX-License-Identifier: MIT */
/* The fuzz drivers' random numbers: xorshift64, with each input's state derived from the
 * driver's seed and the input's number alone, so that any input can be made again by
 * itself ("rerun input k"). */
#ifndef SOFTKVM_FUZZ_RAND_H
#define SOFTKVM_FUZZ_RAND_H
#include <stdint.h>

static inline uint64_t rand_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The state of input k: splitmix64 of seed and k, never 0 (xorshift would stay at 0). */
static inline uint64_t rand_input_state(uint64_t seed, unsigned k)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (k + 1ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z ? z : 1;
}
#endif
