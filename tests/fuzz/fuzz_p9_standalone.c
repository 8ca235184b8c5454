// SPDX-License-Identifier: MIT
/* Deterministic driver for the 9P fuzz harness (fuzz_p9.c): N inputs from a fixed seed, each
 * a few dozen messages shaped like real ones so that they get past the decoder -- a known
 * T-type with its fields, fids from a small set, names from a hostile list ("..", "/", names
 * with '/', symlinks to the outside, empty, NUL inside, 255+ bytes), sizes and counts around
 * the limits -- with some truncated, some with a wrong size field, some fully random, and
 * small reply rooms. The suite runs it under AddressSanitizer + UBSan; the harness aborts if
 * anything outside the share changed.
 * usage: fuzz_p9_standalone [N [SEED]] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_p9.h"
#include "virtio/p9_wire.h"

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static const char *const names[] = {
    "..",	 ".",	   "a",	     "sub",	   "root",	    "link_out",
    "to_canary", "dang",   "new",    "d",	   "../canary.txt", "/",
    "",		 "sub/..", "passwd", "canary.txt", "x/y",	    "made",
};

/* A field format per message type: f fid, s name, n number, q 64-bit, c count, W walk names,
 * D count + data, t 16-bit tag. */
static const struct {
	uint8_t type;
	const char *fmt;
} shapes[] = {
    {P9_TVERSION, "ns"},    {P9_TATTACH, "ffssn"},	 {P9_TWALK, "ffW"},	{P9_TLOPEN, "fn"},
    {P9_TLCREATE, "fsnnn"}, {P9_TREAD, "fqc"},		 {P9_TWRITE, "fqD"},	{P9_TCLUNK, "f"},
    {P9_TGETATTR, "fq"},    {P9_TSETATTR, "fnnnnqqqqq"}, {P9_TREADDIR, "fqc"},	{P9_TMKDIR, "fsnn"},
    {P9_TUNLINKAT, "fsn"},  {P9_TRENAMEAT, "fsfs"},	 {P9_TSYMLINK, "fssn"}, {P9_TREADLINK, "f"},
    {P9_TLINK, "ffs"},	    {P9_TSTATFS, "f"},		 {P9_TFSYNC, "fn"},	{P9_TFLUSH, "t"},
    {P9_TXATTRWALK, "ffs"}, {P9_TMKNOD, "fsnnnn"},	 {P9_TREMOVE, "f"},
};

static uint64_t number(uint64_t *s)
{
	static const uint64_t edge[] = {
	    0,	   1,	 2,	3,    0x200, 0x7fffffff, 0xffffffff, 0x8000000000000000ull,
	    ~0ull, 4096, 65536, 0x41, 0x42,  0x242,	 01000};

	return next(s) % 3 ? edge[next(s) % (sizeof(edge) / sizeof(edge[0]))] : next(s);
}

static void name(struct p9_buf *m, uint64_t *s)
{
	char buf[300];
	unsigned k = next(s) % 24;

	if (k < sizeof(names) / sizeof(names[0])) {
		p9_put_str(m, names[k], strlen(names[k]));
	} else if (k == 20) {
		memset(buf, 'x', sizeof(buf));
		p9_put_str(m, buf, 256 + next(s) % 40);
	} else if (k == 21) {
		p9_put_str(m, "a\0/..", 5);
	} else {
		snprintf(buf, sizeof(buf), "n%u", (unsigned)(next(s) % 8));
		p9_put_str(m, buf, strlen(buf));
	}
}

/* One message into m (from its start): header included. */
static void message(struct p9_buf *m, uint64_t *s)
{
	unsigned i = next(s) % (sizeof(shapes) / sizeof(shapes[0]));
	uint8_t data[512];

	m->pos = 4;
	p9_put8(m, next(s) % 32 ? shapes[i].type : (uint8_t)next(s));
	p9_put16(m, (uint16_t)next(s));
	for (const char *f = shapes[i].fmt; *f; f++) {
		switch (*f) {
		case 'f':
			p9_put32(m, next(s) % 16 ? (uint32_t)(next(s) % 6) : (uint32_t)number(s));
			break;
		case 's':
			if (shapes[i].type == P9_TVERSION && next(s) % 4)
				p9_put_str(m, P9_VERSION, strlen(P9_VERSION));
			else
				name(m, s);
			break;
		case 'n':
			p9_put32(m, (uint32_t)number(s));
			break;
		case 'q':
			p9_put64(m, next(s) % 2 ? next(s) % 8192 : number(s));
			break;
		case 'c':
			p9_put32(m,
				 next(s) % 2 ? (uint32_t)(next(s) % 70000) : (uint32_t)number(s));
			break;
		case 't':
			p9_put16(m, (uint16_t)next(s));
			break;
		case 'W': {
			unsigned n = next(s) % 8 ? next(s) % 5 : (unsigned)(next(s) % 40);

			p9_put16(m, (uint16_t)(next(s) % 16 ? n : number(s)));
			for (unsigned k = 0; k < n && k < 20; k++)
				name(m, s);
			break;
		}
		case 'D': {
			unsigned n = next(s) % sizeof(data);

			memset(data, 'd', n);
			p9_put32(m, next(s) % 8 ? n : (uint32_t)number(s));
			p9_put_bytes(m, data, n);
			break;
		}
		}
	}
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 300;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x9e3779b97f4a7c15ull;
	static uint8_t input[1 << 16], msg[2048];
	struct fuzz_p9 fz;

	if (fuzz_p9_init(&fz)) {
		fprintf(stderr, "fuzz_p9_standalone: cannot set up the scratch directory\n");
		return 1;
	}
	for (unsigned i = 0; i < n; i++) {
		size_t size = 0;
		unsigned count = 1 + next(&seed) % 40;

		for (unsigned k = 0; k < count; k++) {
			struct p9_buf m = {.p = msg, .len = sizeof(msg)};
			size_t len;

			if (next(&seed) % 16) {
				message(&m, &seed);
				len = m.bad ? 0 : m.pos;
				if (next(&seed) % 16 == 0 && len)
					len = next(&seed) % len; /* truncated */
			} else {
				len = next(&seed) % 64;
				for (size_t b = 0; b < len; b++)
					msg[b] = (uint8_t)next(&seed);
			}
			if (size + 4 + len > sizeof(input))
				break;
			input[size++] = next(&seed) % 8 ? 3 : (uint8_t)(next(&seed) % 3);
			input[size++] = next(&seed) % 16 == 0; /* keep a wrong size field */
			input[size++] = (uint8_t)len;
			input[size++] = (uint8_t)(len >> 8);
			memcpy(input + size, msg, len);
			size += len;
		}
		fuzz_p9_run(&fz, input, size);
	}
	if (!fuzz_p9_outside_intact(&fz)) {
		fprintf(stderr, "fuzz_p9_standalone: something outside the share changed\n");
		return 1;
	}
	printf("fuzz_p9_standalone: %u inputs, %llu requests (%llu errors), outside intact\n", n,
	       (unsigned long long)fz.s.requests, (unsigned long long)fz.s.errors);
	fuzz_p9_fini(&fz);
	return 0;
}
