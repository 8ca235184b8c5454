// SPDX-License-Identifier: MIT
/* Deterministic driver for the loader/DTB fuzz harness (fuzz_loader.c): mutates the valid
 * ELF and device tree the harness builds, with a fixed seed, so the test suite can run the
 * harness under the sanitizers without libFuzzer.
 *
 * usage: fuzz_loader_standalone [N [SEED [FIRST]]]
 *        fuzz_loader_standalone -w DIR [N [SEED [FIRST]]]   writes the two seeds and those N
 *            inputs (none by default) into DIR instead: a corpus for build-fuzz/fuzz_loader;
 *            each file is the selector byte and the file (fuzz_loader.h)
 * Runs inputs FIRST .. FIRST+N-1 (default 2000 from 0): even ones are ELF files, odd ones
 * device trees. Input k is made from SEED and k alone: `fuzz_loader_standalone 1 SEED k`
 * reruns one. The mutations know the formats (header fields, program headers, FDT tokens
 * and offsets) so that most inputs get past the first checks.
 *
 * Fails (exit 1) if either target accepted or refused fewer than MIN_SHARE_PCT percent of its
 * inputs (in a run of at least MIN_SHARE_INPUTS each): the mutations would then no longer
 * reach both sides of the checks. Fails (exit 2, naming the input) when an input has not
 * returned HANG_SECONDS after it started. */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"
#include "fuzz_loader.h"
#include "fuzz_rand.h"
#include "hang_watch.h"
#include "log.h"

#define CAP		 8192
#define SEED_CAP	 4096
#define MIN_SHARE_PCT	 5
#define MIN_SHARE_INPUTS 100
#define HANG_SECONDS	 10
#define DEFAULT_SEED	 0x10adf17eULL

static uint32_t below(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(rand_next(s) % n) : 0;
}

/* A value that sits on a boundary some check must get right. */
static uint32_t interesting(uint64_t *s, uint32_t old, size_t size)
{
	static const uint32_t fixed[] = {
	    0,		1,	    2,		3,	    4,		9,	   0x20,    0x34,
	    0x38,	0xff,	    0x100,	0xffff,	    0x10000,	0xffff,	   0x0fff0, 0x10001,
	    0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff, 0xc0000000, 0xfffff000};
	switch (below(s, 4)) {
	case 0:
		return fixed[below(s, sizeof(fixed) / sizeof(fixed[0]))];
	case 1:
		return (uint32_t)size + below(s, 9) - 4; /* around the file's end */
	case 2:
		return old + below(s, 65) - 32; /* near what was there */
	default:
		return (uint32_t)rand_next(s);
	}
}

/* Overwrite n bytes (1, 2 or 4) at off, big-endian, with an interesting value. */
static void set_field(uint64_t *s, uint8_t *buf, size_t size, size_t off, unsigned n)
{
	if (off + n > size)
		return;
	uint32_t v = interesting(s, (uint32_t)vmm_load_be(buf + off, n), size);
	vmm_store_be(buf + off, n, v);
}

/* Where the format's fields are: an offset to hit with set_field, and its width. */
static size_t elf64_field(uint64_t *s, unsigned *n)
{
	static const struct {
		uint8_t off, n;
	} ehdr[] = {
	    {EI_CLASS, 1},
	    {EI_DATA, 1},
	    {offsetof(Elf64_Ehdr, e_type), 2},
	    {offsetof(Elf64_Ehdr, e_machine), 2},
	    {offsetof(Elf64_Ehdr, e_entry), 4},
	    {offsetof(Elf64_Ehdr, e_entry) + 4, 4},
	    {offsetof(Elf64_Ehdr, e_phoff), 4},
	    {offsetof(Elf64_Ehdr, e_phoff) + 4, 4},
	    {offsetof(Elf64_Ehdr, e_phentsize), 2},
	    {offsetof(Elf64_Ehdr, e_phnum), 2},
	};
	if (below(s, 3) == 0) {
		unsigned i = below(s, sizeof(ehdr) / sizeof(ehdr[0]));
		*n = ehdr[i].n;
		return ehdr[i].off;
	}
	/* a 32-bit half of one of the four program headers' fields */
	*n = 4;
	return sizeof(Elf64_Ehdr) + below(s, 4) * sizeof(Elf64_Phdr) + 4 * below(s, 14);
}

static size_t elf_field(uint64_t *s, unsigned *n)
{
	static const struct {
		uint8_t off, n;
	} ehdr[] = {
	    {EI_CLASS, 1},
	    {EI_DATA, 1},
	    {offsetof(Elf32_Ehdr, e_type), 2},
	    {offsetof(Elf32_Ehdr, e_machine), 2},
	    {offsetof(Elf32_Ehdr, e_entry), 4},
	    {offsetof(Elf32_Ehdr, e_phoff), 4},
	    {offsetof(Elf32_Ehdr, e_phentsize), 2},
	    {offsetof(Elf32_Ehdr, e_phnum), 2},
	};
	if (below(s, 3) == 0) {
		unsigned i = below(s, sizeof(ehdr) / sizeof(ehdr[0]));
		*n = ehdr[i].n;
		return ehdr[i].off;
	}
	/* one of the four program headers' eight words */
	*n = 4;
	return sizeof(Elf32_Ehdr) + below(s, 4) * sizeof(Elf32_Phdr) + 4 * below(s, 8);
}

static size_t dtb_field(uint64_t *s, const uint8_t *seed, unsigned *n)
{
	*n = 4;
	switch (below(s, 3)) {
	case 0: /* the header: magic, totalsize, the offsets, versions, sizes */
		return 4 * below(s, sizeof(struct fdt_header) / 4);
	case 1: /* the memory reservation block */
		return fdt_off_mem_rsvmap(seed) + 4 * below(s, 8);
	default: /* a word of the structure block: tokens, lengths, name offsets, values */
		return fdt_off_dt_struct(seed) + 4 * below(s, fdt_size_dt_struct(seed) / 4);
	}
}

enum seed_kind { SEED_ELF, SEED_DTB, SEED_ELF64 };

static size_t mutate(uint64_t *s, uint8_t *buf, size_t size, const uint8_t *seed,
		     enum seed_kind kind)
{
	bool dtb = kind == SEED_DTB;
	unsigned n;
	size_t off, len;

	switch (below(s, 10)) {
	case 0: /* a bit */
		if (size)
			buf[below(s, (uint32_t)size)] ^= (uint8_t)(1u << below(s, 8));
		return size;
	case 1: /* a byte */
		if (size)
			buf[below(s, (uint32_t)size)] = (uint8_t)rand_next(s);
		return size;
	case 2: /* cut the end off */
		return below(s, (uint32_t)size + 1);
	case 3: /* random bytes at the end */
		len = 1 + below(s, 64);
		if (size + len > CAP)
			return size;
		for (size_t i = 0; i < len; i++)
			buf[size + i] = (uint8_t)rand_next(s);
		return size + len;
	case 4: /* insert or delete a few (often whole words) in the middle */
		len = below(s, 2) ? 4 * (1 + below(s, 4)) : 1 + below(s, 16);
		off = below(s, (uint32_t)size + 1) & ~(size_t)(below(s, 2) ? 3 : 0);
		if (below(s, 2)) {
			if (size + len > CAP)
				return size;
			memmove(buf + off + len, buf + off, size - off);
			for (size_t i = 0; i < len; i++)
				buf[off + i] = (uint8_t)rand_next(s);
			return size + len;
		}
		if (off + len > size)
			return size;
		memmove(buf + off, buf + off + len, size - off - len);
		return size - len;
	case 5: /* copy a chunk over another (a program header over one, a node over a prop) */
		len = 4 * (1 + below(s, 16));
		if (len > size)
			return size;
		off = below(s, (uint32_t)(size - len) + 1) & ~(size_t)3;
		memmove(buf + (below(s, (uint32_t)(size - len) + 1) & ~(size_t)3), buf + off, len);
		return size;
	case 6: /* an FDT token (BEGIN_NODE, END_NODE, PROP, NOP, END) at a word */
		if (dtb && size >= 4) {
			static const uint32_t tok[] = {FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP,
						       FDT_NOP, FDT_END};
			off = below(s, (uint32_t)size / 4) * 4;
			vmm_store_be(buf + off, 4, tok[below(s, 5)]);
			return size;
		}
		/* fall through */
	default: /* a structure field to a boundary value */
		off = dtb		  ? dtb_field(s, seed, &n)
		      : kind == SEED_ELF64 ? elf64_field(s, &n)
					   : elf_field(s, &n);
		set_field(s, buf, size, off, n);
		return size;
	}
}

/* The seed files the inputs start from. */
struct seeds {
	const uint8_t *file[3];
	size_t size[3];
};

/* Input k: the selector byte, then a seed file with 1 to 4 mutations. Odd inputs are
 * device trees; of the even ones, every second is a 64-bit ELF for pseries' loader. */
static enum seed_kind input_kind(unsigned k)
{
	return k & 1 ? SEED_DTB : k & 2 ? SEED_ELF64 : SEED_ELF;
}

static size_t make_input(uint64_t seed, unsigned k, const struct seeds *from, uint8_t *buf)
{
	uint64_t s = rand_input_state(seed, k);
	enum seed_kind kind = input_kind(k);
	size_t size = from->size[kind];
	unsigned muts = 1 + below(&s, 4);

	buf[0] = (uint8_t)(kind == SEED_DTB	? FUZZ_LOADER_DTB | (rand_next(&s) & 6)
			   : kind == SEED_ELF64 ? FUZZ_LOADER_ELF | FUZZ_LOADER_ELF64
						: FUZZ_LOADER_ELF);
	memcpy(buf + 1, from->file[kind], size);
	for (unsigned i = 0; i < muts; i++)
		size = mutate(&s, buf + 1, size, from->file[kind], kind);
	return 1 + size;
}

struct tally {
	unsigned accepted, refused;
	unsigned by_errno[4][2]; /* the most frequent refusals: errno, count */
};

static void tally_add(struct tally *t, int rc)
{
	if (!rc) {
		t->accepted++;
		return;
	}
	t->refused++;
	for (unsigned i = 0; i < 4; i++) {
		if (t->by_errno[i][1] == 0 || t->by_errno[i][0] == (unsigned)-rc) {
			t->by_errno[i][0] = (unsigned)-rc;
			t->by_errno[i][1]++;
			return;
		}
	}
}

static bool tally_report(const char *what, const struct tally *t)
{
	unsigned total = t->accepted + t->refused;
	bool ok = total < MIN_SHARE_INPUTS || (t->accepted * 100 >= total * MIN_SHARE_PCT &&
					       t->refused * 100 >= total * MIN_SHARE_PCT);

	printf("fuzz_loader_standalone: %s: %u inputs, %u accepted, %u refused (", what, total,
	       t->accepted, t->refused);
	for (unsigned i = 0; i < 4 && t->by_errno[i][1]; i++)
		printf("%s%s %u", i ? ", " : "", strerror((int)t->by_errno[i][0]),
		       t->by_errno[i][1]);
	printf(")%s\n", ok ? "" : ": FAIL: the mutations miss one side of the checks");
	return ok;
}

static int write_file(const char *dir, const char *name, const uint8_t *data, size_t size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size) {
		perror(path);
		if (f)
			fclose(f);
		return 1;
	}
	return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	/* -w DIR shifts the other arguments by two */
	const char *dir = argc > 2 && !strcmp(argv[1], "-w") ? argv[2] : NULL;
	int a = dir ? 3 : 1;
	unsigned n = argc > a ? (unsigned)strtoul(argv[a], NULL, 0) : dir ? 0 : 2000;
	uint64_t seed = argc > a + 1 ? strtoull(argv[a + 1], NULL, 0) : DEFAULT_SEED;
	unsigned first = argc > a + 2 ? (unsigned)strtoul(argv[a + 2], NULL, 0) : 0;
	static uint8_t elf[SEED_CAP], dtb[SEED_CAP], elf64[SEED_CAP], buf[1 + CAP];
	size_t elf_size = fuzz_loader_seed_elf(elf, sizeof(elf));
	size_t dtb_size = fuzz_loader_seed_dtb(dtb, sizeof(dtb));
	size_t elf64_size = fuzz_loader_seed_elf64(elf64, sizeof(elf64));
	const struct seeds seeds = {.file = {elf, dtb, elf64},
				    .size = {elf_size, dtb_size, elf64_size}};
	struct tally t[3] = {{0}};
	struct hang_watch watch;
	bool ok = true;

	vmm_log_set_level(VMM_LOG_ERR); /* a loader warning per input is noise */
	if (!elf_size || !dtb_size || !elf64_size) {
		fprintf(stderr, "fuzz_loader_standalone: cannot build the seed files\n");
		return 1;
	}
	/* The seeds themselves must pass, or every mutation tests only the first check. */
	buf[0] = FUZZ_LOADER_ELF;
	memcpy(buf + 1, elf, elf_size);
	ok &= (dir ? write_file(dir, "seed-elf", buf, 1 + elf_size)
		   : fuzz_loader_run(buf, 1 + elf_size)) == 0;
	buf[0] = FUZZ_LOADER_DTB;
	memcpy(buf + 1, dtb, dtb_size);
	ok &= (dir ? write_file(dir, "seed-dtb", buf, 1 + dtb_size)
		   : fuzz_loader_run(buf, 1 + dtb_size)) == 0;
	buf[0] = FUZZ_LOADER_ELF | FUZZ_LOADER_ELF64;
	memcpy(buf + 1, elf64, elf64_size);
	ok &= (dir ? write_file(dir, "seed-elf64", buf, 1 + elf64_size)
		   : fuzz_loader_run(buf, 1 + elf64_size)) == 0;
	if (!ok) {
		fprintf(stderr, "fuzz_loader_standalone: %s\n",
			dir ? "cannot write the seeds" : "a seed file is refused");
		return 1;
	}
	if (dir) {
		for (unsigned k = first; ok && k < first + n; k++) {
			char name[32];
			size_t size = make_input(seed, k, &seeds, buf);
			snprintf(name, sizeof(name), "input-%u", k);
			ok = write_file(dir, name, buf, size) == 0;
		}
		return !ok;
	}
	if (hang_watch_start(&watch, "fuzz_loader_standalone", seed, HANG_SECONDS)) {
		fprintf(stderr, "fuzz_loader_standalone: cannot start the hang watch\n");
		return 1;
	}
	for (unsigned k = first; k < first + n; k++) {
		size_t size = make_input(seed, k, &seeds, buf);
		hang_watch_input(&watch, k);
		tally_add(&t[input_kind(k)], fuzz_loader_run(buf, size));
	}
	hang_watch_stop(&watch);
	printf("fuzz_loader_standalone: inputs %u to %u, seed 0x%" PRIx64 "\n", first,
	       first + n - 1, seed);
	ok &= tally_report("ELF", &t[0]);
	ok &= tally_report("DTB", &t[1]);
	ok &= tally_report("ELF64", &t[2]);
	if (!ok)
		return 1;
	printf("fuzz_loader_standalone: every input accepted correctly or refused cleanly\n");
	return 0;
}
