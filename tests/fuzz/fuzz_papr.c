// SPDX-License-Identifier: MIT
/* Fuzz harness for the Book3S hash MMU (src/kvm/book3s/): an input is a script of steps that
 * a hostile guest's vcpu could cause (PAPR page-table hcalls through their decoder, slbmte,
 * slbie/slbia/slbfee./slbmf*, tlbie/tlbiel, translations of any address in any MSR state)
 * plus raw entries in the table (a VMM loading one). Whatever the bytes say, the host touches
 * nothing outside the table and guest RAM (each a heap block of exactly its size:
 * AddressSanitizer), every hcall returns a PAPR code, every fault is a storage interrupt with
 * defined bits, every invalidation names a page size the MMU has, no entry stays locked, and
 * the step ends (abort otherwise, so libFuzzer reports it).
 *
 * Steps (byte s, then its arguments from the input):
 *   s % 6 == 0  an hcall: its number (mostly one of the seven), r4..r11 each shaped by two
 *               bits: a small number, a table index (some beyond the end), 8 raw bytes, or
 *               an entry made for a segment in the SLB
 *   1           slbmte of an entry (index up to 40: some beyond the SLB)
 *   2           a translation: EA mostly in an SLB segment, load/store/fetch, MSR, AMR
 *   3           tlbie, tlbiel, slbie, slbia, slbfee., slbmfee, mtsrin or slbmfev
 *   4           16 raw bytes into an entry of the table
 *   5           H_ENTER of an entry that maps an address of a segment in the SLB
 * Built two ways: libFuzzer (`make fuzz`: build-fuzz/fuzz_papr) and, with
 * FUZZ_PAPR_STANDALONE, a driver of N random inputs from a seed that the suite runs under the
 * sanitizers and that fails when the inputs did not reach translations, faults of each kind
 * and successful hcalls: fuzz_papr_standalone [N [SEED]]. */
#include <endian.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <softkvm/papr.h>

#include "fuzz_rand.h"
#include "kvm/book3s/mmu_ops.h"

#define HPT_BYTES (1u << 18) /* HTABSIZE 0: 2048 PTEGs */
#define RAM_BYTES (1u << 20)

struct counts {
	uint64_t xlate_ok, faults[4], hcall_ok[8], invals;
};

struct fz {
	uint8_t *table, *ram;
	struct book3s_hpt hpt;
	struct book3s_slb slb;
	struct book3s_inval_ops ops;
	struct book3s_papr_hpt papr;
	uint64_t recent[8]; /* addresses mapped by step 5, for translations to hit */
	uint64_t entered[8]; /* indexes H_ENTER returned, for the other hcalls to find */
	unsigned n_recent, next_recent, n_entered;
	struct counts c;
};

struct in {
	const uint8_t *d;
	size_t n, at;
};

static uint64_t take(struct in *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++)
		v = v << 8 | (in->at < in->n ? in->d[in->at++] : 0);
	return v;
}

static void die(const char *why, uint64_t a, uint64_t b)
{
	fprintf(stderr, "fuzz_papr: %s (0x%" PRIx64 ", 0x%" PRIx64 ")\n", why, a, b);
	abort();
}

static void on_page(void *opaque, uint64_t vpn, unsigned shift)
{
	struct fz *f = opaque;

	if ((shift != 12 && shift != 16 && shift != 24) || (vpn & ((1ULL << (shift - 12)) - 1)) ||
	    (vpn & ~BOOK3S_INVAL_VPN_MASK))
		die("invalidation of a page size the MMU lacks", vpn, shift);
	f->c.invals++;
}

static void on_segment(void *opaque, uint64_t ea, unsigned seg_shift)
{
	if ((seg_shift != 28 && seg_shift != 40) || (ea & ((1ULL << seg_shift) - 1)))
		die("invalidation of a segment that is none", ea, seg_shift);
}

static void *guest_ram(void *opaque, uint64_t gpa, uint64_t len)
{
	struct fz *f = opaque;

	return gpa < RAM_BYTES && len <= RAM_BYTES - gpa ? f->ram + gpa : NULL;
}

static void fz_init(struct fz *f)
{
	memset(f, 0, sizeof(*f));
	f->table = aligned_alloc(HPT_BYTES, HPT_BYTES);
	f->ram = malloc(RAM_BYTES);
	if (!f->table || !f->ram)
		die("out of memory", 0, 0);
	f->ops = (struct book3s_inval_ops){f, on_page, on_segment, NULL};
	f->papr = (struct book3s_papr_hpt){&f->hpt, &f->ops, guest_ram, NULL, f};
}

static void fz_fini(struct fz *f)
{
	free(f->table);
	free(f->ram);
}

/* A valid SLB entry chosen by the input, or NULL. */
static const struct book3s_slbe *pick_segment(struct fz *f, struct in *in)
{
	unsigned i = (unsigned)take(in, 1) % f->slb.nr;

	for (unsigned k = 0; k < f->slb.nr; k++, i = (i + 1) % f->slb.nr)
		if (f->slb.e[i].valid)
			return &f->slb.e[i];
	return NULL;
}

static uint64_t ea_in(const struct book3s_slbe *s, uint64_t offset)
{
	return s->esid << s->seg_shift | (offset & ((1ULL << s->seg_shift) - 1));
}

/* An HPTE (v, r) that maps ea of segment s (when the input's size bits agree with it). */
static void entry_for(struct fz *f, struct in *in, const struct book3s_slbe *s, uint64_t ea,
		      uint64_t *v, uint64_t *r)
{
	static const uint8_t lp[] = {0x00, 0x01, 0x07, 0x08, 0x38, 0x03, 0x10};
	unsigned sel = (unsigned)take(in, 1);

	*v = (s->vsid_word & SLB_VSID_B) | (book3s_va_vpn(s, ea) >> 11) << HPTE_V_AVPN_SHIFT |
	     HPTE_V_VALID | (sel & 0x80 ? HPTE_V_SECONDARY : 0);
	*r = (take(in, 3) << 12) | (take(in, 2) & 0x0fff); /* RPN, key, WIMG, N, PP */
	if (s->base_shift > 12 || (sel & 0x40)) {
		*v |= HPTE_V_LARGE;
		*r = (*r & ~HPTE_R_LP) | (uint64_t)lp[sel % sizeof(lp)] << 12;
	}
}

static uint64_t arg(struct fz *f, struct in *in)
{
	const struct book3s_slbe *s;
	uint64_t v, r;

	switch (take(in, 1) & 3) {
	case 0:
		return take(in, 1);
	case 1: /* an index: one H_ENTER returned, or any (a few past the end) */
		v = take(in, 2);
		if (v & 0x8000 && f->n_entered)
			return f->entered[v % (f->n_entered < 8 ? f->n_entered : 8)];
		return v % (book3s_hpt_nptes(&f->hpt) + 64);
	case 2:
		return take(in, 8);
	default:
		s = pick_segment(f, in);
		if (!s)
			return take(in, 8);
		entry_for(f, in, s, ea_in(s, take(in, 5)), &v, &r);
		return take(in, 1) & 1 ? v : r;
	}
}

static void check_rc(uint64_t nr, long rc)
{
	if (rc != SKVM_H_SUCCESS && rc != SKVM_H_PARAMETER && rc != SKVM_H_PTEG_FULL &&
	    rc != SKVM_H_NOT_FOUND)
		die("an hcall returned no PAPR code it has", nr, (uint64_t)rc);
}

static void step_hcall(struct fz *f, struct in *in)
{
	static const uint64_t nrs[] = {SKVM_H_ENTER,   SKVM_H_REMOVE,	 SKVM_H_BULK_REMOVE,
				       SKVM_H_PROTECT, SKVM_H_READ,	 SKVM_H_CLEAR_REF,
				       SKVM_H_CLEAR_MOD};
	uint64_t gpr[32] = {0}, sel = take(in, 1);
	unsigned k = (unsigned)(sel % 8);

	gpr[3] = k < 7 ? nrs[k] : take(in, 2);
	for (unsigned i = 4; i < 12; i++)
		gpr[i] = arg(f, in);
	if (sel & 0x80) /* mostly the flags each hcall knows */
		gpr[4] &= SKVM_H_EXACT | SKVM_H_ZERO_PAGE | SKVM_H_READ_4 | SKVM_H_AVPN |
			  SKVM_H_ANDCOND | 0x3307;
	if (!book3s_papr_hpt_hcall(&f->papr, gpr))
		return;
	check_rc(k < 7 ? nrs[k] : 0, (long)gpr[3]);
	if ((long)gpr[3] == SKVM_H_SUCCESS && k < 7)
		f->c.hcall_ok[k]++;
	if (k == 0 && (long)gpr[3] == SKVM_H_SUCCESS) {
		uint64_t out[8];

		f->entered[f->n_entered++ % 8] = gpr[4];
		if (book3s_h_read(&f->papr, 0, gpr[4], out) != SKVM_H_SUCCESS ||
		    !(out[0] & HPTE_V_VALID))
			die("H_ENTER's entry does not read back", gpr[4], out[0]);
	}
}

static void step_slbmte(struct fz *f, struct in *in)
{
	uint64_t rs = take(in, 8), rb = take(in, 8) & ~SLB_INDEX_MASK;
	unsigned sel = (unsigned)take(in, 1);

	if (sel & 0x80) /* mostly defined segment sizes and small ESIDs */
		rs &= ~0x8000000000000000ULL;
	if (sel & 0x40)
		rb &= 0x00000ffff8000000ULL;
	book3s_slbmte(&f->slb, rs, rb | SLB_ESID_V * !!(sel & 0x20) | (sel % 40), &f->ops);
}

static void step_xlate(struct fz *f, struct in *in)
{
	const struct book3s_slbe *s = pick_segment(f, in);
	unsigned sel = (unsigned)take(in, 1);
	struct book3s_mmu_ctx m = {.slb = &f->slb, .hpt = &f->hpt, .rma_size = RAM_BYTES};
	uint64_t ea = s && (sel & 0x80) ? ea_in(s, take(in, 5)) : take(in, 8);

	if ((sel & 0xc0) == 0xc0 && f->n_recent) /* near an address that was mapped */
		ea = f->recent[take(in, 1) % f->n_recent] + (take(in, 1) << 4);
	enum book3s_access acc = (enum book3s_access)(sel & 3); /* a debugger's PROBE too */
	struct book3s_xlate x;
	struct book3s_fault flt;

	m.msr = (sel & 0x10 ? BOOK3S_MSR_PR : 0) |
		((sel & 0x2c) == 0x2c ? 0 : BOOK3S_MSR_IR | BOOK3S_MSR_DR);
	if ((sel & 0x48) == 0x48)
		m.amr = take(in, 8);
	if (book3s_xlate(&m, ea, acc, &x, &flt) == 0) {
		if (x.page_shift != 12 && x.page_shift != 16 && x.page_shift != 24)
			die("a translation with a page size the MMU lacks", ea, x.page_shift);
		if (!x.real && x.ptex >= book3s_hpt_nptes(&f->hpt))
			die("a translation by an entry outside the table", ea, x.ptex);
		f->c.xlate_ok++;
		return;
	}
	switch (flt.vector) {
	case BOOK3S_VEC_DSI:
		if (flt.dsisr & ~(DSISR_NOHPTE | DSISR_PROTFAULT | DSISR_ISSTORE | DSISR_KEYFAULT))
			die("a DSI with undefined DSISR bits", ea, flt.dsisr);
		f->c.faults[0]++;
		break;
	case BOOK3S_VEC_DSEG:
		f->c.faults[1]++;
		break;
	case BOOK3S_VEC_ISI:
		if (flt.srr1 & ~(SRR1_ISI_NOPT | SRR1_ISI_N_OR_G | SRR1_ISI_PROT | SRR1_ISI_KEY))
			die("an ISI with undefined SRR1 bits", ea, flt.srr1);
		f->c.faults[2]++;
		break;
	case BOOK3S_VEC_ISEG:
		f->c.faults[3]++;
		break;
	default:
		die("a fault that is no storage interrupt", ea, flt.vector);
	}
}

static void step_insn(struct fz *f, struct in *in)
{
	unsigned sel = (unsigned)take(in, 1);
	uint64_t rb = take(in, 8), rt;

	switch (sel % 8) {
	case 0:
		book3s_tlbie(&f->ops, rb);
		break;
	case 1:
		book3s_tlbiel(&f->ops, rb);
		break;
	case 2:
		book3s_slbie(&f->slb, rb, &f->ops);
		break;
	case 3:
		book3s_slbia(&f->slb, &f->ops);
		break;
	case 4:
		book3s_slbfee(&f->slb, rb, &rt);
		break;
	case 5:
		book3s_slbmfee(&f->slb, rb);
		break;
	case 6:
		book3s_mtsrin(&f->slb, take(in, 8), rb, &f->ops);
		break;
	default:
		book3s_slbmfev(&f->slb, rb);
	}
}

static void step_raw(struct fz *f, struct in *in)
{
	uint64_t ptex = take(in, 2) % book3s_hpt_nptes(&f->hpt);
	uint64_t *w = (uint64_t *)(f->table + ptex * HPTE_BYTES);

	/* The hypervisor's lock bit is never in a table it binds (bind clears it). */
	w[0] = htobe64(take(in, 8) & ~HPTE_V_HVLOCK);
	w[1] = htobe64(take(in, 8));
}

static void step_enter_mapping(struct fz *f, struct in *in)
{
	const struct book3s_slbe *s = pick_segment(f, in);
	uint64_t v, r, ea, hash, out;
	long rc;

	if (!s)
		return;
	ea = ea_in(s, take(in, 5));
	f->recent[f->next_recent++ % 8] = ea;
	if (f->n_recent < 8)
		f->n_recent++;
	entry_for(f, in, s, ea, &v, &r);
	hash = book3s_hpt_hash(s, ea);
	if (v & HPTE_V_SECONDARY)
		hash = ~hash;
	rc = book3s_h_enter(&f->papr, take(in, 1) & 1 ? SKVM_H_ZERO_PAGE : 0,
			    (hash & (f->hpt.nptegs - 1)) * HPTES_PER_GROUP, v, r, &out);
	check_rc(SKVM_H_ENTER, rc);
	if (rc == SKVM_H_SUCCESS)
		f->entered[f->n_entered++ % 8] = out;
}

static void run_input(struct fz *f, const uint8_t *data, size_t size)
{
	struct in in = {data, size, 0};

	memset(f->table, 0, HPT_BYTES);
	if (book3s_hpt_bind(&f->hpt, (uintptr_t)f->table, f->table, HPT_BYTES))
		die("the table does not bind", 0, 0);
	book3s_slb_init(&f->slb, BOOK3S_SLB_POWER8);
	f->n_recent = f->next_recent = f->n_entered = 0;
	for (unsigned steps = 0; in.at < in.n && steps < 4096; steps++) {
		switch (take(&in, 1) % 6) {
		case 0:
			step_hcall(f, &in);
			break;
		case 1:
			step_slbmte(f, &in);
			break;
		case 2:
			step_xlate(f, &in);
			break;
		case 3:
			step_insn(f, &in);
			break;
		case 4:
			step_raw(f, &in);
			break;
		default:
			step_enter_mapping(f, &in);
		}
	}
	for (uint64_t i = 0; i < book3s_hpt_nptes(&f->hpt); i++)
		if (be64toh(*(uint64_t *)(f->table + i * HPTE_BYTES)) & HPTE_V_HVLOCK)
			die("an entry left locked", i, 0);
}

#ifndef FUZZ_PAPR_STANDALONE
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz f;
	static int ready;

	if (!ready) {
		fz_init(&f);
		ready = 1;
	}
	run_input(&f, data, size);
	return 0;
}
#else
int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x70617072ULL;
	static uint8_t buf[8192];
	struct fz f;
	bool reached = true;

	fz_init(&f);
	for (unsigned k = 0; k < n; k++) {
		uint64_t st = rand_input_state(seed, k);
		size_t len = 256 + rand_next(&st) % (sizeof(buf) - 256);

		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)(rand_next(&st) >> 24);
		run_input(&f, buf, len);
	}
	printf("fuzz_papr: %u inputs: %" PRIu64 " translations, faults DSI %" PRIu64
	       " DSeg %" PRIu64 " ISI %" PRIu64 " ISeg %" PRIu64 ", %" PRIu64 " invalidations,"
	       " successful hcalls",
	       n, f.c.xlate_ok, f.c.faults[0], f.c.faults[1], f.c.faults[2], f.c.faults[3],
	       f.c.invals);
	for (unsigned i = 0; i < 7; i++) {
		printf(" %" PRIu64, f.c.hcall_ok[i]);
		reached &= f.c.hcall_ok[i] > 0;
	}
	printf("\n");
	for (unsigned i = 0; i < 4; i++)
		reached &= f.c.faults[i] > 0;
	reached &= f.c.xlate_ok > 0 && f.c.invals > 0;
	fz_fini(&f);
	/* inputs that never translate or succeed would test only the refusals */
	if (n >= 100 && !reached) {
		printf("FAIL: the inputs did not reach every part of the MMU\n");
		return 1;
	}
	return 0;
}
#endif
