// SPDX-License-Identifier: MIT
/* The softkvm side of the differential (tests/diff64/README.md): reads a case image
 * (layout.h) from stdin, runs its code on the 64-bit core from the initial state and writes
 * the final state and the data area to stdout exactly as loader.S does under QEMU.
 *   usage: run64 le|be|32     (64-bit little-endian, big-endian, or 32-bit mode, big-endian)
 *          run64 dis          (the 64-bit core's disassembly of each hex word read, one a line:
 *                              check_table.py compares it with binutils)
 * Exits 0 when the code ran to the epilogue, 2 when it stopped on another trap (named on
 * stderr), 1 on bad usage or input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/exec.h"
#include "layout.h"
#include "../unit/bare_machine.h"

static uint64_t get_slot(const struct bare_machine *m, unsigned off, bool w64)
{
	uint64_t v;
	memcpy(&v, m->ram + off, 8);
	if (!m->le)
		v = __builtin_bswap64(v);
	return w64 ? v : (uint32_t)v;
}

/* a vector as lvx loads it: little-endian mode reverses the quadword */
static void get_vector(const struct bare_machine *m, unsigned off, union cpu_vr *v)
{
	for (unsigned i = 0; i < 16; i++)
		v->b[i] = m->ram[off + (m->le ? 15 - i : i)];
}

static void put_vector(uint8_t *p, const union cpu_vr *v, bool le)
{
	for (unsigned i = 0; i < 16; i++)
		p[le ? 15 - i : i] = v->b[i];
}

static void put_slot(uint8_t *p, uint64_t v, bool le)
{
	if (!le)
		v = __builtin_bswap64(v);
	memcpy(p, &v, 8);
}

static int disassemble(void)
{
	struct cpu_decoder *dec = cpu_decoder_create();
	char line[64], buf[96];
	if (!dec) {
		fprintf(stderr, "run64: the instruction table is inconsistent\n");
		return 1;
	}
	while (fgets(line, sizeof(line), stdin)) {
		cpu_disassemble(dec, (uint32_t)strtoul(line, NULL, 16), 0, buf, sizeof(buf));
		puts(buf);
	}
	cpu_decoder_destroy(dec);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "dis"))
		return disassemble();
	if (argc != 2 || (strcmp(argv[1], "le") && strcmp(argv[1], "be") && strcmp(argv[1], "32"))) {
		fprintf(stderr, "usage: run64 le|be|32|dis\n");
		return 1;
	}
	bool le = !strcmp(argv[1], "le"), w64 = strcmp(argv[1], "32") != 0;
	uint64_t msr = BARE_MSR_USER | BARE_MSR_VEC | BARE_MSR_VSX | (w64 ? BARE_MSR_SF : 0) | (le ? BARE_MSR_LE : 0);
	struct bare_machine *m = bare_create(D64_BUF, 0x8000, msr);
	if (!m) {
		fprintf(stderr, "run64: out of memory\n");
		return 1;
	}
	if (fread(m->ram, 1, D64_IMAGE_SIZE, stdin) != D64_IMAGE_SIZE) {
		fprintf(stderr, "run64: short image\n");
		return 1;
	}
	struct cpu *c = &m->c;
	for (unsigned i = 0; i < 32; i++) {
		c->gpr[i] = get_slot(m, D64_INIT + 8 * (D64_S_GPR + i), w64);
		c->fpr[i] = get_slot(m, D64_INIT + 8 * (D64_S_FPR + i), true);
	}
	c->cr = (uint32_t)get_slot(m, D64_INIT + 8 * D64_S_CR, w64);
	cpu_set_xer(c, (uint32_t)get_slot(m, D64_INIT + 8 * D64_S_XER, w64));
	c->lr = get_slot(m, D64_INIT + 8 * D64_S_LR, w64);
	c->ctr = get_slot(m, D64_INIT + 8 * D64_S_CTR, w64);
	/* mtfsf 0xff: FEX and VX are summaries, not moved */
	c->fpscr = (uint32_t)get_slot(m, D64_INIT + 8 * D64_S_FPSCR, true) & ~0x60000000u;
	if (w64) { /* qemu-ppc's 750 has no vector unit: its vector slots stay 0 */
		for (unsigned i = 0; i < 32; i++)
			get_vector(m, D64_INIT + 8 * (D64_S_VR + 2 * i), &c->vr[i]);
		for (unsigned i = 0; i < 32; i++)
			c->vsr_lo[i] = get_slot(m, D64_INIT + 8 * (D64_S_VSRLO + i), true);
		union cpu_vr v;
		get_vector(m, D64_INIT + 8 * D64_S_VSCR, &v);
		c->vscr = load_be32(v.b + 12) & 0x00010001u; /* mtvscr */
	}

	bare_run(m, D64_BUF + D64_CODE);
	if (m->last.kind != CPU_TRAP_ITLB_MISS || c->pc != D64_EPILOGUE) {
		fprintf(stderr, "run64: stopped by trap %d at 0x%llx (insn 0x%08x, esr 0x%x)\n",
			m->last.kind, (unsigned long long)m->last.pc, m->last.insn, m->last.esr);
		return 2;
	}
	uint8_t dump[D64_NSLOTS * 8] = {0}; /* the pad slot and the 32-bit mode's vectors stay 0 */
	uint64_t mask = w64 ? ~0ull : 0xffffffffull;
	for (unsigned i = 0; i < 32; i++) {
		put_slot(dump + 8 * (D64_S_GPR + i), c->gpr[i] & mask, le);
		put_slot(dump + 8 * (D64_S_FPR + i), c->fpr[i], le);
	}
	put_slot(dump + 8 * D64_S_CR, c->cr, le);
	put_slot(dump + 8 * D64_S_XER, cpu_get_xer(c), le);
	put_slot(dump + 8 * D64_S_LR, c->lr & mask, le);
	put_slot(dump + 8 * D64_S_CTR, c->ctr & mask, le);
	put_slot(dump + 8 * D64_S_FPSCR, c->fpscr, le);
	if (w64) {
		for (unsigned i = 0; i < 32; i++)
			put_vector(dump + 8 * (D64_S_VR + 2 * i), &c->vr[i], le);
		for (unsigned i = 0; i < 32; i++)
			put_slot(dump + 8 * (D64_S_VSRLO + i), c->vsr_lo[i], le);
		union cpu_vr v = {.b = {0}};
		store_be32(v.b + 12, c->vscr);
		put_vector(dump + 8 * D64_S_VSCR, &v, le);
	}
	fwrite(dump, 1, sizeof(dump), stdout);
	fwrite(m->ram + D64_DATA, 1, D64_DATA_SIZE, stdout);
	bare_destroy(m);
	return 0;
}
