// SPDX-License-Identifier: MIT
/* Deterministic driver for the virtqueue fuzz harness (fuzz_virtq.c): N inputs from a fixed
 * seed, shaped like real queues so that they get past the setup checks -- a power-of-two size,
 * rings inside RAM, an avail ring of heads -- with descriptors whose addresses, lengths,
 * flags and next indices are random around the valid ranges (loops, indirect tables, nested
 * ones, buffers crossing the end of RAM, indices past the table), plus some fully random
 * inputs. The suite runs it under AddressSanitizer + UBSan.
 * With "blk" the same inputs go to virtio-blk's decoder and I/O instead (fuzz_blk.c).
 * usage: fuzz_virtq_standalone [N [SEED [blk]]] */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_virtq.h"

#define RAM_GPA	 0x100000ull
#define RAM_SIZE 0x4000u
#define HEADER	 27

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void put(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* put() into the fake RAM, dropping what a misplaced ring puts past its end. */
static void put_ram(uint8_t *ram, uint32_t off, uint64_t v, unsigned n)
{
	if (off + n <= RAM_SIZE)
		put(ram + off, v, n);
}

/* An address near RAM: mostly inside, sometimes just outside, sometimes anywhere. */
static uint64_t near_ram(uint64_t *s)
{
	switch (next(s) % 8) {
	case 0:
		return next(s);
	case 1:
		return RAM_GPA + RAM_SIZE - next(s) % 64;
	case 2:
		return RAM_GPA - next(s) % 64;
	case 3: /* into the indirect tables' area */
		return RAM_GPA + 0x3000 + 16 * (next(s) % 64);
	default:
		return RAM_GPA + next(s) % RAM_SIZE;
	}
}

static uint32_t some_len(uint64_t *s)
{
	switch (next(s) % 8) {
	case 0:
		return (uint32_t)next(s);
	case 1:
		return 16 * (uint32_t)(next(s) % 40); /* an indirect table's size */
	default:
		return (uint32_t)(next(s) % 600);
	}
}

/* A descriptor: NEXT, WRITE, INDIRECT in any mix; an indirect one usually sized as a table
 * and aimed at the tables' area, so that chains reach tables (and tables in tables). */
static void put_desc(uint8_t *d, uint64_t *s, unsigned next_max)
{
	uint16_t flags = (uint16_t)(next(s) % 8);
	bool table = (flags & 4) && next(s) % 4;

	put(d, table ? RAM_GPA + 0x3000 + 16 * (next(s) % 32) : near_ram(s), 8);
	put(d + 8, table ? 16 * (1 + next(s) % 16) : some_len(s), 4);
	put(d + 12, flags, 2);
	put(d + 14, next(s) % next_max, 2);
}

static size_t structured(uint8_t *buf, uint64_t *s)
{
	uint16_t num = (uint16_t)(1u << (next(s) % 7));
	uint8_t *ram = buf + HEADER;
	uint16_t desc = 0, avail = 0x1000, used = 0x2000, tables = 0x3000;
	uint16_t heads = (uint16_t)(next(s) % (num + 2u));

	memset(buf, 0, HEADER + RAM_SIZE);
	put(buf, num, 2);
	buf[2] = (uint8_t)(next(s) & 3);
	if (next(s) % 16 == 0) /* now and then a ring misplaced: misaligned, or past RAM */
		switch (next(s) % 3) {
		case 0:
			desc += (uint16_t)(1 + next(s) % 15);
			break;
		case 1:
			avail = (uint16_t)(RAM_SIZE - next(s) % 8);
			break;
		default:
			used += (uint16_t)(1 + next(s) % 3);
		}
	put(buf + 3, desc, 2);
	put(buf + 5, avail, 2);
	put(buf + 7, used, 2);
	for (unsigned i = 0; i < num; i++) {
		uint8_t *d = ram + desc + 16 * i;

		put_desc(d, s, num + 2u);
	}
	/* indirect tables' contents: random descriptors around RAM */
	for (unsigned i = 0; i < 64; i++) {
		uint8_t *d = ram + tables + 16 * i;

		put_desc(d, s, 70);
	}
	for (unsigned i = 0; i < heads; i++)
		put_ram(ram, avail + 4u + 2u * (i % num), next(s) % (num + 1u), 2);
	put_ram(ram, avail + 2u, heads, 2);
	put_ram(ram, avail + 4u + 2u * num, next(s) % 4, 2); /* used_event */
	return HEADER + RAM_SIZE;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 2000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x7669727471ULL;
	bool blk = argc > 3 && !strcmp(argv[3], "blk");
	static uint8_t buf[HEADER + RAM_SIZE];

	for (unsigned i = 0; i < n; i++) {
		size_t size;

		if (next(&seed) % 10 == 0) { /* fully random bytes */
			size = next(&seed) % sizeof(buf);
			for (size_t k = 0; k < size; k++)
				buf[k] = (uint8_t)next(&seed);
		} else {
			size = structured(buf, &seed);
		}
		if (blk)
			fuzz_blk_run(buf, size);
		else
			fuzz_virtq_run(buf, size);
	}
	printf("fuzz_virtq_standalone%s: %u inputs ran, the host survived\n", blk ? " blk" : "", n);
	return 0;
}
