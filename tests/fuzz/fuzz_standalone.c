// SPDX-License-Identifier: MIT
/* Deterministic driver for the fuzz harness: runs N inputs made from the instruction table
 * (valid opcodes with random operand bits, plus some fully random words) with a fixed
 * seed, so the test suite can run the harness under the sanitizers without libFuzzer.
 * usage: fuzz_standalone [N [SEED]] */
#include <stdio.h>
#include <stdlib.h>

#include "cpu/decode.h"
#include "fuzz_core.h"

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A word whose opcode fields are one table entry's and whose other bits are random. */
static uint32_t random_insn(uint64_t *s)
{
	const struct cpu_insn_info *in = &cpu_insn_table[next(s) % cpu_insn_count];
	uint32_t w = (uint32_t)next(s);
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

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 300;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x5eed5eedULL;
	uint8_t buf[4 + 4 * 64];
	for (unsigned i = 0; i < n; i++) {
		unsigned words = 1 + next(&seed) % 64;
		uint32_t msr = (uint32_t)next(&seed);
		buf[0] = msr >> 24;
		buf[1] = msr >> 16;
		buf[2] = msr >> 8;
		buf[3] = msr;
		for (unsigned k = 0; k < words; k++) {
			uint32_t w = next(&seed) % 8 ? random_insn(&seed) : (uint32_t)next(&seed);
			buf[4 + 4 * k] = w >> 24;
			buf[5 + 4 * k] = w >> 16;
			buf[6 + 4 * k] = w >> 8;
			buf[7 + 4 * k] = w;
		}
		fuzz_core_run(buf, 4 + 4 * words);
	}
	printf("fuzz_standalone: %u inputs ran, the host survived\n", n);
	return 0;
}
