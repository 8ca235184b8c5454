// SPDX-License-Identifier: MIT
/* Deterministic driver for the fuzz harness: runs inputs made from the instruction table
 * (valid opcodes with random operand bits, plus some fully random words), so the test suite
 * can run the harness under the sanitizers without libFuzzer.
 *
 * usage: fuzz_standalone [N [SEED [FIRST]]]
 *        fuzz_standalone -w DIR [N [SEED]]    writes inputs 0 .. N-1 into DIR instead (a
 *                                             corpus of whole programs for build-fuzz/fuzz_core)
 * Runs inputs FIRST .. FIRST+N-1 (default 300 inputs from 0). Input k is made from SEED and k
 * alone, so a failing input can be run by itself: `fuzz_standalone 1 SEED k`.
 *
 * Fails (exit 1) when, over a run of at least FLOOR_INPUTS inputs, the guests trap to the
 * hypervisor fewer than MIN_TRAPPED_PER_INPUT times per input on average: a healthy input
 * loops through its words until the harness's kick, trapping thousands of times (the 300 of
 * the suite: about 8 million under the sanitizers), so a shortfall means the harness ran
 * (next to) nothing, as it once did when guest RAM was not page-aligned (0 traps).
 * Fails (exit 2, naming the input) when an input has not returned HANG_SECONDS after it
 * started, although the harness kicks it after a few milliseconds. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/decode.h"
#include "fuzz_core.h"
#include "fuzz_rand.h"
#include "hang_watch.h"

#define MIN_TRAPPED_PER_INPUT 100
#define FLOOR_INPUTS	      100 /* one input alone may well stop at once (MSR[WE], a reset) */
#define HANG_SECONDS	      10
#define DEFAULT_SEED	      0x5eed5eedULL

/* A word whose opcode fields are one table entry's and whose other bits are random. */
static uint32_t random_insn(uint64_t *s)
{
	const struct cpu_insn_info *in = &cpu_insn_table[rand_next(s) % cpu_insn_count];
	uint32_t w = (uint32_t)rand_next(s);
	w = (w & 0x03ffffffu) | (uint32_t)in->primary << 26;
	switch (in->form) {
	case FORM_A:
		w = (w & ~0x3eu) | (uint32_t)in->xo << 1;
		break;
	case FORM_XO:
		w = (w & ~0x3feu) | (w & 0x400u) | (uint32_t)in->xo << 1;
		break;
	case FORM_X:
	case FORM_XL:
	case FORM_XFX:
	case FORM_XFXM:
	case FORM_CMP:
		w = (w & ~0x7feu) | (uint32_t)in->xo << 1;
		break;
	default:
		break;
	}
	return w;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Input k: 4 bytes of MSR, then 1 to 64 instruction words. Returns its size. */
static size_t make_input(uint64_t seed, unsigned k, uint8_t *buf)
{
	uint64_t s = rand_input_state(seed, k);
	unsigned words = 1 + rand_next(&s) % 64;

	put_be32(buf, (uint32_t)rand_next(&s));
	for (unsigned i = 0; i < words; i++)
		put_be32(buf + 4 + 4 * i,
			 rand_next(&s) % 8 ? random_insn(&s) : (uint32_t)rand_next(&s));
	return 4 + 4 * words;
}

static int write_inputs(const char *dir, unsigned n, uint64_t seed)
{
	uint8_t buf[4 + 4 * 64];
	char path[4096];

	for (unsigned k = 0; k < n; k++) {
		size_t size = make_input(seed, k, buf);
		FILE *f;

		snprintf(path, sizeof(path), "%s/input-%u", dir, k);
		f = fopen(path, "wb");
		if (!f || fwrite(buf, 1, size, f) != size || fclose(f)) {
			perror(path);
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "-w"))
		return write_inputs(argv[2], argc > 3 ? (unsigned)strtoul(argv[3], NULL, 0) : 300,
				    argc > 4 ? strtoull(argv[4], NULL, 0) : DEFAULT_SEED);

	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 300;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : DEFAULT_SEED;
	unsigned first = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 0) : 0;
	struct hang_watch watch;
	uint8_t buf[4 + 4 * 64];
	uint64_t trapped = 0, floor = n >= FLOOR_INPUTS ? (uint64_t)n * MIN_TRAPPED_PER_INPUT : 0;
	unsigned idle = 0;

	if (hang_watch_start(&watch, "fuzz_standalone", seed, HANG_SECONDS)) {
		fprintf(stderr, "fuzz_standalone: cannot start the hang watch\n");
		return 1;
	}
	for (unsigned k = first; k < first + n; k++) {
		size_t size = make_input(seed, k, buf);
		hang_watch_input(&watch, k);
		uint64_t r = fuzz_core_run(buf, size);
		trapped += r;
		idle += r == 0;
	}
	hang_watch_stop(&watch);
	printf("fuzz_standalone: %u inputs ran (%u from %u, seed 0x%" PRIx64 "); the guests trapped"
	       " %" PRIu64 " times (at least %" PRIu64 " expected), %u inputs not at all\n",
	       n, n, first, seed, trapped, floor, idle);
	if (trapped < floor) {
		printf("fuzz_standalone: FAIL: too few guest instructions ran: the harness is not"
		       " running its inputs\n");
		return 1;
	}
	printf("fuzz_standalone: the host survived\n");
	return 0;
}
