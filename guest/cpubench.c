// SPDX-License-Identifier: MIT
/* cpubench: softkvm's own deterministic integer + memory workload for Linux guests.
 *
 * Built static for the guest by scripts/build-guest.sh (as /bin/cpubench); the same source
 * compiled natively on the host must print the same checksum, which is how tests/linux checks
 * that the guest computed correctly:
 *
 *     gcc -O2 -o cpubench guest/cpubench.c && ./cpubench
 *     CPUBENCH checksum=1fda04d028539bc9 elapsed=0.031 s
 *
 * Expected checksum: see CPUBENCH_EXPECTED below (also checked by the program itself: it
 * prints "CPUBENCH MISMATCH" and exits 1 when the result differs).
 *
 * What it does, and why:
 * - two 1 MiB tables of 32-bit words (512 pages of 4 KiB): far more pages than the 64 entries
 *   of a 440's TLB map, so the guest takes TLB misses all along (the hypervisor's shadow TLB
 *   and the guest's miss handlers are what this measures, besides plain integer code);
 * - fill: a 32-bit linear congruential generator;
 * - mix: 4 sweeps with a stride of one page plus one word (a new page at every step: about
 *   a million TLB misses in all), each element combined with the one 5 steps ahead;
 * - sort: bottom-up merge sort from one table into the other and back (sequential streams);
 * - checksum: FNV-1a over the sorted 32-bit values, taken four bits at a time from each value's
 *   arithmetic (never its bytes in memory), so big- and little-endian, 32- and 64-bit hosts agree.
 * The elapsed time is CLOCK_MONOTONIC around the work, in seconds.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define WORDS (1u << 18)            /* 256 Ki words = 1 MiB per table */
#define STRIDE (4096u / 4u + 1u)    /* one page and one word, in words */
#define SWEEPS 4
#define CPUBENCH_EXPECTED UINT64_C(0x1fda04d028539bc9)

static uint32_t lcg_next(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state;
}

static void fill(uint32_t *t)
{
	uint32_t state = 0x5eed1234u;

	for (uint32_t i = 0; i < WORDS; i++)
		t[i] = lcg_next(&state) ^ (lcg_next(&state) >> 16);
}

static void mix(uint32_t *t)
{
	uint32_t i = 0;

	/* STRIDE is odd and WORDS a power of two: WORDS steps visit every index once */
	for (int sweep = 0; sweep < SWEEPS; sweep++) {
		for (uint32_t n = 0; n < WORDS; n++) {
			uint32_t other = t[(i + 5 * STRIDE) & (WORDS - 1)];

			t[i] = (t[i] ^ (other >> 7)) * 0x9e3779b1u + (uint32_t)sweep;
			i = (i + STRIDE) & (WORDS - 1);
		}
	}
}

static void merge(const uint32_t *src, uint32_t *dst, uint32_t lo, uint32_t mid, uint32_t hi)
{
	uint32_t a = lo, b = mid, k = lo;

	while (a < mid && b < hi)
		dst[k++] = src[b] < src[a] ? src[b++] : src[a++];
	while (a < mid)
		dst[k++] = src[a++];
	while (b < hi)
		dst[k++] = src[b++];
}

/* Sorts t (WORDS values) using tmp; the result ends in t (an even number of passes). */
static void sort(uint32_t *t, uint32_t *tmp)
{
	uint32_t *src = t, *dst = tmp;

	for (uint32_t width = 1; width < WORDS; width *= 2) {
		for (uint32_t lo = 0; lo < WORDS; lo += 2 * width)
			merge(src, dst, lo, lo + width, lo + 2 * width);
		uint32_t *swap = src;
		src = dst;
		dst = swap;
	}
}

static uint64_t checksum(const uint32_t *t)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (uint32_t i = 0; i < WORDS; i++)
		for (int shift = 0; shift < 32; shift += 4) {
			h ^= (t[i] >> shift) & 0xf;
			h *= UINT64_C(0x100000001b3);
		}
	return h;
}

static int sorted(const uint32_t *t)
{
	for (uint32_t i = 1; i < WORDS; i++)
		if (t[i - 1] > t[i])
			return 0;
	return 1;
}

int main(void)
{
	uint32_t *t = malloc(WORDS * sizeof *t), *tmp = malloc(WORDS * sizeof *tmp);
	struct timespec t0, t1;
	uint64_t sum;

	if (!t || !tmp) {
		puts("CPUBENCH out of memory");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fill(t);
	mix(t);
	sort(t, tmp);
	sum = checksum(t);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("CPUBENCH checksum=%016" PRIx64 " elapsed=%.3f s\n", sum,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (!sorted(t) || sum != CPUBENCH_EXPECTED) {
		printf("CPUBENCH MISMATCH expected=%016" PRIx64 "%s\n", CPUBENCH_EXPECTED,
		       sorted(t) ? "" : " (not sorted)");
		return 1;
	}
	free(tmp);
	free(t);
	return 0;
}
